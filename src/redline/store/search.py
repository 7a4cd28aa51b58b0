"""Search: statements and docs by their words, FTS5 on SQLite and ILIKE elsewhere.

What a user types is never handed to FTS5 as query syntax. It is read as words (all must
match), "quoted phrases", a trailing * for a prefix and an upper-case OR between alternatives;
everything else is a literal word, and the FTS5 query is rebuilt from those pieces with every
term quoted, so `AND OR`, a lone `"` or `NEAR(` cannot be a syntax error.

Matches come back as spans into the text they were found in, never as markup: the web escapes
the text and marks the spans (`redline.web.highlight`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    func,
    literal_column,
    null,
    or_,
    select,
    true,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql import column, table

from redline.errors import BadSearch
from redline.models import Doc, Span, Statement
from redline.store import convert
from redline.store.schema import docs, filed_on, statements

SearchKind = Literal["statements", "docs"]

MAX_TERMS = 16
STATEMENT_FIELDS: tuple[str, ...] = ("content", "speaker", "speaker_mention", "cue", "venue")
DOC_FIELDS: tuple[str, ...] = ("title", "text")
# Private-use characters: FTS5 puts them around matches, and they are then cut out as spans.
OPEN, CLOSE = "\ue000", "\ue001"
SNIPPET_TOKENS = 32
SNIPPET_CHARS = 120  # on each side of the first match, for the ILIKE fallback

_TOKEN = re.compile(r'"([^"]*)"(\*?)|(\S+)')
_WORDY = re.compile(r"[^\W_]")

_fts_statements = table(
    "search_statements", column("statement_id"), column("rank"), column("rowid")
)
_fts_docs = table("search_docs", column("doc_id"), column("rank"), column("rowid"))


@dataclass(frozen=True, slots=True)
class Term:
    """A word or a phrase to find; `prefix` matches words that start with it."""

    words: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """Alternatives (OR) of groups of terms that must all match (AND)."""

    any_of: tuple[tuple[Term, ...], ...]

    def fts(self) -> str:
        """The FTS5 MATCH expression, every term quoted."""

        def quoted(t: Term) -> str:
            return '"' + t.words.replace('"', '""') + '"' + ("*" if t.prefix else "")

        return " OR ".join("(" + " ".join(quoted(t) for t in group) + ")" for group in self.any_of)

    def terms(self) -> list[Term]:
        return [t for group in self.any_of for t in group]


def parse(text: str) -> Query:
    """The query a user typed; raises BadSearch when it holds no word to search for."""
    groups: list[list[Term]] = [[]]
    for m in _TOKEN.finditer(text or ""):
        phrase, star, word = m.groups()
        if word is not None:
            if word == "OR":
                groups.append([])
                continue
            if word == "AND":
                continue
            prefix = word.endswith("*")
            # A stray quote is a literal, not the start of a phrase.
            words = word.rstrip("*").replace('"', " ")
        else:
            prefix, words = bool(star), phrase
        words = " ".join(words.split())
        if _WORDY.search(words):
            groups[-1].append(Term(words, prefix))
    found = tuple(tuple(g) for g in groups if g)
    if not found:
        raise BadSearch("nothing to search for: type at least one word")
    if sum(len(g) for g in found) > MAX_TERMS:
        raise BadSearch(f"too many search terms (at most {MAX_TERMS})")
    return Query(found)


@dataclass(slots=True)
class Excerpt:
    """Text a match was found in, with the matching spans (offsets into `text`)."""

    text: str
    marks: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class SearchHit:
    """A statement (corrections applied) or a doc (without its text) that matched."""

    id: str
    excerpts: dict[str, Excerpt]
    statement: Statement | None = None
    doc: Doc | None = None


@dataclass(slots=True)
class SearchResults:
    kind: SearchKind
    total: int
    hits: list[SearchHit]


# -- marks ------------------------------------------------------------------------------------


def unmark(marked: str, original: str) -> Excerpt:
    """FTS5 `highlight`/`snippet` output as text and spans.

    When the original text holds the marker characters itself the marks cannot be trusted,
    and the text comes back without them.
    """
    if OPEN in original or CLOSE in original:
        return Excerpt(marked.replace(OPEN, "").replace(CLOSE, ""))
    out: list[str] = []
    marks: list[Span] = []
    start: int | None = None
    pos = 0
    for ch in marked:
        if ch == OPEN:
            start = pos
        elif ch == CLOSE:
            if start is not None and start < pos:
                marks.append((start, pos))
            start = None
        else:
            out.append(ch)
            pos += 1
    return Excerpt("".join(out), marks)


def find_marks(text: str, terms: Sequence[Term]) -> list[Span]:
    """Every case-blind occurrence of each term in `text`, as sorted spans (ILIKE fallback)."""
    spans = {
        m.span()
        for t in terms
        for m in re.finditer(re.escape(t.words), text, flags=re.IGNORECASE)
        if m.end() > m.start()
    }
    return sorted(spans)


def window(text: str, marks: Sequence[Span], *, chars: int = SNIPPET_CHARS) -> Excerpt:
    """A snippet of `text` around its first mark, marks shifted to match (ILIKE fallback)."""
    if not marks:
        return Excerpt(text[: 2 * chars] + ("…" if len(text) > 2 * chars else ""))
    start = max(0, marks[0][0] - chars)
    end = min(len(text), marks[0][1] + chars)
    lead = "…" if start > 0 else ""
    shift = len(lead) - start
    inside = [(s + shift, e + shift) for s, e in marks if s >= start and e <= end]
    return Excerpt(lead + text[start:end] + ("…" if end < len(text) else ""), inside)


# -- queries ----------------------------------------------------------------------------------


def _match(name: str, query: Query) -> ColumnElement[bool]:
    return literal_column(name).op("MATCH")(bindparam("fts_query", query.fts()))


def _like(columns: Sequence[Any], query: Query) -> ColumnElement[bool]:
    return or_(
        *(
            and_(*(or_(*(c.icontains(t.words, autoescape=True) for c in columns)) for t in group))
            for group in query.any_of
        )
    )


def statement_query(
    query: Query,
    where: ColumnElement[bool] | None,
    *,
    fts: bool,
    leave_out: Sequence[str] = (),
    leave_out_rows: Sequence[int] = (),
) -> Select[Any]:
    """(id, search rowid) of the statements matching `query`, best first (FTS rank; newest
    first without FTS, and no rowid). `where` is the statement filters' scope
    (`Store._scope`); without one, only the statements `leave_out` are left out (with FTS,
    by their search rows `leave_out_rows`), and FTS is read alone, never joined with the
    statements."""
    if fts and where is None:
        sql = select(_fts_statements.c.statement_id, _fts_statements.c.rowid).where(
            _match("search_statements", query)
        )
        if leave_out_rows:
            sql = sql.where(_fts_statements.c.rowid.not_in(list(leave_out_rows)))
        # Ties by rowid (the order stored): reading every match's id to sort by it would
        # double the cost of a broad query.
        return sql.order_by(_fts_statements.c.rank, _fts_statements.c.rowid)
    if where is None:
        where = statements.c.id.not_in(list(leave_out)) if leave_out else true()
    if fts:
        sql = (
            select(statements.c.id, _fts_statements.c.rowid)
            .join(_fts_statements, _fts_statements.c.statement_id == statements.c.id)
            .where(where, _match("search_statements", query))
        )
        return sql.order_by(_fts_statements.c.rank, statements.c.id)
    sql = select(statements.c.id, null()).where(where)
    sql = sql.where(_like([statements.c[name] for name in STATEMENT_FIELDS], query))
    return sql.order_by(filed_on.desc().nulls_last(), statements.c.id)


def search_rows(conn: Connection, ids: Sequence[str]) -> list[int]:
    """The rows of statements `ids` in the search table (a pass over all of it: keep them)."""
    if not ids:
        return []
    sql = select(_fts_statements.c.rowid).where(_fts_statements.c.statement_id.in_(list(ids)))
    return [int(row[0]) for row in conn.execute(sql)]


def page_of(
    conn: Connection, sql: Select[Any], *, limit: int, offset: int = 0
) -> list[tuple[str, int | None]]:
    """One page of a search (`statement_query` or `doc_query`): ids and search rowids."""
    return [(row[0], row[1]) for row in _run(conn, sql.limit(limit).offset(offset))]


def count_of(conn: Connection, sql: Select[Any]) -> int:
    """How many ids a search finds in all."""
    every = select(func.count()).select_from(sql.order_by(None).subquery())
    return int(_run(conn, every).scalar_one())


def statement_excerpts(
    conn: Connection,
    query: Query,
    stmts: Sequence[Statement],
    *,
    fts: bool,
    rowids: Sequence[int | None] = (),
) -> dict[str, dict[str, Excerpt]]:
    """Per statement, the fields a term was found in (and always the content), marked.
    `rowids` are the statements' rows in the search table, as `page_of` gives them."""
    out: dict[str, dict[str, Excerpt]] = {}
    raws = _machine_fields(conn, [s.id for s in stmts])
    if fts and stmts:
        columns = [
            func.highlight(literal_column("search_statements"), n, OPEN, CLOSE).label(name)
            for n, name in enumerate(STATEMENT_FIELDS, start=1)
        ]
        sql = (
            select(_fts_statements.c.statement_id, *columns)
            .select_from(_fts_statements)
            .where(_match("search_statements", query))
            .where(_in_search(_fts_statements, rowids, _fts_statements.c.statement_id, raws))
        )
        for row in _run(conn, sql).mappings():
            raw = raws[row["statement_id"]]
            out[row["statement_id"]] = {
                name: unmark(row[name], raw[name])
                for name in STATEMENT_FIELDS
                if row[name] is not None
            }
    else:
        for stmt_id, raw in raws.items():
            out[stmt_id] = {
                name: Excerpt(raw[name], find_marks(raw[name], query.terms()))
                for name in STATEMENT_FIELDS
                if raw[name] is not None
            }
    return {
        stmt_id: {
            name: excerpt for name, excerpt in fields.items() if excerpt.marks or name == "content"
        }
        for stmt_id, fields in out.items()
    }


