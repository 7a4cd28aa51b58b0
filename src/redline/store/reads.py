"""The store's reads: docs, statements, stands, corrections, search and contradictions.

`Reads` is the reading half of `Store` (see `redline.store`); every method opens one `Read`:
a connection, the data version its snapshot sees, and the store's cache at that version, so a
count or the corrected statements are computed once per change and a page never mixes two
versions.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from functools import cached_property
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Engine, and_, func, select
from sqlalchemy.engine import Connection

from redline.models import Contradiction, ContradictionKind, Doc, Statement
from redline.store import convert, pairs, reading, review, search, stands
from redline.store.cache import VersionCache
from redline.store.query import Corrected, PairFilter, Speaker, StatementFilter, statement_scope
from redline.store.reading import GroupField
from redline.store.review import Correction
from redline.store.schema import (
    corrections,
    data_version,
    doc_bands,
    doc_signatures,
    docs,
    statement_targets,
    statements,
)
from redline.store.search import SearchHit, SearchKind, SearchResults
from redline.store.stands import Stand

T = TypeVar("T")

# Search ids kept per query (see `Reads._ranked`): ten pages of fifty.
RANKED = 500


def version_of(conn: Connection) -> int:
    """The data version `conn` sees (see `data_version` in the schema)."""
    sql = select(data_version.c.version).where(data_version.c.id == 1)
    return int(conn.execute(sql).scalar() or 0)


class Read:
    """One read: a connection, the data version it sees, and results kept at that version."""

    def __init__(self, conn: Connection, cache: VersionCache) -> None:
        self.conn = conn
        self._cache = cache

    @cached_property
    def version(self) -> int:
        """Read once, on first use: later reads on this connection share its snapshot."""
        return version_of(self.conn)

    def cached(self, key: Hashable, make: Callable[[], T]) -> T:
        """`make()`'s result, kept until the data version changes."""
        return self._cache.get(key, self.version, make)

    @property
    def speakers(self) -> list[Speaker]:
        """Every distinct (speaker_id, speaker, speaker_name) stored (see `resolve_actor`)."""
        return self.cached("speakers", lambda: reading.speakers(self.conn))

    def resolved(self, found: StatementFilter) -> StatementFilter:
        """`found` with its actor, if any, matched against the speakers stored; both the
        speakers and each actor's match are kept (a page asks twice: its rows, its count)."""
        if found.actor is None:
            return found
        actor, speakers = found.actor, self.speakers
        alone = self.cached(
            ("actor", actor), lambda: StatementFilter(actor=actor).resolve_actor(speakers)
        )
        return replace(found, speaker_ids=alone.speaker_ids, speaker_names=alone.speaker_names)

    @property
    def fixed(self) -> Corrected:
        """Every corrected statement, as corrected (see `query.Corrected`)."""
        return self.cached("corrected", lambda: reading.corrected(self.conn))


