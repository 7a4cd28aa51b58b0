"""Statements from a statistical tagger's spans, beside the rules.

The tagger (extract/tagger.py) marks source, cue and content spans but does not say which go
together. Here each tagged cue takes the nearest tagged source in its sentence and the tagged
content spans of its sentence (or, for a cue with no content there, the next sentence's), and
becomes an attribution the rules did not find. Where the rules already cover a content, they win:
their parse says who speaks more reliably than proximity does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Protocol

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from redline.extract.attribution import SUBJ_DEPS, Finder, Found, in_question, no_one, quoted_as
from redline.extract.when import WHEN_LABELS


class RoleSpan(Protocol):
    @property
    def role(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def refine(finder: Finder, found: Sequence[Found], spans: Sequence[RoleSpan]) -> None:
    """Take the tagger's span edges for what the rules found, where both mark the same thing.

    The rules decide that there is an attribution, who speaks and its attributes; the tagger,
    trained on annotated news, draws the edges of each role more like a human annotator does
    (where a content starts after "that", whether a source takes its title or a relative
    clause). A role is redrawn only when tagged spans of that role cover most of it without
    running far beyond it, or take in all of it (a source with "who ..." after the name, a
    content that goes on past the clause the parse gave): a partial hit keeps the rules' edges.
    """
    sdoc = finder.sdoc
    tagged: dict[str, list[set[int]]] = {"source": [], "cue": [], "content": []}
    for s in spans:
        tok = _tokens(sdoc, s)
        if tok is not None and len(tok) and not _marker(finder, tok):
            tagged[s.role].append({t.i for t in tok if not t.is_space})
    # a content never takes in a speaker or a reporting verb: "ISW reported that Lavrov stated
    # X" is tagged as one content, but the rules have Lavrov saying X
    roles = {i for f in found for i in (*f.cue, *f.source)}
    # where a tagged span runs on past the rules', it may not pass another speaker or cue
    cues = set().union(*tagged["cue"])
    others = cues | set().union(*tagged["source"])
    said = {i for f in found for i in (*f.cue, *f.content)}
    # a quotation the rules found with no cue (after a colon, or carried on) and the
    # attributions beside it keep apart: 'says Lubinets: "there is no date," Russia keeps
    # dragging it out' is two statements, however the tagger draws one content over both
    bare = {i for f in found if f.quote == "direct" and not f.cue for i in f.content}
    everyone = {i for f in found for i in f.content}
    for f in found:
        if f.content:  # nor leave the sentences the rules' content is in
            first, last = finder.sent(sdoc[min(f.content)]), finder.sent(sdoc[max(f.content)])
            apart = (everyone if f.quote == "direct" and not f.cue else bare) - f.content
            drawn = _redrawn(
                f.content,
                tagged["content"],
                roles | apart,
                within=others | roles,
                bounds=(first.start, last.end),
            )
            f.content = drawn | _subject_left_out(sdoc, f, drawn, roles | (everyone - f.content))
        if f.source:
            f.source = _redrawn(f.source, tagged["source"], f.content)
            # a tagged source that takes in the whole mention and more ("who ...", a title)
            # gives the evidence its edges; the speaker is still read from the mention
            drawn = _redrawn(f.source, tagged["source"], said, within=cues)
            if drawn > f.source:
                f.described_as = drawn
        if f.cue:
            edges = f.content | f.source | (f.described_as or set())
            f.cue = sorted(_redrawn(set(f.cue), tagged["cue"], edges))


def _subject_left_out(sdoc: SpacyDoc, f: Found, drawn: set[int], others: set[int]) -> set[int]:
    """The subject before a parenthetical cue ('Sanctions, he said, could be "eased"'), where
    the content's edges leave it out (the tagger's, or a quotation's): the words are the
    speaker's on both sides of the cue. Not where they are another statement's, or a
    speaker's or cue (`others`)."""
    if not f.cue or not drawn:
        return set()
    cue = sdoc[f.cue[0]]
    out: set[int] = set()
    if cue.dep_ == "parataxis" and cue.head.i in drawn:
        subjects = [c for c in cue.head.children if c.dep_ in SUBJ_DEPS and c.i < cue.i]
        out = {t.i for c in subjects for t in c.subtree if not t.is_space}
    out = out or _before_aside(sdoc, f, drawn)
    return out if out and not out & (drawn | others) else set()


