"""Statements as PLOVER event records, one JSON object per statement that has a PLOVER event.

Field names follow the PLOVER manual's "JSON Data Fields" chapter (Open Event Data Alliance,
*PLOVER: Political Language Ontology for Verifiable Event Records — Event, Actor and Data
Interchange Specification*, draft 0.7b1, github.com/openeventdata/PLOVER, PLOVER_MANUAL.tex):

- `id` (required, unique in the data set), `date` (required, YYYY-MM-DD), `source` (required:
  a list of actor objects), `recipient` (a list of actor objects, may be empty), `event` (a
  list of event categories), `mode`, `context` (a list), `event_text` (a list of the texts of
  the event), `quad_code` (1-4, from the manual's quad table), `text` (the text the record was
  coded from), `text_info` (`start`/`end` character offsets), `cite_info` (`url`, `title`,
  `publication`), `coder` and `coded_date`;
- actor objects use the manual's actor fields: `code` (ISO 3166-1 alpha-3 for states, `IGO`
  for the EU, the UN and NATO), `actor_text` (the words in the article), `identifier_id` and
  `identifier_text` (the canonical id and name: redline's registry id, not Wikidata), `office`;
- event names are POLECAT's (REQUEST where the manual still says DEMAND), as coding makes them.

The manual invites extra named fields; these records add `actor` and `actor_name` (the speaker's
code and name, flat, as POLECAT's "Actor Country"/"Actor Name" columns), `redline_id` (the
statement id) and `doc` (the article's URL, else its path). PLOVER's `source` is the *actor*,
so the article's location is in `doc` and `cite_info.url`, not in `source`.

A statement with no date at all (not said on a known day, article undated) has no PLOVER
record: `date` is required.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import lru_cache
from typing import Any

import pycountry

from redline import __version__
from redline.models import Doc, Statement, Target

# Sides in data/actors.toml that are not a country name pycountry knows.
_SIDE_CODES = {
    "us": "USA",
    "uk": "GBR",
    "eu": "IGO",
    "un": "IGO",
    "nato": "IGO",
    "uae": "ARE",
    "vatican": "VAT",
    "north-korea": "PRK",
    "saudi-arabia": "SAU",
    "russia": "RUS",
    "iran": "IRN",
    "turkey": "TUR",
}
# Sides that are no single actor code: several states, or commentators.
_NO_CODE = {"baltics", "analyst", "unknown"}

# The manual's quad categories; REQUEST is POLECAT's name for DEMAND.
_QUAD = {
    "AGREE": 1,
    "CONSULT": 1,
    "SUPPORT": 1,
    "CONCEDE": 1,
    "COOPERATE": 2,
    "AID": 2,
    "RETREAT": 2,
    "INVESTIGATE": 2,
    "DEMAND": 3,
    "REQUEST": 3,
    "ACCUSE": 3,
    "REJECT": 3,
    "SANCTION": 3,
    "THREATEN": 3,
    "PROTEST": 4,
    "MOBILIZE": 4,
    "COERCE": 4,
    "ASSAULT": 4,
}

_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?=\s+[\"'“‘(]?[A-Z0-9])")


@lru_cache(maxsize=256)
def side_code(side: str) -> str:
    """The PLOVER actor code for a side: ISO alpha-3, IGO, or "" when there is none."""
    if side in _NO_CODE or not side:
        return ""
    if side in _SIDE_CODES:
        return _SIDE_CODES[side]
    try:
        return str(pycountry.countries.lookup(side.replace("-", " ")).alpha_3)
    except LookupError:
        return ""


def _place_code(target: Target, parents: Callable[[str], str]) -> str:
    """The alpha-3 code of the country a place lies in ("UA-32" -> "UKR")."""
    code = target.id if re.match(r"[A-Z]{2}-", target.id) else parents(target.id)
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code[:2])
    return str(country.alpha_3) if country is not None else ""


def _gazetteer_parents() -> Callable[[str], str]:
    """Looks up the ISO code above a city or group, loading the gazetteer only when asked."""
    cache: dict[str, str] = {}

    def parent(place_id: str) -> str:
        if not cache:
            from redline.coding import Gazetteer

            for p in Gazetteer.load().places.values():
                code = p.parent or next((m for m in p.members if re.match(r"[A-Z]{2}-", m)), "")
                cache[p.id] = code
            cache.setdefault("", "")
        return cache.get(place_id, "")

    return parent


def statement_span(stmt: Statement) -> tuple[int, int] | None:
    """The smallest range covering the statement's source, cue and content."""
    spans = [*stmt.offsets.source, *stmt.offsets.cue, *stmt.offsets.content]
    if not spans:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans)


