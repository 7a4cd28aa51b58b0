"""Plain text to a `Doc`: headline and date guesses, boilerplate spans."""

from __future__ import annotations

import re
from datetime import date, datetime

from redline.errors import EmptyInput
from redline.ingest.boilerplate import find_boilerplate, looks_like_title
from redline.models import Doc

_NAME_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def doc_from_text(
    text: str,
    *,
    source: str,
    title: str | None = None,
    outlet: str | None = None,
    author: str | None = None,
    published: date | None = None,
    url: str | None = None,
    fmt: str = "text",
) -> Doc:
    """Build a `Doc` from `text` as given (never rewritten) and fill its boilerplate spans.

    Raises EmptyInput when `text` is only whitespace.
    """
    if not text.strip():
        raise EmptyInput(source)
    return Doc(
        source=source,
        text=text,
        title=title,
        outlet=outlet,
        author=author,
        published=published,
        url=url,
        format=fmt,
        boilerplate=find_boilerplate(text, title=title),
    )


def guess_title(text: str) -> str | None:
    """The first line of a plain-text article if it reads like a headline (short, no full stop)."""
    first = text.lstrip().split("\n", 1)[0].strip()
    return first if looks_like_title(first) else None


def date_from_name(name: str) -> date | None:
    """A `YYYY-MM-DD` date in a file name (`outlet-2025-04-12-slug.txt`), if it is a real date."""
    for match in _NAME_DATE.finditer(name):
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            continue
    return None


def parse_date(value: object) -> date | None:
    """A date from an ISO date or datetime string (or a free-form one dateparser reads).

    Returns None for anything it cannot read: a bad date in a record's metadata is not a reason
    to drop the article.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        # Reads "2025-04-12" as well as "2025-04-12T09:30:00Z" (Python 3.11+).
        return datetime.fromisoformat(value).date()
    except ValueError:
        pass
    import dateparser  # slow to import, and only needed for odd dates

    parsed = dateparser.parse(value, settings={"STRICT_PARSING": True})
    return parsed.date() if parsed else None
