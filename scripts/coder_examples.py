"""Training examples for the learned stance coder, from redline's own reading of the trainsets.

    .venv/bin/python scripts/coder_examples.py [--out build/coder_examples.jsonl] [SET ...]

Each annotated statement that redline finds becomes one example: the texts the model reads,
built from the cue and content exactly as the extractor gives them at run time and with the
runtime's own functions, the annotation's stance, `negated` and `position` (where the set has
one and the issue a direction), and what the rules answer. `scripts/train_coder.py` trains on the file. The sets
default to `trainset/stance` and `trainset/contradictions`; the devset is never read.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from redline.coding.learned import position_text, statement_text
from redline.coding.stance import polarity
from redline.evaluate.analysis import load_devset, match
from redline.models import STANCES
from redline.pipeline import Analyser
from redline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SETS = [ROOT / "trainset" / "stance", ROOT / "trainset" / "contradictions"]


def examples(root: Path, analyser: Analyser) -> list[dict[str, object]]:
    coder = analyser.coder
    docs, gold = load_devset(root)
    by_source = {a.doc.source: a for a in analyser(docs)}
    out: list[dict[str, object]] = []
    for g in gold["statement"]:
        item = by_source[g["file"]]
        got = match(item.statements, item.doc.text, g["content_contains"])
        if got is None:
            continue
        issue = coder.taxonomy.get(g["issues"][0]) if g.get("issues") else None
        direction = issue.direction if issue else ""
        rules_position = coder.polarity_on(got, issue.id) if issue else 0
        # the issue's direction words, as the coder reads them (skipping the stance's trigger)
        words = coder.direction_words(got, issue.id) if issue else 0
        out.append(
            {
                "id": g["id"],
                # the writer ("a", "c", "e", ...): cross-validation holds writers out together
                "writer": g["id"][0],
                "stance": g["stance"],
                "negated": bool(g.get("negated", False)),
                "position": g.get("position") if direction else None,
                "rules": [got.stance, got.negated],
                "rules_position": rules_position,
                # what the model reads, built by the runtime's own functions
                "stance_text": statement_text(got.cue, got.content, got.stance),
                "direction": direction,
                "position_text": position_text(got.cue, got.content, got.stance, rules_position),
                # the position if the stance were another (the model's stance is not negated)
                "polarity_by_stance": {s: polarity(s, False, words) for s in STANCES},
                # "Russia struck ..." said by Russia: the coder keeps such a claim a claim
                "own_attack": coder.attacker(got) == got.side,
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sets", nargs="*", type=Path, default=SETS)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "coder_examples.jsonl")
    args = parser.parse_args()
    # the rules alone: the examples must not depend on a coder trained on them
    analyser = Analyser(Settings(stance_coder="rules"))
    rows = [row for root in args.sets for row in examples(root, analyser)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} examples -> {args.out}")


if __name__ == "__main__":
    main()