def sentence_around(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The sentence(s) of `text` holding `span`, never reaching past its paragraph."""
    start, end = span
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    left = para_start
    for m in _SENTENCE_END.finditer(text, para_start, para_end):
        if m.end() > start:
            break
        left = m.end()
    right = para_end
    after = _SENTENCE_END.search(text, max(end - 1, para_start), para_end)
    if after is not None:
        right = after.end()
    else:
        tail = re.search(r"[.!?][\"'”’)]*\s*$", text[end:para_end])
        right = end + tail.end() if tail else para_end
    while left < right and text[left].isspace():
        left += 1
    return left, max(right, end)


def _actor(stmt: Statement) -> dict[str, Any]:
    obj = {
        "code": side_code(stmt.side),
        "actor_text": stmt.speaker_mention or None,
        "identifier_id": stmt.speaker_id,
        "identifier_text": stmt.speaker or stmt.speaker_name,
        "office": stmt.role,
    }
    return {k: v for k, v in obj.items() if v not in (None, "")}


def plover_record(
    stmt: Statement,
    doc: Doc | None,
    *,
    parents: Callable[[str], str] | None = None,
    coded_on: date | None = None,
) -> dict[str, Any] | None:
    """The PLOVER record for one statement, or None when it has no event or no date."""
    if stmt.plover is None:
        return None
    day = stmt.said_on or stmt.published or (doc.published if doc else None)
    if day is None:
        return None
    lookup = parents or _gazetteer_parents()
    recipient: list[dict[str, Any]] = []
    for target in stmt.targets:
        if target.kind != "place":
            continue
        code = _place_code(target, lookup)
        if code:
            recipient.append({"code": code, "actor_text": target.name})
            break
    text = ""
    text_info: dict[str, int] = {}
    span = statement_span(stmt)
    if doc is not None and doc.text and span is not None:
        start, end = sentence_around(doc.text, span)
        text = doc.text[start:end]
        text_info = {"start": start, "end": end}
    source = _actor(stmt)
    where = (doc.url if doc else None) or (doc.source if doc else None) or stmt.doc
    record: dict[str, Any] = {
        "id": f"redline-{stmt.id}",
        "date": day.isoformat(),
        "source": [source],
        "recipient": recipient,
        "event": [stmt.plover.event],
        "mode": stmt.plover.mode or "",
        "context": list(stmt.plover.context),
        "event_text": [stmt.content],
        "quad_code": _QUAD.get(stmt.plover.event),
        "text": text,
        "text_info": text_info,
        "cite_info": {
            k: v
            for k, v in {
                "url": where,
                "title": doc.title if doc else None,
                "publication": doc.outlet if doc else None,
                "language": "en",
            }.items()
            if v
        },
        "coder": f"redline {__version__}",
        "actor": source.get("code", ""),
        "actor_name": stmt.speaker or stmt.speaker_name or stmt.speaker_mention,
        "redline_id": stmt.id,
        "doc": where,
    }
    if coded_on is not None:
        record["coded_date"] = coded_on.isoformat()
    return record


def plover_records(
    stmts: Iterable[Statement], get_doc: Callable[[str], Doc | None]
) -> Iterator[dict[str, Any]]:
    """PLOVER records for the statements that have an event and a date, in their order."""
    docs: dict[str, Doc | None] = {}
    parents = _gazetteer_parents()
    for stmt in stmts:
        if stmt.plover is None:
            continue
        if stmt.doc_id not in docs:
            docs[stmt.doc_id] = get_doc(stmt.doc_id)
        record = plover_record(stmt, docs[stmt.doc_id], parents=parents)
        if record is not None:
            yield record
