"""An actor's statements over time as inline SVG: one row per issue, one dot per statement.

Drawn on the server from the `timeline` part of the actor page's data, so it needs no script.
Dots are coloured by stance through CSS classes (`stance-demand`, ...); a negated statement is
a ring rather than a disc. Every piece of text is escaped.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from markupsafe import Markup, escape

WIDTH = 860
LABEL_W = 150
ROW_H = 26
AXIS_H = 28
PAD = 12
TICKS = 5


def _x(day: date, start: date, end: date) -> float:
    span = (end - start).days
    plot = WIDTH - LABEL_W - 2 * PAD
    if span <= 0:
        return LABEL_W + PAD + plot / 2
    return LABEL_W + PAD + plot * (day - start).days / span


def _short(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def timeline_svg(timeline: dict[str, Any]) -> Markup:
    """The SVG for `timeline` ({start, end, rows: [{issue, label, points}]}); empty when undated."""
    rows = timeline.get("rows") or []
    if not rows or not timeline.get("start") or not timeline.get("end"):
        return Markup("")
    start = date.fromisoformat(timeline["start"])
    end = date.fromisoformat(timeline["end"])
    height = AXIS_H + ROW_H * len(rows) + PAD
    out = [
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="statements by issue over time">'
    ]
    span = (end - start).days
    for n in range(TICKS if span > 0 else 1):
        day = start if span <= 0 else date.fromordinal(start.toordinal() + span * n // (TICKS - 1))
        x = _x(day, start, end)
        # the end labels would be cut off by the edges if centred on their ticks
        anchor = "middle" if 0 < n < TICKS - 1 or span <= 0 else ("start" if n == 0 else "end")
        out.append(
            f'<line class="tick" x1="{x:.1f}" y1="{AXIS_H - 6}" x2="{x:.1f}" y2="{height - PAD}"/>'
            f'<text class="tick-label" x="{x:.1f}" y="{AXIS_H - 10}" text-anchor="{anchor}">'
            f"{escape(day.isoformat())}</text>"
        )
    for n, row in enumerate(rows):
        y = AXIS_H + ROW_H * n + ROW_H / 2
        out.append(
            f'<g class="row" data-issue="{escape(row["issue"])}">'
            f'<line class="row-line" x1="{LABEL_W}" y1="{y:.1f}" x2="{WIDTH - PAD}" y2="{y:.1f}"/>'
            f'<text class="row-label" x="{LABEL_W - 8}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(row['label'])}</text>"
        )
        for point in row["points"]:
            x = _x(date.fromisoformat(point["date"]), start, end)
            stance = point.get("stance") or "none"
            negated = " negated" if point.get("negated") else ""
            title = (
                f"{point['date']} · {'not ' if negated else ''}{stance}: {_short(point['content'])}"
            )
            out.append(
                f'<a href="/statements/{escape(point["id"])}">'
                f'<circle class="dot stance-{escape(stance)}{negated}" cx="{x:.1f}" '
                f'cy="{y:.1f}" r="6" data-id="{escape(point["id"])}">'
                f"<title>{escape(title)}</title></circle></a>"
            )
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))
