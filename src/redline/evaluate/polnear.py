"""Attribution scored against PolNeAR's gold annotations (brat standoff), for redline and a peer.

    reader:  PolNeAR `<split>/attributions/<stem>_<annotator>.ann` -> list[Attribution]
    score:   predicted and gold attributions over one text -> Scores (counts, micro-summable)
    run:     `evaluate_dir(root, split)` -> Report, with redline and textacy side by side

Everything is scored per role (source, cue, content) in two ways: exact spans after trimming
quotes, punctuation and whitespace from both edges, and token overlap.
"""

from __future__ import annotations

import bisect
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from redline.errors import RedlineError
from redline.models import Doc, Span
from redline.pipeline import Analyser
from redline.settings import Settings

Role = Literal["source", "cue", "content"]
ROLES: tuple[Role, ...] = ("source", "cue", "content")

# Part of the scoring definition, not a preference: PolNeAR's content spans often take in the
# quotation marks and the closing comma or full stop, extractors often do not; neither is wrong.
TRIM = "\"'“”‘’,.:;—-"
_TOKEN = re.compile(r"\w+")
_LINE = re.compile(r"^([TE])(\d+)\t([^\t]*)")

ANNOTATOR_RULE = (
    "where several annotators' files exist for a text (<stem>_<annotator>.ann), "
    "the first in sorted file-name order is the gold one"
)


# --- reading brat standoff --------------------------------------------------------------


@dataclass(slots=True)
class Attribution:
    """One attribution relation: character spans [start, end) per role; any list may be empty."""

    id: str
    source: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)
    content: list[Span] = field(default_factory=list)

    def spans(self, role: Role) -> list[Span]:
        spans: list[Span] = getattr(self, role)
        return spans


@dataclass(slots=True)
class TextBound:
    """A brat `T` line: a label over one or more (discontinuous) character spans."""

    id: str
    label: str
    spans: list[Span]


def parse_ann(ann: str) -> list[Attribution]:
    """Attributions in the text of one brat `.ann` file.

    `T` lines give labelled spans (`Content 10 20;25 40` is discontinuous, kept as its pieces);
    each `E` line (`Attribution:T4 Content:T3 Cue:T2 Source:T1`) is one attribution. Roles with
    a number (`Content2`) join their role. An event without a `Cue` argument takes its trigger's
    span as the cue. Notes (`#`), `Discuss`/`Discard` spans outside any event, and the
    continuation lines of a span text that contains a line break are ignored.
    """
    bounds: dict[str, TextBound] = {}
    events: list[tuple[str, str]] = []
    for line in ann.splitlines():
        m = _LINE.match(line)
        if m is None:
            continue
        kind, num, body = m.groups()
        if kind == "T":
            label, _, ranges = body.partition(" ")
            bounds[f"T{num}"] = TextBound(f"T{num}", label, _ranges(ranges))
        else:
            events.append((f"E{num}", body))
    out: list[Attribution] = []
    for eid, body in events:
        att = Attribution(eid)
        trigger: str | None = None
        for i, arg in enumerate(body.split()):
            role_name, _, ref = arg.partition(":")
            if ref not in bounds:
                raise RedlineError(f"brat event {eid} refers to {ref!r}, which has no T line")
            if i == 0:
                trigger = ref
                continue
            role = role_name.rstrip("0123456789").lower()
            if role in ROLES:
                att.spans(role).extend(bounds[ref].spans)
        if not att.cue and trigger is not None:
            att.cue.extend(bounds[trigger].spans)
        out.append(att)
    return out


def _ranges(text: str) -> list[Span]:
    try:
        pairs = [piece.split() for piece in text.split(";")]
        return [(int(a), int(b)) for a, b in pairs]
    except ValueError as e:
        raise RedlineError(f"brat span {text!r} is not 'start end[;start end...]'") from e


def read_ann(path: Path) -> list[Attribution]:
    """Attributions in one `.ann` file (UTF-8)."""
    return parse_ann(path.read_text(encoding="utf-8"))


# --- scoring ----------------------------------------------------------------------------


