"""PLOVER event coding (POLECAT's names: REQUEST rather than DEMAND) from stance and issue."""

from __future__ import annotations

from redline.coding.issues import Issue
from redline.models import Plover

EVENT = {
    "demand": "REQUEST",
    "reject": "REJECT",
    "deny": "REJECT",
    "concede": "CONCEDE",
    "propose": "AGREE",
    "accuse": "ACCUSE",
    "threaten": "THREATEN",
}
NEGATED = {"REQUEST": "REJECT", "AGREE": "REJECT", "CONCEDE": "REJECT"}


def code_plover(stance: str, negated: bool, issue: Issue | None) -> Plover | None:
    """A PLOVER event for a statement; plain claims are no PLOVER event and get None."""
    event = EVENT.get(stance)
    if event is None:
        return None
    if negated:
        event = NEGATED.get(event, event)
    mode: str | None = None
    if event in ("REQUEST", "REJECT") and issue is not None:
        mode = issue.mode or None
    elif event == "ACCUSE":
        mode = "disapprove"
    context = [issue.plover] if issue is not None and issue.plover else []
    return Plover(event=event, mode=mode, context=context)
