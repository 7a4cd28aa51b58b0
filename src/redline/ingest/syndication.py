"""Fingerprints for spotting one story syndicated under several outlets' names.

A fingerprint is a MinHash of the article's word 5-shingles (lowercased, boilerplate removed)
plus locality-sensitive-hashing band keys: two texts whose estimated Jaccard similarity is high
very likely share a band key, so a store can look up candidates by key instead of comparing
every pair. Signatures are deterministic (fixed seed, SHA-1 based hashing): stored band keys
stay valid across runs as long as `num_perm`, `ROWS` and the seed do not change.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from datasketch import MinHash

from redline.ingest.boilerplate import find_boilerplate
from redline.models import Span

SHINGLE = 5
ROWS = 4
_SEED = 1
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class Fingerprint:
    """A MinHash signature and its LSH band keys ("b03:9f2c..."); both empty for a text with
    no words."""

    signature: list[int] = field(default_factory=list)
    bands: list[str] = field(default_factory=list)


def fingerprint(
    text: str, *, num_perm: int = 64, boilerplate: Sequence[Span] | None = None
) -> Fingerprint:
    """Fingerprint the body of `text`: `num_perm` MinHash values in `num_perm // ROWS` bands.

    `boilerplate` are spans to leave out (a Doc's own); found with `find_boilerplate` if None.
    """
    if num_perm < ROWS or num_perm % ROWS:
        raise ValueError(f"num_perm must be a positive multiple of {ROWS}, not {num_perm}")
    spans = find_boilerplate(text) if boilerplate is None else boilerplate
    body = list(text)
    for start, end in spans:
        body[start:end] = " " * (min(end, len(text)) - start)
    words = _WORD.findall("".join(body).lower())
    if not words:
        return Fingerprint()
    # A text shorter than one shingle is its own single shingle.
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    minhash = MinHash(num_perm=num_perm, seed=_SEED)
    minhash.update_batch([s.encode("utf-8") for s in sorted(shingles)])
    signature = [int(v) for v in minhash.hashvalues]
    bands = []
    for band in range(num_perm // ROWS):
        rows = signature[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(repr(rows).encode(), digest_size=8).hexdigest()
        bands.append(f"b{band:02d}:{digest}")
    return Fingerprint(signature=signature, bands=bands)


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets, 0.0 to 1.0.

    0.0 when either text had no words; ValueError when the signatures differ in length.
    """
    if not a.signature or not b.signature:
        return 0.0
    if len(a.signature) != len(b.signature):
        raise ValueError(
            f"fingerprints of different sizes ({len(a.signature)} and {len(b.signature)}) "
            "cannot be compared"
        )
    same = sum(x == y for x, y in zip(a.signature, b.signature, strict=True))
    return same / len(a.signature)