@dataclass(slots=True)
class Counts:
    """True positives and the sizes of the predicted and gold sets; add them to micro-average."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.pred + other.pred, self.gold + other.gold)


@dataclass(slots=True)
class RoleScores:
    exact: Counts = field(default_factory=Counts)
    token: Counts = field(default_factory=Counts)

    def __add__(self, other: RoleScores) -> RoleScores:
        return RoleScores(self.exact + other.exact, self.token + other.token)


@dataclass(slots=True)
class Scores:
    """Per-role counts for exact-span and token-overlap matching. `a + b` sums over texts."""

    source: RoleScores = field(default_factory=RoleScores)
    cue: RoleScores = field(default_factory=RoleScores)
    content: RoleScores = field(default_factory=RoleScores)

    def role(self, role: Role) -> RoleScores:
        found: RoleScores = getattr(self, role)
        return found

    def __add__(self, other: Scores) -> Scores:
        return Scores(*(self.role(r) + other.role(r) for r in ROLES))

    def figures(self) -> dict[str, float]:
        """Flat percentages, e.g. `content.exact.f1` -> 41.7."""
        out: dict[str, float] = {}
        for r in ROLES:
            for kind in ("exact", "token"):
                c: Counts = getattr(self.role(r), kind)
                out[f"{r}.{kind}.p"] = round(100 * c.precision, 1)
                out[f"{r}.{kind}.r"] = round(100 * c.recall, 1)
                out[f"{r}.{kind}.f1"] = round(100 * c.f1, 1)
        return out


def trim(span: Span, text: str) -> Span | None:
    """`span` without whitespace and `TRIM` characters at either edge; None when nothing is left."""
    start, end = span
    while start < end and (text[start].isspace() or text[start] in TRIM):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in TRIM):
        end -= 1
    return (start, end) if start < end else None


def tokens(text: str) -> list[Span]:
    """Word tokens of `text` as character ranges: runs of word characters, split at whitespace
    and punctuation."""
    return [m.span() for m in _TOKEN.finditer(text)]


def score(
    pred: Iterable[Attribution],
    gold: Iterable[Attribution],
    *,
    text: str,
    token_spans: Sequence[Span] | None = None,
) -> Scores:
    """Score predicted against gold attributions over one `text`.

    Exact: the sets of trimmed role spans (a discontinuous span counts as its pieces) compared
    as sets. Token: the set of `tokens(text)` overlapping any role span, predicted against gold.
    Pass `token_spans` to reuse a tokenisation of `text`.
    """
    pred, gold = list(pred), list(gold)
    toks = list(token_spans) if token_spans is not None else tokens(text)
    starts = [s for s, _ in toks]
    ends = [e for _, e in toks]
    out = Scores()
    for role in ROLES:
        p_spans = [s for a in pred for s in a.spans(role)]
        g_spans = [s for a in gold for s in a.spans(role)]
        p_exact = {t for s in p_spans if (t := trim(s, text)) is not None}
        g_exact = {t for s in g_spans if (t := trim(s, text)) is not None}
        p_tok = _covered(p_spans, starts, ends)
        g_tok = _covered(g_spans, starts, ends)
        out.role(role).exact = Counts(len(p_exact & g_exact), len(p_exact), len(g_exact))
        out.role(role).token = Counts(len(p_tok & g_tok), len(p_tok), len(g_tok))
    return out


def _covered(spans: Iterable[Span], starts: list[int], ends: list[int]) -> set[int]:
    """Indices of the tokens that share at least one character with any of `spans`."""
    out: set[int] = set()
    for start, end in spans:
        i = bisect.bisect_right(ends, start)  # first token ending after `start`
        while i < len(starts) and starts[i] < end:
            out.add(i)
            i += 1
    return out


# --- systems ----------------------------------------------------------------------------


@dataclass(slots=True)
class Article:
    """One PolNeAR text with its gold attributions."""

    name: str
    text: str
    gold: list[Attribution]
    annotators: list[str]


def load_split(root: Path, split: str = "dev", *, limit: int | None = None) -> list[Article]:
    """The texts of one split, sorted by file name, each with the first annotator's gold."""
    text_dir, ann_dir = root / split / "text", root / split / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise RedlineError(
            f"{root}: no {split}/text and {split}/attributions folders; "
            "give the PolNeAR data folder (the one holding train/ and dev/)"
        )
    anns: dict[str, list[Path]] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        stem, _, _annotator = ann.stem.rpartition("_")
        anns.setdefault(stem, []).append(ann)
    out: list[Article] = []
    for path in sorted(text_dir.glob("*.txt"))[:limit]:
        files = anns.get(path.stem)
        if not files:
            raise RedlineError(f"{path}: no {path.stem}_<annotator>.ann in {ann_dir}")
        out.append(
            Article(
                name=path.stem,
                # offsets index into the text exactly as decoded: no newline translation
                text=path.read_bytes().decode("utf-8"),
                gold=read_ann(files[0]),
                annotators=[f.stem.rpartition("_")[2] for f in files],
            )
        )
    return out


@dataclass(slots=True)
class SystemResult:
    """One system's scores over the articles it ran on; `note` says why it did not run, if so."""

    name: str
    scores: Scores | None
    articles: int = 0
    seconds: float = 0.0
    statements: int = 0
    note: str | None = None

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


