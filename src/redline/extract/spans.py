"""Small helpers turning spaCy tokens into character spans."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token

from redline.models import Span

EDGE_PUNCT = set("\"'“”‘’«»,.:;—–-()[] ")


def token_spans(sdoc: SpacyDoc, indices: Iterable[int], *, trim: bool = True) -> list[Span]:
    """Contiguous runs of token indices as character spans, edges trimmed of punctuation."""
    idx = sorted(set(indices))
    if trim:
        while idx and _is_edge(sdoc[idx[0]]) and not _opens(sdoc, idx):
            idx.pop(0)
        while idx and _is_edge(sdoc[idx[-1]]) and not _closes(sdoc, idx):
            idx.pop()
    runs: list[list[int]] = []
    for i in idx:
        if runs and (i == runs[-1][-1] + 1 or _only_space_between(sdoc, runs[-1][-1], i)):
            runs[-1].append(i)
        else:
            runs.append([i])
    spans = []
    for run in runs:
        first, last = sdoc[run[0]], sdoc[run[-1]]
        spans.append((first.idx, last.idx + len(last.text)))
    return spans


BRACKETS = {"(": ")", "[": "]"}


def unclosed(words: list[str]) -> list[str]:
    """The closing brackets that `words` still owe: one per bracket opened and not closed."""
    return [c for o, c in BRACKETS.items() for _ in range(words.count(o) - words.count(c))]


def _closes(sdoc: SpacyDoc, idx: list[int]) -> bool:
    """The last token closes a bracket opened inside the span: "Rep. Gwen Moore (D-Wis.)"
    keeps its ")"."""
    return sdoc[idx[-1]].text in unclosed([sdoc[i].text for i in idx[:-1]])


def _opens(sdoc: SpacyDoc, idx: list[int]) -> bool:
    """The first token opens a bracket closed inside the span."""
    closer = BRACKETS.get(sdoc[idx[0]].text)
    inside = [sdoc[i].text for i in idx[1:]]
    return closer is not None and inside.count(closer) > inside.count(sdoc[idx[0]].text)


def _is_edge(tok: Token) -> bool:
    return tok.is_space or all(ch in EDGE_PUNCT for ch in tok.text)


def _only_space_between(sdoc: SpacyDoc, a: int, b: int) -> bool:
    return all(sdoc[k].is_space or sdoc[k].is_punct for k in range(a + 1, b)) and b - a <= 3


def spans_text(text: str, spans: list[Span]) -> str:
    return " … ".join(text[s:e] for s, e in spans)


def subtree_ids(tok: Token) -> set[int]:
    return {t.i for t in tok.subtree}
