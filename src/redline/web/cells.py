"""The small pieces every statement row repeats, as markup: date, speaker, issues, stance and
the "corrected" flag. Made in Python rather than as Jinja macros, since a list page calls them
hundreds of times and a macro call costs more than the row's own text. Every value is escaped
(`escape`, then joined as text, which is quicker than `Markup.format`); the templates use them
as globals of the same names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

Row = Mapping[str, Any]

_CORRECTED = Markup(' <span class="corrected" title="corrected by an analyst">corrected</span>')


def fixed(s: Row, fields: Iterable[str]) -> Markup:
    """The flag shown after a value an analyst corrected (any of `fields`)."""
    corrected = s.get("corrected") or ()
    return _CORRECTED if any(f in corrected for f in fields) else Markup("")


def day(s: Row) -> str:
    """The date a statement is filed under, or a dash."""
    return str(s.get("said_on") or s.get("published") or "—")


def speaker(s: Row) -> Markup:
    """The speaker, linked to their actor page when the registry knows them."""
    if s.get("speaker_id"):
        return Markup(f'<a href="/actors/{escape(s["speaker_id"])}">{escape(s.get("speaker"))}</a>')
    return escape(s.get("speaker") or s.get("speaker_mention") or "")


def issues(ids: Iterable[str], *, labels: Mapping[str, str]) -> Markup:
    """The issues, each by its label."""
    return Markup(" ".join(f'<span class="issue">{escape(labels.get(i, i))}</span>' for i in ids))


def stance(s: Row) -> Markup:
    """The stance, "not" before it when negated; nothing without one."""
    if not s.get("stance"):
        return Markup("")
    value = escape(s["stance"])
    negated = "not " if s.get("negated") else ""
    return Markup(f'<span class="stance stance-{value}">{negated}{value}</span>')