@dataclass(slots=True)
class Report:
    split: str
    articles: int
    gold_attributions: int
    annotator_rule: str
    systems: list[SystemResult]

    def figures(self) -> dict[str, float]:
        """Flat percentages per system, e.g. `redline.content.exact.f1`."""
        return {
            f"{s.name}.{k}": v
            for s in self.systems
            if s.scores is not None
            for k, v in s.scores.figures().items()
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "split": self.split,
            "articles": self.articles,
            "gold_attributions": self.gold_attributions,
            "annotator_rule": self.annotator_rule,
            "systems": [
                {
                    "name": s.name,
                    "articles": s.articles,
                    "seconds": round(s.seconds, 2),
                    "articles_per_s": round(s.articles_per_s, 2),
                    "statements": s.statements,
                    "note": s.note,
                    "figures": s.scores.figures() if s.scores is not None else None,
                }
                for s in self.systems
            ],
        }


def run_redline(articles: Sequence[Article], analyser: Analyser) -> SystemResult:
    """Redline's statements as attributions, scored; the timing covers extraction and coding."""
    docs = [Doc(source=a.name, text=a.text) for a in articles]
    size = analyser.settings.batch_size
    start = time.perf_counter()
    done = [x for i in range(0, len(docs), size) for x in analyser(docs[i : i + size])]
    seconds = time.perf_counter() - start
    total, count = Scores(), 0
    for article, analysed in zip(articles, done, strict=True):
        pred = [
            Attribution(s.id, list(s.offsets.source), list(s.offsets.cue), list(s.offsets.content))
            for s in analysed.statements
        ]
        count += len(pred)
        total += score(pred, article.gold, text=article.text)
    return SystemResult("redline", total, len(articles), seconds, count)


def run_textacy(articles: Sequence[Article], settings: Settings) -> SystemResult:
    """textacy's rule-based `direct_quotations` over the same spaCy model, scored the same way."""
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return SystemResult("textacy", None, note="textacy not installed")
    from redline.extract.nlp import load_nlp

    nlp = load_nlp(settings.spacy_model)
    start = time.perf_counter()
    preds: list[list[Attribution]] = []
    bailed = 0
    for sdoc in nlp.pipe((a.text for a in articles), batch_size=settings.batch_size):
        found: list[Attribution] = []
        try:
            for i, (speaker, cue, content) in enumerate(direct_quotations(sdoc)):
                found.append(
                    Attribution(
                        f"Q{i}", _token_runs(speaker), _token_runs(cue), _token_runs(content)
                    )
                )
        except ValueError:
            # textacy refuses a text with an odd number of quotation marks
            bailed += 1
        preds.append(found)
    seconds = time.perf_counter() - start
    total = Scores()
    for article, pred in zip(articles, preds, strict=True):
        total += score(pred, article.gold, text=article.text)
    note = f"refused {bailed} text(s) with unbalanced quotation marks" if bailed else None
    count = sum(len(p) for p in preds)
    return SystemResult("textacy", total, len(articles), seconds, count, note)


def _token_runs(toks: Iterable[Any]) -> list[Span]:
    """Character spans of spaCy tokens, adjacent tokens merged into one span."""
    out: list[Span] = []
    last = -2
    for tok in sorted(toks, key=lambda t: t.i):
        span = (tok.idx, tok.idx + len(tok.text))
        if tok.i == last + 1 and out:
            out[-1] = (out[-1][0], span[1])
        else:
            out.append(span)
        last = tok.i
    return out


def evaluate_dir(
    root: Path,
    split: str = "dev",
    *,
    limit: int | None = None,
    analyser: Analyser | None = None,
    peers: bool = True,
    on_system: Callable[[str], None] | None = None,
) -> Report:
    """Run redline (and, with `peers`, textacy) over a PolNeAR split and score both.

    `root` is PolNeAR's data folder (holding `train/`, `dev/`); `limit` takes the first texts
    in file-name order. `on_system` is called with each system's name before it runs.
    """
    articles = load_split(root, split, limit=limit)
    analyser = analyser or Analyser(Settings())
    systems: list[SystemResult] = []
    runners: list[tuple[str, Callable[[], SystemResult]]] = [
        ("redline", lambda: run_redline(articles, analyser))
    ]
    if peers:
        runners.append(("textacy", lambda: run_textacy(articles, analyser.settings)))
    for name, run in runners:
        if on_system is not None:
            on_system(name)
        systems.append(run())
    return Report(
        split=split,
        articles=len(articles),
        gold_attributions=sum(len(a.gold) for a in articles),
        annotator_rule=ANNOTATOR_RULE,
        systems=systems,
    )
