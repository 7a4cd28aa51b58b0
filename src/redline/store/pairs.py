"""Reading contradictions: pairs filtered, paged and counted in SQL, corrections considered.

A pair of two uncorrected statements is matched in SQL (`query.PairFilter`); a pair with a
corrected statement is read, corrected and matched in Python, and comes back into the query
by its row id (`query.pair_scope`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.engine import Connection

from redline.models import Contradiction, Statement
from redline.store import query, reading, review
from redline.store.query import Corrected, PairFilter
from redline.store.schema import contradictions


def kept(
    conn: Connection, found: PairFilter, fixed: Corrected, *, include_wrong: bool
) -> tuple[int, ...]:
    """Row ids of the pairs with a corrected statement that `found` keeps."""
    rows: dict[int, Any] = {}
    for chunk in reading.chunks(list(fixed.overlay)):
        sql = select(contradictions).where(
            or_(contradictions.c.a_id.in_(chunk), contradictions.c.b_id.in_(chunk))
        )
        rows.update({row["id"]: row for row in conn.execute(sql).mappings()})
    loaded = reading.by_id(conn, [row[k] for row in rows.values() for k in ("a_id", "b_id")])
    return tuple(
        row_id
        for row_id, row in rows.items()
        if (pair := from_row(row, loaded))
        and (include_wrong or not (review.is_wrong(pair.a) or review.is_wrong(pair.b)))
        and found.keeps(pair)
    )


def scope(found: PairFilter, fixed: Corrected, kept_ids: tuple[int, ...]) -> ColumnElement[bool]:
    """The WHERE clause for `found`, given the corrected pairs it keeps."""
    return query.pair_scope(found.sql(), kept_ids) if fixed.overlay else found.sql()


def _ordered(where: ColumnElement[bool], *, source: Any, newest_first: bool) -> Any:
    """The pairs in `source` (see `PairFilter.source`) matching `where`, as stored (or by the
    later statement's date, newest first)."""
    order = (contradictions.c.day.desc().nulls_last(),) if newest_first else ()
    return (
        select(contradictions)
        .select_from(source)
        .where(where)
        .order_by(*order, contradictions.c.id)
    )


def page(
    conn: Connection,
    where: ColumnElement[bool],
    *,
    source: Any,
    newest_first: bool,
    limit: int | None,
    offset: int,
) -> list[Contradiction]:
    """The pairs matching `where` in order (see `_ordered`), `offset` skipped, at most `limit`."""
    sql = _ordered(where, source=source, newest_first=newest_first)
    if limit is not None:
        sql = sql.limit(max(0, limit))
    if offset:
        sql = sql.offset(max(0, offset))
    return _loaded(conn, conn.execute(sql).mappings().all())


def ids(
    conn: Connection, where: ColumnElement[bool], *, source: Any, newest_first: bool
) -> tuple[int, ...]:
    """Row ids of every pair matching `where`, in order (see `_ordered`)."""
    sql = _ordered(where, source=source, newest_first=newest_first).with_only_columns(
        contradictions.c.id
    )
    return tuple(int(row_id) for row_id in conn.execute(sql).scalars())


def by_row_ids(conn: Connection, row_ids: Sequence[int]) -> list[Contradiction]:
    """The pairs `row_ids`, in that order."""
    rows: dict[int, Any] = {}
    for chunk in reading.chunks(row_ids):
        sql = select(contradictions).where(contradictions.c.id.in_(chunk))
        rows.update({row["id"]: row for row in conn.execute(sql).mappings()})
    return _loaded(conn, [rows[i] for i in row_ids if i in rows])


def _loaded(conn: Connection, rows: Sequence[Any]) -> list[Contradiction]:
    loaded = reading.by_id(conn, [row[key] for row in rows for key in ("a_id", "b_id")])
    return [from_row(row, loaded) for row in rows]


def count(conn: Connection, where: ColumnElement[bool], *, source: Any) -> int:
    sql = select(func.count()).select_from(source).where(where)
    return int(conn.execute(sql).scalar_one())


def from_row(row: Any, loaded: Mapping[str, Statement]) -> Contradiction:
    return Contradiction(
        a=loaded[row["a_id"]],
        b=loaded[row["b_id"]],
        kind=row["kind"],
        reason=row["reason"],
        confidence=float(row["confidence"]),
    )
