"""Corrections: what an analyst changed on a statement, and how it is read over the machine's.

A correction sets one field of one statement. They are stored apart (the `corrections` table)
and never rewrite the machine's output; on reading, the latest correction of each field wins.

Correctable fields, and the values they take:

    speaker      the speaker's name (str), or None
    speaker_id   the registry id of the speaker (str), or None
    side         a side such as "russia" (str)
    issues       issue ids (list of str; [] for none)
    stance       one of `redline.models.STANCES`, or None
    negated      bool
    wrong        bool: True marks the statement as not a statement at all (a misattribution, a
                 headline); lists leave it out unless asked, `get_statement` still returns it

A statement read with corrections lists the fields they set in `Statement.corrected`; "wrong"
is listed only while the statement is marked wrong (`wrong=False` undoes the mark).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import RowMapping

from redline.errors import BadCorrection
from redline.models import STANCES, Statement

CORRECTABLE: tuple[str, ...] = (
    "speaker",
    "speaker_id",
    "side",
    "issues",
    "stance",
    "negated",
    "wrong",
)

MAX_AUTHOR = 200
MAX_NOTE = 4000
_MAX_TEXT = {"speaker": 300, "speaker_id": 128, "side": 64}
_MAX_ISSUE = 128

Overlay = dict[str, dict[str, Any]]
"""Statement id -> field -> the latest corrected value."""


@dataclass(frozen=True, slots=True)
class Correction:
    """One stored correction: `field` of statement `statement_id` set to `value`."""

    id: int
    statement_id: str
    field: str
    value: Any
    author: str
    created_at: datetime
    note: str | None = None


def correction_from_row(row: RowMapping) -> Correction:
    created = row["created_at"]
    if created.tzinfo is None:
        # SQLite keeps no zone; what is written there is UTC (ours, or CURRENT_TIMESTAMP).
        created = created.replace(tzinfo=UTC)
    return Correction(
        id=int(row["id"]),
        statement_id=row["statement_id"],
        field=row["field"],
        value=row["value"],
        author=row["author"],
        created_at=created,
        note=row["note"],
    )


def checked(field: str, value: object) -> Any:
    """`value` as stored for `field`; raises BadCorrection saying what is wrong with it."""
    if field not in CORRECTABLE:
        raise BadCorrection(
            f"cannot correct {field!r}; correctable fields: {', '.join(CORRECTABLE)}"
        )
    if field in ("negated", "wrong"):
        if not isinstance(value, bool):
            raise BadCorrection(f"{field} must be true or false, not {value!r}")
        return value
    if field == "stance":
        if value is not None and value not in STANCES:
            raise BadCorrection(f"stance must be one of {', '.join(STANCES)} or none")
        return value
    if field == "issues":
        if not isinstance(value, list | tuple) or not all(isinstance(i, str) for i in value):
            raise BadCorrection("issues must be a list of issue ids")
        issues = [i.strip() for i in value if i.strip()]
        if any(len(i) > _MAX_ISSUE for i in issues):
            raise BadCorrection(f"an issue id is at most {_MAX_ISSUE} characters")
        return list(dict.fromkeys(issues))
    # speaker, speaker_id, side: text
    if value is None and field != "side":
        return None
    if not isinstance(value, str) or not value.strip():
        raise BadCorrection(f"{field} must be a non-empty text")
    text = value.strip()
    if len(text) > _MAX_TEXT[field]:
        raise BadCorrection(f"{field} is at most {_MAX_TEXT[field]} characters")
    return text


def checked_author(author: str, note: str | None) -> tuple[str, str | None]:
    """The author (required) and note (blank is none), trimmed and within their limits."""
    author = author.strip() if isinstance(author, str) else ""
    if not author:
        raise BadCorrection("a correction needs an author")
    if len(author) > MAX_AUTHOR:
        raise BadCorrection(f"author is at most {MAX_AUTHOR} characters")
    note = note.strip() if note else None
    if note and len(note) > MAX_NOTE:
        raise BadCorrection(f"note is at most {MAX_NOTE} characters")
    return author, note or None


def overlay(rows: Iterable[RowMapping]) -> Overlay:
    """The latest value per statement and field, from correction rows in the order stored."""
    out: Overlay = {}
    for row in rows:
        out.setdefault(row["statement_id"], {})[row["field"]] = row["value"]
    return out


def apply(stmt: Statement, fields: Mapping[str, Any]) -> Statement:
    """`stmt` with `fields` set over its own values and listed in `corrected` (in place)."""
    corrected: list[str] = []
    for field in CORRECTABLE:
        if field not in fields:
            continue
        value = fields[field]
        if field == "wrong":
            if value:
                corrected.append(field)
            continue
        setattr(stmt, field, list(value) if field == "issues" else value)
        corrected.append(field)
    if "speaker" in corrected or "speaker_id" in corrected:
        # the role and body the machine found were the machine's speaker's, not this one's
        stmt.role = stmt.institution = None
    stmt.corrected = corrected
    return stmt


def is_wrong(stmt: Statement) -> bool:
    return "wrong" in stmt.corrected


def matches(stmt: Statement, *, actor: str | None, side: str | None, issue: str | None) -> bool:
    """The statement filters, in Python: for statements whose corrections may change the answer."""
    if side is not None and stmt.side != side:
        return False
    if issue is not None and issue not in stmt.issues:
        return False
    if actor is not None:
        key = actor.casefold()
        names = (stmt.speaker, stmt.speaker_name)
        if stmt.speaker_id != actor and not any(key in (n or "").casefold() for n in names):
            return False
    return True
