"""The typed objects that flow between stages.

All are plain dataclasses: cheap to build, picklable (so a process pool or a distributed engine
can move them), and serialisable with `dataclasses.asdict`.

    ingest   -> Doc
    extract  -> Statement (who, cue, content, when, where; offsets into Doc.text)
    coding   -> Statement (+ speaker, side, role, issues, stance, plover, targets)
    link     -> Contradiction
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Span = tuple[int, int]
"""A half-open character range [start, end) into `Doc.text`."""

QuoteKind = Literal["direct", "indirect", "mixed"]
Stance = Literal["demand", "reject", "concede", "claim", "deny", "threaten", "propose", "accuse"]
STANCES: tuple[str, ...] = (
    "demand",
    "reject",
    "concede",
    "claim",
    "deny",
    "threaten",
    "propose",
    "accuse",
)
ContradictionKind = Literal["self", "same-side", "reversal"]

UNKNOWN_SIDE = "unknown"

# the heads of a body's name: what goes before them is part of the name ("Foreign Ministry",
# "General Staff", "State Department"), not a title
INSTITUTIONS = {
    "ministry",
    "office",
    "department",
    "service",
    "committee",
    "council",
    "commission",
    "agency",
    "staff",
    "command",
    "directorate",
    "administration",
}


def text_id(text: str) -> str:
    """The identity of an article: a hash of its text, so the same text is the same doc."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(slots=True)
class Doc:
    """An ingested article.

    `text` is what every offset points into: the input text exactly as decoded for text and JSON
    input, the extracted main text for HTML (the raw page is not kept). `boilerplate` lists the
    spans of `text` that are not the article body (donation appeals, repeated captions, related
    links); extraction ignores them but the text itself is never rewritten.
    """

    source: str
    text: str
    id: str = ""
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: date | None = None
    url: str | None = None
    format: str = "text"
    boilerplate: list[Span] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    story: str | None = None

    def __post_init__(self) -> None:
        if not self.id:
            self.id = text_id(self.text)

    def body_text(self) -> str:
        """`text` with boilerplate blanked out by spaces: same length, so offsets still hold."""
        if not self.boilerplate:
            return self.text
        chars = list(self.text)
        for start, end in self.boilerplate:
            for i in range(start, min(end, len(chars))):
                if chars[i] not in "\n\r":
                    chars[i] = " "
        return "".join(chars)


@dataclass(slots=True)
class Offsets:
    source: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)
    content: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Target:
    """What a statement is about: a place (ISO 3166-2 code where it has one) or an object."""

    kind: Literal["place", "object"]
    id: str
    name: str


@dataclass(slots=True)
class Plover:
    event: str
    mode: str | None = None
    context: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Statement:
    """One attributed statement.

    Filled by extraction: doc, doc_id, speaker_mention, speaker_name, cue, cue_lemma, content,
    quote, said_on, said_on_text (the words that gave the date), venue, reported_by, offsets.
    Filled by coding: speaker, speaker_id, side, role, issues, stance, negated, conditional,
    plover, targets, polarity (+1/-1/0: for or against the issue's direction, see taxonomy).
    Filled by the store: published (from the doc), corrected (see `redline.store.review`).
    """

    doc: str
    doc_id: str
    speaker_mention: str
    cue: str
    content: str
    quote: QuoteKind
    offsets: Offsets
    speaker_name: str | None = None
    cue_lemma: str = ""
    said_on: date | None = None
    said_on_text: str | None = None
    venue: str | None = None
    reported_by: str | None = None
    speaker: str | None = None
    speaker_id: str | None = None
    side: str = UNKNOWN_SIDE
    role: str | None = None
    # the body the speaker speaks for that day (Kremlin, Russian Foreign Ministry, Office of
    # the President of Ukraine): a side finer than a country
    institution: str | None = None
    issues: list[str] = field(default_factory=list)
    stance: str | None = None
    negated: bool = False
    conditional: bool = False
    polarity: int = 0
    plover: Plover | None = None
    targets: list[Target] = field(default_factory=list)
    published: date | None = None
    id: str = ""
    # Set by the store on reading: the fields whose value is an analyst's correction rather
    # than the machine's ("wrong" when the statement is marked wrong). Never stored.
    corrected: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            key = f"{self.doc_id}:{self.offsets.cue}:{self.offsets.content}"
            self.id = hashlib.sha256(key.encode()).hexdigest()[:16]

    @property
    def when(self) -> date | None:
        """The best date for ordering: when it was said, else when it was published."""
        return self.said_on or self.published


@dataclass(slots=True)
class Contradiction:
    a: Statement
    b: Statement
    kind: ContradictionKind
    reason: str
    confidence: float = 0.5


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did, for the summary line."""

    read: int = 0
    new: int = 0
    duplicates: int = 0
    syndicated: int = 0
    statements: int = 0
    contradictions: int = 0
    errors: list[str] = field(default_factory=list)
