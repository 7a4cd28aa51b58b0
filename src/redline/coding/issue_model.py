"""The learned issue coder, for remarks whose own words name no issue.

"One battery would not be enough", "we will talk, and I expect we can restore it": the rules
name an issue from a remark's words, the sentence around it or, failing both, the article's
subject. This model reads all three at once: all-MiniLM-L6-v2 sentence embeddings (int8 ONNX,
mean-pooled and normalised inside the graph; bundled in `redline/models_data/issues/`) of the
remark, its sentence and the headline, with the rules' topic of the article, into a softmax
regression over the annotated issues. It is trained by `scripts/train_issue_model.py` on the
trainsets (see the folder's MODEL_CARD.md) and runs with onnxruntime, tokenizers and numpy.
"""

from __future__ import annotations

import io
import zipfile
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import numpy as np

from redline.bundled import load_onnx, softmax
from redline.errors import ConfigError

# texts whose vectors are kept: 1.5 KB each (384 float32s) and the text, a sentence or two
CACHE_SIZE = 50_000
NO_TOPIC = "none"  # the topic feature of an article whose opening names no issue


def bundled_model_dir() -> Traversable:
    return resources.files("redline").joinpath("models_data").joinpath("issues")


def headline(title: str | None, text: str) -> str:
    """What the model reads as the article's subject: its title, or else its first line."""
    if title and title.strip():
        return title.strip()
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


FILES = ("encoder.onnx", "tokenizer.json", "labels.json", "head.npz")


def check_bundled(folder: Path | Traversable | None = None) -> None:
    """A ConfigError naming the rebuild command where a file of the model is missing."""
    folder = folder if folder is not None else bundled_model_dir()
    missing = [name for name in FILES if not folder.joinpath(name).is_file()]
    if missing:
        raise ConfigError(
            f"issue model incomplete in {folder} (no {', '.join(missing)}); "
            "rebuild it with `make train-issues`"
        )


class SentenceEncoder:
    """all-MiniLM-L6-v2 sentence vectors from the bundled int8 ONNX graph."""

    def __init__(self, folder: Path | Traversable, *, threads: int = 1) -> None:
        loaded = load_onnx(
            folder, "encoder.onnx", what="issue", rebuild="make train-issues", threads=threads
        )
        self.meta, self._session, self._tok = loaded.meta, loaded.session, loaded.tokenizer
        self.digest = loaded.digest
        self._tok.no_padding()
        self._tok.enable_truncation(max_length=int(self.meta["max_tokens"]))
        self._cache: dict[str, np.ndarray] = {}

    def __call__(self, text: str) -> np.ndarray:
        """The text's unit-length vector, one text per run (a batch's padding would change an
        int8 model's answer), kept: an article's headline is read for each remark."""
        vec = self._cache.get(text)
        if vec is None:
            enc = self._tok.encode(text)
            feeds = {
                "input_ids": np.array([enc.ids], dtype=np.int64),
                "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
                "token_type_ids": np.array([enc.type_ids], dtype=np.int64),
            }
            vec = self._session.run(None, feeds)[0][0]
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[text] = vec
        return vec


def features(
    encode: SentenceEncoder,
    topics: list[str],
    content: str,
    around: str,
    head: str,
    topic: str | None,
) -> np.ndarray:
    """The remark, its sentence, the headline and the rules' topic of the article (one-hot in
    `topics` order), as the head reads them; `scripts/train_issue_model.py` builds its rows
    with this."""
    onehot = np.zeros(len(topics), dtype=np.float32)
    onehot[topics.index(topic if topic in topics else NO_TOPIC)] = 1.0
    return np.concatenate([encode(content), encode(around), encode(head), onehot]).astype(
        np.float32
    )


class IssueModel:
    """The likeliest issue of a remark: a softmax regression over `features`."""

    def __init__(
        self,
        encode: SentenceEncoder,
        *,
        issues: list[str],
        topics: list[str],
        floor: float,
        weights: np.ndarray,
        bias: np.ndarray,
    ) -> None:
        self.encode = encode
        self.issues = issues  # the head's labels, in logit order
        self.topics = topics  # the topic feature's one-hot order
        self.floor = floor  # below this probability the rules' answer stands
        self.weights, self.bias = weights, bias

    @classmethod
    def load(cls, model_dir: Path | Traversable | None = None, *, threads: int = 1) -> IssueModel:
        """The bundled model, or the one in `model_dir`."""
        folder = model_dir if model_dir is not None else bundled_model_dir()
        check_bundled(folder)
        encode = SentenceEncoder(folder, threads=threads)
        meta = encode.meta
        try:
            head = np.load(io.BytesIO(folder.joinpath("head.npz").read_bytes()))
            return cls(
                encode,
                issues=list(meta["issues"]),
                topics=list(meta["topics"]),
                floor=float(meta["floor"]),
                weights=head["weights"],
                bias=head["bias"],
            )
        except (KeyError, ValueError, OSError, zipfile.BadZipFile) as e:
            raise ConfigError(
                f"issue model in {folder} is unreadable ({e}); rebuild it with `make train-issues`"
            ) from e

    def issue(self, content: str, around: str, head: str, topic: str | None) -> tuple[str, float]:
        """The likeliest issue and its probability."""
        row = features(self.encode, self.topics, content, around, head, topic)
        probs = softmax(row @ self.weights + self.bias)
        best = int(probs.argmax())
        return self.issues[best], float(probs[best])
