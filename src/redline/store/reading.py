"""Reading statements: one page in SQL, counts and groups, statements by id, with corrections.

Pages are read in two steps: the ids of the page from the statements' own indexes (the sort
date is a column, `filed_on`), then those rows with their docs' dates. Skipping a thousand
rows then reads a thousand index entries, never a thousand docs.

Counts leave the corrected statements to Python (see `query`): SQL counts every machine match
and takes away those with a correction, which it finds by the few corrected ids; the corrected
statements that match are added back from the `Corrected` snapshot.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, select, true, union_all
from sqlalchemy.engine import Connection

from redline.models import Statement
from redline.store import convert, review
from redline.store.query import Corrected, Speaker, StatementFilter, corrected_ids
from redline.store.schema import corrections, docs, filed_on, statement_issues, statements

# Well under SQLite's bound-parameter limit, so IN lists are chunked the same way everywhere.
IN_CHUNK = 500

T = TypeVar("T")
GroupField = Literal["side", "stance", "issue"]


def chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def select_statements() -> Select[Any]:
    """Statement rows with their doc's published date, as `convert.statement_from_row` reads."""
    return select(statements, docs.c.published).join_from(
        statements, docs, statements.c.doc_id == docs.c.id
    )


def order(*, newest_first: bool, columns: Any = statements.c) -> tuple[Any, ...]:
    """By date then id, oldest first (or newest first), undated last either way. `columns`
    are those of `statements` or of a select of its `filed_on` and `id`."""
    if newest_first:
        return (columns.filed_on.desc().nulls_last(), columns.id.desc())
    return (columns.filed_on.asc().nulls_last(), columns.id.asc())


