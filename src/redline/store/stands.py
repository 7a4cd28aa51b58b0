"""Stands: who took which polarity toward an issue and when, read without loading statements.

Positions (`redline.link.positions`) and territorial claims need, for every statement on an
issue, its speaker, date and polarity toward the issue. The polarity is the coder's to say and
costs a pass over the words, so once computed for a statement's machine coding it is kept in
the `polarities` table under the coder's `basis` (a name for the coder's rules: another basis
reads as not computed). A statement's words and machine stance never change, so a kept value
never goes stale; statements with corrections are handed back whole instead, since their
polarity follows their corrections.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from redline.models import Statement
from redline.store import reading
from redline.store.query import Corrected, corrected_ids
from redline.store.review import is_wrong
from redline.store.schema import (
    filed_on,
    polarities,
    statement_issues,
    statement_targets,
    statements,
)


@dataclass(frozen=True, slots=True)
class Stand:
    """A statement on `issue` as positions read it; `polarity` is None until computed."""

    id: str
    issue: str
    speaker_id: str | None
    speaker: str | None
    side: str
    when: date | None
    polarity: int | None


def on_issue(
    conn: Connection,
    issue: str,
    fixed: Corrected,
    *,
    basis: str,
    target_kind: str | None = None,
    include_wrong: bool = False,
) -> tuple[list[Stand], list[Statement]]:
    """Every statement on `issue` that may take a side on it (with a target of `target_kind`,
    if given): the ones without corrections as stands, with their kept polarity of this
    `basis` or None (those kept as 0 are left out), and the corrected ones (their corrected
    issues and speaker counting) as statements."""
    kept_polarity = and_(
        polarities.c.issue == statement_issues.c.issue,
        polarities.c.statement_id == statement_issues.c.statement_id,
        polarities.c.basis == basis,
    )
    source = statement_issues.join(
        statements, statements.c.id == statement_issues.c.statement_id
    ).outerjoin(polarities, kept_polarity)
    sql = (
        select(
            statements.c.id,
            statements.c.speaker_id,
            statements.c.speaker,
            statements.c.side,
            filed_on,
            polarities.c.polarity,
        )
        .select_from(source)
        .where(statement_issues.c.issue == issue)
    )
    if fixed.overlay:
        sql = sql.where(statements.c.id.not_in(corrected_ids()))
    if target_kind is not None:
        sql = sql.where(
            exists(
                select(statement_targets.c.statement_id).where(
                    statement_targets.c.statement_id == statements.c.id,
                    statement_targets.c.kind == target_kind,
                )
            )
        )
    # A kept 0 takes no side: positions and claims pass over it, so it is not even read.
    sql = sql.where(or_(polarities.c.polarity.is_(None), polarities.c.polarity != 0))
    found = [Stand(row[0], issue, *row[1:]) for row in conn.execute(sql)]
    corrected = [
        stmt
        for stmt in fixed.stmts.values()
        if issue in stmt.issues
        and (include_wrong or not is_wrong(stmt))
        and (target_kind is None or any(t.kind == target_kind for t in stmt.targets))
    ]
    return found, corrected


def kept(conn: Connection, ids: Iterable[str]) -> dict[tuple[str, str], tuple[str, int]]:
    """The kept polarities of statements `ids`: (statement id, issue) -> (basis, polarity)."""
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for chunk in reading.chunks(sorted(set(ids))):
        sql = select(
            polarities.c.statement_id, polarities.c.issue, polarities.c.basis, polarities.c.polarity
        ).where(polarities.c.statement_id.in_(chunk))
        for stmt_id, issue, basis, polarity in conn.execute(sql):
            out[(stmt_id, issue)] = (basis, int(polarity))
    return out


def keep(conn: Connection, basis: Mapping[str, str], values: Mapping[tuple[str, str], int]) -> None:
    """Keep `values` ((statement id, issue) -> polarity), each under its issue's `basis`,
    replacing what was kept under another basis."""
    rows = [
        {"statement_id": stmt_id, "issue": issue, "basis": basis[issue], "polarity": int(value)}
        for (stmt_id, issue), value in values.items()
    ]
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    for chunk in reading.chunks(rows, 200):
        sql = dialect.insert(polarities).values(list(chunk))
        sql = sql.on_conflict_do_update(
            index_elements=[polarities.c.statement_id, polarities.c.issue],
            set_={"basis": sql.excluded.basis, "polarity": sql.excluded.polarity},
        )
        conn.execute(sql)
