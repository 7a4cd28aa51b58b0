"""Bytes to text: BOM, declared charset, UTF-8, then charset-normalizer's best guess.

Offsets in a `Doc` point into the *decoded* text: a byte-order mark is stripped before anything
else, so offset 0 is the first character after it, not the first byte of the file.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from redline.errors import BinaryInput, DecodeFailed, EmptyInput, TooLarge
from redline.settings import Settings

# UTF-32 first: its little-endian BOM starts with the UTF-16 one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SNIFF_BYTES = 8192


@dataclass(slots=True)
class Decoded:
    """Text decoded from bytes, the encoding used, and anything the reader should know."""

    text: str
    encoding: str
    notices: list[str] = field(default_factory=list)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a `<meta>` tag near its top, if it names a known one."""
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(
    data: bytes, *, source: str, charset: str | None = None, html: bool = False
) -> Decoded:
    """Decode `data`, trying in turn a BOM, `charset` (e.g. from HTTP), an HTML `<meta>` charset,
    UTF-8, and charset-normalizer's guess (which adds a notice).

    Raises EmptyInput for nothing but whitespace, BinaryInput for NUL bytes or undecodable data.
    """
    if not data.strip():
        raise EmptyInput(source)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(encoding), encoding, source)
            except UnicodeDecodeError as e:
                raise DecodeFailed(
                    source, f"has a {encoding} byte-order mark but {e.reason}"
                ) from e
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise BinaryInput(source)

    notices: list[str] = []
    declared = [charset] if charset else []
    if html and (meta := declared_charset(data)):
        declared.append(meta)
    for name in declared:
        try:
            return _checked(data.decode(name), name, source)
        except (UnicodeDecodeError, LookupError):
            notices.append(f"declared charset {name} does not fit the bytes; ignored it")
    try:
        return _checked(data.decode("utf-8"), "utf-8", source, notices)
    except UnicodeDecodeError:
        pass

    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise BinaryInput(source)
    # charset-normalizer often ties cp1250 with cp1252 on short English text; cp1252 is by far
    # the likelier one for Western news pages, and cp1250 would turn "è" into "č".
    for candidate in results:
        if (
            candidate.encoding == "cp1252"
            and candidate.chaos == best.chaos
            and candidate.coherence == best.coherence
        ):
            best = candidate
            break
    notices.append(f"decoded as {best.encoding}, not UTF-8")
    return _checked(str(best), best.encoding, source, notices)


def _checked(text: str, encoding: str, source: str, notices: list[str] | None = None) -> Decoded:
    if not text.strip():
        raise EmptyInput(source)
    return Decoded(text=text, encoding=encoding, notices=list(notices or []))


def check_size(size: int, *, source: str, settings: Settings) -> None:
    """Raise TooLarge when `size` bytes is over `settings.max_file_mb`."""
    limit = settings.max_file_mb * 1024 * 1024
    if size > limit:
        raise TooLarge(
            source,
            f"file too large: {size / 1024 / 1024:.1f} MB, limit is {settings.max_file_mb:g} MB "
            f"(raise REDLINE_MAX_FILE_MB to read it)",
        )


def check_length(text: str, *, source: str, settings: Settings) -> None:
    """Raise TooLarge when `text` is longer than `settings.max_chars`."""
    if len(text) > settings.max_chars:
        raise TooLarge(
            source,
            f"text too long: {len(text):,} characters, limit is {settings.max_chars:,} "
            f"(raise REDLINE_MAX_CHARS to read it)",
        )
