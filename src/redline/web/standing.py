"""Where actors stand, for the pages: positions on an issue and territorial claims.

Both rest on each statement's polarity toward an issue (`Coder.polarity_on`), which costs a pass
over the statement's words. The polarity of the machine's coding is kept in the store once
computed (`Store.keep_polarities`), under a basis naming the coder's rules for that issue, so a
page computes it only for statements it has not met before; a statement with corrections is
judged afresh as corrected, and never kept. The basis covers the issue's words in the taxonomy
and the redline version: a changed taxonomy file is seen, a change to the stance rules of a
development build is not (the stored stances themselves would be as old).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date
from functools import lru_cache

from redline import __version__
from redline.coding import RULES_VERSION, Coder
from redline.errors import ConfigError, StoreError
from redline.link.claims import TERRITORY, Claim, claims, favours_own_side, load_control
from redline.link.positions import Position, positions
from redline.models import Offsets, Statement
from redline.store import Stand
from redline.web.views import Site

log = logging.getLogger(__name__)

Polarity = Callable[[Statement, str], int]


@lru_cache(maxsize=1024)
def basis(coder: Coder, issue_id: str) -> str:
    """A short name for what the coder's polarity toward `issue_id` depends on besides the
    statement: the issue's words and direction in the taxonomy, the version of the rules, and
    the learned stance coder's model (none when the rules code alone)."""
    issue = coder.taxonomy.get(issue_id)
    words = (
        (issue.cues, issue.not_cues, issue.toward, issue.away, issue.default, issue.direction)
        if issue
        else None
    )
    model = coder.learned.digest if coder.learned is not None else None
    rules = (__version__, RULES_VERSION)
    return hashlib.sha256(repr((rules, issue_id, words, model)).encode()).hexdigest()[:16]


def _keep(site: Site, values: Mapping[tuple[str, str], int], issues: Iterable[str]) -> None:
    """Keep machine polarities; a store that cannot take them (read-only) is only a loss of
    speed, never of the page."""
    if not values or site.coder is None:
        return
    try:
        site.store.keep_polarities(values, basis={i: basis(site.coder, i) for i in issues})
    except StoreError as e:
        log.warning("polarities not kept: %s", e)


def stands_on(site: Site, issue_id: str, *, target_kind: str | None = None) -> list[Stand]:
    """The statements now on the issue (not marked wrong), each with its polarity toward it;
    some of those whose polarity is 0 may be left out (see `Store.stands`)."""
    coder = _coder(site)
    found, corrected = site.store.stands(
        issue_id, basis=basis(coder, issue_id), target_kind=target_kind
    )
    missing = [s.id for s in found if s.polarity is None]
    computed: dict[str, int] = {}
    if missing:
        loaded = site.store.get_statements(missing)
        computed = {i: coder.polarity_on(stmt, issue_id) for i, stmt in loaded.items()}
        # One corrected since the stands were read counts as corrected: used, not kept.
        machine = {(i, issue_id): p for i, p in computed.items() if not loaded[i].corrected}
        _keep(site, machine, [issue_id])
    out = [
        s if s.polarity is not None else replace(s, polarity=computed.get(s.id, 0)) for s in found
    ]
    out += [
        Stand(
            s.id, issue_id, s.speaker_id, s.speaker, s.side, s.when, coder.polarity_on(s, issue_id)
        )
        for s in corrected
    ]
    return out


def polarity_of(site: Site, stmts: Iterable[Statement]) -> Polarity:
    """`Coder.polarity_on` for these statements, kept values read and new ones kept."""
    coder = _coder(site)
    stmts = list(stmts)
    kept = site.store.kept_polarities([s.id for s in stmts if not s.corrected])
    known: dict[tuple[str, str], int] = {}
    new: dict[tuple[str, str], int] = {}
    for stmt in stmts:
        for issue in dict.fromkeys(stmt.issues):
            key = (stmt.id, issue)
            held = kept.get(key)
            if stmt.corrected:
                known[key] = coder.polarity_on(stmt, issue)
            elif held is not None and held[0] == basis(coder, issue):
                known[key] = held[1]
            else:
                known[key] = new[key] = coder.polarity_on(stmt, issue)
    _keep(site, new, {issue for _, issue in new})

    def polarity(stmt: Statement, issue: str) -> int:
        found = known.get((stmt.id, issue))
        return coder.polarity_on(stmt, issue) if found is None else found

    return polarity


def _stub(s: Stand) -> Statement:
    """What `positions` reads of a statement (id, date, issue) and a page shows of its speaker."""
    return Statement(
        doc="",
        doc_id="",
        speaker_mention="",
        cue="",
        content="",
        quote="indirect",
        offsets=Offsets(),
        id=s.id,
        said_on=s.when,
        issues=[s.issue],
        speaker=s.speaker,
        speaker_id=s.speaker_id,
        side=s.side,
    )


def issue_positions(site: Site, issue_id: str) -> dict[str, tuple[Statement, Position]]:
    """Per known speaker, the current position on the issue and one of their statements (for
    the speaker's name and side)."""
    by_actor: dict[str, list[Statement]] = {}
    polarity: dict[str, int] = {}
    for stand in stands_on(site, issue_id):
        if stand.speaker_id:
            by_actor.setdefault(stand.speaker_id, []).append(_stub(stand))
            polarity[stand.id] = stand.polarity or 0
    out: dict[str, tuple[Statement, Position]] = {}
    for actor_id, stmts in by_actor.items():
        runs = positions(stmts, polarity=lambda s, _: polarity[s.id], issue=issue_id)
        if runs.get(issue_id):
            out[actor_id] = (stmts[0], runs[issue_id][-1])
    return out


def territorial_claims(site: Site) -> list[Claim]:
    """`report.standing.territorial_claims`, reading only the statements that can argue a
    claim: on territory, aimed at a place, with a polarity that favours the speaker's side."""
    coder = _coder(site)
    settings = site.settings
    found = stands_on(site, TERRITORY, target_kind="place")
    polarity = {s.id: s.polarity or 0 for s in found}
    loaded = site.store.get_statements(
        [s.id for s in found if favours_own_side(s.side, s.polarity or 0)]
    )
    stmts = sorted(loaded.values(), key=lambda s: (s.when or date.max, s.id))
    return claims(
        stmts,
        polarity=lambda s, _: polarity.get(s.id, 0),
        members=coder.place_members,
        name_of=coder.place_name,
        in_ukraine=coder.place_in_ukraine,
        control=load_control(settings.control_file if settings else None),
    )


def _coder(site: Site) -> Coder:
    if site.coder is None:
        raise ConfigError("positions and claims need the site's coder")
    return site.coder
