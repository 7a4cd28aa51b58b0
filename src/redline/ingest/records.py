"""JSON and JSON Lines inputs: one article per object, with `text` or `html` and metadata."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from redline.errors import BadRecord, IngestError
from redline.ingest.html import doc_from_html
from redline.ingest.text import doc_from_text, guess_title, parse_date
from redline.models import Doc


def iter_json(
    text: str, *, source: str, published: date | None = None
) -> Iterator[Doc | IngestError]:
    """Docs from a JSON file holding one object or a list of objects.

    A file that is not valid JSON yields one BadRecord; a bad object yields a BadRecord for it
    and the others go on. A record's source is `source#N` (from 1) when there are several.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        yield BadRecord(source, f"invalid JSON: {e.msg} at line {e.lineno}, column {e.colno}")
        return
    records = data if isinstance(data, list) else [data]
    for n, record in enumerate(records, start=1):
        name = f"{source}#{n}" if len(records) > 1 else source
        yield _doc_or_error(record, source=name, published=published)


def iter_jsonl(
    text: str, *, source: str, published: date | None = None
) -> Iterator[Doc | IngestError]:
    """Docs from JSON Lines: one object per line, blank lines skipped.

    N in `source#N` is the record's line number, so a BadRecord points at the line to fix.
    """
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    for n, line in lines:
        name = f"{source}#{n}" if len(lines) > 1 else source
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            yield BadRecord(name, f"invalid JSON on line {n}: {e.msg} at column {e.colno}")
            continue
        yield _doc_or_error(record, source=name, published=published)


def doc_from_record(record: Any, *, source: str, published: date | None = None) -> Doc:
    """A Doc from one JSON object: `text` or `html`, optional `url`, `title`, `outlet`,
    `published` (ISO date or datetime), `author`. `published` given here overrides the record's.
    """
    if not isinstance(record, dict):
        raise BadRecord(source, f"expected a JSON object, got {type(record).__name__}")
    text, html = record.get("text"), record.get("html")
    for key in ("url", "title", "outlet", "author"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise BadRecord(source, f"field {key!r} must be a string")
    when = published or parse_date(record.get("published"))
    if isinstance(text, str) and text.strip():
        return doc_from_text(
            text,
            source=source,
            title=record.get("title") or guess_title(text),
            outlet=record.get("outlet"),
            author=record.get("author"),
            published=when,
            url=record.get("url"),
            fmt="json",
        )
    if isinstance(html, str) and html.strip():
        doc = doc_from_html(html, source=source, url=record.get("url"), published=when)
        # The record's own metadata is what its producer meant; the page's is a fallback.
        doc.title = record.get("title") or doc.title
        doc.outlet = record.get("outlet") or doc.outlet
        doc.author = record.get("author") or doc.author
        return doc
    raise BadRecord(source, "record has no 'text' or 'html' field with text in it")


def _doc_or_error(record: Any, *, source: str, published: date | None) -> Doc | IngestError:
    try:
        return doc_from_record(record, source=source, published=published)
    except IngestError as e:
        return e
