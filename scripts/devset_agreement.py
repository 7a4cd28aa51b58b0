"""How far two annotators of the devset agree: the gold (`devset/annotations.toml`) against a
second annotator's blind labels of 150 of its statements (`devset/second-annotator.jsonl`).

    .venv/bin/python scripts/devset_agreement.py

The second annotator read the devset README and the articles, was given each statement's
speaker and `content_contains`, and never saw the gold labels. Agreement bounds what a
system can be expected to reach on these fields: a goal above it measures the annotator.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "devset"


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa over (first, second) labels."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    return (observed - expected) / (1 - expected)


def main() -> None:
    with (ROOT / "annotations.toml").open("rb") as f:
        gold = {s["id"]: s for s in tomllib.load(f)["statement"]}
    second = [
        json.loads(line) for line in (ROOT / "second-annotator.jsonl").read_text().splitlines()
    ]
    pairs = [(gold[s["id"]], s) for s in second]
    n = len(pairs)

    def share(ok: int) -> str:
        return f"{100 * ok / n:.1f}%"

    stance = [(g["stance"], s["stance"]) for g, s in pairs]
    fields = {
        "stance": sum(a == b for a, b in stance),
        "stance and negation": sum(
            (g["stance"], g["negated"]) == (s["stance"], s["negated"]) for g, s in pairs
        ),
        "first issue": sum(g["issues"][0] == s["issues"][0] for g, s in pairs),
        "any issue shared": sum(bool(set(g["issues"]) & set(s["issues"])) for g, s in pairs),
        "said_on": sum((g["said_on"] or "") == (s["said_on"] or "") for g, s in pairs),
    }
    print(f"{n} statements labelled twice")
    for name, ok in fields.items():
        print(f"  {name:20s} {share(ok)}")
    print(f"  stance kappa         {kappa(stance):.2f}")
    dated = Counter(
        "gold dated, second not" if g["said_on"] else "second dated, gold not"
        for g, s in pairs
        if (g["said_on"] or "") != (s["said_on"] or "") and bool(g["said_on"]) != bool(s["said_on"])
    )
    print("  said_on disagreements on whether to date:", dict(dated))


if __name__ == "__main__":
    main()