def _machine_fields(conn: Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    # The text as extracted: corrections may have changed `speaker` on the Statement.
    if not ids:
        return {}
    sql = select(statements.c.id, *(statements.c[name] for name in STATEMENT_FIELDS)).where(
        statements.c.id.in_(list(ids))
    )
    return {
        row["id"]: {name: row[name] for name in STATEMENT_FIELDS}
        for row in conn.execute(sql).mappings()
    }


def doc_query(
    query: Query,
    *,
    fts: bool,
    since: date | None,
    until: date | None,
    having: ColumnElement[bool] | None,
) -> Select[Any]:
    """(id, search rowid) of the docs matching `query`, best first; `having` keeps the docs
    holding a statement that matches it."""
    if fts and since is None and until is None and having is None:
        # Nothing to check against the docs themselves: the search table alone, ties by rowid.
        sql = select(_fts_docs.c.doc_id, _fts_docs.c.rowid).where(_match("search_docs", query))
        return sql.order_by(_fts_docs.c.rank, _fts_docs.c.rowid)
    sql = select(docs.c.id, _fts_docs.c.rowid if fts else null())
    if fts:
        sql = (
            sql.join(_fts_docs, _fts_docs.c.doc_id == docs.c.id)
            .where(_match("search_docs", query))
            .order_by(_fts_docs.c.rank, docs.c.id)
        )
    else:
        sql = sql.where(_like([docs.c.title, docs.c.text], query)).order_by(
            docs.c.published.desc().nulls_last(), docs.c.id
        )
    if since is not None:
        sql = sql.where(docs.c.published >= since)
    if until is not None:
        sql = sql.where(docs.c.published <= until)
    if having is not None:
        sql = sql.where(docs.c.id.in_(select(statements.c.doc_id).where(having)))
    return sql


def doc_hits(
    conn: Connection,
    query: Query,
    ids: Sequence[str],
    *,
    fts: bool,
    rowids: Sequence[int | None] = (),
) -> list[SearchHit]:
    """The docs `ids`, in that order, without their text, with their title and a snippet.
    `rowids` are their rows in the search table, as `page_of` gives them."""
    columns = [c for c in docs.c if c.name != "text"]
    rows = {
        row["id"]: row
        for row in conn.execute(select(*columns).where(docs.c.id.in_(ids))).mappings()
    }
    excerpts: dict[str, dict[str, Excerpt]] = {}
    if fts and ids:
        sql = (
            select(
                _fts_docs.c.doc_id,
                func.highlight(literal_column("search_docs"), 1, OPEN, CLOSE).label("title"),
                func.snippet(
                    literal_column("search_docs"), 2, OPEN, CLOSE, "…", SNIPPET_TOKENS
                ).label("text"),
                literal_column("search_docs.text").label("original"),
            )
            .select_from(_fts_docs)
            .where(_match("search_docs", query))
            .where(_in_search(_fts_docs, rowids, _fts_docs.c.doc_id, ids))
        )
        for row in _run(conn, sql).mappings():
            title = rows[row["doc_id"]]["title"]
            excerpts[row["doc_id"]] = {
                "title": unmark(row["title"] or "", title or ""),
                "text": unmark(row["text"] or "", row["original"] or ""),
            }
    else:
        for doc_id in ids:
            sql = select(docs.c.title, docs.c.text).where(docs.c.id == doc_id)
            title, text = conn.execute(sql).one()
            excerpts[doc_id] = {
                "title": Excerpt(title or "", find_marks(title or "", query.terms())),
                "text": window(text, find_marks(text, query.terms())),
            }
    return [
        SearchHit(
            id=doc_id,
            doc=convert.doc_from_row(rows[doc_id], text=""),
            excerpts=excerpts.get(doc_id, {}),
        )
        for doc_id in ids
        if doc_id in rows
    ]


def _in_search(
    fts_table: Any, rowids: Sequence[int | None], key: Any, ids: Iterable[str]
) -> ColumnElement[bool]:
    """The rows of the search table for a page: by rowid, which FTS5 looks up, else by id,
    which it checks against every match."""
    if rowids and None not in rowids:
        return fts_table.c.rowid.in_(list(rowids))
    return key.in_(list(ids))


def _run(conn: Connection, sql: Any) -> Any:
    try:
        return conn.execute(sql)
    except OperationalError as e:
        # Not expected, the query being rebuilt from quoted terms; but never a crash.
        raise BadSearch(f"the search engine refused this query: {e.orig}") from e
