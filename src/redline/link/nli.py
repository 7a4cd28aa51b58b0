"""An NLI cross-encoder the user has on disk, rescoring contradiction candidates.

redline ships no NLI model and downloads none. Where a user has one (`nli_model`, a folder:
for instance a copy of `cross-encoder/nli-deberta-v3-xsmall`), the linker asks it how likely
the two statements of each candidate pair contradict each other, in both orders:

- a pair the rules found keeps its kind and gets the mean of its confidence and the model's
  probability, with the probability in its reason;
- a candidate pair the rules passed over (one side, one issue, compatible targets: see
  `link.candidate_pairs`) is reported where the probability reaches `nli_threshold`.

Unset, nothing changes. Two kinds of folder load:

- an ONNX export (`model.onnx` or `onnx/model.onnx`, `tokenizer.json`, `config.json` with
  `id2label`), run with onnxruntime and tokenizers, which redline needs anyway;
- a Hugging Face cross-encoder (`config.json` and weights), where sentence-transformers (and
  so torch) is installed: loaded with `CrossEncoder(..., local_files_only=True)`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from redline.bundled import softmax
from redline.errors import ConfigError

Pair = tuple[str, str]
BATCH = 16  # pairs per model call
MAX_TOKENS = 256  # a statement pair longer than this is cut (two long quotes)


class Nli(Protocol):
    def contradiction(self, pairs: Sequence[Pair]) -> list[float]:
        """P(contradiction) for each (premise, hypothesis) pair."""
        ...


def load_nli(folder: Path | str, *, threads: int = 1) -> Nli:
    """The model in `folder`, tried on one pair; a ConfigError saying what is wrong when it
    cannot load or run. Its answers are kept (see `Remembered`): linking runs again over
    the whole store after each ingest."""
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise ConfigError(f"nli_model {str(root)!r} is not a folder")
    config = _config(root)
    index = _contradiction_index(root, config)
    model: Nli | None = None
    for onnx in (root / "model.onnx", root / "onnx" / "model.onnx"):
        if onnx.is_file():
            model = OnnxNli(onnx, root / "tokenizer.json", index, config, threads=threads)
            break
    if model is None:
        model = _cross_encoder(root, index)
    try:
        model.contradiction([("Talks will resume.", "Talks will not resume.")])
    except Exception as e:  # an export with other inputs or types fails only when run
        raise ConfigError(f"nli_model {str(root)!r} does not run: {e}") from e
    return Remembered(model)


class Remembered:
    """An NLI model whose answers are kept (up to `size` pairs): the same pairs come back
    each time the store is linked again."""

    def __init__(self, model: Nli, size: int = 200_000) -> None:
        self._model, self._size = model, size
        self._seen: dict[Pair, float] = {}

    def contradiction(self, pairs: Sequence[Pair]) -> list[float]:
        new = list(dict.fromkeys(p for p in pairs if p not in self._seen))
        if new:
            if len(self._seen) + len(new) > self._size:
                self._seen.clear()
            self._seen.update(zip(new, self._model.contradiction(new), strict=True))
        return [self._seen[p] for p in pairs]


def symmetric(nli: Nli, pairs: Sequence[Pair]) -> list[float]:
    """The mean of both orders: NLI reads a premise and a hypothesis, and a contradiction
    between two statements has no order."""
    if not pairs:
        return []
    scores = nli.contradiction([*pairs, *((b, a) for a, b in pairs)])
    n = len(pairs)
    return [(scores[i] + scores[n + i]) / 2 for i in range(n)]


def _config(root: Path) -> dict[str, Any]:
    try:
        config = json.loads((root / "config.json").read_text("utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"nli_model {str(root)!r} has no config.json") from e
    except (OSError, ValueError) as e:
        raise ConfigError(f"nli_model {str(root)!r}: config.json cannot be read ({e})") from e
    if not isinstance(config, dict):
        raise ConfigError(f"nli_model {str(root)!r}: config.json is not an object")
    return config


def _contradiction_index(root: Path, config: dict[str, Any]) -> int:
    labels = config.get("id2label") or {}
    for key, label in labels.items():
        if str(label).lower().startswith("contradict"):
            try:
                return int(key)
            except ValueError as e:
                raise ConfigError(f"nli_model {str(root)!r}: label id {key!r} is no number") from e
    raise ConfigError(
        f"nli_model {str(root)!r} is not an NLI model: no 'contradiction' among its labels "
        f"{sorted(map(str, labels.values()))}"
    )


class OnnxNli:
    """A cross-encoder exported to ONNX, with its tokenizer.json (which adds the special
    tokens of a pair: "[CLS] a [SEP] b [SEP]" or the model's own)."""

    def __init__(
        self,
        model: Path,
        tokenizer: Path,
        index: int,
        config: dict[str, Any] | None = None,
        *,
        threads: int = 1,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        try:
            self._tok = Tokenizer.from_file(str(tokenizer))
        except Exception as e:  # tokenizers raises its own exception type
            raise ConfigError(f"nli_model: {tokenizer} cannot be read ({e})") from e
        self._tok.enable_truncation(MAX_TOKENS)
        pad_id = int((config or {}).get("pad_token_id") or 0)  # RoBERTa's is 1
        self._tok.enable_padding(pad_id=pad_id, pad_token=self._tok.id_to_token(pad_id) or "[PAD]")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        try:
            self._session = ort.InferenceSession(
                str(model), opts, providers=["CPUExecutionProvider"]
            )
        except Exception as e:  # onnxruntime raises its own exception types
            raise ConfigError(f"nli_model: {model} is not a model onnxruntime can run ({e})") from e
        self._inputs = {i.name for i in self._session.get_inputs()}
        outputs = [o.name for o in self._session.get_outputs()]
        self._output = "logits" if "logits" in outputs else outputs[0]
        self._index = index

    def contradiction(self, pairs: Sequence[Pair]) -> list[float]:
        out: list[float] = []
        for at in range(0, len(pairs), BATCH):
            encs = self._tok.encode_batch(list(pairs[at : at + BATCH]))
            feed = {
                "input_ids": np.asarray([e.ids for e in encs], dtype=np.int64),
                "attention_mask": np.asarray([e.attention_mask for e in encs], dtype=np.int64),
                "token_type_ids": np.asarray([e.type_ids for e in encs], dtype=np.int64),
            }
            (logits,) = self._session.run(
                [self._output], {k: v for k, v in feed.items() if k in self._inputs}
            )
            out.extend(softmax(np.asarray(logits, dtype=np.float64))[:, self._index].tolist())
        return out


class _CrossEncoderNli:
    def __init__(self, model: Any, index: int) -> None:
        self._model, self._index = model, index

    def contradiction(self, pairs: Sequence[Pair]) -> list[float]:
        probs = self._model.predict(
            [list(p) for p in pairs], apply_softmax=True, batch_size=BATCH, show_progress_bar=False
        )
        return np.asarray(probs, dtype=np.float64)[:, self._index].tolist()


def _cross_encoder(root: Path, index: int) -> Nli:
    try:
        from sentence_transformers import CrossEncoder
    except ImportError as e:
        raise ConfigError(
            f"nli_model {str(root)!r} has no model.onnx, and reading its weights needs "
            "sentence-transformers (pip install sentence-transformers), which is not installed"
        ) from e
    try:
        model = CrossEncoder(str(root), device="cpu", local_files_only=True)
    except Exception as e:  # transformers raises many types for a broken folder
        raise ConfigError(f"nli_model {str(root)!r} cannot be loaded: {e}") from e
    return _CrossEncoderNli(model, index)