ASIDE_SUBJECT_WORDS = 8  # the most words a subject before a cue set off by commas takes


def _before_aside(sdoc: SpacyDoc, f: Found, drawn: set[int]) -> set[int]:
    """The words opening a sentence before a cue set off by commas, read from the surface
    where the parse went astray ('Ukraine, Zelensky said, would not "trade land for peace"'
    parses "Ukraine" as the root and "land" as its apposition): a few words with no verb, and a
    content that opens with a verb or auxiliary, so it lacks the subject they are."""
    aside = f.source | set(f.cue)
    start, first = min(aside), min(drawn)
    if start < 2 or first <= max(aside) or sdoc[start - 1].text != ",":
        return set()
    if sdoc[first - 1].text != "," or sdoc[first].pos_ not in ("AUX", "VERB"):
        return set()
    between = range(max(aside) + 1, first - 1)  # "he told reporters,": the cue's own words
    if any(sdoc[i].head.i not in aside and i not in aside for i in between):
        return set()
    opening = sdoc[sdoc[start].sent.start : start - 1]
    words = [t for t in opening if not t.is_punct and not t.is_space]
    if not words or len(words) > ASIDE_SUBJECT_WORDS or words[0].pos_ in ("ADP", "ADV"):
        return set()  # "In his view, ...": an adjunct, not who or what the content is about
    if any(t.pos_ in ("AUX", "VERB", "SCONJ") or t.tag_ == "WDT" for t in opening):
        return set()
    if any(t.ent_type_ in WHEN_LABELS for t in opening):
        return set()  # "Last week, Peskov said, would be decisive": when, not who or what
    if not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in opening):
        return set()
    return {t.i for t in opening if not t.is_space}


def _marker(finder: Finder, tok: SpacySpan) -> bool:
    """A tagged span that is, or starts with, "That said," (the writer's turn of phrase): no
    source, cue or content of anybody's."""
    return finder.discourse_marker(tok[0]) or finder.discourse_marker(tok[-1])


def _tokens(sdoc: SpacyDoc, span: RoleSpan) -> SpacySpan | None:
    """The tokens of a tagged span; a source without the time at its edges ("the MoD tonight
    confirms": when it spoke is no part of who spoke), and with the whole of a person's name it
    cuts in two."""
    tok = sdoc.char_span(span.start, span.end, alignment_mode="expand")
    if tok is None or span.role != "source":
        return tok
    start, end = tok.start, tok.end

    def loose(t: Token) -> bool:  # a time the parse hangs outside what is left of the span
        return t.ent_type_ in WHEN_LABELS and not start <= t.head.i < end

    while start < end and loose(sdoc[start]):
        start += 1
    while end > start and loose(sdoc[end - 1]):
        end -= 1
    # a span that cuts a name in two ("Swiss President Viola" of Viola Amherd) takes all of it
    while (
        start < end < len(sdoc)
        and sdoc[end].ent_iob_ == "I"
        and sdoc[end - 1].ent_type_ == "PERSON"
    ):
        end += 1
    return sdoc[start:end]


