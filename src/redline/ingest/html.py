"""HTML to a `Doc`: trafilatura finds the main text and the page's metadata."""

from __future__ import annotations

import re
from datetime import date

import lxml.html
import trafilatura
from lxml.etree import ParserError

from redline.errors import NoMainText
from redline.ingest.decode import decode_bytes
from redline.ingest.text import doc_from_text, parse_date
from redline.models import Doc

# Extracted text with fewer words than this is a menu or an error page, not an article.
_MIN_WORDS = 3
_WORD = re.compile(r"[^\W\d_]{2,}")
_BLOCKS = ("p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "pre")


def doc_from_html(
    html: str | bytes,
    *,
    source: str,
    url: str | None = None,
    published: date | None = None,
    charset: str | None = None,
) -> Doc:
    """Extract the article from a web page.

    `Doc.text` is trafilatura's main text with paragraphs joined by blank lines; title, outlet
    (site name), author, date and URL come from the page's metadata. `published`, when given,
    overrides the page's date. `charset` is the one an HTTP header declared, for bytes.
    Raises NoMainText when nothing article-like can be extracted.
    """
    notices: list[str] = []
    if isinstance(html, bytes):
        decoded = decode_bytes(html, source=source, charset=charset, html=True)
        html, notices = decoded.text, decoded.notices
    try:
        extracted = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True
        )
    except (ValueError, TypeError, ParserError) as e:  # lxml gives up on some garbage
        raise NoMainText(source, f"no article text found: the HTML cannot be parsed ({e})") from e
    if extracted is None or isinstance(extracted, dict):
        raise NoMainText(source)
    paragraphs = [p.strip() for p in (extracted.text or "").split("\n") if p.strip()]
    text = "\n\n".join(paragraphs)
    if len(_WORD.findall(text)) < _MIN_WORDS:
        raise NoMainText(source)
    doc = doc_from_text(
        text,
        source=source,
        title=extracted.title or None,
        outlet=extracted.sitename or None,
        author=extracted.author or None,
        published=published or parse_date(extracted.date),
        url=url or extracted.url or None,
        fmt="html",
    )
    doc.notices.extend(notices)
    return doc


def fragment_to_text(fragment: str) -> str:
    """The text of an HTML snippet (a feed entry's content), one paragraph per block element.

    trafilatura is built for whole pages and drops short snippets, so feed entries go through
    lxml instead.
    """
    if "<" not in fragment:
        return "\n\n".join(p.strip() for p in fragment.split("\n\n") if p.strip())
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except ParserError:
        return ""
    for bad in list(root.iter("script", "style")):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter(*_BLOCKS):
        block.tail = "\n\n" + (block.tail or "")
    raw = root.text_content()
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", raw))
    return "\n\n".join(p for p in paragraphs if p)
