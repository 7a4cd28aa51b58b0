"""Corrections from the web: the form and the API body read into one set of changes, checked
against the registry and taxonomy, and handed to `Store.correct_many`.

What each field means (a blank form field leaves the field as it is):

    speaker   a registry id or name sets name and id (and the side, unless one is given);
              any other text sets the name only; `null` (API) clears it
    side      one of the registry's sides, or "unknown"
    issues    issue ids of the taxonomy, separated by commas; "-" (form) or [] (API) for none
    stance    a stance, or "none" (form) / null (API)
    negated   yes / no (form), true / false (API)
    wrong     yes marks the statement as wrong (hidden from lists), no takes the mark back
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from pydantic import BaseModel, ConfigDict, Field

from redline.errors import BadCorrection
from redline.models import UNKNOWN_SIDE, Stance
from redline.store.review import MAX_AUTHOR, MAX_NOTE
from redline.web.views import Data, Site, statement_page

YES_NO = {"yes": True, "no": False}


class CorrectionIn(BaseModel):
    """A correction by API: give only the fields to change, and who changes them."""

    model_config = ConfigDict(extra="forbid")

    author: str = Field(min_length=1, max_length=MAX_AUTHOR, description="Who corrects.")
    note: str | None = Field(None, max_length=MAX_NOTE, description="Why, for the record.")
    speaker: str | None = Field(None, description="Registry id or name, or any name; null: none.")
    side: str | None = Field(None, description="A side, e.g. russia, ukraine, unknown.")
    issues: list[str] | None = Field(None, description="Issue ids; [] for none.")
    stance: Stance | None = Field(None, description="A stance; null for none.")
    negated: bool | None = None
    wrong: bool | None = Field(None, description="true hides the statement from lists.")

    def changes(self) -> dict[str, Any]:
        """The fields the body sets, `null` included (the store refuses a null side)."""
        return {
            name: getattr(self, name)
            for name in ("speaker", "side", "issues", "stance", "negated", "wrong")
            if name in self.model_fields_set
        }


def read_form(body: bytes) -> dict[str, str]:
    """An urlencoded form body as a dict (first value of each field)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadCorrection("the form is not UTF-8") from e
    return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}


def form_changes(form: Mapping[str, str]) -> dict[str, Any]:
    """The changes a review form asks for; blank fields are left out."""
    changes: dict[str, Any] = {}
    field = {k: form.get(k, "").strip() for k in ("speaker", "side", "issues", "stance")}
    if field["speaker"]:
        changes["speaker"] = field["speaker"]
    if field["side"]:
        changes["side"] = field["side"]
    if field["issues"]:
        raw = field["issues"]
        changes["issues"] = [] if raw == "-" else [i for i in re.split(r"[,\s]+", raw) if i]
    if field["stance"]:
        changes["stance"] = None if field["stance"] == "none" else field["stance"]
    for name in ("negated", "wrong"):
        value = form.get(name, "").strip().lower()
        if value:
            if value not in YES_NO:
                raise BadCorrection(f"{name} must be yes or no")
            changes[name] = YES_NO[value]
    return changes


def _resolved(site: Site, changes: Mapping[str, Any]) -> dict[str, Any]:
    """`changes` checked against the registry and taxonomy, a known speaker made an actor."""
    out = dict(changes)
    if "speaker" in out:
        name = out.pop("speaker")
        actor = None
        if isinstance(name, str):
            actor = site.registry.get(name) or site.registry.by_name(name)
        if actor is not None:
            out.update(speaker=actor.name, speaker_id=actor.id)
            out.setdefault("side", actor.side)
        else:
            out.update(speaker=name, speaker_id=None)
    if isinstance(out.get("side"), str):
        sides = {a.side for a in site.registry.actors.values()} | {UNKNOWN_SIDE}
        if out["side"] not in sides:
            raise BadCorrection(f"unknown side {out['side']!r}; known: {', '.join(sorted(sides))}")
    if isinstance(out.get("issues"), list):
        unknown = [i for i in out["issues"] if i not in site.taxonomy.issues]
        if unknown:
            raise BadCorrection(f"unknown issue(s): {', '.join(map(repr, unknown))}")
    return out


def correct(
    site: Site, stmt_id: str, changes: Mapping[str, Any], *, author: str, note: str | None
) -> Data:
    """Store the corrections and return the statement page as it now reads.

    Raises StatementNotFound or BadCorrection (the app answers 404 and 422).
    """
    site.store.correct_many(stmt_id, _resolved(site, changes), author=author, note=note)
    page = statement_page(site, stmt_id)
    if page is None:  # pragma: no cover - the store has just found it
        raise BadCorrection(f"statement {stmt_id!r} vanished while being corrected")
    return page
