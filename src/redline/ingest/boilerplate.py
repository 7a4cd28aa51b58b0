"""Find the parts of a pasted web page that are not the article, without touching the text.

Patterns come from `redline/data/boilerplate.toml`; the structural rules live here:

- a line matching a pattern (appeal, ad-blocker notice, share label, caption) is boilerplate;
- a section header ("Related Posts") takes the short, unpunctuated link titles after it along;
- a line repeated verbatim later (a second headline, a caption shown twice) is boilerplate the
  second time; the headline at the top is kept;
- short lines without sentence punctuation right after the headline (byline, date, section);
- near the end, an appeal or notice followed only by more boilerplate or short lines cuts
  everything from it to the end (the footer of the page).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from redline.errors import ConfigError
from redline.models import Span

_SENTENCE_END = re.compile(r"""[.!?…]["'”’»)\]]*$""")
_SPACES = re.compile(r"\s+")
_LINE = re.compile(r"[^\n]+")

# How long a line may be and still count as a label, a caption or a link title, in characters.
_LABEL_MAX = 120
_CAPTION_MAX = 250
_SHORT_MAX = 80
# Short lines after the headline are only boilerplate in the page's header: a few of them.
_HEAD_MAX_LINES = 6
# A repeated line shorter than this ("Thank you!") may well be repeated on purpose.
_REPEAT_MIN = 12
# The footer cut only starts in the last two thirds of the text.
_TAIL_FROM = 1 / 3


@dataclass(frozen=True, slots=True)
class Patterns:
    """Compiled boilerplate patterns, one tuple per section of the data file."""

    anywhere: tuple[re.Pattern[str], ...]
    line: tuple[re.Pattern[str], ...]
    header: tuple[re.Pattern[str], ...]
    caption: tuple[re.Pattern[str], ...]


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def load_patterns() -> Patterns:
    """The bundled patterns from `redline/data/boilerplate.toml`; ConfigError if one is invalid."""
    source = resources.files("redline").joinpath("data/boilerplate.toml")
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"cannot read the boilerplate patterns ({source}): {e}") from e

    def section(name: str) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for group, regexes in data.get(name, {}).items():
            for regex in regexes:
                try:
                    compiled.append(re.compile(regex, re.IGNORECASE))
                except re.error as e:
                    raise ConfigError(f"boilerplate pattern [{name}].{group} {regex!r}: {e}") from e
        return tuple(compiled)

    return Patterns(section("anywhere"), section("line"), section("header"), section("caption"))


def normalise(line: str) -> str:
    """A line reduced for comparison: case folded, runs of whitespace made one space."""
    return _SPACES.sub(" ", line).strip().casefold()


def ends_sentence(line: str) -> bool:
    """Whether a line ends like a sentence (a full stop, ?, ! or …, maybe inside a quote)."""
    return bool(_SENTENCE_END.search(line.rstrip()))


def looks_like_title(line: str) -> bool:
    """Whether a line could be a headline: short and not ending with a full stop."""
    line = line.strip()
    return 0 < len(line) < 200 and not line.endswith(".")


def find_boilerplate(text: str, *, title: str | None = None) -> list[Span]:
    """The spans of `text` that are not the article body, sorted and merged.

    `title` is the headline if known; without it a short first line without a full stop is taken
    as the headline. The text is never rewritten: spans are offsets into `text` as given.
    """
    lines = _lines(text)
    if not lines:
        return []
    patterns = load_patterns()
    marked = [False] * len(lines)
    anchors = [False] * len(lines)  # lines that can start the footer cut

    has_title = len(lines) > 1 and (
        _same_headline(lines[0].text, title) if title else looks_like_title(lines[0].text)
    )
    if has_title:
        for i in range(1, min(len(lines), 1 + _HEAD_MAX_LINES)):
            if not _short_unpunctuated(lines[i].text):
                break
            marked[i] = True

    i = 0
    while i < len(lines):
        line = lines[i].text
        if _is_header(line, patterns):
            marked[i] = anchors[i] = True
            j = i + 1
            while j < len(lines) and _short_unpunctuated(lines[j].text):
                marked[j] = True
                j += 1
            i = j
            continue
        if any(p.search(line) for p in patterns.anywhere) or (
            len(line) <= _LABEL_MAX and any(p.fullmatch(line) for p in patterns.line)
        ):
            marked[i] = anchors[i] = True
        elif len(line) <= _CAPTION_MAX and any(p.search(line) for p in patterns.caption):
            marked[i] = True
        i += 1

    seen: set[str] = set()
    for i, ln in enumerate(lines):
        key = normalise(ln.text)
        if key in seen and len(key) >= _REPEAT_MIN:
            marked[i] = True
        seen.add(key)

    spans = [(ln.start, ln.end) for ln, m in zip(lines, marked, strict=True) if m]
    cut = _footer_start(lines, marked, anchors, len(text))
    if cut is not None:
        spans = [s for s in spans if s[0] < lines[cut].start]
        spans.append((lines[cut].start, lines[-1].end))
    return _merge(text, spans)


def _lines(text: str) -> list[_Line]:
    """Non-blank lines with the offsets of their stripped content (a CR before LF is dropped)."""
    out = []
    for m in _LINE.finditer(text):
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        out.append(_Line(start, start + len(stripped), stripped))
    return out


def _same_headline(line: str, title: str) -> bool:
    a, b = normalise(line), normalise(title)
    if a == b:
        return True
    # "Headline | Outlet" as a page title against "Headline" as the first line, or vice versa.
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 20 and longer.startswith(shorter)


def _short_unpunctuated(line: str) -> bool:
    return len(line) <= _SHORT_MAX and not ends_sentence(line)


def _is_header(line: str, patterns: Patterns) -> bool:
    line = line.rstrip(":").rstrip()
    return len(line) <= _LABEL_MAX and any(p.fullmatch(line) for p in patterns.header)


def _footer_start(
    lines: list[_Line], marked: list[bool], anchors: list[bool], length: int
) -> int | None:
    """The first anchor in the latter part of the text after which nothing looks like body."""
    # rest_ok[i]: every line from i to the end is boilerplate or a short unpunctuated line.
    rest_ok = [True] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        like = marked[i] or (len(lines[i].text) <= _LABEL_MAX and not ends_sentence(lines[i].text))
        rest_ok[i] = like and rest_ok[i + 1]
    for i, ln in enumerate(lines):
        if anchors[i] and ln.start >= length * _TAIL_FROM and rest_ok[i + 1]:
            return i
    return None


def _merge(text: str, spans: list[Span]) -> list[Span]:
    """Sort spans and join those separated only by whitespace."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
