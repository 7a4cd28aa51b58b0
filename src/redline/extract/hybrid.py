"""Statements from a statistical tagger's spans, beside the rules.

The tagger (extract/tagger.py) marks source, cue and content spans but does not say which go
together. Here each tagged cue takes the nearest tagged source in its sentence and the tagged
content spans of its sentence (or, for a cue with no content there, the next sentence's), and
becomes an attribution the rules did not find. Where the rules already cover a content, they win:
their parse says who speaks more reliably than proximity does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan

from redline.extract.attribution import Finder, Found


class RoleSpan(Protocol):
    @property
    def role(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def _tokens(sdoc: SpacyDoc, span: RoleSpan) -> SpacySpan | None:
    return sdoc.char_span(span.start, span.end, alignment_mode="expand")


def tagged_found(finder: Finder, spans: Sequence[RoleSpan], found: Sequence[Found]) -> list[Found]:
    """Attributions built from tagged spans whose content no rule-found attribution covers."""
    sdoc = finder.sdoc
    taken: set[int] = set().union(*(f.content for f in found)) if found else set()
    parts: dict[str, list[SpacySpan]] = {"source": [], "cue": [], "content": []}
    for s in spans:
        tok = _tokens(sdoc, s)
        if tok is not None and len(tok):
            parts[s.role].append(tok)
    out: list[Found] = []
    used_content: set[int] = set()
    for cue in parts["cue"]:
        sent = cue[0].sent
        sources = [s for s in parts["source"] if s[0].sent.start == sent.start]
        if not sources:
            continue  # nobody to attribute it to
        source = min(sources, key=lambda s: abs(s.start - cue.start))
        contents = [c for c in parts["content"] if c[0].sent.start == sent.start]
        if not contents:
            nxt = sent.end
            contents = [c for c in parts["content"] if c.start >= nxt and c[0].sent.start == nxt]
        content = {t.i for c in contents for t in c if not t.is_space} - used_content
        if len(content) < 3 or content & taken:
            continue
        used_content |= content
        subject = source.root
        quoted = sum(1 for i in content if i in finder.in_quote) > len(content) / 2
        out.append(
            Found(
                cue=[t.i for t in cue],
                content=content,
                quote="direct" if quoted else "indirect",
                subject=subject,
                lemma=cue.root.lemma_.lower(),
                verb=cue.root,
                source={t.i for t in source},
            )
        )
    return out