def page(
    conn: Connection,
    machine: ColumnElement[bool],
    overlay: review.Overlay,
    *,
    kept: Iterable[str] | None = None,
    newest_first: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[Statement]:
    """The statements matching `machine` in date order, `offset` skipped, at most `limit`,
    read with the corrections in `overlay`. Given `kept`, `machine` is for the statements
    without corrections, and the corrected ones in `kept` are added.

    The two sets are read apart and merged (UNION ALL), not joined by OR, so that each is read
    in order from an index and the merge stops when the page is full.
    """
    arms = [select(statements.c.id, filed_on).where(machine)]
    if kept is not None:
        arms[0] = arms[0].where(statements.c.id.not_in(corrected_ids()))
        if kept := list(kept):
            arms.append(select(statements.c.id, filed_on).where(statements.c.id.in_(kept)))
    both = union_all(*arms)
    ids = both.order_by(*order(newest_first=newest_first, columns=both.selected_columns))
    if limit is not None:
        ids = ids.limit(max(0, limit))
    if offset:
        ids = ids.offset(max(0, offset))
    chosen = ids.subquery()
    sql = (
        select_statements()
        .where(statements.c.id.in_(select(chosen.c.id)))
        .order_by(*order(newest_first=newest_first))
    )
    return [read(row, overlay) for row in conn.execute(sql).mappings()]


def read(row: Any, overlay: review.Overlay) -> Statement:
    """A statement row, with its corrections from `overlay` applied."""
    stmt = convert.statement_from_row(row)
    if stmt.id in overlay:
        review.apply(stmt, overlay[stmt.id])
    return stmt


def speakers(conn: Connection) -> list[Speaker]:
    """Every distinct (speaker_id, speaker, speaker_name) stored (see `resolve_actor`)."""
    columns = (statements.c.speaker_id, statements.c.speaker, statements.c.speaker_name)
    return [(a, b, c) for a, b, c in conn.execute(select(*columns).distinct())]


def overlay_of(conn: Connection, ids: Sequence[str] | None = None) -> review.Overlay:
    """The latest correction per statement and field: of `ids`, or of every statement."""
    query = select(corrections.c.statement_id, corrections.c.field, corrections.c.value)
    if ids is None:
        return review.overlay(conn.execute(query.order_by(corrections.c.id)).mappings())
    out: review.Overlay = {}
    for chunk in chunks(list(ids)):
        where = query.where(corrections.c.statement_id.in_(chunk))
        out.update(review.overlay(conn.execute(where.order_by(corrections.c.id)).mappings()))
    return out


def by_id(conn: Connection, ids: Iterable[str]) -> dict[str, Statement]:
    """The statements `ids` that are stored, corrections applied, wrong ones included."""
    wanted = sorted(set(ids))
    overlay = overlay_of(conn, wanted)
    found: dict[str, Statement] = {}
    for chunk in chunks(wanted):
        sql = select_statements().where(statements.c.id.in_(chunk))
        for row in conn.execute(sql).mappings():
            stmt = read(row, overlay)
            found[stmt.id] = stmt
    return found


def corrected(conn: Connection) -> Corrected:
    """The snapshot of every corrected statement (see `query.Corrected`)."""
    overlay = overlay_of(conn)
    return Corrected(overlay, by_id(conn, overlay) if overlay else {})


Only = Sequence[str] | None


def _tally(conn: Connection, make: Callable[[Only], Select], fixed: Corrected) -> Counter[Any]:
    """Counts by key from `make(only)`, a query of (key, n) rows, over the statements without
    corrections: those with one are counted again, by their ids (`only`), and taken away."""
    counts: Counter[Any] = Counter({key: int(n) for key, n in conn.execute(make(None))})
    # The ids as a list, not a subquery: SQLite then looks each one up rather than walking
    # the filter's own (larger) index and checking it against the corrections.
    for chunk in chunks(sorted(fixed.overlay)):
        counts.subtract({key: int(n) for key, n in conn.execute(make(chunk))})
    return +counts


def _matching(found: StatementFilter, column: Any, only: Only) -> ColumnElement[bool]:
    """`found`'s machine filters over every statement, or over the ids `only` in `column`:
    then the issue filter is a lookup per id, so that the few ids drive the query."""
    if only is None:
        return found.machine(counting=True)
    return and_(found.machine(), column.in_(only))


def count(
    conn: Connection, found: StatementFilter, fixed: Corrected, *, include_wrong: bool
) -> int:
    """How many statements `found` keeps."""

    def make(only: Only) -> Select:
        where = _matching(found, statements.c.id, only)
        return select(true(), func.count()).select_from(statements).where(where)

    kept = fixed.kept(found, include_wrong=include_wrong)
    return sum(_tally(conn, make, fixed).values()) + len(kept)


# Per day and key, how many statements without corrections: (filed_on, key, n) rows.
Daily = list[tuple[Any, Any, int]]


def daily(conn: Connection, field: GroupField) -> Daily:
    """Statements without corrections counted per sort date and `field` (side, stance or
    issue; by issue, those without one under None): one pass over everything, from which
    a count over any range of dates is a sum (see `count_by_days`)."""
    machine = statements.c.id.not_in(corrected_ids())
    if field != "issue":
        column = statements.c[field]
        sql = select(filed_on, column, func.count()).where(machine).group_by(filed_on, column)
        return [(day, key, int(n)) for day, key, n in conn.execute(sql)]
    # Outer-joined: a statement without an issue is one row with None.
    tags = statement_issues.c.statement_id
    sql = (
        select(filed_on, statement_issues.c.issue, func.count())
        .select_from(statements.outerjoin(statement_issues, tags == statements.c.id))
        .where(machine)
        .group_by(filed_on, statement_issues.c.issue)
    )
    return [(day, key, int(n)) for day, key, n in conn.execute(sql)]


def count_by_days(
    days: Daily,
    field: GroupField,
    found: StatementFilter,
    fixed: Corrected,
    *,
    include_wrong: bool,
) -> dict[str | None, int]:
    """`count_by` for a filter of dates alone, from `daily`'s rows."""
    since, until = found.since, found.until
    counts: Counter[str | None] = Counter()
    for day, key, n in days:
        if day is None and (since is not None or until is not None):
            continue
        if (since is None or day >= since) and (until is None or day <= until):
            counts[key] += n
    return _with_kept(counts, field, found, fixed, include_wrong=include_wrong)


def count_by(
    conn: Connection,
    field: GroupField,
    found: StatementFilter,
    fixed: Corrected,
    *,
    include_wrong: bool,
) -> dict[str | None, int]:
    """Statements counted by `field`, most first, then by key (see `Store.count_statements_by`)."""
    unfiltered = found == StatementFilter()
    counts: Counter[str | None] = Counter()
    if field == "issue":
        tags = statement_issues.c.statement_id

        def tagged(only: Only) -> ColumnElement[bool]:
            # Nothing to filter on: the issue index alone, never the statements. Otherwise the
            # statements' ids come first, from the filter's index, and each is looked up in the
            # issues' key: joined the other way, SQLite reads a whole statement row per tag.
            if unfiltered and only is None:
                return true()
            return tags.in_(select(statements.c.id).where(_matching(found, statements.c.id, only)))

        def by_issue(only: Only) -> Select:
            sql = select(statement_issues.c.issue, func.count()).where(tagged(only))
            return sql.group_by(statement_issues.c.issue)

        def every(only: Only) -> Select:
            where = _matching(found, statements.c.id, only)
            return select(true(), func.count()).select_from(statements).where(where)

        def with_any(only: Only) -> Select:
            # Grouped rather than DISTINCT: it walks the primary key, no temporary B-tree.
            ids = select(tags).where(tagged(only)).group_by(tags).subquery()
            return select(true(), func.count()).select_from(ids)

        counts.update(_tally(conn, by_issue, fixed))
        none = sum(_tally(conn, every, fixed).values()) - sum(
            _tally(conn, with_any, fixed).values()
        )
        if none:
            counts[None] += none
    else:
        column = statements.c[field]

        def by_field(only: Only) -> Select:
            where = _matching(found, statements.c.id, only)
            return select(column, func.count()).where(where).group_by(column)

        counts.update(_tally(conn, by_field, fixed))
    return _with_kept(counts, field, found, fixed, include_wrong=include_wrong)


def _with_kept(
    counts: Counter[str | None],
    field: GroupField,
    found: StatementFilter,
    fixed: Corrected,
    *,
    include_wrong: bool,
) -> dict[str | None, int]:
    """`counts` of the statements without corrections, with the corrected ones `found` keeps
    added, most first, then by key."""
    for stmt in fixed.kept(found, include_wrong=include_wrong).values():
        if field == "issue":
            for key in dict.fromkeys(stmt.issues) or [None]:
                counts[key] += 1
        else:
            counts[getattr(stmt, field)] += 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] or "")))
