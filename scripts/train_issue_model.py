"""Train redline's learned issue coder: a softmax regression over MiniLM sentence vectors.

For a remark whose own words name no issue, the model reads the remark, its sentence and the
article's headline (each as an all-MiniLM-L6-v2 vector from the int8 ONNX encoder that
`scripts/export_encoder.py` writes) and the rules' topic of the article (one-hot), and gives an
issue (`redline.coding.issue_model`). Its examples are every annotated statement redline finds
in the trainsets (the devset is never read), with the annotators' issues as soft labels; all
are used for training, and the model is applied only where the words name no issue.

    .train-venv/bin/python scripts/export_encoder.py   # once: encoder.onnx, tokenizer.json
    .venv/bin/python scripts/train_issue_model.py [--cv]

Cross-validation holds writer groups out in turn (`--folds`) and prints, on the held-out
remarks that name no issue, the rules' accuracy and the combination's at each probability
floor, combined exactly as the runtime combines them (`Coder._issues`); the floor with the
best held-out accuracy (mean of any-issue and first-issue) goes into labels.json. Without
`--cv`, it then fits on every example and writes `head.npz`, `labels.json` and `facts.json`
beside the encoder; MODEL_CARD.md is written by hand from the printed figures.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from redline.coding import Coder, sentence_around
from redline.coding.issue_model import (
    NO_TOPIC,
    IssueModel,
    SentenceEncoder,
    bundled_model_dir,
    features,
    headline,
)
from redline.evaluate.analysis import as_annotated, load_devset, match
from redline.models import Statement
from redline.pipeline import Analyser
from redline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SETS = [ROOT / "trainset" / "stance", ROOT / "trainset" / "contradictions"]
FLOORS = [0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 1.01]  # 1.01: the rules alone


@dataclass
class Example:
    writer: str
    gold: list[str]
    row: np.ndarray
    unnamed: bool  # the words name no issue: where the model is asked
    stmt: Statement
    text: str  # its article's
    head: str
    topic: str | None


def examples(coder: Coder, encode: SentenceEncoder, topics: list[str]) -> list[Example]:
    # the rules alone: nothing here may depend on a model trained on these examples
    analyser = Analyser(Settings(issue_coder="rules", stance_coder="rules"))
    out = []
    for root in SETS:
        docs, gold = load_devset(root)
        analysed = {a.doc.source: a for a in analyser(docs)}
        for g in gold["statement"]:
            item = analysed[g["file"]]
            got = match(item.statements, item.doc.text, g["content_contains"])
            if got is None or not g.get("issues"):
                continue
            text, title = item.doc.text, item.doc.title
            around, head = sentence_around(text, got), headline(title, text)
            topic = coder.topic(text, title=title)
            row = features(encode, topics, got.content, around, head, topic)
            out.append(
                Example(g["id"][0], g["issues"], row, coder.unnamed(got), got, text, head, topic)
            )
    return out


def fit(
    rows: np.ndarray, targets: np.ndarray, *, steps: int, lr: float, decay: float
) -> tuple[np.ndarray, np.ndarray]:
    """Softmax regression on soft labels by full-batch Adam with L2 weight decay."""
    weights = np.zeros((rows.shape[1], targets.shape[1]), dtype=np.float64)
    bias = np.zeros(targets.shape[1], dtype=np.float64)
    params, moments = [weights, bias], [[np.zeros_like(weights), np.zeros_like(bias)] for _ in "mv"]
    for t in range(1, steps + 1):
        logits = rows @ weights + bias
        probs = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        delta = (probs - targets) / len(rows)
        grads = [rows.T @ delta + decay * weights, delta.sum(axis=0)]
        for k, (param, grad) in enumerate(zip(params, grads, strict=True)):
            m, v = moments[0][k], moments[1][k]
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad**2
            param -= lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return weights.astype(np.float32), bias.astype(np.float32)


def soft_labels(exs: list[Example], issues: list[str]) -> np.ndarray:
    out = np.zeros((len(exs), len(issues)), dtype=np.float64)
    for n, ex in enumerate(exs):
        for issue in ex.gold:
            out[n, issues.index(issue)] = 1.0
    return out / out.sum(axis=1, keepdims=True)


def scored(coder: Coder, exs: list[Example], model: IssueModel | None) -> tuple[float, float]:
    """Any-issue and first-issue accuracy (as `redline eval analysis` scores them) of the
    runtime's coding of these remarks with this model (None: the rules alone)."""
    coder.issue_model = model
    any_hits = first_hits = 0
    for ex in exs:
        got = as_annotated(coder._issues(ex.stmt, ex.text, ex.topic, ex.head))
        any_hits += bool(set(got) & set(ex.gold))
        first_hits += got[0] in ex.gold
    return 100 * any_hits / len(exs), 100 * first_hits / len(exs)


