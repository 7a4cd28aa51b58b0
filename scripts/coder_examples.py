"""Training examples for the learned stance coder, from redline's own reading of the trainsets.

    .venv/bin/python scripts/coder_examples.py [--out build/coder_examples.jsonl] [SET ...]

Each annotated statement that redline finds becomes one example: the cue and content exactly as
the extractor gives them at run time, with the annotation's stance, `negated`, issues and
`position` (where the set has one). `scripts/train_coder.py` trains on the file. The sets
default to `trainset/stance` and `trainset/contradictions`; the devset is never read.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from redline.evaluate.analysis import load_devset, match
from redline.pipeline import Analyser
from redline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SETS = [ROOT / "trainset" / "stance", ROOT / "trainset" / "contradictions"]


def examples(root: Path, analyser: Analyser) -> list[dict[str, object]]:
    docs, gold = load_devset(root)
    by_source = {a.doc.source: a for a in analyser(docs)}
    out: list[dict[str, object]] = []
    for g in gold["statement"]:
        item = by_source[g["file"]]
        got = match(item.statements, item.doc.text, g["content_contains"])
        if got is None:
            continue
        out.append(
            {
                "id": g["id"],
                "set": root.name,
                # the writer's half ("a", "c", "e", ...): cross-validation folds keep a writer apart
                "writer": g["id"][0],
                "cue": got.cue or "",
                "content": got.content,
                "stance": g["stance"],
                "negated": bool(g.get("negated", False)),
                "issues": g.get("issues", []),
                "position": g.get("position"),
                "rules": [got.stance, got.negated],
                "rules_issues": got.issues,
                "rules_position": (
                    analyser.coder.polarity_on(got, g["issues"][0]) if g.get("issues") else 0
                ),
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