def _redrawn(
    ids: set[int],
    tagged: list[set[int]],
    forbidden: set[int],
    *,
    within: set[int] | None = None,
    bounds: tuple[int, int] | None = None,
) -> set[int]:
    """`ids` redrawn as the tagged spans that overlap it, where they agree well enough: they
    cover most of it and do not run far beyond it, or (with `within`) take in all of it and
    reach no `within` token beyond it and stay in `bounds` (token start, end). Spans that
    reach into `forbidden` tokens leave `ids` as it is."""
    hits = [t for t in tagged if t & ids]
    if not hits:
        return ids
    union = set().union(*hits)
    if union & forbidden:
        return ids
    if within is not None and ids <= union:
        beyond = set(range(min(union), max(union) + 1)) - set(range(min(ids), max(ids) + 1))
        inside = bounds is None or (bounds[0] <= min(union) and max(union) < bounds[1])
        if inside and not beyond & within:
            return union
    if len(union & ids) < 0.6 * len(ids) or len(union - ids) > max(len(ids), 3):
        return ids
    return union


def tagged_found(finder: Finder, spans: Sequence[RoleSpan], found: Sequence[Found]) -> list[Found]:
    """Attributions built from tagged contents that the rules did not find.

    Each tagged content takes the nearest tagged cue in the sentences it spans (a quotation
    can run over several), else in the sentence before or after them; the cue takes the
    nearest tagged source in its sentence, else the subject the parse gives the cue. Contents
    that choose the same cue are one attribution ('"A," he said, "B."'). A content the rules
    found, or part of one, is theirs: their nesting (`reported_by`, acts inside a content)
    decides what an attribution inside another is, where PolNeAR would annotate both.
    A tagged content that overlaps one the rules found is still its own attribution when it
    is not theirs (`_same_or_relay`): a remark quoted inside a quotation that runs on. (On a
    held-out tenth of PolNeAR train that changes nothing measurable: 77.0 / 72.5 / 64.6 ->
    77.0 / 72.4 / 64.6 F1; it is for what the rules' span runs over.)
    A quotation the rules found with no cue (carried on from the last speaker, or after a
    colon) takes the tagged cue in its own sentences that no other tagged content takes
    (`_adopt`; held out: 77.3 / 72.5 / 65.1 -> 77.4 / 72.6 / 65.1).
    """
    sdoc = finder.sdoc
    taken: set[int] = set().union(*(f.content for f in found)) if found else set()
    parts: dict[str, list[SpacySpan]] = {"source": [], "cue": [], "content": []}
    for s in spans:
        tok = _tokens(sdoc, s)
        # a "That said," cue stays, so that what is tagged as its content goes with it
        if tok is not None and len(tok) and (s.role == "cue" or not _marker(finder, tok)):
            parts[s.role].append(tok)

    def sentence(span: SpacySpan) -> int:
        return finder.sent_no(span[0])

    # each content's cue, and whether it is in the content's own sentences
    chosen: list[tuple[set[int], SpacySpan, bool]] = []
    for c in parts["content"]:
        content = {t.i for t in c if not t.is_space}
        if not content:  # one word is a content too: "endorses Clinton"
            continue
        # a quotation can run over several sentences ("... What can I do?" Weaver said.)
        first, last = sentence(c), finder.sent_no(c[-1])
        cue = _nearest(c, [q for q in parts["cue"] if first <= sentence(q) <= last])
        beside = cue is not None
        if cue is None:
            cue = _nearest(c, [q for q in parts["cue"] if sentence(q) in (first - 1, last + 1)])
        if cue is not None:
            chosen.append((content, cue, beside))
    uses = Counter(cue.start for _, cue, _ in chosen)
    by_cue: dict[int, tuple[SpacySpan, set[int]]] = {}
    for content, cue, beside in chosen:
        if content & taken:
            cue_ids = {t.i for t in cue}
            # a cue beside the quotation, that no other tagged content takes
            if (
                beside
                and uses[cue.start] == 1
                and _adopt(finder, found, content, cue, parts["source"])
            ):
                continue
            if any(_same_or_relay(f, content, cue_ids) for f in found):
                continue
        _, ids = by_cue.setdefault(cue.start, (cue, set()))
        ids |= content
    out: list[Found] = []
    for cue, content in by_cue.values():
        if in_question(cue.root):
            continue  # the question put to the speaker, not what they said
        said = quoted_as(cue.root)
        if said is not None and any(f.verb is not None and f.verb.i == said.i for f in found):
            continue  # "quoted Xi as saying ...": Xi's remark, the rules' by its "saying"
        if _marker(finder, cue):
            continue  # "That said, ...": the writer's turn of phrase
        if any(t.lower_ == "it" and no_one(t) for t in cue):
            continue  # "it is still not clear what ...": the writer's, no one's statement
        sources = [
            x
            for x in parts["source"]
            if sentence(x) == sentence(cue) and not _elsewhere(x, cue.root)
        ]
        source = _nearest(cue, sources)
        subject = source.root if source is not None else finder.subject_of(cue.root)
        if subject is None:
            continue  # nobody to attribute it to
        mention = {t.i for t in source} if source is not None else finder.mention_of(subject)
        quoted = sum(1 for i in content if i in finder.in_quote) > len(content) / 2
        out.append(
            Found(
                cue=[t.i for t in cue],
                content=content,
                quote="direct" if quoted else "indirect",
                subject=subject,
                lemma=cue.root.lemma_.lower(),
                verb=cue.root,
                source=mention,
            )
        )
    return out


