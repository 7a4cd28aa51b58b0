"""The map and the place pages: who controls each place, who claims it, what is said about it.

    tiles = map_page(site)["tiles"]          # one per oblast, Crimea, Sevastopol and Kyiv city
    place_page(site, "UA-14", paging)        # Donetsk Oblast: control, claims, statements

Claims are computed over the stored statements on territory (`standing.territorial_claims`,
which reads only those arguing a claim) and kept in the site's memo until the store changes;
control comes from the control dataset.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from redline.errors import ConfigError
from redline.link.claims import Claim, Control, load_control
from redline.web.standing import territorial_claims
from redline.web.views import Data, Paging, Site, _iso, _offset, _paging, stmt_dict

TILEGRID = Path(__file__).resolve().parent / "tilegrid.toml"
TILE = 84  # px per grid square, gap included
GAP = 4
STATUSES = ("russian", "partly-russian", "contested", "ukrainian", "unknown")
STATUS_LABELS = {
    "russian": "Russian forces hold it",
    "partly-russian": "Russian forces hold part of it",
    "contested": "contested",
    "ukrainian": "Ukrainian forces hold it",
    "unknown": "no control data",
}


@dataclass(frozen=True, slots=True)
class Tile:
    code: str
    col: int
    row: int


@cache
def tilegrid(path: Path = TILEGRID) -> tuple[Tile, ...]:
    """The grid positions, as written in `tilegrid.toml`."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")).get("tiles", {})
        return tuple(Tile(str(code), int(at[0]), int(at[1])) for code, at in raw.items())
    except (OSError, tomllib.TOMLDecodeError, TypeError, ValueError, IndexError) as e:
        raise ConfigError(f"cannot read the map's tile grid {path}: {e}") from e


def _standing(site: Site) -> tuple[list[Claim], dict[str, Control]]:
    """Every territorial claim and the control data, recomputed only when the store changes."""
    if site.coder is None or site.settings is None:
        raise ConfigError("the map needs the site's coder and settings")
    settings = site.settings

    def make() -> tuple[list[Claim], dict[str, Control]]:
        control = load_control(settings.control_file)
        return territorial_claims(site), control

    return site.memo.get("standing", site.store.data_version(), make)


def _control_dict(control: Control | None) -> Data:
    if control is None:
        return {
            "status": "unknown",
            "label": STATUS_LABELS["unknown"],
            "as_of": None,
            "source": None,
        }
    return {
        "status": control.status,
        "label": STATUS_LABELS.get(control.status, control.status),
        "as_of": _iso(control.as_of),
        "source": control.source,
    }


def _claim_dict(claim: Claim) -> Data:
    return {
        "side": claim.side,
        "since": _iso(claim.since),
        "last": _iso(claim.last),
        "beyond_control": claim.beyond_control,
        "statements": [s.id for s in claim.statements],
    }


def _place_name(site: Site, code: str) -> str | None:
    return site.coder.place_name(code) if site.coder else None


def _short(name: str, kind: str) -> str:
    """The label inside a tile: "Donetsk", "Kyiv city", "Crimea"."""
    if kind == "city":
        return f"{name} city"
    return name.removeprefix("Autonomous Republic of ").removesuffix(" Oblast")


def map_page(site: Site) -> Data:
    """The tiles, each with its control status and the claims on it, and the grid's size."""
    claims, control = _standing(site)
    by_place: dict[str, list[Claim]] = {}
    for claim in claims:
        by_place.setdefault(claim.place, []).append(claim)
    gazetteer = site.coder.gazetteer.places if site.coder else {}
    tiles: list[Data] = []
    for tile in tilegrid():
        entry = gazetteer.get(tile.code)
        name = entry.name if entry else tile.code
        held = control.get(tile.code)
        on_place = by_place.get(tile.code, [])
        russian = [c for c in on_place if c.side == "russia"]
        tiles.append(
            {
                "code": tile.code,
                "name": name,
                "short": _short(name, entry.kind if entry else "oblast"),
                "col": tile.col,
                "row": tile.row,
                "x": tile.col * TILE,
                "y": tile.row * TILE,
                "control": _control_dict(held),
                "claimed_by_russia": bool(russian),
                "claimed_beyond_control": any(c.beyond_control for c in russian),
                "claims": [_claim_dict(c) for c in on_place],
            }
        )
    cols = max((t.col for t in tilegrid()), default=0) + 1
    rows = max((t.row for t in tilegrid()), default=0) + 1
    return {
        "grid": {"cols": cols, "rows": rows, "tile": TILE, "gap": GAP},
        "statuses": [{"status": s, "label": STATUS_LABELS[s]} for s in STATUSES],
        "tiles": tiles,
    }


def place_page(site: Site, code: str, paging: Paging) -> Data | None:
    """A place: its control status, the claims on it by side, and the statements that target it
    (or a group it belongs to, such as "the four regions"), newest first. None if unknown."""
    gazetteer = site.coder.gazetteer.places if site.coder else {}
    entry = gazetteer.get(code)
    if entry is None:
        return None
    claims, control = _standing(site)
    groups = [p.id for p in gazetteer.values() if code in p.members]
    paging = paging.clamped()
    targets = [code, *groups]
    stmts = site.store.statements_targeting(targets, limit=paging.per_page, offset=_offset(paging))
    return {
        "place": {
            "code": code,
            "name": entry.name,
            "kind": entry.kind,
            "parent": entry.parent or None,
            "on_map": any(t.code == code for t in tilegrid()),
        },
        "control": _control_dict(control.get(code)),
        "claims": [{**_claim_dict(c), "name": c.name} for c in claims if c.place == code],
        "groups": [{"code": g, "name": _place_name(site, g) or g} for g in groups],
        "paging": _paging(paging, site.store.count_statements_targeting(targets)),
        "statements": [stmt_dict(s) for s in stmts],
    }
