"""Positions over time: how long an actor's position on an issue has held, and when it moved.

A position is a run of the actor's statements on one issue with the same polarity (for or
against the issue's direction in the taxonomy). The current run's first date is what a brief
means by "unchanged since September 2022".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from redline.models import Statement


@dataclass(slots=True)
class Position:
    issue: str
    polarity: int
    since: date | None
    last: date | None
    statements: list[Statement] = field(default_factory=list)
    previous: int | None = None  # the polarity it replaced, None for the first position

    @property
    def held_days(self) -> int | None:
        if self.since is None or self.last is None:
            return None
        return (self.last - self.since).days


def positions(
    stmts: Sequence[Statement],
    *,
    polarity: Callable[[Statement, str], int],
    issue: str | None = None,
) -> dict[str, list[Position]]:
    """Per issue, the actor's successive positions, oldest first. `stmts` are one actor's."""
    by_issue: dict[str, list[tuple[Statement, int]]] = defaultdict(list)
    for stmt in stmts:
        for iid in stmt.issues:
            if issue is not None and iid != issue:
                continue
            pol = polarity(stmt, iid)
            if pol:
                by_issue[iid].append((stmt, pol))
    out: dict[str, list[Position]] = {}
    for iid, signed in sorted(by_issue.items()):
        signed.sort(key=lambda sp: (sp[0].when or date.max, sp[0].id))
        runs: list[Position] = []
        for stmt, pol in signed:
            if runs and runs[-1].polarity == pol:
                runs[-1].statements.append(stmt)
                runs[-1].last = stmt.when or runs[-1].last
                continue
            previous = runs[-1].polarity if runs else None
            runs.append(Position(iid, pol, stmt.when, stmt.when, [stmt], previous))
        out[iid] = runs
    return out


def describe(position: Position, *, direction: str) -> str:
    """One line: "for: sanctions on Russia are eased, unchanged since 2025-03 (4 statements)"."""
    side = "for" if position.polarity > 0 else "against"
    since = position.since.strftime("%B %Y") if position.since else "an unknown date"
    verb = "unchanged since" if position.previous is None else "since"
    moved = "" if position.previous is None else " (reversed)"
    n = len(position.statements)
    return f"{side}: {direction}, {verb} {since}{moved} ({n} statement{'s' if n != 1 else ''})"
