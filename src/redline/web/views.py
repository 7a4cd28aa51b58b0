"""What each page shows, as one JSON-ready dict: the HTML template and the JSON twin both render it.

Every function here takes a `Site` (the store plus the registry and taxonomy it is read with) and
typed filters, and returns plain data (str, int, float, bool, None, lists, dicts), so the page
and its `.json` twin cannot disagree. Nothing here knows about HTTP: a missing thing is `None`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from redline.coding import Coder, Registry, Taxonomy
from redline.link import stories
from redline.models import Contradiction, ContradictionKind, Doc, Statement
from redline.report.serialize import statement_dict
from redline.settings import Settings
from redline.store import Correction, SearchHit, SearchKind, Store
from redline.store.cache import VersionCache
from redline.web.highlight import paragraph_window, relative

MAX_PER_PAGE = 200
LATEST = 20
NO_ISSUE = "(none)"

Data = dict[str, Any]


# How many actors' summaries a server keeps (see `Site.actor_memo`).
ACTOR_SUMMARIES = 64


@dataclass(slots=True)
class Site:
    """What the pages are read from: the one store, the registry and taxonomy of the settings,
    and (for the map and the issue pages) a coder without embeddings and the settings."""

    store: Store
    registry: Registry
    taxonomy: Taxonomy
    coder: Coder | None = None
    settings: Settings | None = None
    # Results computed over everything stored (the map's claims, positions), kept until the
    # store's data version changes. Shared by the app's worker threads.
    memo: VersionCache = field(default_factory=VersionCache)
    # Actors' summaries (timeline, positions, first statements: ~0.3 MB each), apart and fewer,
    # so that a crawl through every actor page cannot fill memory.
    actor_memo: VersionCache = field(default_factory=lambda: VersionCache(ACTOR_SUMMARIES))

    def issue_label(self, issue_id: str) -> str:
        issue = self.taxonomy.issues.get(issue_id)
        return issue.label if issue else issue_id


@dataclass(frozen=True, slots=True)
class Paging:
    page: int = 1
    per_page: int = 50

    def clamped(self) -> Paging:
        return Paging(max(1, self.page), min(max(1, self.per_page), MAX_PER_PAGE))


@dataclass(frozen=True, slots=True)
class StatementFilters:
    actor: str | None = None
    side: str | None = None
    issue: str | None = None
    since: date | None = None
    until: date | None = None
    institution: str | None = None


@dataclass(frozen=True, slots=True)
class SearchFilters:
    q: str | None = None
    kind: SearchKind = "statements"
    side: str | None = None
    issue: str | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True, slots=True)
class ContradictionFilters:
    kind: ContradictionKind | None = None
    side: str | None = None
    issue: str | None = None
    since: date | None = None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _filters(filters: StatementFilters | ContradictionFilters | SearchFilters) -> Data:
    return {k: _iso(v) if isinstance(v, date) else v for k, v in asdict(filters).items()}


def _paging(paging: Paging, total: int) -> Data:
    """The paging facts the pager and API clients need."""
    pages = max(1, math.ceil(total / paging.per_page))
    return {
        "page": paging.page,
        "per_page": paging.per_page,
        "total": total,
        "pages": pages,
        "has_prev": paging.page > 1,
        "has_next": paging.page < pages,
    }


def _offset(paging: Paging) -> int:
    return (paging.page - 1) * paging.per_page


def stmt_dict(stmt: Statement) -> Data:
    """The statement as `redline extract` writes it, plus which fields an analyst corrected."""
    corrected = [name for name in stmt.corrected if name != "wrong"]
    return {**statement_dict(stmt), "corrected": corrected, "wrong": "wrong" in stmt.corrected}


def story_places(pairs: list[Contradiction]) -> list[list[int]]:
    """The pairs that tell one story (see `redline.link.stories`), as places in `pairs`, each
    story led by its first pair: a page lists every pair and folds a story's others under it."""
    at = {id(c): n for n, c in enumerate(pairs)}
    return [[at[id(c)] for c in story] for story in stories(pairs)]


def pair_dict(c: Contradiction) -> Data:
    return {
        "a": stmt_dict(c.a),
        "b": stmt_dict(c.b),
        "kind": c.kind,
        "reason": c.reason,
        "confidence": c.confidence,
    }


def correction_dict(c: Correction) -> Data:
    return {
        "id": c.id,
        "field": c.field,
        "value": c.value,
        "author": c.author,
        "created_at": c.created_at.isoformat(),
        "note": c.note,
    }


def doc_summary(doc: Doc) -> Data:
    """A doc without its text: enough to cite it and link to it."""
    return {
        "id": doc.id,
        "source": doc.source,
        "title": doc.title,
        "outlet": doc.outlet,
        "author": doc.author,
        "published": _iso(doc.published),
        "url": doc.url,
    }


# -- dashboard --------------------------------------------------------------------------------


def dashboard(site: Site, *, since: date | None = None) -> Data:
    """Counts (docs, statements, contradictions; statements by side and by issue) and the latest."""
    store = site.store
    sides = store.count_statements_by("side", since=since)
    issues = store.count_statements_by("issue", since=since)
    latest = store.statements(since=since, newest_first=True, limit=LATEST)
    pairs = store.contradictions(since=since, newest_first=True, limit=LATEST)
    return {
        "since": _iso(since),
        "counts": {
            "docs": store.count_docs(since=since),
            "statements": sum(sides.values()),
            "contradictions": store.count_contradictions(since=since),
        },
        "by_side": [{"side": k, "statements": n} for k, n in sides.items()],
        "by_issue": [
            {"issue": k or NO_ISSUE, "label": site.issue_label(k or NO_ISSUE), "statements": n}
            for k, n in issues.items()
        ],
        "latest_statements": [stmt_dict(s) for s in latest],
        "latest_contradictions": [pair_dict(c) for c in pairs],
        "latest_stories": story_places(pairs),
    }


