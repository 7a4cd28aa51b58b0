"""The actor pages: an actor's roles, the positions they hold and their statements over time."""

from __future__ import annotations

from datetime import date

from redline.coding.actors import Actor
from redline.link.positions import describe, positions
from redline.models import Statement
from redline.web.standing import polarity_of
from redline.web.views import NO_ISSUE, Data, Paging, Site, _iso, _offset, _paging, stmt_dict

# The latest statements the timeline and positions are drawn from: a prolific speaker's whole
# record would make a slow page. The statements themselves are listed a page at a time.
ACTOR_PAGE_LIMIT = 300
# Of those, kept with an actor's summary for the first pages of the list (see `_summary`).
ACTOR_HEAD = 100


def find_actor(site: Site, key: str) -> Actor | None:
    """The actor with id `key`, else the one the registry knows by that name ("lavrov")."""
    return site.registry.get(key) or site.registry.by_name(key.replace("-", " "))


def actor_page(site: Site, actor_id: str, paging: Paging | None = None) -> Data | None:
    """An actor's roles, positions and latest statements grouped by issue on a timeline, and
    one page of their statements, newest first.

    Known to the registry or not: statements coded with an id the registry has since dropped
    still have a page. `None` when neither knows the id.
    """
    paging = (paging or Paging()).clamped()
    version = site.store.data_version()
    summary = site.actor_memo.get(actor_id, version, lambda: _summary(site, actor_id))
    if summary is None:
        return None
    head: list[Statement] = summary["head"]
    start = _offset(paging)
    if start + paging.per_page <= len(head):
        listed = head[start : start + paging.per_page]
    else:
        listed = site.store.statements(
            speaker_id=actor_id, newest_first=True, limit=paging.per_page, offset=start
        )
    return {
        **{k: v for k, v in summary.items() if k != "head"},
        "paging": _paging(paging, site.store.count_statements(speaker_id=actor_id)),
        "statements": [stmt_dict(s) for s in listed],
    }


def _summary(site: Site, actor_id: str) -> Data | None:
    """What an actor's page shows on every page of its statements: roles, timeline and
    positions from the latest ACTOR_PAGE_LIMIT statements, read once per data version, and the
    first ACTOR_HEAD of them ("head") for the first pages of the list. None when neither the
    registry nor the store knows the id."""
    actor = site.registry.get(actor_id)
    # The store's actor filter also matches names; the page wants this id only.
    latest = site.store.statements(speaker_id=actor_id, newest_first=True, limit=ACTOR_PAGE_LIMIT)
    if actor is None and not latest:
        return None
    stmts = latest[::-1]
    dated = [s for s in stmts if s.when is not None]
    rows: dict[str, list[Data]] = {}
    for s in dated:
        for issue in dict.fromkeys(s.issues or [NO_ISSUE]):
            rows.setdefault(issue, []).append(
                {
                    "id": s.id,
                    "date": _iso(s.when),
                    "stance": s.stance,
                    "negated": s.negated,
                    "content": s.content,
                }
            )
    days = [s.when for s in dated if s.when is not None]
    name = actor.name if actor else next((s.speaker for s in stmts if s.speaker), actor_id)
    return {
        "actor": {
            "id": actor_id,
            "name": name,
            "known": actor is not None,
            "kind": actor.kind if actor else None,
            "side": actor.side if actor else stmts[0].side,
            "aliases": list(actor.aliases) if actor else [],
            "roles": [
                {
                    "title": r.title,
                    "org": r.org,
                    "label": r.label(),
                    "start": _iso(r.start),
                    "end": _iso(r.end),
                }
                for r in sorted(actor.roles, key=lambda r: r.start or date.min)
            ]
            if actor
            else [],
        },
        "timeline": {
            "start": _iso(min(days)) if days else None,
            "end": _iso(max(days)) if days else None,
            "rows": [
                {"issue": issue, "label": site.issue_label(issue), "points": points}
                for issue, points in sorted(rows.items())
            ],
            "undated": [s.id for s in stmts if s.when is None],
        },
        "positions": _actor_positions(site, stmts),
        "head": latest[:ACTOR_HEAD],
    }


def _actor_positions(site: Site, stmts: list[Statement]) -> list[Data]:
    """Per issue, the position the actor holds now and since when ("unchanged since ...")."""
    if site.coder is None:
        return []
    out = []
    for issue, runs in positions(stmts, polarity=polarity_of(site, stmts)).items():
        meta = site.coder.taxonomy.get(issue)
        now = runs[-1]
        out.append(
            {
                "issue": issue,
                "label": site.issue_label(issue),
                "polarity": now.polarity,
                "since": _iso(now.since),
                "last": _iso(now.last),
                "reversed": now.previous is not None,
                "statements": [s.id for s in now.statements],
                "summary": describe(now, direction=meta.direction if meta else issue),
            }
        )
    return out
