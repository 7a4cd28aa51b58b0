"""RSS and Atom feeds: entries with their content become docs; links are for `fetch`."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import feedparser

from redline.errors import BadRecord, IngestError
from redline.ingest.html import fragment_to_text
from redline.ingest.text import doc_from_text
from redline.models import Doc

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
)
FEED_SUFFIXES = (".xml", ".rss", ".atom")


@dataclass(slots=True)
class Entry:
    """One feed entry: its metadata and, when the feed carries it, its text."""

    title: str | None
    link: str | None
    author: str | None
    published: date | None
    text: str


@dataclass(slots=True)
class Feed:
    title: str | None
    entries: list[Entry]


def is_feed(*, url: str = "", content_type: str = "", data: bytes = b"") -> bool:
    """Whether a response (or file) is a feed, by content type, URL suffix or its first bytes."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in FEED_TYPES:
        return True
    if url.lower().split("?", 1)[0].endswith(FEED_SUFFIXES) and kind != "text/html":
        return True
    head = data[:1024].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head)


def parse_feed(data: bytes, *, source: str) -> Feed:
    """Parse RSS or Atom bytes; BadRecord when they are not a feed."""
    # A stream, never a str: feedparser would take a str for a URL or a path and open it.
    parsed: Any = feedparser.parse(io.BytesIO(data))
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        raise BadRecord(source, f"not an RSS or Atom feed{detail}")
    entries = []
    for entry in parsed.entries:
        contents = entry.get("content") or []
        html = contents[0].get("value", "") if contents else entry.get("summary", "")
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        entries.append(
            Entry(
                title=entry.get("title") or None,
                link=entry.get("link") or None,
                author=(entry.get("author_detail") or {}).get("name")
                or entry.get("author")
                or None,
                published=_to_date(stamp),
                text=fragment_to_text(html or ""),
            )
        )
    return Feed(title=parsed.feed.get("title") or None, entries=entries)


def iter_feed_docs(
    data: bytes, *, source: str, published: date | None = None
) -> Iterator[Doc | IngestError]:
    """Docs from a local feed file: each entry's content (or summary) as text, no network.

    Each entry's source is `source#N`, N counting entries from 1.
    """
    try:
        feed = parse_feed(data, source=source)
    except IngestError as e:
        yield e
        return
    if not feed.entries:
        yield BadRecord(source, "the feed has no entries")
    for n, entry in enumerate(feed.entries, start=1):
        name = f"{source}#{n}"
        if not entry.text:
            where = f"; fetch its link instead: {entry.link}" if entry.link else ""
            yield BadRecord(name, f"feed entry has no content or summary{where}")
            continue
        yield doc_from_text(
            entry.text,
            source=name,
            title=entry.title,
            outlet=feed.title,
            author=entry.author,
            published=published or entry.published,
            url=entry.link,
            fmt="feed",
        )


def _to_date(stamp: time.struct_time | None) -> date | None:
    if not stamp:
        return None
    try:
        return date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
    except ValueError:
        return None
