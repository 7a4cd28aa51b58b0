"""Persistence: the one owner of the database, its connections and its migrations.

    with open_store("redline.db") as store:
        store.add_doc(doc, stmts, bands=bands, signature=signature)
        store.statements(actor="lavrov", issue="ceasefire", since=date(2024, 1, 1))
        store.correct(stmt_id, field="stance", value="concede", author="ana")
        store.search("ceasefire talks", side="russia")

Everything goes in and comes out as `redline.models` objects; rows never leave this package.
Statements are read with analysts' corrections over the machine's values (see `review`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Literal, TypeVar

from sqlalchemy import ColumnElement, Select, and_, delete, func, insert, or_, select, true
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from redline.errors import BadCorrection, StatementNotFound, StoreError, StoreWriteFailed
from redline.models import Contradiction, ContradictionKind, Doc, Statement
from redline.settings import get_settings
from redline.store import convert, db, query, review, search
from redline.store.query import PairFilter, StatementFilter
from redline.store.review import CORRECTABLE, Correction
from redline.store.schema import (
    contradictions,
    corrections,
    doc_bands,
    doc_signatures,
    docs,
    statement_issues,
    statement_targets,
    statements,
)
from redline.store.schema import filed_on as _filed_on
from redline.store.search import Excerpt, SearchHit, SearchKind, SearchResults

__all__ = [
    "CORRECTABLE",
    "Correction",
    "Excerpt",
    "SearchHit",
    "SearchKind",
    "SearchResults",
    "Store",
    "open_store",
]

# Well under SQLite's bound-parameter limit, so IN lists are chunked the same way everywhere.
_IN_CHUNK = 500

T = TypeVar("T")
GroupField = Literal["side", "stance", "issue"]


def _chunks(items: Sequence[T], size: int = _IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _select_statements() -> Select[Any]:
    return select(statements, docs.c.published).join_from(
        statements, docs, statements.c.doc_id == docs.c.id
    )


class _DocExists(Exception):
    """Internal: the doc was already stored, so the transaction is rolled back."""


class Store:
    """A redline database: SQLite by path, or any SQLAlchemy URL (PostgreSQL) given with `://`.

    Opening migrates the schema to the newest revision.
    """

    def __init__(self, url_or_path: str, *, busy_timeout_ms: int = 5000) -> None:
        self.url = db.to_url(url_or_path)
        self._engine = db.create(self.url, busy_timeout_ms=busy_timeout_ms)
        try:
            db.migrate(self._engine)
        except StoreError:
            self._engine.dispose()
            raise
        # FTS5 tables exist on SQLite only (migration 0003); elsewhere search uses ILIKE.
        self._fts = self._engine.dialect.name == "sqlite"

    def __repr__(self) -> str:
        return f"Store({db.shown(self.url)!r})"

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- docs ---------------------------------------------------------------------------------

    def has_doc(self, doc_id: str) -> bool:
        with self._engine.connect() as conn:
            return conn.execute(select(docs.c.id).where(docs.c.id == doc_id)).first() is not None

    def get_doc(self, doc_id: str) -> Doc | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(docs).where(docs.c.id == doc_id)).mappings().first()
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
        with self._engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [convert.doc_from_row(row, text=None if with_text else "") for row in rows]

    def count_docs(self, *, since: date | None = None) -> int:
        query = select(func.count()).select_from(docs)
        if since is not None:
            query = query.where(docs.c.published >= since)
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

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
        with self._engine.connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(bands))):
                sharing = select(doc_bands.c.doc_id).where(doc_bands.c.band.in_(chunk))
                query = (
                    select(docs.c.id, docs.c.story, doc_signatures.c.signature)
                    .join_from(docs, doc_signatures, doc_signatures.c.doc_id == docs.c.id)
                    .where(docs.c.id.in_(sharing))
                    .order_by(docs.c.ingested_at, docs.c.id)
                )
                for doc_id, story, stored in conn.execute(query):
                    if doc_id in seen:
                        continue
                    seen.add(doc_id)
                    score = similarity(list(signature), list(stored))
                    if score >= threshold and (best is None or score > best[0]):
                        best = (score, story)
        return None if best is None else best[1]

    def add_doc(
        self,
        doc: Doc,
        statements: Sequence[Statement],
        *,
        bands: Sequence[str] = (),
        signature: Sequence[int] = (),
    ) -> bool:
        """Store a doc with its bands, signature and statements, all or nothing.

        Returns False, changing nothing, when the doc is already stored. Raises StoreWriteFailed
        when the database refuses any part (a statement of another doc, a repeated statement id).
        """
        for stmt in statements:
            if stmt.doc_id != doc.id:
                raise StoreWriteFailed(
                    f"statement {stmt.id} belongs to doc {stmt.doc_id}, not {doc.id}"
                )
        try:
            with self._engine.begin() as conn:
                # Insert first rather than look first: the write lock is taken at once, and a
                # doc stored meanwhile by another process shows up as the key conflict.
                try:
                    conn.execute(insert(docs), convert.doc_row(doc))
                except IntegrityError as e:
                    raise _DocExists from e
                self._add_doc_parts(conn, doc, statements, bands=bands, signature=signature)
        except _DocExists as e:
            if self.has_doc(doc.id):
                return False
            raise StoreWriteFailed(f"cannot store doc {doc.id}: {e.__cause__}") from e
        except IntegrityError as e:
            raise StoreWriteFailed(f"cannot store doc {doc.id}: {e.orig}") from e
        except SQLAlchemyError as e:
            raise StoreError(f"cannot store doc {doc.id}: {e}") from e
        return True

    @staticmethod
    def _add_doc_parts(
        conn: Connection,
        doc: Doc,
        stmts: Sequence[Statement],
        *,
        bands: Sequence[str],
        signature: Sequence[int],
    ) -> None:
        band_rows = [{"doc_id": doc.id, "band": band} for band in dict.fromkeys(bands)]
        if band_rows:
            conn.execute(insert(doc_bands), band_rows)
        if signature:
            conn.execute(
                insert(doc_signatures),
                {"doc_id": doc.id, "signature": [int(x) for x in signature]},
            )
        if stmts:
            conn.execute(insert(statements), [convert.statement_row(s) for s in stmts])
        issue_rows = [row for s in stmts for row in convert.issue_rows(s)]
        if issue_rows:
            conn.execute(insert(statement_issues), issue_rows)
        target_rows = [row for s in stmts for row in convert.target_rows(s)]
        if target_rows:
            conn.execute(insert(statement_targets), target_rows)

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
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
        include_wrong: bool = False,
    ) -> list[Statement]:
        """Statements matching every filter given, by date (said, else published) then id.

        `actor` is a speaker id (exact) or part of a speaker's name (any case); `speaker_id` is
        an id only; `since` and `until` are inclusive. Filters see corrected values; statements
        marked wrong are left out unless `include_wrong`. `limit` and `offset` page in SQL;
        `newest_first` turns the order round (undated last).
        """
        found = StatementFilter(actor, speaker_id, side, issue, since, until, doc_id)
        if newest_first:
            order = (_filed_on.desc().nulls_last(), statements.c.id.desc())
        else:
            order = (_filed_on.asc().nulls_last(), statements.c.id.asc())
        with self._engine.connect() as conn:
            where, overlay, _ = self._scope(conn, found, include_wrong=include_wrong)
            sql = _select_statements().where(where).order_by(*order)
            if limit is not None:
                sql = sql.limit(max(0, limit))
            if offset:
                sql = sql.offset(max(0, offset))
            rows = conn.execute(sql).mappings().all()
        return [self._read(row, overlay) for row in rows]

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
        include_wrong: bool = False,
    ) -> int:
        """How many statements `statements` would return with the same filters."""
        found = StatementFilter(actor, speaker_id, side, issue, since, until, doc_id)
        with self._engine.connect() as conn:
            where, _, _ = self._scope(conn, found, include_wrong=include_wrong)
            dated = since is not None or until is not None
            base: Any = (
                statements.join(docs, statements.c.doc_id == docs.c.id) if dated else statements
            )
            sql = select(func.count()).select_from(base).where(where)
            return int(conn.execute(sql).scalar_one())

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
        counts: Counter[str | None] = Counter()
        with self._engine.connect() as conn:
            _, overlay, kept = self._scope(conn, found, include_wrong=include_wrong)
            machine = found.machine()
            if overlay:
                machine = and_(machine, statements.c.id.not_in(query.corrected_ids()))
            # The docs join only for dates: without it, counts are read from the indexes.
            dated = since is not None or until is not None
            base: Any = (
                statements.join(docs, statements.c.doc_id == docs.c.id) if dated else statements
            )
            if field == "issue":
                if found == StatementFilter():
                    # Nothing to filter on: read the issue index alone, never the statements.
                    tagged: Any = statement_issues
                    only = statement_issues.c.statement_id.not_in(query.corrected_ids())
                    machine = only if overlay else true()
                else:
                    tagged = base.join(
                        statement_issues, statement_issues.c.statement_id == statements.c.id
                    )
                sql: Select[Any] = (
                    select(statement_issues.c.issue, func.count())
                    .select_from(tagged)
                    .where(machine)
                    .group_by(statement_issues.c.issue)
                )
                every = select(func.count()).select_from(base).where(machine)
                # Grouped rather than DISTINCT: it walks the primary key, no temporary B-tree.
                ids = (
                    select(statement_issues.c.statement_id)
                    .select_from(tagged)
                    .where(machine)
                    .group_by(statement_issues.c.statement_id)
                    .subquery()
                )
                with_any = select(func.count()).select_from(ids)
                none = int(conn.execute(every).scalar_one()) - int(
                    conn.execute(with_any).scalar_one()
                )
                if none:
                    counts[None] += none
            else:
                column = statements.c[field]
                sql = select(column, func.count()).select_from(base).where(machine)
                sql = sql.group_by(column)
            for key, n in conn.execute(sql):
                counts[key] += int(n)
        for stmt in kept.values():
            if field == "issue":
                for key in dict.fromkeys(stmt.issues) or [None]:
                    counts[key] += 1
            else:
                counts[getattr(stmt, field)] += 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] or "")))

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
        with self._engine.connect() as conn:
            overlay = self._overlay(conn)
            sql = (
                _select_statements()
                .where(self._targeting(ids, kind, overlay, include_wrong=include_wrong))
                .order_by(_filed_on.desc().nulls_last(), statements.c.id.desc())
            )
            if limit is not None:
                sql = sql.limit(max(0, limit))
            if offset:
                sql = sql.offset(max(0, offset))
            rows = conn.execute(sql).mappings().all()
        return [self._read(row, overlay) for row in rows]

    def count_statements_targeting(
        self, target_ids: str | Sequence[str], *, kind: str = "place", include_wrong: bool = False
    ) -> int:
        ids = [target_ids] if isinstance(target_ids, str) else list(target_ids)
        with self._engine.connect() as conn:
            where = self._targeting(ids, kind, self._overlay(conn), include_wrong=include_wrong)
            sql = select(func.count()).select_from(statements).where(where)
            return int(conn.execute(sql).scalar_one())

    @staticmethod
    def _targeting(
        ids: Sequence[str], kind: str, overlay: review.Overlay, *, include_wrong: bool
    ) -> Any:
        aimed = select(statement_targets.c.statement_id).where(
            statement_targets.c.target_id.in_(ids), statement_targets.c.kind == kind
        )
        where: ColumnElement[bool] = statements.c.id.in_(aimed)
        wrong = [i for i, fields in overlay.items() if fields.get("wrong")]
        if wrong and not include_wrong:
            where = and_(where, statements.c.id.not_in(wrong))
        return where

    def _scope(
        self, conn: Connection, found: StatementFilter, *, include_wrong: bool
    ) -> tuple[Any, review.Overlay, dict[str, Statement]]:
        """The WHERE clause for `found`, the overlay, and the corrected statements it keeps."""
        overlay = self._overlay(conn)
        if not overlay:
            return found.machine(), overlay, {}
        kept = {
            stmt_id: stmt
            for stmt_id, stmt in self._statements_by_id(conn, overlay).items()
            if (include_wrong or not review.is_wrong(stmt)) and found.keeps(stmt)
        }
        return query.statement_scope(found.machine(), kept), overlay, kept

    @staticmethod
    def _read(row: Any, overlay: review.Overlay) -> Statement:
        stmt = convert.statement_from_row(row)
        if stmt.id in overlay:
            review.apply(stmt, overlay[stmt.id])
        return stmt

    def data_version(self) -> tuple[int, int, int, int]:
        """Changes whenever docs, statements, corrections or contradictions are added: a
        cache key for what is computed over everything (the map, positions)."""
        parts = (
            select(func.count()).select_from(docs).scalar_subquery(),
            select(func.count()).select_from(statements).scalar_subquery(),
            select(func.coalesce(func.max(corrections.c.id), 0)).scalar_subquery(),
            select(func.coalesce(func.max(contradictions.c.id), 0)).scalar_subquery(),
        )
        with self._engine.connect() as conn:
            row = conn.execute(select(*parts)).one()
        return (int(row[0]), int(row[1]), int(row[2]), int(row[3]))

    def get_statement(self, stmt_id: str) -> Statement | None:
        """The statement with its corrections, even when it is marked wrong."""
        with self._engine.connect() as conn:
            found = self._statements_by_id(conn, [stmt_id])
        return found.get(stmt_id)

    def _statements_by_id(self, conn: Connection, ids: Iterable[str]) -> dict[str, Statement]:
        """The statements `ids` that are stored, corrections applied, wrong ones included."""
        wanted = sorted(set(ids))
        overlay = self._overlay(conn, wanted)
        found: dict[str, Statement] = {}
        for chunk in _chunks(wanted):
            query = _select_statements().where(statements.c.id.in_(chunk))
            for row in conn.execute(query).mappings():
                stmt = convert.statement_from_row(row)
                if stmt.id in overlay:
                    review.apply(stmt, overlay[stmt.id])
                found[stmt.id] = stmt
        return found

    # -- corrections --------------------------------------------------------------------------

    @staticmethod
    def _overlay(conn: Connection, ids: Sequence[str] | None = None) -> review.Overlay:
        """The latest correction per statement and field: of `ids`, or of every statement."""
        query = select(corrections.c.statement_id, corrections.c.field, corrections.c.value)
        if ids is None:
            return review.overlay(conn.execute(query.order_by(corrections.c.id)).mappings())
        out: review.Overlay = {}
        for chunk in _chunks(list(ids)):
            where = query.where(corrections.c.statement_id.in_(chunk))
            out.update(review.overlay(conn.execute(where.order_by(corrections.c.id)).mappings()))
        return out

    def correct(
        self, stmt_id: str, *, field: str, value: object, author: str, note: str | None = None
    ) -> Correction:
        """Set `field` of a stored statement to `value`, over the machine's (see `review`).

        Raises StatementNotFound for an unknown statement, BadCorrection for a field that cannot
        be corrected or a value of the wrong kind.
        """
        return self.correct_many(stmt_id, {field: value}, author=author, note=note)[0]

    def correct_many(
        self,
        stmt_id: str,
        values: Mapping[str, object],
        *,
        author: str,
        note: str | None = None,
    ) -> list[Correction]:
        """Several corrections of one statement, by one author with one note, all or nothing."""
        if not values:
            raise BadCorrection("nothing to correct: give at least one field")
        checked = {name: review.checked(name, value) for name, value in values.items()}
        author, note = review.checked_author(author, note)
        now = datetime.now(UTC)
        rows = [
            {
                "statement_id": stmt_id,
                "field": name,
                "value": value,
                "author": author,
                "created_at": now,
                "note": note,
            }
            for name, value in checked.items()
        ]
        try:
            with self._engine.begin() as conn:
                exists = select(statements.c.id).where(statements.c.id == stmt_id)
                if conn.execute(exists).first() is None:
                    raise StatementNotFound(stmt_id)
                ids: list[int] = []
                for row in rows:
                    key = conn.execute(insert(corrections), row).inserted_primary_key
                    ids.append(int(key[0]) if key is not None else 0)
        except SQLAlchemyError as e:
            raise StoreError(f"cannot store corrections of statement {stmt_id}: {e}") from e
        return [
            Correction(
                id=i,
                statement_id=stmt_id,
                field=row["field"],
                value=row["value"],
                author=author,
                created_at=now,
                note=note,
            )
            for i, row in zip(ids, rows, strict=True)
        ]

    def corrections(self, statement_id: str | None = None) -> list[Correction]:
        """Every stored correction (of one statement, if given), oldest first."""
        query = select(corrections).order_by(corrections.c.id)
        if statement_id is not None:
            query = query.where(corrections.c.statement_id == statement_id)
        with self._engine.connect() as conn:
            return [review.correction_from_row(row) for row in conn.execute(query).mappings()]

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
        limit = max(0, min(limit, _IN_CHUNK))
        offset = max(0, offset)
        if kind == "docs":
            having = None
            if side is not None or issue is not None:
                having = {s.doc_id for s in self.statements(side=side, issue=issue)}
            with self._engine.connect() as conn:
                ids = search.doc_ids(
                    conn, query, fts=self._fts, since=since, until=until, having=having
                )
                hits = search.doc_hits(conn, query, ids[offset : offset + limit], fts=self._fts)
            return SearchResults(kind="docs", total=len(ids), hits=hits)
        with self._engine.connect() as conn:
            ids = search.statement_ids(
                conn,
                query,
                fts=self._fts,
                overlay=self._overlay(conn),
                side=side,
                issue=issue,
                since=since,
                until=until,
                include_wrong=include_wrong,
            )
            page = ids[offset : offset + limit]
            found = self._statements_by_id(conn, page)
            stmts = [found[i] for i in page if i in found]
            excerpts = search.statement_excerpts(conn, query, stmts, fts=self._fts)
        hits = [SearchHit(id=s.id, statement=s, excerpts=excerpts.get(s.id, {})) for s in stmts]
        return SearchResults(kind="statements", total=len(ids), hits=hits)

    # -- contradictions -----------------------------------------------------------------------

    def replace_contradictions(self, items: Sequence[Contradiction]) -> None:
        """Replace every stored contradiction with `items`, in one transaction."""
        rows = [
            {
                "a_id": item.a.id,
                "b_id": item.b.id,
                "kind": item.kind,
                "reason": item.reason,
                "confidence": float(item.confidence),
            }
            for item in items
        ]
        try:
            with self._engine.begin() as conn:
                conn.execute(delete(contradictions))
                if rows:
                    conn.execute(insert(contradictions), rows)
        except IntegrityError as e:
            raise StoreWriteFailed(
                f"cannot store contradictions (is every statement stored, each pair once?): "
                f"{e.orig}"
            ) from e
        except SQLAlchemyError as e:
            raise StoreError(f"cannot store contradictions: {e}") from e

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
        order = (query.PAIR_DAY.desc().nulls_last(),) if newest_first else ()
        with self._engine.connect() as conn:
            where = self._pair_scope(conn, found, include_wrong=include_wrong)
            sql = (
                select(contradictions)
                .select_from(query.joined())
                .where(where)
                .order_by(*order, contradictions.c.id)
            )
            if limit is not None:
                sql = sql.limit(max(0, limit))
            if offset:
                sql = sql.offset(max(0, offset))
            rows = conn.execute(sql).mappings().all()
            ids = [row[key] for row in rows for key in ("a_id", "b_id")]
            loaded = self._statements_by_id(conn, ids)
        return [_pair(row, loaded) for row in rows]

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
        with self._engine.connect() as conn:
            where = self._pair_scope(conn, found, include_wrong=include_wrong)
            sql = select(func.count()).select_from(query.joined()).where(where)
            return int(conn.execute(sql).scalar_one())

    def _pair_scope(self, conn: Connection, found: PairFilter, *, include_wrong: bool) -> Any:
        """The WHERE clause for `found`: pairs of corrected statements are checked in Python."""
        overlay = self._overlay(conn)
        if not overlay:
            return found.sql()
        touched = list(overlay)
        rows: list[Any] = []
        for chunk in _chunks(touched):
            sql = select(contradictions).where(
                or_(contradictions.c.a_id.in_(chunk), contradictions.c.b_id.in_(chunk))
            )
            rows += conn.execute(sql).mappings().all()
        rows = list({row["id"]: row for row in rows}.values())
        loaded = self._statements_by_id(conn, [row[k] for row in rows for k in ("a_id", "b_id")])
        kept = [
            row["id"]
            for row in rows
            if (pair := _pair(row, loaded))
            and (include_wrong or not (review.is_wrong(pair.a) or review.is_wrong(pair.b)))
            and found.keeps(pair)
        ]
        return query.pair_scope(found.sql(), kept)


def _pair(row: Any, loaded: Mapping[str, Statement]) -> Contradiction:
    return Contradiction(
        a=loaded[row["a_id"]],
        b=loaded[row["b_id"]],
        kind=row["kind"],
        reason=row["reason"],
        confidence=float(row["confidence"]),
    )


def open_store(url_or_path: str | None = None) -> Store:
    """Open (and migrate) the database at `url_or_path`, or the one in settings (`db`)."""
    return Store(url_or_path if url_or_path is not None else get_settings().db)
