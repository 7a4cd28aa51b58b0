"""Train redline's learned stance coder and export it for onnxruntime.

all-MiniLM-L6-v2 fine-tuned with two heads over its mean-pooled output, each reading the rules'
answer beside the statement (so it learns where to keep that answer and where to overrule it):

- stance: "RULES: CUE | CONTENT" -> demand, reject, concede, claim, deny, threaten, propose,
  accuse;
- position: ("DIRECTION", "RULES POSITION: CUE | CONTENT") -> -1, 0, +1, the statement's
  position on an issue whose direction (from the taxonomy: "sanctions on Russia are eased or
  lifted") is the first text of the pair, so that one head serves every issue.

The examples come from `scripts/coder_examples.py` (redline's own extraction of the trainsets,
so the model sees cue and content as the runtime gives them). Writes into the output folder
`coder.onnx` (int8), `tokenizer.json`, `labels.json` (labels, the three confidence floors) and
`facts.json`; MODEL_CARD.md beside them is written by hand from the printed figures. It runs in
the training environment (see `scripts/train_tagger.py`):

    .venv/bin/python scripts/coder_examples.py
    /work/train-venv/bin/python scripts/train_coder.py --cv   # writer groups held out in turn
    /work/train-venv/bin/python scripts/train_coder.py        # the same, then all, then export

Cross-validation trains once per writer group (`--folds`) with that group held out and prints
the rules' and the combination's accuracy on it for each floor, combined as the runtime does:
the model's stance where the rules fall back to "claim", its position where the rules find
none, each where its probability reaches the floor, and its position over the rules' where it
differs and reaches a third, the override floor (not where the rules' or the
model's stance is a refusal, denial, concession or accusation, or negated); the floors with the best held-out accuracy go
into labels.json (`--floors S,P,O` gives them and skips it). The devset is never read.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import torch
from torch import nn
from train_tagger import (  # the tagger's training script, beside this one
    log,
    model_dir,
    quantize_int8,
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "src" / "redline" / "models_data" / "coder"
# the order of redline.models.STANCES (tests/test_learned_coder.py checks labels.json against it)
STANCES = ["demand", "reject", "concede", "claim", "deny", "threaten", "propose", "accuse"]
POSITIONS = [-1, 0, 1]
FLOORS = [0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]  # 1.01: the rules alone
# where the rules' stance is one of these or negated, their position stands whatever the model
# says: a refusal, denial, concession or negated move is where they have read the negation ("not
# seeking sanctions relief" is against relief), an accusation is against what it blames ("Moscow
# annexed four regions", said by Kyiv); in cross-validation the override broke as many refusals
# and concessions as it mended, and keeping negated moves and accusations cost 0.3 points each
# (The runtime also keeps a territory position that who withdraws decided; the examples do not
# record that, so the figures here count those few as overridable.)
KEEP_RULES_POSITION = ["reject", "deny", "concede", "accuse"]
MAX_TOKENS = 128


class Coder(nn.Module):
    def __init__(self, base: Path) -> None:
        super().__init__()
        from transformers import AutoModel

        self.encoder = AutoModel.from_pretrained(str(base))
        width = self.encoder.config.hidden_size
        self.drop = nn.Dropout(0.1)
        self.stance = nn.Linear(width, len(STANCES))
        self.position = nn.Linear(width, len(POSITIONS))

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = self.drop((hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0))
        return self.stance(pooled), self.position(pooled)


def positioned(rows: list[dict]) -> list[dict]:
    """The examples with a position to learn: annotated, on an issue with a direction."""
    return [r for r in rows if r["position"] is not None]


def batches(tok, rows: list[dict], task: str, size: int, shuffle: bool):
    """(task, encoded batch, labels) in order or shuffled; the texts come from the examples."""
    order = list(range(len(rows)))
    if shuffle:
        random.shuffle(order)
    for i in range(0, len(order), size):
        chunk = [rows[j] for j in order[i : i + size]]
        if task == "stance":
            enc = tok(
                [r["stance_text"] for r in chunk],
                truncation=True,
                max_length=MAX_TOKENS,
                padding=True,
                return_tensors="pt",
            )
            labels = torch.tensor([STANCES.index(r["stance"]) for r in chunk])
        else:
            enc = tok(
                [r["direction"] for r in chunk],
                [r["position_text"] for r in chunk],
                truncation="only_second",
                max_length=MAX_TOKENS,
                padding=True,
                return_tensors="pt",
            )
            labels = torch.tensor([POSITIONS.index(int(r["position"])) for r in chunk])
        yield task, enc, labels


def train(base: Path, tok, rows: list[dict], args) -> Coder:
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    model = Coder(base)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    pos_rows = positioned(rows)
    steps_per_epoch = -(-len(rows) // args.batch_size) + -(-len(pos_rows) // args.batch_size)
    total = steps_per_epoch * args.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, total // 10)) * max(0.0, 1 - s / total)
    )
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    for epoch in range(args.epochs):
        work = list(batches(tok, rows, "stance", args.batch_size, True))
        work += list(batches(tok, pos_rows, "position", args.batch_size, True))
        random.shuffle(work)
        seen = 0.0
        for task, enc, labels in work:
            stance, position = model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
            loss = loss_fn(stance if task == "stance" else position, labels)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            seen += float(loss.detach())
        log(f"epoch {epoch + 1}: mean loss {seen / max(1, len(work)):.3f}")
    model.eval()
    return model


@torch.no_grad()
def predict(model: Coder, tok, rows: list[dict], task: str) -> np.ndarray:
    out = []
    for _, enc, _ in batches(tok, rows, task, 64, False):
        stance, position = model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
        out.append(torch.softmax(stance if task == "stance" else position, -1).numpy())
    return np.vstack(out) if out else np.zeros((0, len(STANCES if task == "stance" else POSITIONS)))


def coded_stance(row: dict, probs: np.ndarray | None, floor: float) -> tuple[str, bool]:
    """The stance as the runtime Coder combines them: where the rules fall back to "claim", the
    model's answer if its probability reaches `floor` (not an accusation of the speaker's own
    side's strike; a stance it gives is not negated); the rules' answer elsewhere."""
    rule_stance, rule_negated = row["rules"]
    if rule_stance != "claim" or probs is None or probs.max() < floor:
        return rule_stance, bool(rule_negated)
    stance = STANCES[int(probs.argmax())]
    if stance == rule_stance or (stance == "accuse" and row["own_attack"]):
        return rule_stance, bool(rule_negated)
    return stance, False


def coded_position(
    row: dict, stance: str, probs: np.ndarray | None, floor: float, override: float = 1.01
) -> int:
    """The position as the runtime combines them: the coded stance applied to the direction
    words (the rules' own answer where the stance is theirs); where that is 0, the model's
    position if its probability reaches `floor`; where it is not, the model's if it differs
    and its probability reaches `override`."""
    found = (
        row["rules_position"] if stance == row["rules"][0] else row["polarity_by_stance"][stance]
    )
    kept = KEEP_RULES_POSITION
    if found and (row["rules"][0] in kept or stance in kept or row["rules"][1]):
        return int(found)
    if probs is None or probs.max() < (override if found else floor):
        return int(found)
    return POSITIONS[int(probs.argmax())]


def held_out_figures(
    rows: list[dict], answers: dict[tuple[str, str], np.ndarray]
) -> tuple[float, float, float]:
    """Print held-out accuracy for each floor; return the best stance, position and override
    floors.
    `answers`: (task, example id) -> the held-out model's probabilities."""

    def stance_acc(floor: float) -> float:
        right = 0
        for r in rows:
            stance, negated = coded_stance(r, answers.get(("stance", r["id"])), floor)
            right += stance == r["stance"] and negated == r["negated"]
        return right / len(rows)

    stance_floor = max(FLOORS, key=lambda f: (stance_acc(f), -f))
    pos_rows = positioned(rows)

    def position_acc(floor: float, override: float = 1.01) -> float:
        right = 0
        for r in pos_rows:
            stance, _ = coded_stance(r, answers.get(("stance", r["id"])), stance_floor)
            got = coded_position(r, stance, answers.get(("position", r["id"])), floor, override)
            right += got == int(r["position"])
        return right / max(1, len(pos_rows))

    position_floor = max(FLOORS, key=lambda f: (position_acc(f), -f))
    # the override floor, with the position floor chosen; 1.01 keeps every rules' answer
    override = max(FLOORS, key=lambda f: (position_acc(position_floor, f), f))
    rules_alone = sum(r["rules_position"] == r["position"] for r in pos_rows)
    print(
        f"rules alone: stance {100 * stance_acc(1.01):.1f}, "
        f"position {100 * rules_alone / max(1, len(pos_rows)):.1f}"
    )
    print(
        "position over the rules' by override floor (position floor chosen): "
        + ", ".join(f"{f:.2f} {100 * position_acc(position_floor, f):.1f}" for f in FLOORS)
        + f" (chosen {override:.2f})"
    )
    print("by floor (positions with the stance at its chosen floor):")
    for f in FLOORS:
        marks = [" (stance chosen)" if f == stance_floor else ""]
        marks.append(" (position chosen)" if f == position_floor else "")
        print(
            f"floor {f:.2f}: stance {100 * stance_acc(f):.1f}, position ({len(pos_rows)}) "
            f"{100 * position_acc(f):.1f}{''.join(marks)}"
        )
    return stance_floor, position_floor, override


def folds(rows: list[dict], spec: str) -> list[set[str]]:
    """Writer groups held out together; every writer in the data must be in one."""
    groups = [set(g) for g in spec.split(",")]
    missing = {r["writer"] for r in rows} - set().union(*groups)
    if missing:
        raise SystemExit(f"--folds {spec!r} leaves out writers {sorted(missing)}")
    return groups


def cross_validate(base: Path, tok, rows: list[dict], args) -> dict[tuple[str, str], np.ndarray]:
    """Held-out answers: each writer group predicted by a model trained on the others."""
    answers: dict[tuple[str, str], np.ndarray] = {}
    for group in folds(rows, args.folds):
        train_rows = [r for r in rows if r["writer"] not in group]
        test_rows = [r for r in rows if r["writer"] in group]
        log(f"writers {''.join(sorted(group))}: train {len(train_rows)}, held out {len(test_rows)}")
        model = train(base, tok, train_rows, args)
        for task, held in (("stance", test_rows), ("position", positioned(test_rows))):
            for row, p in zip(held, predict(model, tok, held, task), strict=True):
                answers[(task, row["id"])] = p
    if args.save_cv is not None:
        with args.save_cv.open("w", encoding="utf-8") as fh:
            for (task, rid), p in answers.items():
                fh.write(json.dumps({"task": task, "id": rid, "probs": p.tolist()}) + "\n")
    return answers


def export(
    model: Coder, tok_path: Path, out: Path, floors: tuple[float, float, float], facts: dict
) -> None:
    import onnxruntime as ort

    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="redline-coder-"))
    fp32 = tmp / "coder.fp32.onnx"
    model.eval().float()
    ids = torch.tensor([[101, 2002, 2056, 102, 2009, 102]])
    mask, types = torch.ones_like(ids), torch.tensor([[0, 0, 0, 0, 1, 1]])
    torch.onnx.export(
        model,
        (ids, mask, types),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["stance", "position"],
        dynamic_axes={
            n: {0: "batch", 1: "sequence"}
            for n in ("input_ids", "attention_mask", "token_type_ids")
        }
        | {"stance": {0: "batch"}, "position": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    quantize_int8(fp32, out / "coder.onnx")
    session = ort.InferenceSession(str(out / "coder.onnx"), providers=["CPUExecutionProvider"])
    got = session.run(
        None,
        {"input_ids": ids.numpy(), "attention_mask": mask.numpy(), "token_type_ids": types.numpy()},
    )
    with torch.no_grad():
        ref = model(ids, mask, types)
    log(f"onnx int8 vs torch, max |logit diff|: {float(np.abs(got[0] - ref[0].numpy()).max()):.3f}")
    shutil.copyfile(tok_path, out / "tokenizer.json")
    labels = {
        "stances": STANCES,
        "positions": POSITIONS,
        "stance_floor": floors[0],
        "position_floor": floors[1],
        "position_override": floors[2],
        "override_not": KEEP_RULES_POSITION,
        # the directions it has seen: an issue added to the taxonomy later is the rules' alone
        "directions": facts["directions"],
        "max_tokens": MAX_TOKENS,
    }
    (out / "labels.json").write_text(json.dumps(labels, indent=2) + "\n", encoding="utf-8")
    (out / "facts.json").write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(tmp)
    log(f"wrote {out} ({(out / 'coder.onnx').stat().st_size / 2**20:.1f} MB)")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--examples", type=Path, default=REPO / "build" / "coder_examples.jsonl")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--cv", action="store_true", help="cross-validate only; no export")
    ap.add_argument(
        "--from-cv",
        type=Path,
        default=None,
        help="held-out answers saved by --save-cv: print the figures and floors, train nothing",
    )
    ap.add_argument(
        "--floors",
        default=None,
        help="stance, position and override floors, 'S,P,O' (default: chosen by cross-validation;"
        " 'S,P' overrides nothing)",
    )
    ap.add_argument(
        "--folds", default="abcdhi,efgjkl", help="writers held out together, fold by fold"
    )
    ap.add_argument("--save-cv", type=Path, default=None, help="write held-out answers here")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    rows = [json.loads(line) for line in args.examples.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["stance"] in STANCES]
    log(f"{len(rows)} examples, {len(positioned(rows))} with a position")
    if args.from_cv is not None:
        saved = [json.loads(line) for line in args.from_cv.read_text("utf-8").splitlines()]
        held_out_figures(rows, {(a["task"], a["id"]): np.array(a["probs"]) for a in saved})
        return

    from transformers import AutoTokenizer

    base = model_dir()
    tok = AutoTokenizer.from_pretrained(str(base))
    if args.cv or args.floors is None:
        floors = held_out_figures(rows, cross_validate(base, tok, rows, args))
    else:
        given = [float(x) for x in args.floors.split(",")]
        floors = (given[0], given[1], given[2] if len(given) > 2 else 1.01)
    if args.cv:
        return
    model = train(base, tok, rows, args)
    tok_file = Path(tempfile.mkdtemp()) / "tokenizer.json"
    tok.backend_tokenizer.save(str(tok_file))
    facts = {
        "examples": len(rows),
        "positioned": len(positioned(rows)),
        "writers": sorted({r["writer"] for r in rows}),
        "epochs": args.epochs,
        "lr": args.lr,
        "batch_size": args.batch_size,
        "seed": args.seed,
        "floors": list(floors),
        "directions": sorted({r["direction"] for r in positioned(rows)}),
        "torch": torch.__version__,
        "trained": time.strftime("%Y-%m-%d"),
    }
    export(model, tok_file, args.out, floors, facts)


if __name__ == "__main__":
    main()