class Reads:
    """The reading methods of `Store`."""

    _engine: Engine
    _cache: VersionCache
    _fts: bool

    @contextmanager
    def _read(self) -> Iterator[Read]:
        with self._engine.connect() as conn:
            yield Read(conn, self._cache)

    # -- the data version, docs ---------------------------------------------------------------

    def data_version(self) -> int:
        """A number that changes whenever docs, statements, corrections or contradictions are
        written, by this process or another: a cache key for what is computed over everything
        (the map, positions)."""
        with self._read() as r:
            return r.version

    def speakers(self) -> list[Speaker]:
        """Every distinct (speaker_id, speaker, speaker_name) stored, what the actor filter is
        matched against (kept per data version)."""
        with self._read() as r:
            return r.speakers

    def has_doc(self, doc_id: str) -> bool:
        with self._read() as r:
            return r.conn.execute(select(docs.c.id).where(docs.c.id == doc_id)).first() is not None

    def get_doc(self, doc_id: str) -> Doc | None:
        with self._read() as r:
            row = r.conn.execute(select(docs).where(docs.c.id == doc_id)).mappings().first()
        return None if row is None else convert.doc_from_row(row)

    def docs(
        self,
        *,
        with_text: bool = True,
        since: date | None = None,
        newest_first: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Doc]:
        """Docs by published date then id (`newest_first`: the other way, undated last);
        `since` keeps those published from that day on; `with_text=False` leaves `text` empty."""
        columns = [c for c in docs.c if with_text or c.name != "text"]
        if newest_first:
            order = (docs.c.published.desc().nulls_last(), docs.c.id.desc())
        else:
            order = (docs.c.published.asc().nulls_last(), docs.c.id.asc())
        query = select(*columns).order_by(*order)
        if since is not None:
            query = query.where(docs.c.published >= since)
        if limit is not None:
            query = query.limit(max(0, limit))
        if offset:
            query = query.offset(max(0, offset))
        with self._read() as r:
            rows = r.conn.execute(query).mappings().all()
        return [convert.doc_from_row(row, text=None if with_text else "") for row in rows]

    def count_docs(self, *, since: date | None = None) -> int:
        query = select(func.count()).select_from(docs)
        if since is not None:
            query = query.where(docs.c.published >= since)
        with self._read() as r:
            return r.cached(("docs", since), lambda: int(r.conn.execute(query).scalar_one()))

    def find_story(
        self,
        bands: Sequence[str],
        signature: list[int],
        *,
        threshold: float,
        similarity: Callable[[list[int], list[int]], float],
    ) -> str | None:
        """The story of the stored doc most like `signature`, if any is at least `threshold`.

        Candidates are the docs sharing a band key; ties go to the doc ingested first.
        """
        best: tuple[float, str] | None = None
        seen: set[str] = set()
        with self._read() as r:
            for chunk in reading.chunks(list(dict.fromkeys(bands))):
                sharing = select(doc_bands.c.doc_id).where(doc_bands.c.band.in_(chunk))
                query = (
                    select(docs.c.id, docs.c.story, doc_signatures.c.signature)
                    .join_from(docs, doc_signatures, doc_signatures.c.doc_id == docs.c.id)
                    .where(docs.c.id.in_(sharing))
                    .order_by(docs.c.ingested_at, docs.c.id)
                )
                for doc_id, story, stored in r.conn.execute(query):
                    if doc_id in seen:
                        continue
                    seen.add(doc_id)
                    score = similarity(list(signature), list(stored))
                    if score >= threshold and (best is None or score > best[0]):
                        best = (score, story)
        return None if best is None else best[1]

    # -- statements ---------------------------------------------------------------------------

    def statements(
        self,
        *,
        actor: str | None = None,
        side: str | None = None,
        issue: str | None = None,
        since: date | None = None,
        until: date | None = None,
        doc_id: str | None = None,
        speaker_id: str | None = None,
        institution: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
        include_wrong: bool = False,
    ) -> list[Statement]:
        """Statements matching every filter given, by date (said, else published) then id.

        `actor` is a speaker id (exact) or part of a speaker's name (any case); `speaker_id` is
        an id only; `institution` the body spoken for, by name; `since` and `until` are
        inclusive. Filters see corrected values; statements
        marked wrong are left out unless `include_wrong`. `limit` and `offset` page in SQL;
        `newest_first` turns the order round (undated last).
        """
        found = StatementFilter(
            actor, speaker_id, side, issue, since, until, doc_id, institution=institution
        )
        with self._read() as r:
            found = r.resolved(found)
            fixed = r.fixed
            kept = fixed.kept(found, include_wrong=include_wrong) if fixed.overlay else None
            return reading.page(
                r.conn,
                found.machine(),
                fixed.overlay,
                kept=kept,
                newest_first=newest_first,
                limit=limit,
                offset=offset,
            )

    def count_statements(
        self,
        *,
        actor: str | None = None,
        side: str | None = None,
        issue: str | None = None,
        since: date | None = None,
        until: date | None = None,
        doc_id: str | None = None,
        speaker_id: str | None = None,
        institution: str | None = None,
        include_wrong: bool = False,
    ) -> int:
        """How many statements `statements` would return with the same filters."""
        found = StatementFilter(
            actor, speaker_id, side, issue, since, until, doc_id, institution=institution
        )
        with self._read() as r:
            found = r.resolved(found)
            fixed = r.fixed
            return r.cached(
                ("count", found, include_wrong),
                lambda: reading.count(r.conn, found, fixed, include_wrong=include_wrong),
            )

    def count_statements_by(
        self,
        field: GroupField,
        *,
        side: str | None = None,
        issue: str | None = None,
        since: date | None = None,
        until: date | None = None,
        speaker_id: str | None = None,
        include_wrong: bool = False,
    ) -> dict[str | None, int]:
        """Statements counted by `field` (side, stance or issue), most first, then by key.

        By issue a statement counts once for each of its issues; one without any counts under
        None, as does one without a stance.
        """
        found = StatementFilter(None, speaker_id, side, issue, since, until, None)
        key = ("count_by", field, found, include_wrong)
        with self._read() as r:
            fixed = r.fixed
            if (since or until) and replace(found, since=None, until=None) == StatementFilter():
                # Dates alone (the dashboard's "since"): a sum over counts per day, kept.
                days = r.cached(("daily", field), lambda: reading.daily(r.conn, field))
                counts = r.cached(
                    key,
                    lambda: reading.count_by_days(
                        days, field, found, fixed, include_wrong=include_wrong
                    ),
                )
            else:
                counts = r.cached(
                    key,
                    lambda: reading.count_by(
                        r.conn, field, found, fixed, include_wrong=include_wrong
                    ),
                )
        return dict(counts)

    def statements_targeting(
        self,
        target_ids: str | Sequence[str],
        *,
        kind: str = "place",
        limit: int | None = 50,
        offset: int = 0,
        include_wrong: bool = False,
    ) -> list[Statement]:
        """Statements with any of `target_ids` (of `kind`) among their targets, newest first."""
        ids = [target_ids] if isinstance(target_ids, str) else list(target_ids)
        with self._read() as r:
            fixed = r.fixed
            where = self._targeting(ids, kind, fixed, include_wrong=include_wrong)
            return reading.page(
                r.conn,
                where,
                fixed.overlay,
                newest_first=True,
                limit=limit,
                offset=offset,
            )

    def count_statements_targeting(
        self, target_ids: str | Sequence[str], *, kind: str = "place", include_wrong: bool = False
    ) -> int:
        ids = [target_ids] if isinstance(target_ids, str) else list(target_ids)
        with self._read() as r:
            fixed = r.fixed
            where = self._targeting(ids, kind, fixed, include_wrong=include_wrong)
            sql = select(func.count()).select_from(statements).where(where)
            return r.cached(
                ("targeting", tuple(ids), kind, include_wrong),
                lambda: int(r.conn.execute(sql).scalar_one()),
            )

    @staticmethod
    def _targeting(ids: Sequence[str], kind: str, fixed: Corrected, *, include_wrong: bool) -> Any:
        aimed = select(statement_targets.c.statement_id).where(
            statement_targets.c.target_id.in_(ids), statement_targets.c.kind == kind
        )
        where: ColumnElement[bool] = statements.c.id.in_(aimed)
        wrong = fixed.wrong()
        if wrong and not include_wrong:
            where = and_(where, statements.c.id.not_in(wrong))
        return where

    @staticmethod
    def _scope(found: StatementFilter, fixed: Corrected, *, include_wrong: bool) -> Any:
        """The WHERE clause for `found`: uncorrected statements by SQL, corrected ones by id."""
        if not fixed.overlay:
            return found.machine()
        return statement_scope(found.machine(), fixed.kept(found, include_wrong=include_wrong))

    def get_statement(self, stmt_id: str) -> Statement | None:
        """The statement with its corrections, even when it is marked wrong."""
        return self.get_statements([stmt_id]).get(stmt_id)

    def get_statements(self, ids: Sequence[str]) -> dict[str, Statement]:
        """The stored statements among `ids`, by id, with their corrections, wrong ones too."""
        with self._read() as r:
            return reading.by_id(r.conn, ids)

    # -- stands and polarities ----------------------------------------------------------------

    def stands(
        self,
        issue: str,
        *,
        basis: str,
        target_kind: str | None = None,
        include_wrong: bool = False,
    ) -> tuple[list[Stand], list[Statement]]:
        """Every statement on `issue` as positions need it: those without corrections as
        stands, each with its polarity kept under `basis` (None when not kept yet; those kept
        as 0, taking no side, are left out), those with corrections as statements.
        `target_kind` keeps those with a target of that kind."""
        with self._read() as r:
            return stands.on_issue(
                r.conn,
                issue,
                r.fixed,
                basis=basis,
                target_kind=target_kind,
                include_wrong=include_wrong,
            )

    def kept_polarities(self, ids: Sequence[str]) -> dict[tuple[str, str], tuple[str, int]]:
        """The polarities kept for statements `ids`: (id, issue) -> (basis, polarity)."""
        with self._read() as r:
            return stands.kept(r.conn, ids)

    def corrections(self, statement_id: str | None = None) -> list[Correction]:
        """Every stored correction (of one statement, if given), oldest first."""
        query = select(corrections).order_by(corrections.c.id)
        if statement_id is not None:
            query = query.where(corrections.c.statement_id == statement_id)
        with self._read() as r:
            return [review.correction_from_row(row) for row in r.conn.execute(query).mappings()]

    # -- search -------------------------------------------------------------------------------

    def search(
        self,
        q: str,
        *,
        kind: SearchKind = "statements",
        side: str | None = None,
        issue: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int = 50,
        offset: int = 0,
        include_wrong: bool = False,
    ) -> SearchResults:
        """Statements (or docs) whose words match `q`, best first, one page of them.

        Statements are searched in content, speaker, speaker mention, cue and venue; docs in
        title and text. Filters mean what they do in `statements`; for docs, `side` and `issue`
        keep the docs holding such a statement, `since` and `until` go by the published date.
        Raises BadSearch for a query with no word in it (see `search.parse` for the syntax).
        """
        query = search.parse(q)
        limit = max(0, min(limit, reading.IN_CHUNK))
        offset = max(0, offset)
        key = ("search", q, kind, side, issue, since, until, include_wrong)
        with self._read() as r:
            fixed = r.fixed
            if kind == "docs":
                having = None
                if side is not None or issue is not None:
                    found = StatementFilter(side=side, issue=issue)
                    having = self._scope(found, fixed, include_wrong=include_wrong)
                sql = search.doc_query(
                    query, fts=self._fts, since=since, until=until, having=having
                )
                page, total = self._ranked(r, key, sql, limit=limit, offset=offset)
                hits = search.doc_hits(
                    r.conn,
                    query,
                    [i for i, _ in page],
                    fts=self._fts,
                    rowids=[row for _, row in page],
                )
                return SearchResults(kind="docs", total=total, hits=hits)
            found = StatementFilter(side=side, issue=issue, since=since, until=until)
            where = None
            if found != StatementFilter():
                where = self._scope(found, fixed, include_wrong=include_wrong)
            wrong = [] if include_wrong else fixed.wrong()
            rows: list[int] = []
            if self._fts and wrong:
                rows = r.cached("wrong_rows", lambda: search.search_rows(r.conn, wrong))
            sql = search.statement_query(
                query, where, fts=self._fts, leave_out=wrong, leave_out_rows=rows
            )
            page, total = self._ranked(r, key, sql, limit=limit, offset=offset)
            loaded = reading.by_id(r.conn, [i for i, _ in page])
            stmts = [loaded[i] for i, _ in page if i in loaded]
            rowids = [row for i, row in page if i in loaded]
            excerpts = search.statement_excerpts(r.conn, query, stmts, fts=self._fts, rowids=rowids)
        hits = [SearchHit(id=s.id, statement=s, excerpts=excerpts.get(s.id, {})) for s in stmts]
        return SearchResults(kind="statements", total=total, hits=hits)

    @staticmethod
    def _ranked(
        r: Read, key: Hashable, sql: Any, *, limit: int, offset: int
    ) -> tuple[list[tuple[str, int | None]], int]:
        """One page of search `sql` and how many it finds in all. Ranking is the cost (every
        match is scored before the first is known), so the first RANKED ids are kept per
        query at this data version: the next pages, and the same search from another client,
        are slices of them. Deeper pages and counts of larger results go to SQL."""
        head = r.cached(("ranked", key), lambda: search.page_of(r.conn, sql, limit=RANKED + 1))
        if len(head) <= RANKED:
            return head[offset : offset + limit], len(head)
        total = r.cached(("total", key), lambda: search.count_of(r.conn, sql))
        if offset + limit <= RANKED:
            return head[offset : offset + limit], total
        return search.page_of(r.conn, sql, limit=limit, offset=offset), total

    def contradictions(
        self,
        *,
        kind: ContradictionKind | None = None,
        side: str | None = None,
        issue: str | None = None,
        since: date | None = None,
        statement_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
        include_wrong: bool = False,
    ) -> list[Contradiction]:
        """Stored contradictions, in the order they were stored, with both statements loaded.

        `side` and `issue` keep pairs where either statement has them (corrected values);
        `since` keeps pairs whose later statement is from that day on; `statement_id` the pairs
        a statement is part of. `newest_first` orders by the later statement's date instead
        (undated last, then as stored). A pair with a statement marked wrong is left out unless
        `include_wrong`. `limit` and `offset` page in SQL.
        """
        found = PairFilter(kind, side, issue, since, statement_id)
        with self._read() as r:
            where = self._pair_scope(r, found, include_wrong=include_wrong)
            if found.side is not None or found.issue is not None:
                ordered = self._pair_ids(r, found, where, include_wrong, newest_first)
                start = max(0, offset)
                end = None if limit is None else start + max(0, limit)
                return pairs.by_row_ids(r.conn, ordered[start:end])
            return pairs.page(
                r.conn,
                where,
                source=found.source(),
                newest_first=newest_first,
                limit=limit,
                offset=offset,
            )

    def count_contradictions(
        self,
        *,
        kind: ContradictionKind | None = None,
        side: str | None = None,
        issue: str | None = None,
        since: date | None = None,
        statement_id: str | None = None,
        include_wrong: bool = False,
    ) -> int:
        """How many pairs `contradictions` would return with the same filters."""
        found = PairFilter(kind, side, issue, since, statement_id)
        with self._read() as r:
            where = self._pair_scope(r, found, include_wrong=include_wrong)
            if found.side is not None or found.issue is not None:
                # the feed's page has read them all already (newest first): count those
                return len(self._pair_ids(r, found, where, include_wrong, True))
            return r.cached(
                ("pairs", found, include_wrong),
                lambda: pairs.count(r.conn, where, source=found.source()),
            )

    @staticmethod
    def _pair_ids(
        r: Read, found: PairFilter, where: Any, include_wrong: bool, newest_first: bool
    ) -> tuple[int, ...]:
        """Row ids, in order, of the pairs a side or issue filter keeps: it reads both
        statements of every pair until a page is full, and few pairs match, so they are kept
        until the data changes (and counted from here)."""
        return r.cached(
            ("pair_ids", found, include_wrong, newest_first),
            lambda: pairs.ids(r.conn, where, source=found.source(), newest_first=newest_first),
        )

    def _pair_scope(self, r: Read, found: PairFilter, *, include_wrong: bool) -> Any:
        fixed = r.fixed
        kept: tuple[int, ...] = ()
        if fixed.overlay:
            kept = r.cached(
                ("pairs_kept", found, include_wrong),
                lambda: pairs.kept(r.conn, found, fixed, include_wrong=include_wrong),
            )
        return pairs.scope(found, fixed, kept)