# -- statements -------------------------------------------------------------------------------


def statement_list(site: Site, filters: StatementFilters, paging: Paging) -> Data:
    """One page of the statements matching `filters`, oldest first, paged and counted in SQL."""
    paging = paging.clamped()
    given = asdict(filters)
    items = site.store.statements(**given, limit=paging.per_page, offset=_offset(paging))
    return {
        "filters": _filters(filters),
        "paging": _paging(paging, site.store.count_statements(**given)),
        "statements": [stmt_dict(s) for s in items],
    }


def statement_page(site: Site, stmt_id: str) -> Data | None:
    """A statement with the paragraph it sits in, its doc and the contradictions it is part of."""
    stmt = site.store.get_statement(stmt_id)
    if stmt is None:
        return None
    doc = site.store.get_doc(stmt.doc_id)
    excerpt: Data | None = None
    if doc is not None:
        spans = stmt.offsets.source + stmt.offsets.cue + stmt.offsets.content
        window = paragraph_window(doc.text, stmt.offsets.content or spans)
        excerpt = {
            "start": window.start,
            "end": window.end,
            "text": doc.text[window.start : window.end],
            "marks": {
                kind: [list(span) for span in relative(getattr(stmt.offsets, kind), window)]
                for kind in ("source", "cue", "content")
            },
        }
    pairs = site.store.contradictions(statement_id=stmt.id)
    return {
        "statement": stmt_dict(stmt),
        "doc": doc_summary(doc) if doc else None,
        "excerpt": excerpt,
        "contradictions": [pair_dict(c) for c in pairs],
        "stories": story_places(pairs),
        "corrections": [correction_dict(c) for c in site.store.corrections(stmt.id)],
    }


# -- docs -------------------------------------------------------------------------------------


def doc_page(site: Site, doc_id: str) -> Data | None:
    """An article: its metadata, its text, and its statements in order of appearance."""
    doc = site.store.get_doc(doc_id)
    if doc is None:
        return None
    stmts = site.store.statements(doc_id=doc.id)
    stmts.sort(key=lambda s: min((a for a, _ in s.offsets.content), default=0))
    return {
        "doc": {
            **doc_summary(doc),
            "format": doc.format,
            "story": doc.story,
            "notices": list(doc.notices),
            "boilerplate": [list(span) for span in doc.boilerplate],
            "text": doc.text,
        },
        "marks": {
            "boilerplate": [list(span) for span in doc.boilerplate],
            "content": [list(span) for s in stmts for span in s.offsets.content],
            "cue": [list(span) for s in stmts for span in s.offsets.cue],
        },
        "statements": [stmt_dict(s) for s in stmts],
    }


# -- contradictions ---------------------------------------------------------------------------


def contradiction_list(site: Site, filters: ContradictionFilters, paging: Paging) -> Data:
    paging = paging.clamped()
    given = asdict(filters)
    items = site.store.contradictions(**given, limit=paging.per_page, offset=_offset(paging))
    return {
        "filters": _filters(filters),
        "paging": _paging(paging, site.store.count_contradictions(**given)),
        "contradictions": [pair_dict(c) for c in items],
        "stories": story_places(items),
    }


def doc_list(site: Site, paging: Paging) -> Data:
    """Every article, newest first, without its text."""
    paging = paging.clamped()
    items = site.store.docs(
        with_text=False, newest_first=True, limit=paging.per_page, offset=_offset(paging)
    )
    return {
        "paging": _paging(paging, site.store.count_docs()),
        "docs": [doc_summary(d) for d in items],
    }


# -- search -----------------------------------------------------------------------------------


def _hit(hit: SearchHit) -> Data:
    excerpts = {
        name: {"text": e.text, "marks": [list(span) for span in e.marks]}
        for name, e in hit.excerpts.items()
    }
    if hit.statement is not None:
        return {**stmt_dict(hit.statement), "excerpts": excerpts}
    if hit.doc is not None:
        return {**doc_summary(hit.doc), "excerpts": excerpts}
    return {"id": hit.id, "excerpts": excerpts}  # pragma: no cover - a hit is one or the other


def search_page(site: Site, filters: SearchFilters, paging: Paging) -> Data:
    """Statements or docs matching `filters.q`, one page, each with its matches marked.

    No query, no search: the page shows the form. A query with no word in it raises BadSearch.
    """
    paging = paging.clamped()
    if not filters.q or not filters.q.strip():
        return {"filters": _filters(filters), "paging": _paging(paging, 0), "results": []}
    found = site.store.search(
        filters.q,
        kind=filters.kind,
        side=filters.side,
        issue=filters.issue,
        since=filters.since,
        until=filters.until,
        limit=paging.per_page,
        offset=(paging.page - 1) * paging.per_page,
    )
    return {
        "filters": _filters(filters),
        "paging": _paging(paging, found.total),
        "results": [_hit(h) for h in found.hits],
    }
