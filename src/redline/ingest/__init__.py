"""Ingest: sources (files, folders, URLs, feeds) -> `Doc`.

Reads `.txt`, `.json`, `.jsonl`, `.html`/`.htm`, `.xml`/`.rss`/`.atom` feeds and http(s) URLs.
Fills every `Doc` field but `story` (the store decides which texts are one story). Offsets into
`Doc.text` count characters of the decoded text, after a byte-order mark is stripped.

    for item in iter_docs(["articles/", "https://example.org/feed.xml"], settings=settings):
        if isinstance(item, IngestError):
            report(item)        # one bad input never stops the batch
        else:
            extract(item)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import httpx

from redline.errors import IngestError, SourceNotFound
from redline.ingest.boilerplate import find_boilerplate
from redline.ingest.files import iter_file, read_file, walk
from redline.ingest.html import doc_from_html
from redline.ingest.text import doc_from_text
from redline.ingest.urls import check_url, fetch, iter_url
from redline.models import Doc
from redline.settings import Settings

__all__ = [
    "check_url",
    "doc_from_html",
    "doc_from_text",
    "fetch",
    "find_boilerplate",
    "iter_docs",
    "iter_file",
    "iter_url",
    "read_file",
]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def iter_docs(
    sources: Sequence[str],
    *,
    settings: Settings,
    published: date | None = None,
    client: httpx.Client | None = None,
) -> Iterator[Doc | IngestError]:
    """Docs from each source in turn: a folder (recursively, sorted), a file, or a URL.

    Yields an IngestError for each input that cannot be read and goes on; never raises one.
    Inside a folder, hidden files and files of unknown type are skipped silently; a file named
    explicitly with an unknown type yields UnsupportedFormat. `published` overrides the
    publication date the inputs give. `client` is an httpx client to fetch URLs with.
    """
    for source in sources:
        if _SCHEME.match(source):
            if source.lower().startswith(("http://", "https://")):
                yield from iter_url(source, settings=settings, client=client, published=published)
            else:
                try:
                    check_url(source)
                except IngestError as e:
                    yield e
            continue
        path = Path(source)
        if path.is_dir():
            for file in walk(path):
                yield from iter_file(file, settings=settings, published=published)
        elif path.exists():
            yield from iter_file(path, settings=settings, published=published)
        else:
            yield SourceNotFound(source)
