"""Persistence: the one owner of the database, its connections and its migrations.

    with open_store("redline.db") as store:
        store.add_doc(doc, stmts, bands=bands, signature=signature)
        store.statements(actor="lavrov", issue="ceasefire", since=date(2024, 1, 1))
        store.correct(stmt_id, field="stance", value="concede", author="ana")
        store.search("ceasefire talks", side="russia")

Everything goes in and comes out as `redline.models` objects; rows never leave this package.
Statements are read with analysts' corrections over the machine's values (see `review`).

Reads are in `reads.py`, writes here. Every write raises the data version (`data_version`, in
the writing transaction); counts, the corrected statements and other results over everything
are kept per version (`cache`), so they are computed once per change, whoever made the change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from types import TracebackType

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from redline.errors import BadCorrection, StatementNotFound, StoreError, StoreWriteFailed
from redline.models import Contradiction, Doc, Statement
from redline.settings import get_settings
from redline.store import convert, db, query, review, stands
from redline.store.cache import VersionCache
from redline.store.reads import Reads
from redline.store.review import CORRECTABLE, Correction
from redline.store.schema import (
    contradictions,
    corrections,
    data_version,
    doc_bands,
    doc_signatures,
    docs,
    statement_issues,
    statement_targets,
    statements,
)
from redline.store.search import Excerpt, SearchHit, SearchKind, SearchResults
from redline.store.stands import Stand

__all__ = [
    "CORRECTABLE",
    "Correction",
    "Excerpt",
    "SearchHit",
    "SearchKind",
    "SearchResults",
    "Stand",
    "Store",
    "open_store",
]


class _DocExists(Exception):
    """Internal: the doc was already stored, so the transaction is rolled back."""


class Store(Reads):
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
        self._cache = VersionCache()

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
                _bump(conn)
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
            rows = [convert.statement_row(s, published=doc.published) for s in stmts]
            conn.execute(insert(statements), rows)
        issue_rows = [row for s in stmts for row in convert.issue_rows(s)]
        if issue_rows:
            conn.execute(insert(statement_issues), issue_rows)
        target_rows = [row for s in stmts for row in convert.target_rows(s)]
        if target_rows:
            conn.execute(insert(statement_targets), target_rows)

    def keep_polarities(
        self, values: Mapping[tuple[str, str], int], *, basis: Mapping[str, str]
    ) -> None:
        """Keep machine polarities ((statement id, issue) -> polarity), each under the basis of
        its issue. Changes no answer, so the data version stays as it is."""
        if not values:
            return
        try:
            with self._engine.begin() as conn:
                stands.keep(conn, basis, values)
        except IntegrityError as e:
            raise StoreWriteFailed(f"cannot keep polarities: {e.orig}") from e
        except SQLAlchemyError as e:
            raise StoreError(f"cannot keep polarities: {e}") from e

    # -- corrections --------------------------------------------------------------------------

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
                # Write first, then look: the write lock is taken at once. A read first would
                # start a snapshot that a write committed meanwhile (the web app keeping
                # polarities) makes impossible to write from, and SQLite refuses at once.
                _bump(conn)
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
                    conn.execute(query.pair_days())
                _bump(conn)
        except IntegrityError as e:
            raise StoreWriteFailed(
                f"cannot store contradictions (is every statement stored, each pair once?): "
                f"{e.orig}"
            ) from e
        except SQLAlchemyError as e:
            raise StoreError(f"cannot store contradictions: {e}") from e


def _bump(conn: Connection) -> None:
    """Raise the data version, inside the writing transaction."""
    conn.execute(
        update(data_version)
        .where(data_version.c.id == 1)
        .values(version=data_version.c.version + 1)
    )


def open_store(url_or_path: str | None = None) -> Store:
    """Open (and migrate) the database at `url_or_path`, or the one in settings (`db`)."""
    return Store(url_or_path if url_or_path is not None else get_settings().db)
