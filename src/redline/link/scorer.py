"""A learned score for candidate contradictions: logistic regression over a pair's features.

The rules in `redline.link` pair opposite positions; on text they pair too much (one broad
issue, different matters) and too little (claims, paraphrases). The scorer weighs what the
rules look at one by one: opposite or equal polarity on the issue, how alike the two contents
are, whether both take a direction in words, whether they are claims asserting opposite
things, a negation on one side only, one speaker or two, a shared target, the time between
them. Weights and threshold are in `models_data/linker.json`, made by
`scripts/train_linker.py` from trainset/contradictions (see its README); nothing is learned
from the devset.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz

from redline.coding.stance import NEGATION
from redline.errors import ConfigError
from redline.models import Statement, Target

BUNDLED = "models_data/linker.json"

FEATURES = (
    "bias",
    "opposite",
    "same_polarity",
    "opposite_x_similarity",
    "both_explicit",
    "similarity",
    "lexical",
    "both_factual",
    "factual_opposite",
    "negation_differs",
    "negation_differs_x_similarity",
    "same_actor",
    "shared_target",
    "log_gap",
    "primary_issue",
    "same_article",
)
FACTUAL = {"claim", "deny", None}
Covers = Callable[
    [Target, str], Collection[str]
]  # what a target narrows an issue to  # stances that report rather than take a position


@dataclass(frozen=True, slots=True)
class Judge:
    """What the scorer needs from coding: the same callables `contradictions` takes."""

    polarity: Callable[[Statement, str], int]
    explicit: Callable[[Statement, str], bool]
    same_claim: Callable[[Statement, Statement], float]
    claim_sign: Callable[[Statement], int]
    # what a target narrows an issue to (`Gazetteer.covers`); None compares target ids
    covers: Covers | None = None

    def targets(self, stmt: Statement, issue: str) -> set[str]:
        return narrowed_to(stmt, issue, self.covers)


def narrowed_to(stmt: Statement, issue: str, covers: Covers | None) -> set[str]:
    """What a statement's targets narrow the issue to: their ids, or with `covers` only what
    bears on the issue (see `Gazetteer.covers`)."""
    if covers is None:
        return {t.id for t in stmt.targets}
    return {i for t in stmt.targets for i in covers(t, issue)}


def pair_features(
    a: Statement, b: Statement, issue: str, judge: Judge, *, same_actor: bool
) -> list[float]:
    """The features of one candidate pair on one issue, in the order of FEATURES."""
    pa, pb = judge.polarity(a, issue), judge.polarity(b, issue)
    similarity = judge.same_claim(a, b)
    fa, fb = a.stance in FACTUAL, b.stance in FACTUAL
    sa = judge.claim_sign(a) if fa else 0
    sb = judge.claim_sign(b) if fb else 0
    negation_differs = bool(NEGATION.search(a.content)) != bool(NEGATION.search(b.content))
    gap = abs((b.when - a.when).days) if a.when and b.when else 0
    values = [
        1.0,
        pa * pb == -1,
        pa * pb == 1,
        (pa * pb == -1) * similarity,
        judge.explicit(a, issue) and judge.explicit(b, issue),
        similarity,
        fuzz.token_set_ratio(a.content.lower(), b.content.lower()) / 100.0,
        fa and fb,
        fa and fb and sa * sb == -1,
        negation_differs,
        negation_differs * similarity,
        same_actor,
        bool(judge.targets(a, issue) & judge.targets(b, issue)),
        math.log1p(gap) / 6.0,
        ((a.issues[:1] == [issue]) + (b.issues[:1] == [issue])) / 2.0,
        a.doc_id == b.doc_id,
    ]
    return [float(v) for v in values]


@dataclass(frozen=True, slots=True)
class PairScorer:
    weights: tuple[float, ...]
    threshold: float

    def score(self, features: Sequence[float]) -> float:
        """The probability that the pair contradicts, 0..1."""
        z = sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    @classmethod
    def load(cls, path: Path | None = None) -> PairScorer:
        """The bundled scorer, or one written by scripts/train_linker.py; ConfigError if the
        file does not fit this version's features."""
        if path is None:
            path = Path(str(resources.files("redline").joinpath(BUNDLED)))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            names, weights, threshold = data["features"], data["weights"], data["threshold"]
        except (OSError, ValueError, KeyError) as e:
            raise ConfigError(f"{path}: not a linker model ({e})") from e
        if tuple(names) != FEATURES or len(weights) != len(FEATURES):
            raise ConfigError(f"{path}: made for other features than {', '.join(FEATURES)}")
        return cls(tuple(float(w) for w in weights), float(threshold))
