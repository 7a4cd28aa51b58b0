"""The daily brief: what each side said per issue, what conflicts, who changed position.

Written in the manner of an ISW update: per issue, one paragraph per actor, sentences such as
"Russian Foreign Minister Sergey Lavrov reiterated on 11 April that … [1]", each citing the
statements it rests on as numbered references (outlet, title, URL, date said). Then a
"Contradictions" section for the conflicting pairs of the window and "Position changes" for
reversals. Everything is sorted, so the same store and window give the same brief.

    brief = build_brief(store, day=date(2025, 4, 11))
    to_markdown(brief); to_html(brief); to_pdf(brief, Path("brief.pdf"))

Renderers live in `redline.report.brief_render`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from redline.link import stories
from redline.models import Contradiction, Doc, Statement

if TYPE_CHECKING:
    from redline.coding import Taxonomy
    from redline.store import Store

OTHER_ISSUE = "other"

# Wording tables: ISW calls people by nationality + short title ("Russian Foreign Minister").
_DEMONYM = {
    "Russia": "Russian",
    "Ukraine": "Ukrainian",
    "United States": "US",
    "United Kingdom": "UK",
    "European Union": "EU",
    "China": "Chinese",
    "France": "French",
    "Germany": "German",
    "Poland": "Polish",
    "Italy": "Italian",
    "Netherlands": "Dutch",
    "Estonia": "Estonian",
    "Latvia": "Latvian",
    "Lithuania": "Lithuanian",
    "Finland": "Finnish",
    "Iran": "Iranian",
    "Turkey": "Turkish",
    "Hungary": "Hungarian",
    "Slovakia": "Slovak",
    "Belarus": "Belarusian",
    "Denmark": "Danish",
    "Spain": "Spanish",
    "India": "Indian",
    "Brazil": "Brazilian",
    "Qatar": "Qatari",
}
_SHORT_TITLE = {
    "Minister of Foreign Affairs": "Foreign Minister",
    "Deputy Minister of Foreign Affairs": "Deputy Foreign Minister",
    "Minister of Defence": "Defence Minister",
    "Minister of Defense": "Defense Minister",
    "Press Secretary of the President": "Presidential Press Secretary",
}
_VERB = {
    "demand": "demanded",
    "reject": "insisted",
    "deny": "insisted",
    "concede": "conceded",
    "claim": "claimed",
    "threaten": "threatened",
    "propose": "proposed",
    "accuse": "accused others, claiming",
}
_LOWER_FIRST = frozenset(
    [
        "a",
        "an",
        "the",
        "there",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "we",
        "our",
        "they",
        "their",
        "he",
        "she",
        "his",
        "her",
        "you",
        "your",
        "no",
        "any",
        "all",
        "some",
        "such",
        "every",
        "each",
        "if",
        "when",
        "while",
        "as",
        "in",
        "on",
        "at",
        "for",
        "with",
        "without",
        "only",
        "nothing",
        "one",
        "two",
        "negotiations",
        "talks",
        "peace",
        "sanctions",
    ]
)


@dataclass(frozen=True, slots=True)
class Reference:
    """A numbered source: the article a statement was read from, and when it was said."""

    number: int
    statement_id: str
    speaker: str
    source: str
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    said_on: date | None = None
    published: date | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    number: int
    statement_id: str
    source: str


@dataclass(slots=True)
class Sentence:
    """One sentence of the brief (no final full stop) and the statements it rests on."""

    text: str
    citations: list[Citation] = field(default_factory=list)

    @property
    def statement_ids(self) -> list[str]:
        return [c.statement_id for c in self.citations]


@dataclass(slots=True)
class Takeaway:
    """A paragraph: the sentences about one actor on one issue, or about one conflicting pair."""

    sentences: list[Sentence]
    actor: str | None = None


@dataclass(slots=True)
class Section:
    title: str
    kind: str  # "issue" | "contradictions" | "position-changes"
    takeaways: list[Takeaway]
    issue: str | None = None


@dataclass(slots=True)
class Brief:
    title: str
    since: date | None
    until: date | None
    sections: list[Section]
    references: list[Reference]
    statements: int = 0

    def sentences(self) -> Iterable[Sentence]:
        for section in self.sections:
            for takeaway in section.takeaways:
                yield from takeaway.sentences


# -- building -----------------------------------------------------------------------------------


class _Refs:
    """Numbers references in the order sentences first cite them."""

    def __init__(self, get_doc: Callable[[str], Doc | None]) -> None:
        self._get_doc = get_doc
        self._docs: dict[str, Doc | None] = {}
        self.by_stmt: dict[str, Reference] = {}

    def cite(self, stmt: Statement) -> Citation:
        ref = self.by_stmt.get(stmt.id)
        if ref is None:
            if stmt.doc_id not in self._docs:
                self._docs[stmt.doc_id] = self._get_doc(stmt.doc_id)
            doc = self._docs[stmt.doc_id]
            ref = Reference(
                number=len(self.by_stmt) + 1,
                statement_id=stmt.id,
                speaker=_name(stmt),
                source=(doc.source if doc else stmt.doc),
                outlet=doc.outlet if doc else None,
                title=doc.title if doc else None,
                url=doc.url if doc else None,
                said_on=stmt.said_on,
                published=stmt.published or (doc.published if doc else None),
            )
            self.by_stmt[stmt.id] = ref
        return Citation(ref.number, stmt.id, ref.url or ref.source)


def build_brief(
    store: Store,
    *,
    day: date | None = None,
    since: date | None = None,
    taxonomy: Taxonomy | None = None,
) -> Brief:
    """The brief for one day, or for `since` up to the latest statement.

    With neither, the brief covers the most recent day that has statements. Statements are
    filed under the day they were said, else the day their article was published.
    """
    if day is not None and since is not None:
        from redline.errors import RedlineError

        raise RedlineError("give a day or a start date for the brief, not both")
    until: date | None
    if day is not None:
        since, until = day, day
    elif since is not None:
        until = None
    else:
        latest = max((s.when for s in store.statements() if s.when), default=None)
        since, until = latest, latest
    if since is None:  # an empty store
        return Brief(
            title="Redline brief: no statements", since=None, until=None, sections=[], references=[]
        )

    labels = _issue_labels(taxonomy)
    stmts = store.statements(since=since, until=until)
    refs = _Refs(store.get_doc)
    multi_year = until is None or since.year != until.year
    sections: list[Section] = []

    by_issue: dict[str, list[Statement]] = defaultdict(list)
    for stmt in stmts:
        by_issue[(stmt.issues or [OTHER_ISSUE])[0]].append(stmt)
    order = sorted(by_issue, key=lambda i: (i == OTHER_ISSUE, -len(by_issue[i]), i))
    for issue in order:
        takeaways = [
            _actor_takeaway(group, issue, store, since, refs, multi_year)
            for group in _by_actor(by_issue[issue])
        ]
        sections.append(
            Section(
                title=labels.get(issue, issue.replace("_", " ").capitalize()),
                kind="issue",
                takeaways=takeaways,
                issue=issue,
            )
        )

    pairs = [c for c in store.contradictions() if _in_window(c, since, until)]
    pairs.sort(key=_pair_key)
    # one paragraph a story: a speaker's refusal in February against three offers in October
    # is one change of position, told once, with the other remarks cited beside it
    told = stories(pairs)
    conflicts = [
        _also(_conflict(first, refs, multi_year), first, more, refs)
        for first, *more in told
        if first.kind != "reversal"
    ]
    reversals = [
        _also(_reversal(first, refs, multi_year, labels), first, more, refs)
        for first, *more in told
        if first.kind == "reversal"
    ]
    if conflicts:
        sections.append(Section("Contradictions", "contradictions", conflicts))
    if reversals:
        sections.append(Section("Position changes", "position-changes", reversals))

    window = (
        _long_day(since)
        if since == until
        else f"{_long_day(since)} to {_long_day(until) if until else 'latest'}"
    )
    return Brief(
        title=f"Redline brief: {window}",
        since=since,
        until=until,
        sections=sections,
        references=sorted(refs.by_stmt.values(), key=lambda r: r.number),
        statements=len(stmts),
    )


def _issue_labels(taxonomy: Taxonomy | None) -> dict[str, str]:
    if taxonomy is None:
        from redline.coding import Taxonomy as _Taxonomy

        taxonomy = _Taxonomy.load()
    return {i.id: i.label for i in taxonomy.issues.values()}


def _actor_key(stmt: Statement) -> str:
    return stmt.speaker_id or (stmt.speaker or stmt.speaker_name or stmt.speaker_mention).lower()


def _by_actor(stmts: list[Statement]) -> list[list[Statement]]:
    groups: dict[str, list[Statement]] = defaultdict(list)
    for stmt in stmts:
        groups[_actor_key(stmt)].append(stmt)
    for group in groups.values():
        group.sort(key=_stmt_key)
    return sorted(groups.values(), key=lambda g: (_stmt_key(g[0]), _name(g[0])))


def _stmt_key(stmt: Statement) -> tuple[date, str]:
    return (stmt.when or date.max, stmt.id)


def _pair_key(c: Contradiction) -> tuple[date, str, str]:
    first, last = _ordered(c)
    return (last.when or date.max, last.id, first.id)


def _ordered(c: Contradiction) -> tuple[Statement, Statement]:
    """The pair as (earlier, later)."""
    return (c.a, c.b) if _stmt_key(c.a) <= _stmt_key(c.b) else (c.b, c.a)


def _in_window(c: Contradiction, since: date, until: date | None) -> bool:
    """A pair belongs to the window its later statement falls in."""
    when = _ordered(c)[1].when
    return when is not None and since <= when and (until is None or when <= until)


def _actor_takeaway(
    group: list[Statement],
    issue: str,
    store: Store,
    since: date,
    refs: _Refs,
    multi_year: bool,
) -> Takeaway:
    first = group[0]
    earlier_stances: set[str | None] = set()
    if first.speaker_id:
        before = store.statements(
            actor=first.speaker_id, issue=issue, until=since - timedelta(days=1)
        )
        earlier_stances = {s.stance for s in before if s.speaker_id == first.speaker_id}
    sentences: list[Sentence] = []
    seen: dict[str, Sentence] = {}
    for stmt in group:
        gist = " ".join(stmt.content.split()).lower()
        if gist in seen:  # the same words carried by several outlets: one sentence, more sources
            seen[gist].citations.append(refs.cite(stmt))
            continue
        subject = _described(stmt) if not sentences else f"{_surname(stmt)} also"
        verb = (
            "reiterated"
            if stmt.stance in earlier_stances
            else _VERB.get(stmt.stance or "", "stated")
        )
        sentence = Sentence(
            f"{subject} {verb}{_on(stmt, multi_year)} that {_clause(stmt)}", [refs.cite(stmt)]
        )
        seen[gist] = sentence
        sentences.append(sentence)
    return Takeaway(sentences, actor=_name(first))


def _conflict(c: Contradiction, refs: _Refs, multi_year: bool) -> Takeaway:
    earlier, later = _ordered(c)
    said = Sentence(
        f"{_described(later)} {_VERB.get(later.stance or '', 'stated')} "
        f"{_on(later, multi_year)} that {_clause(later)}",
        [refs.cite(later)],
    )
    whose = (
        f"{_surname(earlier)}'s own earlier remarks"
        if c.kind == "self"
        else f"earlier remarks by {_described(earlier)}"
    )
    conflicts = Sentence(
        f"This statement conflicts with {whose}, who said{_on(earlier, multi_year)} that "
        f"{_clause(earlier)}"
        if c.kind != "self"
        else f"This statement conflicts with {whose}{_on(earlier, multi_year)} that "
        f"{_clause(earlier)}",
        [refs.cite(earlier)],
    )
    return Takeaway([said, conflicts], actor=_name(later))


def _also(told: Takeaway, first: Contradiction, more: list[Contradiction], refs: _Refs) -> Takeaway:
    """The story's other pairs, as one more sentence citing the remarks not cited yet."""
    cited = {first.a.id, first.b.id}
    others: list[Statement] = []
    for c in more:
        for stmt in _ordered(c):
            if stmt.id not in cited:
                cited.add(stmt.id)
                others.append(stmt)
    if others:
        n = len(others)
        days = "that day" if first.a.when == first.b.when else "those two days"
        told.sentences.append(
            Sentence(
                f"{'Another remark' if n == 1 else f'{n} other remarks'} of {days} "
                f"{'bears' if n == 1 else 'bear'} this out",
                [refs.cite(s) for s in others],
            )
        )
    return told


