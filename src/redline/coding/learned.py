"""The learned stance coder: a fine-tuned MiniLM that reads a statement's cue and content.

Runs the int8 ONNX model bundled in `redline/models_data/coder/` (trained by
`scripts/train_coder.py` on the trainsets; see its MODEL_CARD.md) with onnxruntime and
tokenizers only. Two heads over one encoder:

- `stance(cue, content)`: one of the eight stances and the model's probability for it;
- `position(direction, cue, content)`: -1, 0 or +1 toward an issue's direction ("sanctions on
  Russia are eased or lifted"), given as the first text of a pair, so one head serves every issue.

Both read the rules' answer beside the words. The coder (`redline.coding.Coder`) takes the
model's stance where the rules fall back to "claim" and its position where the rules find
none, each where its probability reaches the floor cross-validation chose, and its position
over the rules' where it reaches a higher floor (the override), except where the stance (the
rules' or the model's) is a refusal, denial, concession or accusation, or is negated, or a
territory position is decided by who withdraws; the rules' specific stances stand.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import numpy as np

from redline.bundled import load_onnx, softmax

CACHE_SIZE = 100_000  # answers kept (both heads): a few MB


def bundled_model_dir() -> Traversable:
    return resources.files("redline").joinpath("models_data").joinpath("coder")


def statement_text(cue: str | None, content: str, rules: str | None) -> str:
    """What the model reads for a statement: the rules' stance first, so that the model learns
    where to keep it and where to overrule it (scripts/coder_examples.py builds the training
    texts with this and `position_text`)."""
    # a cue of punctuation only (a transcript's colon, a signature's dash) says nothing of
    # the stance, and the model was trained without one there
    text = f"{cue} | {content}" if cue and any(c.isalnum() for c in cue) else content
    return f"{rules}: {text}" if rules else text


def position_text(cue: str | None, content: str, rules: str, rules_position: int) -> str:
    """The statement as the position head reads it: the rules' stance and position first."""
    return statement_text(cue, content, f"{rules} {rules_position:+d}")


class LearnedCoder:
    """Stance and position from the bundled (or a given) ONNX model."""

    def __init__(self, *, model_dir: Path | Traversable | None = None, threads: int = 1) -> None:
        folder = model_dir if model_dir is not None else bundled_model_dir()
        loaded = load_onnx(
            folder, "coder.onnx", what="stance coder", rebuild="make train-coder", threads=threads
        )
        meta, self._session, self._tok = loaded.meta, loaded.session, loaded.tokenizer
        self.digest = loaded.digest
        self.stances: list[str] = list(meta["stances"])
        self.positions: list[int] = [int(p) for p in meta["positions"]]
        # below these probabilities the rules' answer stands (chosen by cross-validation)
        self.stance_floor = float(meta["stance_floor"])
        self.position_floor = float(meta["position_floor"])
        # over a position the rules found (a model trained before there was one: never)
        self.position_override = float(meta.get("position_override", 1.01))
        # the stances (the rules' or the model's) whose position is never overridden, nor a
        # negated statement's
        self.override_not = frozenset(meta.get("override_not", ()))
        # the issue directions it was trained on (a build that does not say: any)
        self._directions = frozenset(meta.get("directions", ()))
        self._tok.no_padding()
        # longest_first: a single text is cut at the end; a pair loses words from its longer
        # text, which is always the statement (a direction is a dozen wordpieces), as the
        # training's "only_second" does
        self._tok.enable_truncation(max_length=int(meta["max_tokens"]), strategy="longest_first")
        # (direction or None for the stance head, text) -> (label index, probability)
        self._cache: dict[tuple[str | None, str], tuple[int, float]] = {}

    def _run(self, first: str, second: str | None) -> tuple[np.ndarray, np.ndarray]:
        enc = self._tok.encode(first, second) if second is not None else self._tok.encode(first)
        feeds = {
            "input_ids": np.array([enc.ids], dtype=np.int64),
            "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([enc.type_ids], dtype=np.int64),
        }
        stance, position = self._session.run(None, feeds)
        return stance[0], position[0]

    def stance(self, cue: str | None, content: str, rules: str) -> tuple[str, float]:
        """The likeliest stance and its probability, given the rules' stance."""
        best, prob = self._answer((None, statement_text(cue, content, rules)), head=0)
        return self.stances[best], prob

    def knows(self, direction: str) -> bool:
        """Whether it was trained on positions toward this direction: an issue added to the
        taxonomy since (the grain deal) is left to the rules."""
        return not self._directions or direction in self._directions

    def position(
        self, direction: str, cue: str | None, content: str, rules: str, rules_position: int
    ) -> tuple[int, float]:
        """-1, 0 or +1 (against, neutral toward, or for the direction) and its probability,
        given the rules' stance and position."""
        key = (direction, position_text(cue, content, rules, rules_position))
        best, prob = self._answer(key, head=1)
        return self.positions[best], prob

    def _answer(self, key: tuple[str | None, str], *, head: int) -> tuple[int, float]:
        """The likeliest label's index on one head and its probability, kept: linking asks
        about the same statements many times."""
        hit = self._cache.get(key)
        if hit is None:
            direction, text = key
            logits = self._run(text, None) if direction is None else self._run(direction, text)
            probs = softmax(logits[head])
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            hit = self._cache[key] = (int(probs.argmax()), float(probs.max()))
        return hit
