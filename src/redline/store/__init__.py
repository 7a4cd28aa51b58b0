"""Persistence: the one owner of the database, its connections and its migrations.

    with open_store("redline.db") as store:
        store.add_doc(doc, stmts, bands=bands, signature=signature)
        store.statements(actor="lavrov", issue="ceasefire", since=date(2024, 1, 1))

Everything goes in and comes out as `redline.models` objects; rows never leave this package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Select, delete, func, insert, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from redline.errors import StoreError, StoreWriteFailed
from redline.models import Contradiction, ContradictionKind, Doc, Statement
from redline.settings import get_settings
from redline.store import convert, db
from redline.store.schema import (
    contradictions,
    doc_bands,
    doc_signatures,
    docs,
    statement_issues,
    statements,
)

__all__ = ["Store", "open_store"]

# Well under SQLite's bound-parameter limit, so IN lists are chunked the same way everywhere.
_IN_CHUNK = 500

# The date a statement is filed under: when it was said, else when its doc was published.
_filed_on = func.coalesce(statements.c.said_on, docs.c.published)

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
    ) -> list[Statement]:
        """Statements matching every filter given, by date (said, else published) then id.

        `actor` is a speaker id (exact) or part of a speaker's name (any case); `since` and
        `until` are inclusive.
        """
        query = _select_statements()
        if actor is not None:
            query = query.where(
                or_(
                    statements.c.speaker_id == actor,
                    statements.c.speaker.icontains(actor, autoescape=True),
                    statements.c.speaker_name.icontains(actor, autoescape=True),
                )
            )
        if side is not None:
            query = query.where(statements.c.side == side)
        if issue is not None:
            tagged = select(statement_issues.c.statement_id).where(
                statement_issues.c.issue == issue
            )
            query = query.where(statements.c.id.in_(tagged))
        if since is not None:
            query = query.where(_filed_on >= since)
        if until is not None:
            query = query.where(_filed_on <= until)
        if doc_id is not None:
            query = query.where(statements.c.doc_id == doc_id)
        query = query.order_by(_filed_on.asc().nulls_last(), statements.c.id)
        if limit is not None:
            query = query.limit(limit)
        with self._engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [convert.statement_from_row(row) for row in rows]

    def get_statement(self, stmt_id: str) -> Statement | None:
        with self._engine.connect() as conn:
            found = self._statements_by_id(conn, [stmt_id])
        return found.get(stmt_id)

    def count_statements(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(statements)).scalar_one())

    @staticmethod
    def _statements_by_id(conn: Connection, ids: Iterable[str]) -> dict[str, Statement]:
        found: dict[str, Statement] = {}
        for chunk in _chunks(sorted(set(ids))):
            query = _select_statements().where(statements.c.id.in_(chunk))
            for row in conn.execute(query).mappings():
                stmt = convert.statement_from_row(row)
                found[stmt.id] = stmt
        return found

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

    def contradictions(self, *, kind: ContradictionKind | None = None) -> list[Contradiction]:
        """Stored contradictions, in the order they were stored, with both statements loaded."""
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
        ]


def open_store(url_or_path: str | None = None) -> Store:
    """Open (and migrate) the database at `url_or_path`, or the one in settings (`db`)."""
    return Store(url_or_path if url_or_path is not None else get_settings().db)