def _elsewhere(span: SpacySpan, cue: Token) -> bool:
    """Whether a tagged source is no speaker of this cue: a word that can speak for no one
    (`no_one`: "late Tuesday", "it is not clear"), or a relative pronoun for a cue outside its
    clause ("Speaker Mike Johnson, who for months refused ..., defended the turnaround": "who"
    refused; Johnson defended)."""
    source = span.root
    if no_one(source) and (len(span) == 1 or source.ent_type_ in WHEN_LABELS):
        return True  # "late Tuesday"; not "the DOJ", whose root the parse may make "the"
    if source.tag_ not in ("WP", "WDT") or source.head.dep_ != "relcl":
        return False
    return cue.i not in {t.i for t in source.head.subtree}


def _adopt(
    finder: Finder,
    found: Sequence[Found],
    content: set[int],
    cue: SpacySpan,
    sources: Sequence[SpacySpan],
) -> bool:
    """Give the tagger's cue to a quotation the rules found with none: one that continues an
    earlier speaker's ('"..." Smith said last week.' after other quotes) or follows a colon,
    and the tagged source by that cue where the rules have none (a colon lead-in keeps its
    own). A cue by the quotation is better evidence of who speaks than going on from the last
    speaker; one inside the quotation is a remark it quotes. True when it was given."""
    ids = {t.i for t in cue}
    if any(set(f.cue) & ids for f in found):
        return False  # the rules read that verb as another attribution's cue
    owners = [f for f in found if f.content & content and not f.cue]
    if len(owners) != 1 or ids & owners[0].content or ids & finder.in_quote.keys():
        return False
    f = owners[0]
    f.cue = [t.i for t in cue]
    f.lemma, f.verb = cue.root.lemma_.lower(), cue.root
    source = _nearest(cue, [x for x in sources if finder.sent_no(x[0]) == finder.sent_no(cue[0])])
    if source is not None and not f.source:
        f.source, f.subject, f.inherited_from = {t.i for t in source}, source.root, None
    return True


def _same_or_relay(f: Found, content: set[int], cue: set[int]) -> bool:
    """Whether a tagged content that shares words with the rules' attribution `f` is theirs:
    it is its own only where its cue lies inside `f`'s content (a remark quoted inside a
    quotation), and then not where the rules made its speaker the relay of an inner speaker
    ("ISW reported that Lavrov stated X")."""
    if not f.content & content:
        return False
    return not cue <= f.content or f.reported_by is not None


def _nearest(span: SpacySpan, candidates: Sequence[SpacySpan]) -> SpacySpan | None:
    """The candidate closest to `span`, by tokens between their edges."""

    def gap(c: SpacySpan) -> int:
        return max(c.start - span.end, span.start - c.end, 0)

    return min(candidates, key=gap) if candidates else None