def _reversal(c: Contradiction, refs: _Refs, multi_year: bool, labels: dict[str, str]) -> Takeaway:
    earlier, later = _ordered(c)
    shared = [i for i in later.issues if i in earlier.issues] or later.issues or [OTHER_ISSUE]
    topic = labels.get(shared[0], shared[0].replace("_", " ")).lower()
    sentences = [
        Sentence(
            f"{_described(later)} appears to have changed position on {topic}: "
            f"{_surname(later)} said{_on(later, multi_year)} that {_clause(later)}",
            [refs.cite(later)],
        ),
        Sentence(
            f"{_surname(earlier)} had said{_on(earlier, multi_year)} that {_clause(earlier)}",
            [refs.cite(earlier)],
        ),
    ]
    return Takeaway(sentences, actor=_name(later))


# -- wording ------------------------------------------------------------------------------------


def _name(stmt: Statement) -> str:
    return stmt.speaker or stmt.speaker_name or stmt.speaker_mention or "An unnamed source"


def _surname(stmt: Statement) -> str:
    name = _name(stmt)
    if stmt.speaker_id or stmt.speaker_name:
        return name.split()[-1]
    return name[:1].upper() + name[1:]


def _described(stmt: Statement) -> str:
    """ "Russian Foreign Minister Sergey Lavrov", from the role the statement was coded with."""
    name = _name(stmt)
    if not stmt.role:
        return name[:1].upper() + name[1:]
    title, _, org = stmt.role.rpartition(", ")
    if not title:
        title, org = org, ""
    title = _SHORT_TITLE.get(title, title)
    if org in _DEMONYM:
        return f"{_DEMONYM[org]} {title} {name}"
    if len(title.split()) <= 3 and org:
        return f"{org} {title} {name}"
    return f"{name}, {title}{f' of {org}' if org else ''},"


def _long_day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _on(stmt: Statement, multi_year: bool) -> str:
    """When it was said, with its leading space or comma: " on 11 April"."""
    if stmt.said_on is not None:
        day = stmt.said_on
        prefix = " on"
    elif stmt.published is not None:
        day = stmt.published
        prefix = ", according to a report published on"
    else:
        return " at an unknown date"
    text = f"{prefix} {day.day} {day:%B}" + (f" {day.year}" if multi_year else "")
    return f"{text}," if prefix.startswith(",") else text


def _clause(stmt: Statement) -> str:
    """The content as a `that` clause: quoted when it was a direct quote."""
    text = " ".join(stmt.content.split()).strip().rstrip(".;,:")
    if text.lower().startswith("that "):
        text = text[5:]
    if stmt.quote == "direct":  # quoted words stay as they were said
        return f"“{text.strip(chr(34) + '“”')}”"
    first = text.split(" ", 1)[0].strip("\"'“”‘’").lower()
    if first in _LOWER_FIRST and text[:1].isalpha():
        text = text[:1].lower() + text[1:]
    return text
