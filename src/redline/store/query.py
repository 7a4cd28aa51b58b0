"""Filters as SQL: statements and contradictions paged and counted in the database.

Filters see corrected values. A statement without corrections is matched by its stored
columns in SQL; the few statements with corrections are read, corrected and matched in Python
(`Corrected`, one snapshot per data version), and come back into the query as a list of ids.
So `WHERE (machine match AND not corrected) OR id IN (corrected and matching)` pages, counts
and groups exactly, in one indexed query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, false, func, or_, select, true, update
from sqlalchemy.sql.elements import ColumnElement as Col

from redline.models import Contradiction, ContradictionKind, Statement
from redline.store.review import Overlay, is_wrong, matches
from redline.store.schema import (
    contradictions,
    corrections,
    filed_on,
    statement_issues,
    statements,
)

# (speaker_id, speaker, speaker_name) as stored
Speaker = tuple[str | None, str | None, str | None]
# More exact speakers than this in one actor filter: the filter scans names instead.
MAX_SPEAKER_TERMS = 64


def _is(column: Any, value: str | None) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


@dataclass(frozen=True, slots=True)
class StatementFilter:
    """What `Store.statements` and its counts filter on (every one given must hold)."""

    actor: str | None = None
    speaker_id: str | None = None
    side: str | None = None
    issue: str | None = None
    since: date | None = None
    until: date | None = None
    doc_id: str | None = None
    # `actor` resolved against the speakers stored (see `resolve_actor`): the speaker ids it
    # matches whole, and the (speaker_id, speaker, speaker_name) it matches where an id's
    # statements name it in other ways too. Then the filter is an index lookup, not a scan.
    speaker_ids: tuple[str, ...] | None = None
    speaker_names: tuple[Speaker, ...] = ()
    # the body the speaker spoke for ("Kremlin", "Russian Foreign Ministry")
    institution: str | None = None

    def resolve_actor(self, speakers: Sequence[Speaker]) -> StatementFilter:
        """This filter with `actor` matched against `speakers`, every distinct stored
        (speaker_id, speaker, speaker_name), as the machine filter would match it."""
        if self.actor is None:
            return self
        key = self.actor.casefold()
        hit = {
            t
            for t in speakers
            if t[0] == self.actor or any(key in (n or "").casefold() for n in t[1:])
        }
        whole = {t[0] for t in hit if t[0] is not None}
        whole -= {t[0] for t in speakers if t not in hit}
        rest = tuple(sorted((t for t in hit if t[0] not in whole), key=str))
        if len(rest) > MAX_SPEAKER_TERMS:
            return self
        return replace(self, speaker_ids=tuple(sorted(whole)), speaker_names=rest)

    def machine(self, *, counting: bool = False) -> ColumnElement[bool]:
        """The filters over the stored (uncorrected) columns of `statements` alone.

        `counting` asks for the issue filter as a list of the issue's statements, which SQLite
        walks once; otherwise it is a lookup per statement (`has_issue`), which a page read in
        date order stops making when it is full.
        """
        where: list[ColumnElement[bool]] = []
        if self.actor is not None and self.speaker_ids is not None:
            where.append(
                or_(
                    false(),
                    statements.c.speaker_id.in_(self.speaker_ids),
                    *(
                        and_(
                            _is(statements.c.speaker_id, sid),
                            _is(statements.c.speaker, speaker),
                            _is(statements.c.speaker_name, name),
                        )
                        for sid, speaker, name in self.speaker_names
                    ),
                )
            )
        elif self.actor is not None:
            where.append(
                or_(
                    statements.c.speaker_id == self.actor,
                    statements.c.speaker.icontains(self.actor, autoescape=True),
                    statements.c.speaker_name.icontains(self.actor, autoescape=True),
                )
            )
        if self.speaker_id is not None:
            where.append(statements.c.speaker_id == self.speaker_id)
        if self.side is not None:
            where.append(statements.c.side == self.side)
        if self.institution is not None:
            where.append(statements.c.institution == self.institution)
        if self.issue is not None and counting:
            tagged = select(_TAGS.c.statement_id).where(_TAGS.c.issue == self.issue)
            where.append(statements.c.id.in_(tagged))
        elif self.issue is not None:
            where.append(has_issue(statements.c.id, self.issue))
        if self.since is not None:
            where.append(filed_on >= self.since)
        if self.until is not None:
            where.append(filed_on <= self.until)
        if self.doc_id is not None:
            where.append(statements.c.doc_id == self.doc_id)
        return and_(true(), *where)

    def keeps(self, stmt: Statement) -> bool:
        """The same filters over a statement read with its corrections."""
        if not matches(stmt, actor=self.actor, side=self.side, issue=self.issue):
            return False
        when = stmt.when
        return (
            (self.speaker_id is None or stmt.speaker_id == self.speaker_id)
            and (self.since is None or (when is not None and when >= self.since))
            and (self.until is None or (when is not None and when <= self.until))
            and (self.doc_id is None or stmt.doc_id == self.doc_id)
            and (self.institution is None or stmt.institution == self.institution)
        )


@dataclass(frozen=True, slots=True)
class Corrected:
    """Every statement with a correction, read with them: what filters check in Python.

    `overlay` is the latest value per statement and field; `stmts` the statements it covers
    that are stored (a correction outlives its statement). Made once per data version.
    """

    overlay: Overlay
    stmts: Mapping[str, Statement]

    def kept(self, found: StatementFilter, *, include_wrong: bool) -> dict[str, Statement]:
        """The corrected statements that `found` keeps (wrong ones only if asked)."""
        return {
            stmt_id: stmt
            for stmt_id, stmt in self.stmts.items()
            if (include_wrong or not is_wrong(stmt)) and found.keeps(stmt)
        }

    def wrong(self) -> list[str]:
        """Ids of the statements marked wrong."""
        return sorted(i for i, fields in self.overlay.items() if fields.get("wrong"))


@dataclass(frozen=True, slots=True)
class PairFilter:
    """What `Store.contradictions` filters on: either statement of the pair may match."""

    kind: ContradictionKind | None = None
    side: str | None = None
    issue: str | None = None
    since: date | None = None
    statement_id: str | None = None

    def sql(self) -> ColumnElement[bool]:
        """Over `contradictions` joined with its statements `A` and `B` (see `joined`)."""
        where: list[ColumnElement[bool]] = []
        if self.kind is not None:
            where.append(contradictions.c.kind == self.kind)
        if self.statement_id is not None:
            where.append(
                or_(
                    contradictions.c.a_id == self.statement_id,
                    contradictions.c.b_id == self.statement_id,
                )
            )
        # The issue first: its lookups read a small index, the side's read whole statement
        # rows, so SQLite reads those only for the pairs on the issue.
        if self.issue is not None:
            where.append(or_(has_issue(A.c.id, self.issue), has_issue(B.c.id, self.issue)))
        if self.side is not None:
            where.append(or_(A.c.side == self.side, B.c.side == self.side))
        if self.since is not None:
            where.append(contradictions.c.day >= self.since)
        return and_(true(), *where)

    def source(self) -> Any:
        """What `sql` reads from: the pairs with both statements only when a filter looks at
        them; otherwise the pairs alone, since joining reads two statement rows per pair."""
        return joined() if self.side is not None or self.issue is not None else contradictions

    def keeps(self, c: Contradiction) -> bool:
        """The same filters over a pair read with its statements' corrections."""
        pair_day = max(c.a.when or date.min, c.b.when or date.min)
        return (
            (self.kind is None or c.kind == self.kind)
            and (self.statement_id is None or self.statement_id in (c.a.id, c.b.id))
            and (self.side is None or self.side in (c.a.side, c.b.side))
            and (self.issue is None or self.issue in (*c.a.issues, *c.b.issues))
            and (self.since is None or pair_day >= self.since)
        )


