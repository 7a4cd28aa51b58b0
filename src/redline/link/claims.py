"""Territorial claims: which side claims which place since when, joined with who controls it.

A claim is a statement on territory, with a place among its targets, in which a party to the
war argues that the place be its own. The taxonomy's territory direction is "Russia keeps or gains
Ukrainian land", so a Russian claim argues for it (a demand that Ukraine cede an oblast, a claim
that it is "historically Russian", a rejection of the 1991 borders) and a Ukrainian claim argues
against it (a refusal to cede, a demand that Russian forces leave). A side's statement that argues
for the other side's holding (a concession, a report of its own retreat) is no claim of either,
and neither is a third party's: the table says what each side claims, not who backs it. An
accusation claims nothing either.
Groups ("the four regions", "Donbas") count for each of their members.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from redline.data_files import load_toml
from redline.errors import ConfigError
from redline.models import Statement

TERRITORY = "territory"
# the sign of a statement's polarity on territory that argues for each side holding the land
CLAIMANTS = {"russia": 1, "ukraine": -1}
CONTROL_STATUSES = {"russian", "ukrainian", "partly-russian", "contested"}


@dataclass(slots=True)
class Control:
    place: str
    status: str
    as_of: date
    source: str


@dataclass(slots=True)
class Claim:
    side: str
    place: str
    name: str
    since: date | None
    last: date | None
    statements: list[Statement] = field(default_factory=list)
    control: Control | None = None

    @property
    def beyond_control(self) -> bool:
        """The claiming side's forces hold none of the place (only known for russia/ukraine)."""
        if self.control is None:
            return False
        held = {"russia": {"russian", "partly-russian"}, "ukraine": {"ukrainian", "partly-russian"}}
        return self.side in held and self.control.status not in held[self.side]


def load_control(path: Path | None = None) -> dict[str, Control]:
    """The bundled control dataset, with a user's file laid over it (latest as_of wins)."""
    entries = list(load_toml("control.toml").get("control", []))
    if path is not None:
        entries += load_toml(path).get("control", [])
    out: dict[str, Control] = {}
    for e in entries:
        try:
            item = Control(
                str(e["place"]),
                str(e["status"]),
                date.fromisoformat(str(e["as_of"])),
                str(e.get("source", "")),
            )
        except (KeyError, ValueError) as err:
            raise ConfigError(f"control entry {e!r}: {err}") from err
        if item.status not in CONTROL_STATUSES:
            raise ConfigError(
                f"control entry for {item.place}: status must be one of {sorted(CONTROL_STATUSES)}"
            )
        if item.place not in out or out[item.place].as_of <= item.as_of:
            out[item.place] = item
    return out


def favours_own_side(side: str | None, polarity: int) -> bool:
    """Whether a polarity on territory argues that the speaker's own side hold the land."""
    return polarity * CLAIMANTS.get(side or "", 0) > 0


def claims_for_own_side(stmt: Statement, polarity: Callable[[Statement, str], int]) -> bool:
    """Whether a statement on territory argues that its speaker's own side hold the land. An
    accusation blames an act ("its forces press on in the Donetsk region"): no claim to land."""
    if stmt.side not in CLAIMANTS or stmt.stance == "accuse":
        return False
    return favours_own_side(stmt.side, polarity(stmt, TERRITORY))


def claims(
    stmts: Iterable[Statement],
    *,
    polarity: Callable[[Statement, str], int],
    members: Callable[[str], Sequence[str]] = lambda place: (),
    name_of: Callable[[str], str | None] = lambda place: None,
    control: dict[str, Control] | None = None,
    in_ukraine: Callable[[str], bool] = lambda place: not place.startswith("RU-"),
) -> list[Claim]:
    """Claims by side and place, earliest first. `members` expands a group place id into the
    places it stands for; `name_of` names a place id; `in_ukraine` says whether a place is
    Ukrainian land, the only land claimed here ("our troops will not leave the Kursk region"
    is no Ukrainian claim to Kursk)."""
    control = control or {}
    found: dict[tuple[str, str], Claim] = {}
    names: dict[str, str] = {}
    for stmt in stmts:
        if TERRITORY not in stmt.issues or not claims_for_own_side(stmt, polarity):
            continue
        places = [t for t in stmt.targets if t.kind == "place"]
        ids: list[str] = []
        for t in places:
            names[t.id] = t.name
            expanded = list(members(t.id))
            ids.extend(expanded or [t.id])
        for place in dict.fromkeys(ids):
            if place.startswith("special:") or not in_ukraine(place):
                continue  # "the 1991 borders" is no place one can hold
            claim = found.get((stmt.side, place))
            if claim is None:
                claim = Claim(
                    stmt.side,
                    place,
                    names.get(place) or name_of(place) or place,
                    stmt.when,
                    stmt.when,
                    control=control.get(place),
                )
                found[(stmt.side, place)] = claim
            claim.statements.append(stmt)
            if stmt.when and (claim.since is None or stmt.when < claim.since):
                claim.since = stmt.when
            if stmt.when and (claim.last is None or stmt.when > claim.last):
                claim.last = stmt.when
    return sorted(found.values(), key=lambda c: (c.side, c.since or date.max, c.place))
