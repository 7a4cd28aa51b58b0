"""Extraction stage: documents -> attributed statements (who, cue, what, when, where).

Reads `Doc.body_text()` (the text with boilerplate blanked, same offsets; datelines and thread
numbers are blanked too) and fills the extraction fields of `Statement`; coding fills the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token

from redline.extract.attribution import Finder, Found, quoting
from redline.extract.hybrid import RoleSpan, refine, tagged_found
from redline.extract.nlp import blank_markers, load_nlp
from redline.extract.quotes import find_quotations
from redline.extract.spans import spans_text, token_spans
from redline.extract.speakers import SpeakerResolver
from redline.extract.venue import venue_phrase
from redline.extract.when import (
    date_phrase,
    is_duration,
    is_short_day,
    post_stamp,
    relative_to,
    resolve,
    short_days,
)
from redline.models import Doc, Offsets, Statement
from redline.settings import Settings

__all__ = ["Extractor", "statements_from"]

# the most characters one parse batch takes (a longer article is parsed alone): spaCy's working
# memory grows with the whole batch, and one 22,000-character article among three others peaked
# 130 MB above the same batch without it (PolNeAR dev, `make bench`: 660 -> 593 MB in one
# process, 1,512 -> 1,470 MB with two workers, at the same speed and the same statements)
PARSE_CHARS = 20_000


class Extractor:
    """Extracts statements from batches of documents with one loaded spaCy pipeline."""

    def __init__(
        self,
        settings: Settings,
        *,
        gender: Callable[[str], str | None] | None = None,
        person: Callable[[str], bool | None] | None = None,
        roles: Callable[[str, date | None], set[str]] | None = None,
        tagger: Callable[[str], Sequence[RoleSpan]] | None = None,
        overlap: bool = False,
    ) -> None:
        """`overlap` runs the `tagger` in a background thread while spaCy parses the same
        batch: onnxruntime lets go of the interpreter while it computes, so on two cores the
        two models share them (PolNeAR dev, 60 texts: parse and tag 16.2 s one after the
        other with two onnxruntime threads, 10.4 s side by side with one)."""
        self.nlp: Language = load_nlp(settings.spacy_model)
        self.batch_size = settings.batch_size
        self.gender = gender
        self.person = person
        self.roles = roles
        self.tagger = tagger
        self._background = (
            ThreadPoolExecutor(1, thread_name_prefix="redline-tagger")
            if overlap and tagger is not None
            else None
        )

    def __call__(self, docs: Sequence[Doc]) -> list[list[Statement]]:
        """One list of statements per document, in the same order."""
        texts = [blank_markers(doc.body_text()) for doc in docs]
        # where it overlaps, every text goes to the tagger before spaCy starts on the batch
        futures = (
            [self._background.submit(self.tagger, text) for text in texts]
            if self._background is not None and self.tagger is not None
            else None
        )
        try:
            parsed = self._parsed(texts)
            return [
                statements_from(
                    doc,
                    sdoc,
                    gender=self.gender,
                    person=self.person,
                    roles=self.roles,
                    tagged=self._tagged(text, futures[n] if futures is not None else None),
                )
                for n, (doc, text, sdoc) in enumerate(zip(docs, texts, parsed, strict=True))
            ]
        finally:
            for future in futures or ():
                future.cancel()  # a failed document: the rest of the batch is not tagged

    def _parsed(self, texts: list[str]) -> Iterator[SpacyDoc]:
        """The texts parsed in batches of at most `batch_size` documents and `PARSE_CHARS`
        characters: a long article is parsed alone, since the parse's working memory grows
        with the whole batch."""
        batch: list[str] = []
        size = 0
        for text in texts:
            if batch and (len(batch) >= self.batch_size or size + len(text) > PARSE_CHARS):
                yield from self.nlp.pipe(batch, batch_size=len(batch))
                batch, size = [], 0
            batch.append(text)
            size += len(text)
        if batch:
            yield from self.nlp.pipe(batch, batch_size=len(batch))

    def _tagged(
        self, text: str, future: Future[Sequence[RoleSpan]] | None
    ) -> Sequence[RoleSpan] | None:
        """The tagger's spans for a text: from the background, or tagged now (None without a
        tagger)."""
        if future is not None:
            return future.result()
        return self.tagger(text) if self.tagger is not None else None

    def close(self) -> None:
        """Stops the background tagger thread, if any (it also ends with the process)."""
        if self._background is not None:
            self._background.shutdown(cancel_futures=True)
            self._background = None


def statements_from(
    doc: Doc,
    sdoc: SpacyDoc,
    *,
    gender: Callable[[str], str | None] | None = None,
    person: Callable[[str], bool | None] | None = None,
    roles: Callable[[str, date | None], set[str]] | None = None,
    tagged: Sequence[RoleSpan] | None = None,
) -> list[Statement]:
    """Statements in one parsed document; offsets point into `doc.text`. `tagged` are a
    statistical tagger's spans over the same text, adding what the rules missed. `gender`,
    `person` and `roles` (the words that say what a person is on a date) come from an actor
    registry."""
    text = doc.text
    body = sdoc.text  # Doc.text joins every token's text on each call: once
    finder = Finder(sdoc, find_quotations(body), text=body)
    found = finder.run()
    if tagged:
        refine(finder, found, tagged)
        found += tagged_found(finder, tagged, found)
    found = sorted(found, key=_position)
    resolver = SpeakerResolver(
        sdoc,
        gender=gender,
        person=person,
        roles=(lambda name: roles(name, doc.published)) if roles is not None else None,
        sent=finder.sent,
        # names in quotation marks, and in a question put to a speaker ("Asked whether Putin
        # could accept it, he said"): what is said or asked, not who says it
        quoted=finder.in_quote.keys() | finder.asked,
        # what is reported after its cue ("said that Zelensky is ..."): a content before its
        # cue ('..., he said') may run over the writer's own words
        reported={
            i
            for f in found
            if f.cue and f.content and min(f.cue) < min(f.content)
            for i in f.content
        },
    )
    names: dict[int, str | None] = {}
    out: list[Statement] = []
    # each speaker's last day: of a dated remark, or of an act the text tells of
    dated: dict[str, _Dated] = {}
    anchor: date | None = None  # the last date given, for "a day later"
    acts = _dated_acts(sdoc, doc.published)
    for f in found:
        while acts and acts[0][0] < _position(f):
            # "Putin on Friday put forward proposals ...": his undated remarks after it are
            # that occasion's, as a dated remark's would be
            at, named_at, day = acts.pop(0)
            actor = resolver.resolve(sdoc[at], named_at)
            if actor:
                # the later occasion is the one remarks now belong to
                dated[actor] = _Dated(day, None, _line_start(body, sdoc[at].idx))
        origin = f.inherited_from
        if origin is not None and id(origin) in names:
            name = names[id(origin)]
        elif f.subject is not None:
            name = resolver.resolve(f.subject, f.source, f.verb)
        else:
            name = None
        names[id(f)] = name
        reporter = None
        reporter_mention = finder.mention_of(f.reported_by) if f.reported_by is not None else set()
        if f.reported_by is not None:
            reporter = resolver.resolve(f.reported_by, reporter_mention)
        # "Interfax quoted Peskov as saying ... He added": Peskov is who the text goes on about
        quoted = f.subject is not None and quoting(f.subject) is not None
        if reporter is not None and f.reported_by is not None and not quoted:
            # "Ushakov said the Russian president had told Scholz ... He said": the one who
            # reports is who the writer goes on about, not the one reported
            resolver.note_speaker(f.reported_by.i, reporter)
        elif name and f.subject is not None:
            resolver.note_speaker(f.subject.i, name)
        source = token_spans(sdoc, _without_day(sdoc, f.source)) if f.source else []
        if origin is not None and not source:
            mention = spans_text(text, token_spans(sdoc, origin.source)) if origin.source else ""
        else:
            mention = spans_text(text, source)
        described = finder.described(f)
        if described is not f.source:
            source = token_spans(sdoc, _without_day(sdoc, described)) if described else []
        cue_spans = token_spans(sdoc, f.cue, trim=False) if f.cue else []
        content_spans = token_spans(sdoc, f.content)
        if not content_spans or ANONYMITY.fullmatch(spans_text(text, content_spans).strip(" .,")):
            continue  # "who asked not to be named": the terms of a source, not a statement
        if all(sdoc[i].pos_ in PARTICLES for i in f.content):
            continue  # "what, if anything, the two leaders agreed to": "to" is nothing said
        # "must accept what it calls the new territorial realities": a name, not a statement,
        # though it still dates its speaker ("signed up on September 4 to what Macron called
        # 'reassurance'. Macron told reporters ...")
        naming = f.verb is not None and _names_a_thing(f.verb)
        phrase = date_phrase(f.verb, f.content) if f.verb is not None else None
        if phrase is not None and is_duration(phrase):
            phrase = None  # "talked for three hours": how long, not when
        said_on = resolve(phrase, doc.published) if phrase else None
        if said_on is None and phrase is not None:
            # "a day later", "six days later": counted from the last date the text gave
            said_on = relative_to(phrase, anchor)
        if phrase is None:
            # a date in the remark's own sentence first ("On Wednesday he went further,
            # saying ..."): before it, an earlier remark's date had carried over
            said_on = _day_nearby(finder, f, doc.published) or _posted_on(finder, f, doc.published)
            earlier = dated.get(name) if name else None
            if said_on is None and (
                earlier is None
                or (earlier.line != _line_of(finder, f) and _digest_heading(finder, f))
            ):
                # a digest's paragraph that opens with a day ("Kyiv, December 9. Zelensky also
                # said ..."): that day, before the one the speaker had in another paragraph
                said_on = _heading_day(finder, f, doc.published)
            if said_on is None and earlier is not None:
                # news copy dates a speaker's remarks once, in the lead, and quotes them after;
                # an act's day dates them too, with no phrase of their own
                said_on, phrase = earlier.day, earlier.phrase
        reported_by = None
        if f.reported_by is not None:
            # as written where no name resolves ("Chinese state media", not "media")
            written = spans_text(text, token_spans(sdoc, reporter_mention))
            reported_by = reporter or written or f.reported_by.text
        stmt = Statement(
            doc=doc.source,
            doc_id=doc.id,
            speaker_mention=mention,
            speaker_name=name,
            cue=spans_text(text, cue_spans),
            cue_lemma=f.lemma,
            content=spans_text(text, content_spans),
            quote=f.quote,  # type: ignore[arg-type]
            offsets=Offsets(source=source, cue=cue_spans, content=content_spans),
            said_on=said_on,
            said_on_text=phrase,
            venue=venue_phrase(f.verb, f.content, f.subject) if f.verb is not None else None,
            reported_by=reported_by,
            published=doc.published,
        )
        if not naming:
            out.append(stmt)
        if said_on is not None:
            anchor = said_on
            if name:
                dated[name] = _Dated(said_on, phrase, _line_of(finder, f))
    return out


# what a source asks for, whole: "who asked not to be named", "who declined to be identified",
# "who requested anonymity" (not "asked not to be named as a co-aggressor in the resolution")
ANONYMITY = re.compile(
    r"(?:(?:not |never )?to be (?:named|identified|quoted|cited)(?: publicly| by name)?"
    r"|(?:to speak )?(?:on condition of |on )?anonymity)",
    re.I,
)
# parts of speech that say nothing on their own (a pronoun does: PolNeAR's "endorsed him")
PARTICLES = {"ADP", "PART", "PUNCT", "CCONJ", "SCONJ", "SPACE"}
# verbs that put a name on a thing: "what he called the realities on the ground" is the
# writer's use of his term, not something he said
NAMING_VERBS = {"call", "term", "dub", "label", "describe", "brand"}
NAME_WORDS = 8  # the most words a name takes ("a terrorist attack on the Crimean bridge")


def _names_a_thing(verb: Token) -> bool:
    """A naming verb in a free relative, with a name of a few words ("what it calls the new
    territorial realities", "what it described as a provocation"): a phrase, not a statement.
    What it calls a list ("listed what it called unmet promises, including the reconnection of
    ...") says something, and so does a name given as what a thing is ("The deal is what
    Zelensky called a betrayal": his view of the deal)."""
    if verb.lemma_.lower() not in NAMING_VERBS or verb.head.lemma_ == "be":
        return False
    if not any(c.dep_ == "dobj" and c.lower_ == "what" for c in verb.children):
        return False
    named = [
        t
        for c in verb.children
        for named_as in (
            [c]
            if c.dep_ == "oprd"
            else [o for o in c.children if o.dep_ == "pobj"]
            if c.dep_ == "prep" and c.lower_ == "as"
            else []
        )
        for t in named_as.subtree
        if not t.is_punct
    ]
    return 0 < len(named) <= NAME_WORDS


HEADING_CHARS = 24  # how far into a paragraph a date still heads it
FUTURE = {"will", "'ll", "shall"}
NEARBY_DAYS = 31  # how long before publication a date in the statement's sentence may be


def _dated_acts(sdoc: SpacyDoc, published: date | None) -> list[tuple[int, set[int], date]]:
    """(subject token, its name's tokens, day) for each person the text says did something on
    a given day ("Vladimir Putin on Friday put forward proposals"), in text order; days in the
    month before publication only, as for `_day_nearby`. Their undated remarks after it are
    that day's unless their own sentence dates them: when added, on trainset/contradictions
    said_on went from 76.7 to 77.5, the devset 71.7 to 72.9, trainset/stance unchanged (89.8),
    with the publisher's own assessments already dated (`Coder._publisher`). An act planned
    ("will host") dates nothing."""
    acts: list[tuple[int, set[int], date]] = []
    if published is None:
        return acts
    for ent in sdoc.ents:
        if ent.label_ != "PERSON":
            continue
        tok = ent.root
        if tok.dep_ not in ("nsubj", "nsubjpass") or tok.head.pos_ not in ("VERB", "AUX"):
            continue
        if any(c.dep_ == "aux" and c.lower_ in FUTURE for c in tok.head.children):
            continue  # "Putin on Monday will host Xi": no remark after it was made then
        phrase = date_phrase(tok.head, set())
        day = resolve(phrase, published) if phrase else None
        if day is not None and 0 <= (published - day).days <= NEARBY_DAYS:
            acts.append((tok.i, set(range(ent.start, ent.end)), day))
    return acts


def _day_nearby(finder: Finder, f: Found, published: date | None) -> date | None:
    """The day an undated statement was made, from a date elsewhere in its sentence ("its
    chief negotiator said after talks in Istanbul on Tuesday", "the ministry's bulletin on
    March 20 went further, saying"). Only days in the month before publication count
    (NEARBY_DAYS: on trainset/contradictions a week gave 75.3, a fortnight 75.6, a month
    76.2, with trainset/stance unchanged); anything further is more likely another event.
    (Taking the date of the paragraph before as well scored worse on the development set:
    66.9 against 68.1.) It is read before the speaker's earlier date: on trainset/contradictions
    said_on 80.4 -> 81.0 when first tried so (2026-11-27)."""
    if published is None or not f.content:
        return None
    sent = finder.sent(finder.sdoc[min(f.content)])
    said = {finder.sdoc[i].idx for i in f.content}
    phrases = [(ent.start_char, ent.text) for ent in sent.ents if ent.label_ == "DATE"]
    phrases += short_days(finder.text, sent.start_char, sent.end_char)  # "Peskov, Thu:"
    best: date | None = None
    for at, words in sorted(phrases):
        span = finder.sdoc.char_span(at, at + len(words), alignment_mode="expand")
        if span is None or any(t.idx in said for t in span):
            continue
        day = resolve(words, published)
        if day is not None and 0 <= (published - day).days <= NEARBY_DAYS:
            best = day
    return best


def _without_day(sdoc: SpacyDoc, source: set[int]) -> set[int]:
    """The speaker's words without a thread's day after them ("Zelensky, Fri: ..."), which
    the parse may take for part of the name."""
    last = max(source)
    if last - 1 in source and sdoc[last - 1].text == "," and is_short_day(sdoc[last].text):
        return source - {last - 1, last}
    return source


# where a heading ends: its full stop or colon ("Kyiv, December 9.", "4/ May 16, Istanbul.")
# (not the full stop of "Dec." or "U.S.")
_HEADING_STOP = re.compile(r"(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})[.:](?:\s|$)|\n")


def _digest_heading(finder: Finder, f: Found) -> bool:
    """Whether the paragraph holding a statement opens with a heading of no verb ("Kyiv,
    December 9."), not with a sentence that tells of something else on a day ("On Monday,
    Russian forces shelled Kharkiv.")."""
    start = _line_of(finder, f)
    if start < 0:
        return False
    stop = _HEADING_STOP.search(finder.text, start, start + HEADING_CHARS * 3)
    if stop is None:
        return False
    span = finder.sdoc.char_span(start, stop.start(), alignment_mode="expand")
    return span is not None and not any(t.pos_ in ("VERB", "AUX") for t in span)


class _Dated(NamedTuple):
    """The last day a speaker was given: of a remark (with its phrase) or of an act (none)."""

    day: date
    phrase: str | None
    line: int  # where the line it was given in starts (`_line_start`)


def _line_of(finder: Finder, f: Found) -> int:
    """Where the line (a paragraph) holding a statement's first word starts; -1 for none."""
    if not f.content:
        return -1
    return _line_start(finder.text, finder.sdoc[min(f.content)].idx)


def _line_start(text: str, at: int) -> int:
    """Where the line holding character `at` starts."""
    return text.rfind("\n", 0, at) + 1


def _posted_on(finder: Finder, f: Found, published: date | None) -> date | None:
    """The day of the channel post a statement is in, from the time stamp that opens it ("7.
    [25.03, 16:50] Sybiha at a briefing: ..."): before the speaker's earlier date, which is
    another post's."""
    if not f.content:
        return None
    text = finder.text
    at = finder.sdoc[min(f.content)].idx
    stamp = post_stamp(text, _line_start(text, at), at)
    return resolve(stamp, published) if stamp else None


def _heading_day(finder: Finder, f: Found, published: date | None) -> date | None:
    """The date a paragraph opens with, as in a running thread ("4/ May 16, Istanbul. Talks
    last under two hours. Umerov: ..."): the day of the statements under it."""
    if not f.content:
        return None
    sdoc, text = finder.sdoc, finder.text
    at = sdoc[min(f.content)].idx
    start = _line_start(text, at)
    head = len(text[start:]) - len(text[start:].lstrip())
    span = sdoc.char_span(start, at, alignment_mode="expand") if at > start else None
    phrases = [
        (e.start_char, e.text)
        for e in (span.ents if span is not None else ())
        if e.label_ == "DATE"
    ]
    # "[22.03, 10:05] Sybiha on X:", "3/ Peskov, Thu:"
    phrases += short_days(text, start, at)
    for begins, words in sorted(phrases):
        if begins - start > head + HEADING_CHARS:
            continue
        if _DATELINE.fullmatch(text[start:begins]):
            continue  # "MOSCOW, November 21 (RKA).": the day of the copy, not of its remarks
        # "February 24, 2022" whole; "round two, Monday" by its parts, the last first (the
        # part that is a date)
        whole = [words] if words.startswith("[") or re.search(r"\b\d{4}\b", words) else []
        parts = [] if words.startswith("[") else list(reversed(words.split(",")))
        for part in [*whole, *parts]:
            day = resolve(part, published)
            if day is not None:
                return day
    return None


# a dateline's place before its date: "MOSCOW, ", "KYIV, " (see `_heading_day`)
# ("LONDON/KYIV, "; adding "KYIV, Ukraine, " cost trainset/contradictions said_on 81.1 -> 80.9)
_DATELINE = re.compile(r"\s*[A-Z][A-Z.'’ /-]+,\s*")


def _position(f: Found) -> int:
    if f.subject is not None and f.inherited_from is None:
        return min(f.subject.i, min(f.content, default=f.subject.i))
    return min(f.content, default=0)
