"""The issue pages: the taxonomy with counts, and one issue's statements, pairs and positions.

Positions (`link.positions`) are computed per actor over all of the issue's statements, from
the polarities the store keeps (`standing`), and held in the site's memo until the store
changes.
"""

from __future__ import annotations

from redline.link.positions import Position, describe
from redline.models import Statement
from redline.web.standing import issue_positions
from redline.web.views import (
    LATEST,
    NO_ISSUE,
    Data,
    Site,
    _iso,
    pair_dict,
    stmt_dict,
    story_places,
)


def issue_index(site: Site) -> Data:
    """Every issue of the taxonomy, in its order, with how many statements are on it."""
    counts = site.store.count_statements_by("issue")
    issues = [
        {
            "id": issue.id,
            "label": issue.label,
            "description": issue.description,
            "statements": counts.get(issue.id, 0),
        }
        for issue in site.taxonomy.issues.values()
    ]
    known = set(site.taxonomy.issues)
    others = [
        {"id": key or NO_ISSUE, "label": key or NO_ISSUE, "description": "", "statements": n}
        for key, n in counts.items()
        if key not in known
    ]
    return {"issues": issues, "others": others}


def _position_dict(stmt: Statement, pos: Position, site: Site, *, direction: str) -> Data:
    actor_id = stmt.speaker_id or ""
    actor = site.registry.get(actor_id)
    return {
        "actor": actor_id,
        "name": actor.name if actor else (stmt.speaker or actor_id),
        "side": actor.side if actor else stmt.side,
        "polarity": pos.polarity,
        "since": _iso(pos.since),
        "last": _iso(pos.last),
        "reversed": pos.previous is not None,
        "statements": len(pos.statements),
        "summary": describe(pos, direction=direction),
    }


def _current_positions(site: Site, issue_id: str, direction: str) -> list[Data]:
    """Each known speaker's current position on the issue, most recently stated first."""
    if site.coder is None:
        return []

    def make() -> list[Data]:
        found = issue_positions(site, issue_id)
        out = [_position_dict(s, pos, site, direction=direction) for s, pos in found.values()]
        out.sort(key=lambda p: (p["last"] or "", p["actor"]), reverse=True)
        return out

    return site.memo.get(("positions", issue_id), site.store.data_version(), make)


def issue_page(site: Site, issue_id: str) -> Data | None:
    """An issue: its label and description, counts by side and stance, the latest statements
    and contradictions on it, and where each actor now stands. None if nothing knows it."""
    issue = site.taxonomy.issues.get(issue_id)
    store = site.store
    # Every statement has a side ("unknown" at least): the counts by side add up to the total.
    sides = store.count_statements_by("side", issue=issue_id)
    total = sum(sides.values())
    if issue is None and total == 0:
        return None
    direction = issue.direction if issue else ""
    stances = store.count_statements_by("stance", issue=issue_id)
    pairs = store.contradictions(issue=issue_id, newest_first=True, limit=LATEST)
    return {
        "issue": {
            "id": issue_id,
            "label": issue.label if issue else issue_id,
            "description": issue.description if issue else "",
            "direction": direction,
            "known": issue is not None,
        },
        "counts": {
            "statements": total,
            "contradictions": store.count_contradictions(issue=issue_id),
        },
        "by_side": [{"side": k, "statements": n} for k, n in sides.items()],
        "by_stance": [{"stance": k or "none", "statements": n} for k, n in stances.items()],
        "latest_statements": [
            stmt_dict(s) for s in store.statements(issue=issue_id, newest_first=True, limit=LATEST)
        ],
        "latest_contradictions": [pair_dict(c) for c in pairs],
        "latest_stories": story_places(pairs),
        "positions": _current_positions(site, issue_id, direction),
    }
