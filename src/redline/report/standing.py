"""Where actors stand: positions over time and territorial claims, read from the store.

The library side of `redline positions` and `redline claims` (and of the web app's map).
"""

from __future__ import annotations

from dataclasses import dataclass

from redline.coding import Coder
from redline.errors import RedlineError
from redline.link.claims import Claim, claims, load_control
from redline.link.positions import Position, describe, positions
from redline.settings import Settings
from redline.store import Store


@dataclass(slots=True)
class IssuePositions:
    issue: str
    label: str
    direction: str
    positions: list[Position]

    @property
    def current(self) -> Position:
        return self.positions[-1]

    def summary(self) -> str:
        return describe(self.current, direction=self.direction)


def actor_positions(
    store: Store, *, actor: str, issue: str | None = None, coder: Coder
) -> tuple[str, list[IssuePositions]]:
    """The actor's name and, per issue, its positions oldest first."""
    found = coder.registry.by_name(actor) or coder.registry.get(actor)
    key = found.id if found else actor
    stmts = store.statements(actor=key)
    if not stmts:
        raise RedlineError(f"no statements by {actor!r} in the database")
    by_issue = positions(stmts, polarity=coder.polarity_on, issue=issue)
    out = []
    for iid, runs in by_issue.items():
        meta = coder.taxonomy.get(iid)
        out.append(
            IssuePositions(iid, meta.label if meta else iid, meta.direction if meta else "", runs)
        )
    return (found.name if found else actor), out


def territorial_claims(store: Store, *, settings: Settings, coder: Coder) -> list[Claim]:
    """Which side claims which place since when, with who controls it."""
    return claims(
        store.statements(issue="territory"),
        polarity=coder.polarity_on,
        members=coder.place_members,
        name_of=coder.place_name,
        in_ukraine=coder.place_in_ukraine,
        control=load_control(settings.control_file),
    )
