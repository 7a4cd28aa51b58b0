"""A statistical attribution tagger: source, cue and content spans in raw text, on CPU.

Runs the int8 ONNX model bundled in `redline/models_data/attribution/` (MiniLM-L6 fine-tuned on
PolNeAR train by `scripts/train_tagger.py`) with onnxruntime and tokenizers only; no torch.

    text -> wordpieces -> windows overlapping by half -> logits (each token from the window
    whose centre it is nearest) -> Viterbi over allowed BIO transitions -> character spans
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal, cast

import numpy as np

from redline.bundled import load_onnx
from redline.errors import ConfigError

Role = Literal["source", "cue", "content"]
_ROLE: dict[str, Role] = {"SRC": "source", "CUE": "cue", "CON": "content"}
_BATCH = 1  # windows per onnxruntime call (see `_log_probs`)


@dataclass(frozen=True, slots=True)
class TaggedSpan:
    """One role span: `text[start:end]`, whitespace trimmed from both edges."""

    role: Role
    start: int
    end: int


def bundled_model_dir() -> Traversable:
    """The packaged model folder (tagger.onnx, tokenizer.json, labels.json)."""
    return resources.files("redline").joinpath("models_data").joinpath("attribution")


class Tagger:
    """Tags source, cue and content spans with the bundled (or a given) ONNX model.

    `model_dir` overrides the packaged model; `threads` is onnxruntime's intra-op thread count.
    One instance is cheap to call many times; loading takes about a second.
    """

    def __init__(self, *, model_dir: Path | Traversable | None = None, threads: int = 2) -> None:
        folder = model_dir if model_dir is not None else bundled_model_dir()
        loaded = load_onnx(
            folder, "tagger.onnx", what="attribution tagger", rebuild="make train", threads=threads
        )
        meta, self._session, self._tok = loaded.meta, loaded.session, loaded.tokenizer
        self.labels: list[str] = list(meta["labels"])
        self.window: int = int(meta["window"])
        self.stride: int = int(meta["stride"])
        self._tok.no_truncation()
        self._tok.no_padding()
        cls, sep = self._tok.token_to_id("[CLS]"), self._tok.token_to_id("[SEP]")
        if cls is None or sep is None:
            raise ConfigError(f"the tagger's tokenizer in {folder} has no [CLS] or [SEP] token")
        self._cls, self._sep = cls, sep
        self._allowed, self._start_ok = _transitions(self.labels)
        if "transitions" in meta:  # a CRF-trained model: learned transition and start scores
            self._allowed = self._allowed + np.asarray(meta["transitions"], dtype=np.float32)
            self._start_ok = self._start_ok + np.asarray(meta["start"], dtype=np.float32)

    def tag(self, text: str) -> list[TaggedSpan]:
        """Source, cue and content spans in `text`, in text order."""
        enc = self._tok.encode(text, add_special_tokens=False)
        if not enc.ids:
            return []
        scores = self._log_probs(np.asarray(enc.ids, dtype=np.int64))
        path = _viterbi(scores, self._allowed, self._start_ok)
        return self._spans(path, enc.offsets, text)

    def _log_probs(self, ids: np.ndarray) -> np.ndarray:
        """Per-token label log-probabilities, [n_tokens, n_labels] (see `centred_log_probs`).

        One window per onnxruntime call: the int8 graph quantises its activations over the
        whole input, padding and neighbouring windows included, so batched windows tag a
        little differently from the same windows alone. Alone is also lighter (16 windows a
        call peaked 250 MB higher on a 17,000-character article) and no slower here; on a
        held-out tenth of PolNeAR train exact F1 moved 77.0 / 72.4 / 64.6 -> 77.3 / 72.5 /
        65.1."""
        wins = _windows(len(ids), self.window, self.stride)
        rows: list[np.ndarray] = []
        for b in range(0, len(wins), _BATCH):
            chunk = wins[b : b + _BATCH]
            input_ids, mask = window_inputs(ids, chunk, cls=self._cls, sep=self._sep)
            logits = self._session.run(["logits"], {"input_ids": input_ids, "attention_mask": mask})
            rows += [logits[0][row, 1 : e - s + 1] for row, (s, e) in enumerate(chunk)]
        return centred_log_probs(rows, wins, len(ids))

    def _spans(
        self, path: list[int], offsets: list[tuple[int, int]], text: str
    ) -> list[TaggedSpan]:
        found: list[TaggedSpan] = []
        role: Role | None = None
        start = end = 0
        for label_id, (s, e) in zip(path, offsets, strict=True):
            label = self.labels[label_id]
            if label.startswith("I-") and role is not None:
                end = e
                continue
            if role is not None:
                found.extend(_trimmed(role, start, end, text))
            role = _ROLE[label[2:]] if label != "O" else None
            start, end = s, e
        if role is not None:
            found.extend(_trimmed(role, start, end, text))
        return found


def window_inputs(
    ids: np.ndarray | list[int], wins: list[tuple[int, int]], *, cls: int, sep: int
) -> tuple[np.ndarray, np.ndarray]:
    """Model inputs for token windows: [CLS] ids[s:e] [SEP] per row, zero-padded, and the mask."""
    width = max(e - s for s, e in wins) + 2
    input_ids = np.zeros((len(wins), width), dtype=np.int64)
    mask = np.zeros_like(input_ids)
    for row, (s, e) in enumerate(wins):
        input_ids[row, : e - s + 2] = [cls, *ids[s:e], sep]
        mask[row, : e - s + 2] = 1
    return input_ids, mask


def centred_log_probs(rows: list[np.ndarray], wins: list[tuple[int, int]], n: int) -> np.ndarray:
    """Label log-probabilities per token from each window's logits (`rows[i]` covers
    `wins[i]`, special tokens removed): every token is read from the window whose centre it
    is nearest, where it has the most context on both sides."""
    out = np.zeros((n, rows[0].shape[-1]), dtype=np.float32)
    best = np.full(n, np.inf)
    pos = np.arange(n) + 0.5
    for logits, (s, e) in zip(rows, wins, strict=True):
        dist = np.abs(pos[s:e] - (s + e) / 2)
        take = dist < best[s:e]
        best[s:e][take] = dist[take]
        out[s:e][take] = logits[take]
    out -= out.max(axis=1, keepdims=True)
    return cast(np.ndarray, out - np.log(np.exp(out).sum(axis=1, keepdims=True)))


def _windows(n: int, size: int, stride: int) -> list[tuple[int, int]]:
    """[start, end) token windows of `size` every `stride`, the last one ending at `n`."""
    if n <= size:
        return [(0, n)]
    starts = sorted({*range(0, n - size, stride), n - size})
    return [(s, s + size) for s in starts]


def _transitions(labels: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Log-space transition and start penalties: I-X only after B-X or I-X, never first."""
    k = len(labels)
    allowed = np.zeros((k, k), dtype=np.float32)
    start_ok = np.zeros(k, dtype=np.float32)
    for j, cur in enumerate(labels):
        if not cur.startswith("I-"):
            continue
        start_ok[j] = -np.inf
        for i, prev in enumerate(labels):
            if prev[2:] != cur[2:] or prev == "O":
                allowed[i, j] = -np.inf
    return allowed, start_ok


def _viterbi(scores: np.ndarray, allowed: np.ndarray, start_ok: np.ndarray) -> list[int]:
    """The best label path through `scores` ([n, k] log-probs) under the allowed transitions."""
    n, _ = scores.shape
    back = np.zeros(scores.shape, dtype=np.int64)
    dp = scores[0] + start_ok
    for t in range(1, n):
        cand = dp[:, None] + allowed
        back[t] = cand.argmax(axis=0)
        dp = cand.max(axis=0) + scores[t]
    path = [int(dp.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def _trimmed(role: Role, start: int, end: int, text: str) -> list[TaggedSpan]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [TaggedSpan(role, start, end)] if start < end else []
