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

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Select, delete, func, insert, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from redline.errors import BadCorrection, StatementNotFound, StoreError, StoreWriteFailed
from redline.models import Contradiction, ContradictionKind, Doc, Statement
from redline.settings import get_settings
from redline.store import convert, db, review, search
from redline.store.review import CORRECTABLE, Correction
from redline.store.schema import (
    contradictions,
    corrections,
    doc_bands,
    doc_signatures,
    docs,
    statement_issues,
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

    def docs(self, *, with_text: bool = True) -> list[Doc]:
        """Every doc, by published date then id; `with_text=False` leaves `text` empty."""
        columns = [c for c in docs.c if with_text or c.name != "text"]
        query = select(*columns).order_by(docs.c.published.asc().nulls_last(), docs.c.id)
        with self._engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [convert.doc_from_row(row, text=None if with_text else "") for row in rows]

    def count_docs(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(docs)).scalar_one())

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
        limit: int | None = None,
        include_wrong: bool = False,
    ) -> list[Statement]:
        """Statements matching every filter given, by date (said, else published) then id.

        `actor` is a speaker id (exact) or part of a speaker's name (any case); `since` and
        `until` are inclusive. Filters see corrected values; statements marked wrong are left
        out unless `include_wrong`.
        """
        query = _select_statements()
        # A corrected statement is a candidate whatever the machine said, and is checked
        # against its corrected values below.
        if actor is not None:
            query = query.where(
                or_(
                    statements.c.speaker_id == actor,
                    statements.c.speaker.icontains(actor, autoescape=True),
                    statements.c.speaker_name.icontains(actor, autoescape=True),
                    statements.c.id.in_(review.touched("speaker", "speaker_id")),
                )
            )
        if side is not None:
            query = query.where(
                or_(statements.c.side == side, statements.c.id.in_(review.touched("side")))
            )
        if issue is not None:
            tagged = select(statement_issues.c.statement_id).where(
                statement_issues.c.issue == issue
            )
            query = query.where(
                or_(statements.c.id.in_(tagged), statements.c.id.in_(review.touched("issues")))
            )
        if since is not None:
            query = query.where(_filed_on >= since)
        if until is not None:
            query = query.where(_filed_on <= until)
        if doc_id is not None:
            query = query.where(statements.c.doc_id == doc_id)
        query = query.order_by(_filed_on.asc().nulls_last(), statements.c.id)
        with self._engine.connect() as conn:
            overlay = self._overlay(conn)
            if limit is not None and not overlay:
                query = query.limit(limit)
            rows = conn.execute(query).mappings().all()
        found: list[Statement] = []
        for row in rows:
            stmt = convert.statement_from_row(row)
            if stmt.id in overlay:
                review.apply(stmt, overlay[stmt.id])
                if (review.is_wrong(stmt) and not include_wrong) or not review.matches(
                    stmt, actor=actor, side=side, issue=issue
                ):
                    continue
            found.append(stmt)
            if limit is not None and len(found) >= limit:
                break
        return found

    def get_statement(self, stmt_id: str) -> Statement | None:
        """The statement with its corrections, even when it is marked wrong."""
        with self._engine.connect() as conn:
            found = self._statements_by_id(conn, [stmt_id])
        return found.get(stmt_id)

    def count_statements(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(statements)).scalar_one())

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
        self, *, kind: ContradictionKind | None = None, include_wrong: bool = False
    ) -> list[Contradiction]:
        """Stored contradictions, in the order they were stored, with both statements loaded.

        Statements come with their corrections; a pair with a statement marked wrong is left
        out unless `include_wrong`.
        """
        query = select(contradictions).order_by(contradictions.c.id)
        if kind is not None:
            query = query.where(contradictions.c.kind == kind)
        with self._engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
            ids = [row[key] for row in rows for key in ("a_id", "b_id")]
            found = self._statements_by_id(conn, ids)
        return [
            Contradiction(
                a=found[row["a_id"]],
                b=found[row["b_id"]],
                kind=row["kind"],
                reason=row["reason"],
                confidence=float(row["confidence"]),
            )
            for row in rows
            if include_wrong
            or not (review.is_wrong(found[row["a_id"]]) or review.is_wrong(found[row["b_id"]]))
        ]


def open_store(url_or_path: str | None = None) -> Store:
    """Open (and migrate) the database at `url_or_path`, or the one in settings (`db`)."""
    return Store(url_or_path if url_or_path is not None else get_settings().db)
