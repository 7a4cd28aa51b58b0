"""Local files and directories to docs, by file extension."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from redline.errors import IngestError, SourceNotFound, UnsupportedFormat
from redline.ingest.decode import check_length, check_size, decode_bytes
from redline.ingest.feeds import FEED_SUFFIXES, iter_feed_docs
from redline.ingest.html import doc_from_html
from redline.ingest.records import iter_json, iter_jsonl
from redline.ingest.text import date_from_name, doc_from_text, guess_title
from redline.models import Doc
from redline.settings import Settings

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSON_SUFFIXES = (".json", ".jsonl")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSON_SUFFIXES + FEED_SUFFIXES


def read_file(path: Path, *, settings: Settings, published: date | None = None) -> list[Doc]:
    """All docs in one file; raises the first IngestError (use `iter_docs` to skip bad records).

    `published` overrides the date the file gives (in its name, metadata or records).
    """
    docs = []
    for item in iter_file(path, settings=settings, published=published):
        if isinstance(item, IngestError):
            raise item
        docs.append(item)
    return docs


def iter_file(
    path: Path, *, settings: Settings, published: date | None = None
) -> Iterator[Doc | IngestError]:
    """Docs from one file, and an IngestError for each part that cannot be read (never raises
    IngestError: a JSONL file with one bad line still gives its other records).
    """
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        shown = suffix or "a file without an extension"
        yield UnsupportedFormat(
            source, f"unsupported file type {shown}: redline reads {', '.join(SUFFIXES)}"
        )
        return
    try:
        for item in _read(path, suffix=suffix, settings=settings, published=published):
            if isinstance(item, Doc):
                try:
                    check_length(item.text, source=item.source, settings=settings)
                except IngestError as e:
                    item = e
            yield item
    except FileNotFoundError:
        yield SourceNotFound(source)
    except OSError as e:
        yield IngestError(source, f"cannot read the file: {e.strerror or e}")
    except IngestError as e:
        yield e


def walk(root: Path) -> Iterator[Path]:
    """Files under `root` that redline reads, sorted, skipping hidden files and folders."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if not name.startswith(".") and path.suffix.lower() in SUFFIXES and path.is_file():
                yield path


def _read(
    path: Path, *, suffix: str, settings: Settings, published: date | None
) -> Iterator[Doc | IngestError]:
    """Docs and record errors from one file; raises for a file that cannot be read at all."""
    source = str(path)
    # The size comes first so that a huge file is refused before a byte of it is read.
    check_size(path.stat().st_size, source=source, settings=settings)
    data = path.read_bytes()
    if suffix in HTML_SUFFIXES:
        doc = doc_from_html(data, source=source, published=published)
        doc.published = doc.published or date_from_name(path.name)
        yield doc
        return
    if suffix in FEED_SUFFIXES:
        yield from iter_feed_docs(data, source=source, published=published)
        return
    decoded = decode_bytes(data, source=source)
    if suffix == ".json":
        items = iter_json(decoded.text, source=source, published=published)
    elif suffix == ".jsonl":
        items = iter_jsonl(decoded.text, source=source, published=published)
    else:
        items = iter(
            [
                doc_from_text(
                    decoded.text,
                    source=source,
                    title=guess_title(decoded.text),
                    published=published or date_from_name(path.name),
                    fmt="text",
                )
            ]
        )
    yield from _with_notices(items, decoded.notices)


def _with_notices(
    items: Iterator[Doc | IngestError], notices: list[str]
) -> Iterator[Doc | IngestError]:
    for item in items:
        if isinstance(item, Doc):
            item.notices.extend(notices)
        yield item
