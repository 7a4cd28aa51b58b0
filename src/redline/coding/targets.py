"""Targets: places (ISO 3166-2 codes via pycountry) and named objects a statement is about."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pycountry

from redline.data_files import load_toml
from redline.models import Target

_AREA_WORD = re.compile(
    r"^(?:[\s,]*(?:and|or|&)?\s*[A-Z][\w'’-]+)*[\s,]*(?i:oblasts?|regions?|provinces?)\b"
)


@dataclass(slots=True)
class Entry:
    id: str
    name: str
    kind: str
    variants: list[str]
    members: list[str] = field(default_factory=list)
    parent: str = ""
    issues: list[str] = field(default_factory=list)
    spans: bool = False
    anaphors: list[str] = field(default_factory=list)


class Gazetteer:
    """Finds places and objects in text by their names and spelling variants."""

    def __init__(self, places: list[Entry], objects: list[Entry]) -> None:
        self.places = {p.id: p for p in places}
        self.objects = {o.id: o for o in objects}
        self._place_re, self._place_by = _compile(places)
        self._object_re, self._object_by = _compile(objects)
        self._anaphor_re, by = _compile(
            [Entry(o.id, o.name, o.kind, o.anaphors) for o in objects if o.anaphors], names=False
        )
        # each short form -> the ids of the objects it may stand for
        self._anaphor_ids = {short: {e.id for e in entries} for short, entries in by.items()}

    @classmethod
    def load(cls) -> Gazetteer:
        places = [_entry(e) for e in load_toml("places.toml").get("place", [])]
        for p in places:
            sub = (
                pycountry.subdivisions.get(code=p.id)
                if re.fullmatch(r"[A-Z]{2}-\w+", p.id)
                else None
            )
            if sub is not None and sub.name not in p.variants:
                p.variants.append(sub.name)  # the ISO name ("Kharkivska oblast") as written
        objects = [_entry(e) for e in load_toml("objects.toml").get("object", [])]
        return cls(places, objects)

    def covers(self, target: Target, issue: str) -> set[str]:
        """What a target narrows a statement on the issue to, as ids: a place, or nothing for a
        line along the whole front ("the 1991 borders"). An object narrows only on the issues
        it belongs to ("security guarantees" says nothing of which ceasefire). A group ("the
        four regions") stays itself: counting its members too paired one more statement wrongly
        on each training set and found none more."""
        if target.kind == "place":
            place = self.places.get(target.id)
            if place is None:
                return {target.id}
            return set() if place.spans else {target.id}
        entry = self.objects.get(target.id)
        bears = entry is None or not entry.issues or issue in entry.issues
        return {target.id} if bears else set()

    def places_at(self, text: str) -> list[tuple[Entry, int, int]]:
        """Each place the text names, with where its name stands, in text order."""
        out: list[tuple[Entry, int, int]] = []
        if self._place_re is None:
            return out
        for m in self._place_re.finditer(text):
            if _is_acronym_miss(m.group(0)) or _is_government(
                m.group(0), text[max(0, m.start() - 16) : m.start()], text[m.end() : m.end() + 20]
            ):
                continue
            entry = self._pick_place(
                self._place_by[m.group(0).lower()], text[m.end() : m.end() + 60]
            )
            out.append((entry, m.start(), m.end()))
        return out

    def find(self, text: str) -> list[Target]:
        found: dict[str, Target] = {}
        for entry, _, _ in self.places_at(text):
            found.setdefault(entry.id, Target("place", entry.id, entry.name))
        if self._object_re is not None:
            for m in self._object_re.finditer(text):
                if _is_acronym_miss(m.group(0)):
                    continue
                entry = self._object_by[m.group(0).lower()][0]
                found.setdefault(entry.id, Target("object", entry.id, entry.name))
        return list(found.values())

    def recalled(self, text: str, before: str) -> list[Target]:
        """Objects `text` names again by a short form ("the plant", "the deal") that `before`
        (the article up to it) named in full: the one named last of those it may stand for."""
        if self._anaphor_re is None or self._object_re is None:
            return []
        short = {m.group(0).lower() for m in self._anaphor_re.finditer(text)}
        if not short:
            return []
        could = set().union(*(self._anaphor_ids[s] for s in short))
        named = [
            (self._object_by[m.group(0).lower()][0], m.end())
            for m in self._object_re.finditer(before)
            if not _is_acronym_miss(m.group(0))
        ]
        last = next(((e, end) for e, end in reversed(named) if e.id in could), None)
        if last is None:
            return []
        entry, end = last
        # another thing of that kind named since ("the minerals deal", "the Trypillia power
        # plant") may be the one meant; the short form said again ("the deal") is no other
        heads = {
            s.rsplit(" ", 1)[-1].removesuffix("s")
            for s in short
            if entry.id in self._anaphor_ids[s]
        }
        if any(re.search(rf"(?<!the )\b{re.escape(h)}s?\b", before[end:], re.I) for h in heads):
            return []
        return [Target("object", entry.id, entry.name)]

    def _pick_place(self, entries: list[Entry], after: str) -> Entry:
        """A bare "Kharkiv" is the city, "Kharkiv and Mykolaiv oblasts" the oblast."""
        if len(entries) == 1:
            return entries[0]
        area = bool(_AREA_WORD.match(after))
        for e in entries:
            if (e.kind == "oblast") == area and e.kind in ("oblast", "city"):
                return e
        return entries[0]


def _entry(e: dict[str, object]) -> Entry:
    return Entry(
        id=str(e["id"]),
        name=str(e["name"]),
        kind=str(e.get("kind", "")),
        variants=[str(v) for v in e.get("variants", []) or []],  # type: ignore[attr-defined]
        members=[str(v) for v in e.get("members", []) or []],  # type: ignore[attr-defined]
        parent=str(e.get("parent", "") or ""),
        issues=[str(v) for v in e.get("issues", []) or []],  # type: ignore[attr-defined]
        spans=bool(e.get("spans", False)),
        anaphors=[str(v) for v in e.get("anaphors", []) or []],  # type: ignore[attr-defined]
    )


def _compile(
    entries: list[Entry], *, names: bool = True
) -> tuple[re.Pattern[str] | None, dict[str, list[Entry]]]:
    """One alternation over every variant (and name, unless `names` is false), matched
    case-insensitively: the data holds lowercase phrases ("kharkiv region"). Acronyms are
    checked for case by `_is_acronym_miss`."""
    by: dict[str, list[Entry]] = {}
    for e in entries:
        for v in {e.name, *e.variants} if names else set(e.variants):
            if len(v) >= 3:
                by.setdefault(v.lower(), [])
                if e not in by[v.lower()]:
                    by[v.lower()].append(e)
                if v.isupper():
                    _ACRONYMS.add(v.lower())
    if not by:
        return None, by
    alts = sorted((re.escape(k) for k in by), key=len, reverse=True)
    pattern = r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])"
    return re.compile(pattern, re.IGNORECASE), by


_ACRONYMS: set[str] = set()
_CAPITALS = {"kyiv", "kiev", "moscow"}
# "an attack on Kyiv left 12 dead", "plants in Kyiv", "drones struck Kyiv": after a
# preposition of place or an attack the capital is the place; elsewhere it is the government
# ("Kyiv would not accept", "Kyiv's request", "the Kyiv regime", "weapons delivered to Kyiv",
# "guarantees from Kyiv")
_PLACE_BEFORE = re.compile(
    r"\b(?:on|in|over|near|around|into|toward|towards|at|outside|across|above|against|"
    r"(?:(?:north|south|east|west)\w*|outskirts|suburbs|cent(?:re|er)) of|"
    r"target(?:s|ed|ing)|rock(?:s|ed)|"
    # what is done to a place: "drones struck Kyiv", "to encircle Kyiv"
    r"str(?:ike|uck|ikes|iking)|hit|hits|hitting|shell(?:s|ed|ing)?|attack(?:s|ed|ing)?|"
    r"bomb(?:s|ed|ing)?|captur(?:e|es|ed|ing)|seiz(?:e|es|ed|ing)|encircl(?:e|es|ed|ing)|"
    r"liberat(?:e|es|ed|ing)|occup(?:y|ies|ied|ying))\s+(?:the\s+)?$",
    re.I,
)


# "the Kyiv regime", "Moscow's leadership": a government whatever comes before
_GOVERNMENT_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:regime|government|authorities|leadership|officials)\b", re.I
)


def _is_government(matched: str, before: str, after: str) -> bool:
    """A capital that stands for its government, not a place (see `_PLACE_BEFORE`). The
    training sets annotate Kyiv as a target in 5 of the 105 statements redline had given it."""
    if matched.lower() not in _CAPITALS:
        return False
    return bool(_GOVERNMENT_AFTER.match(after)) or not _PLACE_BEFORE.search(before)


def _is_acronym_miss(matched: str) -> bool:
    """ "a swift end" is not SWIFT: an acronym must be written in capitals."""
    return matched.lower() in _ACRONYMS and not matched.isupper()
