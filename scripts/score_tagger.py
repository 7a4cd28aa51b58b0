"""Score redline's attribution tagger on PolNeAR dev: P/R/F1 per role and articles per second.

Runs `redline.extract.tagger.Tagger` (the bundled ONNX model, or `--model-dir`) over every text
of a split and scores it with redline's PolNeAR scorer (`redline.evaluate.polnear`): exact spans
after trimming whitespace and `"'“”‘’,.:;—-` from both edges (a discontinuous gold span counts as
its pieces), and word-token overlap. Timing covers tagging only, on `--threads` threads.

    .venv/bin/python scripts/score_tagger.py                  # table on stdout
    .venv/bin/python scripts/score_tagger.py --json out.json  # and the figures as JSON
    .venv/bin/python scripts/score_tagger.py --card           # and into MODEL_CARD.md
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import time
from pathlib import Path

from redline.evaluate.polnear import ROLES, Attribution, Scores, load_split, score
from redline.extract.tagger import TaggedSpan, Tagger, bundled_model_dir

REPO = Path(__file__).resolve().parent.parent
_CARD_BLOCK = re.compile(r"(<!-- dev-figures:start -->\n).*?(<!-- dev-figures:end -->)", re.S)


def as_attribution(spans: list[TaggedSpan]) -> Attribution:
    """All tagged spans as one pseudo-attribution: the scorer compares spans per role, and the
    tagger does not link a source to its content."""
    att = Attribution("tagger")
    for s in spans:
        att.spans(s.role).append((s.start, s.end))
    return att


def table(scores: Scores) -> str:
    f = scores.figures()
    lines = [
        "| role | exact P | exact R | exact F1 | token P | token R | token F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in ROLES:
        cells = [f"{f[f'{r}.{k}.{m}']:.1f}" for k in ("exact", "token") for m in ("p", "r", "f1")]
        lines.append(f"| {r} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "eval" / "polnear")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--model-dir", type=Path, default=None, help="default: the bundled model")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=None, help="only the first N texts")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--card", action="store_true", help="write the figures into MODEL_CARD.md")
    args = ap.parse_args()

    articles = load_split(args.data, args.split, limit=args.limit)
    tagger = Tagger(model_dir=args.model_dir, threads=args.threads)
    tagger.tag(articles[0].text)  # warm-up: the first run allocates
    start = time.perf_counter()
    predicted = [tagger.tag(a.text) for a in articles]
    seconds = time.perf_counter() - start
    total = Scores()
    for article, spans in zip(articles, predicted, strict=True):
        total += score([as_attribution(spans)], article.gold, text=article.text)

    speed = len(articles) / seconds
    chars = sum(len(a.text) for a in articles)
    summary = (
        f"PolNeAR {args.split}: {len(articles)} articles ({chars / len(articles):,.0f} characters "
        f"on average), {sum(len(a.gold) for a in articles)} gold attributions, "
        f"{sum(len(p) for p in predicted)} predicted spans; "
        f"{speed:.1f} articles/s on {args.threads} threads ({platform.processor() or 'CPU'})"
    )
    print(table(total))
    print()
    print(summary)
    figures = {
        "split": args.split,
        "articles": len(articles),
        "seconds": round(seconds, 2),
        "articles_per_s": round(speed, 2),
        "threads": args.threads,
        "figures": total.figures(),
    }
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if args.card:
        folder = args.model_dir or Path(str(bundled_model_dir()))
        card = folder / "MODEL_CARD.md"
        body = (
            f"Scored by `scripts/score_tagger.py` on {time.strftime('%Y-%m-%d')}: exact match after "
            "trimming whitespace and `\"'“”‘’,.:;—-` from both edges (discontinuous gold counted "
            "as its pieces), and word-token overlap.\n\n"
            f"{table(total)}\n\n{summary}.\n"
        )
        text = card.read_text(encoding="utf-8")
        card.write_text(_CARD_BLOCK.sub(lambda m: m[1] + body + m[2], text), encoding="utf-8")


if __name__ == "__main__":
    main()
