"""Evidence in context: the paragraph around a statement, with its spans marked, built safely.

Pure functions over text and offsets, so they are easy to test: every piece of text is escaped,
and marks are inserted by offsets, never by searching the text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

from redline.models import Span

KINDS: tuple[str, ...] = ("boilerplate", "source", "cue", "content")
"""Mark kinds from outermost to innermost, where spans of several kinds overlap."""


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open range [start, end) of a text: the paragraphs an excerpt shows."""

    start: int
    end: int


def paragraph_window(text: str, spans: Sequence[Span]) -> Window:
    """The whole lines (paragraphs) of `text` that hold every span; all of `text` when none.

    Spans outside the text are clipped; a statement whose content runs over several paragraphs
    (a quotation continued after a line break) gets all of them.
    """
    inside = [(max(0, s), min(len(text), e)) for s, e in spans if e > s]
    inside = [(s, e) for s, e in inside if s < e]
    if not inside:
        return Window(0, len(text))
    first = min(s for s, _ in inside)
    last = max(e for _, e in inside)
    start = text.rfind("\n", 0, first) + 1
    stop = text.find("\n", last)
    return Window(start, len(text) if stop == -1 else stop)


def relative(spans: Sequence[Span], window: Window) -> list[Span]:
    """`spans` clipped to `window` and shifted so that offsets count from its start."""
    out: list[Span] = []
    for s, e in spans:
        s, e = max(s, window.start), min(e, window.end)
        if s < e:
            out.append((s - window.start, e - window.start))
    return out


def highlight(text: str, marks: Mapping[str, Sequence[Span]]) -> Markup:
    """`text` escaped, with `<mark class="KIND">` around each span of `marks[KIND]`.

    Overlapping and adjacent spans are allowed: the text is cut at every span boundary and each
    piece is wrapped in the marks covering it, nested in the order of KINDS (unknown kinds after
    them, by name), so the HTML always nests properly. Spans outside the text are clipped; kind
    names are used as CSS classes, so they are escaped too.
    """
    order = {kind: n for n, kind in enumerate(KINDS)}
    kinds = sorted(marks, key=lambda k: (order.get(k, len(KINDS)), k))
    clipped: dict[str, list[Span]] = {}
    cuts = {0, len(text)}
    for kind in kinds:
        spans = [(max(0, s), min(len(text), e)) for s, e in marks[kind]]
        clipped[kind] = [(s, e) for s, e in spans if s < e]
        for s, e in clipped[kind]:
            cuts.update((s, e))
    bounds = sorted(cuts)
    parts: list[str] = []
    for start, end in pairwise(bounds):
        piece = str(escape(text[start:end]))
        for kind in reversed(kinds):
            if any(s <= start and end <= e for s, e in clipped[kind]):
                piece = f'<mark class="{escape(kind)}">{piece}</mark>'
        parts.append(piece)
    return Markup("".join(parts))
