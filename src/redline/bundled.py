"""Loading the ONNX models bundled in `redline/models_data/` (the attribution tagger, the
learned stance coder): one model file, its tokenizer.json and its labels.json per folder."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from redline.errors import ConfigError


@dataclass(slots=True)
class OnnxModel:
    meta: dict[str, Any]  # labels.json
    session: ort.InferenceSession
    tokenizer: Tokenizer
    digest: str  # of the model file: what was computed with it can say which model it was


def load_onnx(
    folder: Path | Traversable, model_file: str, *, what: str, rebuild: str, threads: int
) -> OnnxModel:
    """The model, its labels and tokenizer from `folder`; a ConfigError naming `what` and the
    `rebuild` command when a file is missing. `threads` is onnxruntime's intra-op count."""
    try:
        meta = json.loads(folder.joinpath("labels.json").read_text("utf-8"))
        model = folder.joinpath(model_file).read_bytes()
        tokenizer = Tokenizer.from_str(folder.joinpath("tokenizer.json").read_text("utf-8"))
    except (FileNotFoundError, NotADirectoryError) as e:
        raise ConfigError(f"{what} model not found in {folder}; rebuild it with `{rebuild}`") from e
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    session = ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])
    return OnnxModel(meta, session, tokenizer, hashlib.sha256(model).hexdigest()[:16])


def softmax(logits: np.ndarray) -> np.ndarray:
    """Probabilities over the last axis (one row of logits, or a batch of rows)."""
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
