"""Fetch web pages and feeds, refusing anything that is not a public http(s) address.

The address guard runs before every request, redirects included, so a page cannot send redline
to a cloud metadata service or a machine on the local network. It checks what the host resolves
to at that moment; a host that resolves differently a moment later (DNS rebinding) is not
caught, which is why the guard is a safety net, not a sandbox.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import httpx

from redline.errors import (
    BadRecord,
    FetchFailed,
    FetchRefused,
    IngestError,
    UnsupportedFormat,
)
from redline.ingest.decode import check_length, check_size, decode_bytes
from redline.ingest.feeds import is_feed, parse_feed
from redline.ingest.html import doc_from_html
from redline.ingest.text import doc_from_text, guess_title
from redline.models import Doc
from redline.settings import Settings

MAX_REDIRECTS = 5
_TIMEOUT_S = 20.0
_USER_AGENT = "redline/0.1 (news statement extraction)"
_HTML_TYPES = ("text/html", "application/xhtml+xml")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(slots=True)
class Fetched:
    """A fetched body with what is needed to read it."""

    url: str
    content_type: str
    charset: str | None
    body: bytes


def resolve(host: str, port: int) -> list[str]:
    """The IP addresses `host` resolves to. Tests replace this to stay off the network."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def check_url(url: str) -> httpx.URL:
    """Parse `url` and refuse (FetchRefused) anything but http(s) to public addresses."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as e:
        raise FetchRefused(url, f"refused: not a valid URL ({e})") from e
    if parsed.scheme not in ("http", "https"):
        scheme = f"{parsed.scheme}://" if parsed.scheme else "a URL without a scheme"
        raise FetchRefused(
            url, f"refused: only http:// and https:// URLs are fetched, not {scheme}"
        )
    host = parsed.host
    if not host:
        raise FetchRefused(url, "refused: the URL has no host")
    try:
        addresses = [host] if _is_ip(host) else resolve(host, parsed.port or _default_port(parsed))
    except (OSError, UnicodeError) as e:
        raise FetchFailed(url, f"could not fetch: cannot resolve {host} ({e})") from e
    if not addresses:
        raise FetchFailed(url, f"could not fetch: {host} resolves to no address")
    for address in addresses:
        kind = _forbidden_kind(ipaddress.ip_address(address.split("%", 1)[0]))
        if kind:
            shown = host if host == address else f"{host} resolves to {address}, which"
            raise FetchRefused(
                url, f"refused: {shown} is a {kind} address; redline only fetches public web pages"
            )
    return parsed


def fetch(
    url: str,
    *,
    settings: Settings,
    client: httpx.Client | None = None,
    published: date | None = None,
) -> Doc:
    """Fetch one article page (HTML or plain text) and make it a Doc; its source is `url`.

    Raises FetchRefused, FetchFailed, TooLarge, NoMainText, or UnsupportedFormat for a feed
    (`iter_url` reads feeds) or another content type.
    """
    with _client(client) as http:
        response = _get(url, settings=settings, client=http)
    if is_feed(url=response.url, content_type=response.content_type, data=response.body):
        raise UnsupportedFormat(
            url,
            "this is an RSS/Atom feed, not an article; give it to `iter_docs` to read its entries",
        )
    return _to_doc(response, source=url, settings=settings, published=published)


def iter_url(
    url: str,
    *,
    settings: Settings,
    client: httpx.Client | None = None,
    published: date | None = None,
) -> Iterator[Doc | IngestError]:
    """Docs from a URL: the article it points at, or each entry of the feed it points at."""
    with _client(client) as http:
        try:
            response = _get(url, settings=settings, client=http)
            if not is_feed(
                url=response.url, content_type=response.content_type, data=response.body
            ):
                yield _to_doc(response, source=url, settings=settings, published=published)
                return
            feed = parse_feed(response.body, source=url)
        except IngestError as e:
            yield e
            return
        for n, entry in enumerate(feed.entries, start=1):
            if not entry.link:
                yield BadRecord(f"{url}#{n}", "feed entry has no link to fetch")
                continue
            try:
                doc = fetch(entry.link, settings=settings, client=http, published=published)
            except IngestError as e:
                yield e
                continue
            doc.title = doc.title or entry.title
            doc.outlet = doc.outlet or feed.title
            doc.published = doc.published or entry.published
            yield doc


@contextmanager
def _client(client: httpx.Client | None) -> Iterator[httpx.Client]:
    """The caller's client as is, or a fresh one closed afterwards."""
    if client is not None:
        yield client
        return
    with httpx.Client(timeout=_TIMEOUT_S, headers={"User-Agent": _USER_AGENT}) as own:
        yield own


def _get(url: str, *, settings: Settings, client: httpx.Client) -> Fetched:
    """GET `url`, following up to MAX_REDIRECTS redirects by hand so each hop is checked."""
    current = check_url(url)
    for _ in range(MAX_REDIRECTS + 1):
        try:
            with client.stream("GET", current, follow_redirects=False) as r:
                if r.has_redirect_location:
                    current = check_url(str(current.join(r.headers["location"])))
                    continue
                if r.is_redirect:  # a 3xx that should have had a Location
                    raise FetchFailed(
                        url, f"could not fetch: HTTP {r.status_code} without a location"
                    )
                if r.status_code >= 400:
                    raise FetchFailed(url, f"could not fetch: HTTP {r.status_code} from {current}")
                declared = r.headers.get("content-length", "")
                if declared.isdigit():
                    check_size(int(declared), source=url, settings=settings)
                body = bytearray()
                for chunk in r.iter_bytes():
                    body.extend(chunk)
                    check_size(len(body), source=url, settings=settings)
                content_type = r.headers.get("content-type", "")
                return Fetched(str(current), content_type, r.charset_encoding, bytes(body))
        except httpx.HTTPError as e:
            raise FetchFailed(url, f"could not fetch: {type(e).__name__}: {e}") from e
    raise FetchFailed(url, f"could not fetch: more than {MAX_REDIRECTS} redirects")


def _to_doc(response: Fetched, *, source: str, settings: Settings, published: date | None) -> Doc:
    kind = response.content_type.split(";", 1)[0].strip().lower()
    sniff = response.body[:512].lstrip().lower()
    if kind in _HTML_TYPES or (not kind and sniff.startswith((b"<!doctype html", b"<html"))):
        doc = doc_from_html(
            response.body,
            source=source,
            url=response.url,
            published=published,
            charset=response.charset,
        )
    elif kind == "text/plain":
        decoded = decode_bytes(response.body, source=source, charset=response.charset)
        doc = doc_from_text(
            decoded.text,
            source=source,
            title=guess_title(decoded.text),
            published=published,
            url=response.url,
        )
        doc.notices.extend(decoded.notices)
    else:
        raise UnsupportedFormat(source, f"unsupported content type {kind or 'unknown'!r}")
    check_length(doc.text, source=source, settings=settings)
    return doc


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _default_port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80


def _forbidden_kind(ip: IPAddress) -> str | None:
    """Why an address may not be fetched, or None for a public one."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # Order matters: 127.0.0.1 and 169.254.0.0/16 are also "private" to ipaddress.
    for kind, flag in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-public", not ip.is_global),
    ):
        if flag:
            return kind
    return None