A = statements.alias("a")
B = statements.alias("b")
# The issue filters' own copy of `statement_issues`, so that a query which also joins the
# table (counts by issue) does not take the filter's subquery for a correlated one.
_TAGS = statement_issues.alias("tags")
# The later of the two dates, a missing one counting as earliest (None when both are): what
# `contradictions.day` holds, set by `pair_days` when pairs are stored.
PAIR_DAY = case(
    (A.c.filed_on >= B.c.filed_on, A.c.filed_on),
    else_=func.coalesce(B.c.filed_on, A.c.filed_on),
)


def pair_days() -> Any:
    """The UPDATE that sets `contradictions.day` from the pairs' statements."""
    later = (
        select(PAIR_DAY)
        .select_from(A)
        .join(B, B.c.id == contradictions.c.b_id)
        .where(A.c.id == contradictions.c.a_id)
        .scalar_subquery()
    )
    return update(contradictions).values(day=later)


def has_issue(stmt_id: Col[Any], issue: str) -> ColumnElement[bool]:
    """The statement `stmt_id` is tagged with `issue`: a primary-key lookup per statement, so a
    list read in date order stops as soon as its page is full."""
    return exists(
        select(_TAGS.c.statement_id).where(_TAGS.c.statement_id == stmt_id, _TAGS.c.issue == issue)
    )


def joined() -> Any:
    """`contradictions` with both statements, for `PairFilter.sql`."""
    return contradictions.join(A, A.c.id == contradictions.c.a_id).join(
        B, B.c.id == contradictions.c.b_id
    )


def corrected_ids() -> Any:
    """Ids of statements with any correction (a subquery, no parameters)."""
    return select(corrections.c.statement_id)


def statement_scope(machine: ColumnElement[bool], kept: Iterable[str]) -> ColumnElement[bool]:
    """Uncorrected statements matching `machine`, or the corrected ones in `kept`."""
    return or_(
        and_(machine, statements.c.id.not_in(corrected_ids())),
        statements.c.id.in_(list(kept)),
    )


def pair_scope(machine: ColumnElement[bool], kept: Iterable[int]) -> ColumnElement[bool]:
    """Pairs of uncorrected statements matching `machine`, or the pairs `kept` (by row id)."""
    return or_(
        and_(
            machine,
            contradictions.c.a_id.not_in(corrected_ids()),
            contradictions.c.b_id.not_in(corrected_ids()),
        ),
        contradictions.c.id.in_(list(kept)),
    )
