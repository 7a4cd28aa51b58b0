"""The small pieces every statement row repeats, as markup: date, speaker, issues, stance and
the "corrected" flag. Made in Python rather than as Jinja macros, since a list page calls them
hundreds of times and a macro call costs more than the row's own text. Every value is escaped
(`escape`, then joined as text, which is quicker than `Markup.format`); the templates use them
as globals of the same names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

Row = Mapping[str, Any]
# Jinja's `truncate` filter, bound to the environment: (text, length) -> text.
Truncate = Callable[[str, int], str]

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


def statement_row(s: Row, *, labels: Mapping[str, str], truncate: Truncate) -> Markup:
    """One row of a statement table (`_macros.statement_table`), the same markup the macro
    made: a list page has up to 200 of them, and the row in Python costs a fraction."""
    sid = escape(s["id"])
    side = escape(s["side"])
    content = escape(truncate(s["content"], 220))
    return Markup(
        f'<tr data-id="{sid}">\n'
        f'  <td class="date">{escape(day(s))}</td>\n'
        f"  <td>{speaker(s)}{fixed(s, _SPEAKER)}</td>\n"
        f'  <td><span class="side side-{side}">{side}</span>{fixed(s, _SIDE)}</td>\n'
        f"  <td>{issues(s['issues'], labels=labels)}{fixed(s, _ISSUES)}</td>\n"
        f"  <td>{stance(s)}{fixed(s, _STANCE)}</td>\n"
        f'  <td class="content"><a href="/statements/{sid}">{content}</a></td>\n'
        "</tr>"
    )


def side_of_pair(s: Row, *, truncate: Truncate) -> Markup:
    """One statement of a contradiction (`_macros.contradiction_list`), as the macro made it."""
    sid = escape(s["id"])
    side = escape(s["side"])
    content = escape(truncate(s["content"], 300))
    return Markup(
        '<div class="side-of-pair">\n'
        f'  <div class="who">{speaker(s)} <span class="side side-{side}">{side}</span> · '
        f'<span class="date">{escape(day(s))}</span> {stance(s)}{fixed(s, _PAIR)}</div>\n'
        f'  <blockquote><a href="/statements/{sid}">{content}</a></blockquote>\n'
        "</div>\n"
    )


_SPEAKER = ("speaker", "speaker_id")
_SIDE = ("side",)
_ISSUES = ("issues",)
_STANCE = ("stance", "negated")
_PAIR = ("speaker", "speaker_id", "side", "stance", "negated")
