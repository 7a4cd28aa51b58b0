"""Direct quotations: where quotation marks open and close, across paragraphs.

Works on characters, not tokens, so that a quote that runs over two paragraphs (the first left
open, the next opening again, as news style does) is one quotation in several pieces. Unbalanced
marks never raise: a quote that is never closed or continued is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from redline.models import Span

OPENERS = {"“": "”", "«": "»", "„": "“", '"': '"'}
_PARA = re.compile(r"[^\n]+")
_EDGE = " \t\r\n,.;:—–-"


@dataclass(slots=True)
class Quotation:
    """A quotation: `pieces` are the quoted text (inside the marks), one per paragraph."""

    pieces: list[Span] = field(default_factory=list)
    start: int = 0
    end: int = 0

    @property
    def words(self) -> int:
        return self._words

    _words: int = 0


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def find_quotations(text: str) -> list[Quotation]:
    """All closed (or paragraph-continued) quotations in `text`, in order."""
    paras = [(m.start(), m.end()) for m in _PARA.finditer(text) if m.group().strip()]
    found: list[Quotation] = []
    current: Quotation | None = None
    closer = ""
    open_at = 0
    for n, (p_start, p_end) in enumerate(paras):
        i = p_start
        if current is not None:
            # a continued quote: this paragraph must open with a quotation mark
            while i < p_end and text[i] in " \t":
                i += 1
            if i < p_end and text[i] in OPENERS:
                open_at = i + 1
                i += 1
            else:
                current, closer = None, ""
        while i < p_end:
            ch = text[i]
            if current is None:
                if ch in OPENERS and _opens(text, i):
                    current = Quotation(start=i)
                    closer = OPENERS[ch]
                    open_at = i + 1
            elif ch == closer or (closer == "”" and ch == '"'):
                current.pieces.append(_trim(text, open_at, i))
                current.end = i + 1
                current._words = sum(len(text[s:e].split()) for s, e in current.pieces)
                found.append(current)
                current, closer = None, ""
            i += 1
        if current is not None:
            nxt = paras[n + 1][0] if n + 1 < len(paras) else None
            if nxt is not None and text[nxt:].lstrip(" \t")[:1] in OPENERS:
                current.pieces.append(_trim(text, open_at, p_end))
            else:
                current, closer = None, ""
    return [q for q in found if any(e > s for s, e in q.pieces)]


def _opens(text: str, i: int) -> bool:
    """A straight double quote opens only where a word could start after it."""
    if text[i] != '"':
        return True
    nxt = text[i + 1 : i + 2]
    return bool(nxt) and not nxt.isspace()
