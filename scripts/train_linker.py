"""Train the contradiction scorer (redline.link.scorer) on trainset/contradictions.

    .venv/bin/python scripts/train_linker.py [--out src/redline/models_data/linker.json]

Candidate pairs come from `redline.link.candidate_pairs` over redline's own analysis of the
training articles, exactly as at run time, within each writer's set (each is its own world); a pair is positive when both ends match annotated
statements that the annotations pair. Logistic regression (numpy, classes weighted equally,
L2). The threshold is chosen by cross-validation across the writers' sets (c, d, e, ...: each
held out in turn, trained on the others), for the best mean F1; the weights written are fitted
on all of them. The devset is never read.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from redline.evaluate.analysis import load_devset, match, sets_of
from redline.link import candidate_pairs
from redline.link.scorer import BUNDLED, FEATURES, Judge, pair_features
from redline.models import Statement
from redline.pipeline import Analyser
from redline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = [round(t, 2) for t in np.arange(0.5, 0.96, 0.05)]


def dataset(root: Path) -> tuple[np.ndarray, np.ndarray, list[str], int]:
    """Features, labels, each pair's writer (the set letter its articles' names begin with),
    and the number of annotated pairs."""
    docs, gold = load_devset(root)
    analyser = Analyser(Settings())
    coder = analyser.coder
    analysed = analyser(docs)
    by_source = {a.doc.source: a for a in analysed}
    gold_of: dict[str, str] = {}
    for g in gold["statement"]:
        item = by_source[g["file"]]
        got = match(item.statements, item.doc.text, g["content_contains"])
        if got is not None:
            gold_of.setdefault(got.id, g["id"])
    pairs = {frozenset((c["a"], c["b"])) for c in gold["contradiction"]}
    covers = coder.gazetteer.covers
    judge = Judge(coder.polarity_on, coder.explicit_on, coder.same_claim, coder.claim_sign, covers)
    # each writer's set is its own invented world: candidates are paired within it, as
    # `eval analysis` links them (a pair across two sets is no negative, only unannotatable)
    sets = sets_of(gold, docs)
    worlds: dict[str, list[Statement]] = {}
    for a in analysed:
        worlds.setdefault(sets[a.doc.source], []).extend(a.statements)
    rows, labels, halves = [], [], []
    for stmts in worlds.values():
        for a, b, issue, same in candidate_pairs(stmts, explicit=coder.explicit_on, covers=covers):
            ids = frozenset((gold_of.get(a.id, ""), gold_of.get(b.id, "")))
            rows.append(pair_features(a, b, issue, judge, same_actor=same))
            labels.append(ids in pairs)
            halves.append(Path(a.doc).name[0])
    return np.array(rows), np.array(labels, dtype=float), halves, len(pairs)


def fit(x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, steps: int = 3000) -> np.ndarray:
    """Logistic regression by gradient descent; positives and negatives weigh half each."""
    w = np.zeros(x.shape[1])
    pos = max(y.mean(), 1e-9)
    weight = np.where(y == 1, 0.5 / pos, 0.5 / (1 - pos))
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w)))
        w -= 0.5 * (x.T @ (weight * (p - y)) + l2 * w) / len(y)
    return w


def f1_at(w: np.ndarray, x: np.ndarray, y: np.ndarray, gold: int, t: float) -> dict[str, float]:
    kept = 1 / (1 + np.exp(-(x @ w))) >= t
    right = float((y[kept] == 1).sum())
    p = right / kept.sum() if kept.sum() else 0.0
    r = right / gold if gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT / "trainset" / "contradictions")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "redline" / BUNDLED)
    args = ap.parse_args(argv)
    x, y, halves, _ = dataset(args.data)
    halves_arr = np.array(halves)
    _, gold = load_devset(args.data)
    writers = sorted({c["a"][0] for c in gold["contradiction"]})
    gold_in = {h: sum(1 for c in gold["contradiction"] if c["a"][0] == h) for h in writers}
    cv: dict[float, list[dict[str, float]]] = {t: [] for t in THRESHOLDS}
    for held in writers:
        train = halves_arr != held
        test = halves_arr == held
        w = fit(x[train], y[train])
        for t in THRESHOLDS:
            cv[t].append(f1_at(w, x[test], y[test], gold_in[held], t))
    best = max(THRESHOLDS, key=lambda t: float(np.mean([f["f1"] for f in cv[t]])))
    w = fit(x, y)
    figures = {
        h: {k: round(100 * v, 1) for k, v in f.items()}
        for h, f in zip(writers, cv[best], strict=True)
    }
    args.out.write_text(
        json.dumps(
            {
                "features": list(FEATURES),
                "weights": [round(float(v), 4) for v in w],
                "threshold": best,
                "trained_on": f"trainset/contradictions (sets {', '.join(writers)})",
                "candidates": len(y),
                "positives": int(y.sum()),
                "cross_validation": figures,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"{len(y)} candidate pairs, {int(y.sum())} annotated; threshold {best}")
    print(
        "mean held-out F1 by threshold: "
        + ", ".join(f"{t} {100 * np.mean([f['f1'] for f in cv[t]]):.1f}" for t in THRESHOLDS)
    )
    for h, f in figures.items():
        print(f"  held-out set {h}: precision {f['precision']} recall {f['recall']} F1 {f['f1']}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