def cross_validate(
    coder: Coder,
    exs: list[Example],
    model: Callable[[list[Example], float], IssueModel],
    folds: list[str],
) -> float:
    """Print the held-out accuracy by floor, each fold's writers held out in turn; the floor
    with the best mean of any-issue and first-issue accuracy."""
    table: dict[float, list[float]] = {f: [0.0, 0.0] for f in FLOORS}
    total = 0
    for fold in folds:
        held = [ex for ex in exs if ex.writer in fold and ex.unnamed]
        trained = model([ex for ex in exs if ex.writer not in fold], 0.0)
        print(f"held out {fold}: {len(held)} remarks naming no issue")
        for f in FLOORS:
            trained.floor = f
            any_acc, first_acc = scored(coder, held, trained if f <= 1 else None)
            table[f][0] += any_acc * len(held)
            table[f][1] += first_acc * len(held)
            print(f"  floor {f:.2f}: issue {any_acc:.1f}, first issue {first_acc:.1f}")
        total += len(held)
    print(f"all held out ({total}), issue / first issue by floor:")
    for f, (a, b) in table.items():
        name = "rules alone" if f > 1 else f"floor {f:.2f}"
        print(f"  {name}: {a / total:.1f} / {b / total:.1f}")
    return max(FLOORS, key=lambda f: (sum(table[f]), -f))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--model-dir", type=Path, default=Path(str(bundled_model_dir())))
    ap.add_argument("--cv", action="store_true", help="cross-validate only; write nothing")
    ap.add_argument("--folds", default="abcdhi,efgjkl", help="writers held out together")
    ap.add_argument(
        "--floor", type=float, default=None, help="this floor, not cross-validation's best"
    )
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--decay", type=float, default=1e-3)
    args = ap.parse_args()
    started = time.time()
    coder = Coder(Settings(issue_coder="rules", stance_coder="rules"))
    encode = SentenceEncoder(args.model_dir)
    topics = [*coder.taxonomy.issues, NO_TOPIC]
    exs = examples(coder, encode, topics)
    issues = sorted({i for ex in exs for i in ex.gold})
    print(
        f"{len(exs)} examples, {sum(ex.unnamed for ex in exs)} naming no issue, {len(issues)} issues"
    )

    def model(train: list[Example], floor: float) -> IssueModel:
        weights, bias = fit(
            np.stack([ex.row for ex in train]).astype(np.float64),
            soft_labels(train, issues),
            steps=args.steps,
            lr=args.lr,
            decay=args.decay,
        )
        kw = {"issues": issues, "topics": topics, "floor": floor}
        return IssueModel(encode, weights=weights, bias=bias, **kw)

    best = cross_validate(coder, exs, model, args.folds.split(","))
    floor = best if args.floor is None else args.floor
    print(f"best floor: {best}; chosen: {floor}")
    if args.cv:
        return
    final = model(exs, floor)
    np.savez(args.model_dir / "head.npz", weights=final.weights, bias=final.bias)
    labels = args.model_dir / "labels.json"
    meta = json.loads(labels.read_text("utf-8"))
    meta |= {"issues": issues, "topics": topics, "floor": floor}
    labels.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    facts = {
        "examples": len(exs),
        "naming_no_issue": sum(ex.unnamed for ex in exs),
        "writers": sorted({ex.writer for ex in exs}),
        "steps": args.steps,
        "lr": args.lr,
        "decay": args.decay,
        "floor": floor,
        "trained": time.strftime("%Y-%m-%d"),
    }
    (args.model_dir / "facts.json").write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")
    print(f"-> {args.model_dir} in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
