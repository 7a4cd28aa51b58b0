"""Tagger spans turned into statements beside the rules (with spans given by hand)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

import pytest

from redline.extract import Extractor, statements_from
from redline.extract.attribution import Finder
from redline.extract.hybrid import tagged_found
from redline.extract.nlp import load_nlp
from redline.extract.quotes import find_quotations
from redline.models import Doc


@dataclass
class Span:
    role: str
    start: int
    end: int


def spans_for(text: str, **parts: str) -> list[Span]:
    return [
        Span(role, text.index(words), text.index(words) + len(words))
        for role, words in parts.items()
    ]


PESKOV_SAID = "\u201cThe talks are over for now,\u201d Peskov told reporters on Monday.\n\n"


def _parsed(settings, text: str):
    """The document and its parse, published on 4 March 2025."""
    return Doc(source="t", text=text, published=date(2025, 3, 4)), load_nlp(settings.spacy_model)(
        text
    )


def test_tagged_attribution_the_rules_miss_becomes_a_statement(settings):
    # a noun cue: no reporting verb for the rules to find
    text = "Kyiv's reaction was swift. Kuleba's verdict was that the plan is a recipe for a frozen war."
    doc = Doc(source="t", text=text, published=date(2024, 1, 5))
    sdoc = load_nlp(settings.spacy_model)(text)
    assert statements_from(doc, sdoc) == []
    tagged = spans_for(
        text, source="Kuleba", cue="verdict", content="the plan is a recipe for a frozen war"
    )
    [stmt] = statements_from(doc, sdoc, tagged=tagged)
    assert stmt.content == "the plan is a recipe for a frozen war"
    assert text[slice(*stmt.offsets.cue[0])] == "verdict"
    assert stmt.speaker_mention.startswith("Kuleba")


def test_the_rules_win_where_both_find_a_statement(settings):
    text = "Peskov said on Monday that the talks would resume in Istanbul."
    doc = Doc(source="t", text=text, published=date(2025, 5, 13))
    sdoc = load_nlp(settings.spacy_model)(text)
    rules = statements_from(doc, sdoc)
    tagged = spans_for(
        text, source="Peskov", cue="said", content="the talks would resume in Istanbul"
    )
    both = statements_from(doc, sdoc, tagged=tagged)
    assert len(rules) == len(both) == 1 and both[0].said_on == date(2025, 5, 12)


def test_a_tagged_attribution_inside_a_rules_content_is_its_own(settings):
    # the rules give Peskov the whole quotation; the tagger also has Lavrov's warning inside
    # it, under its own cue: both are attributions (PolNeAR annotates both)
    text = (
        'Peskov told reporters: "The talks are over for now. Lavrov warned Washington that '
        'the venue is no longer open, and we agree with him."'
    )
    doc = Doc(source="t", text=text, published=date(2025, 5, 13))
    sdoc = load_nlp(settings.spacy_model)(text)
    [rules] = statements_from(doc, sdoc)
    assert rules.cue == "told" and "Lavrov warned" in rules.content
    tagged = spans_for(text, source="Lavrov", cue="warned", content="the venue is no longer open")
    both = statements_from(doc, sdoc, tagged=tagged)
    assert sorted(s.cue for s in both) == ["told", "warned"]
    inner = next(s for s in both if s.cue == "warned")
    assert (inner.speaker_mention, inner.content) == ("Lavrov", "the venue is no longer open")
    # the tagger drawing the rules' own attribution again adds nothing, nor does a cue outside
    # the rules' content claiming part of it for someone else
    again = spans_for(text, source="Peskov", cue="told", content="The talks are over for now")
    assert [s.cue for s in statements_from(doc, sdoc, tagged=again)] == ["told"]
    other = spans_for(text, source="Peskov", cue="reporters", content="The talks are over")
    assert [s.cue for s in statements_from(doc, sdoc, tagged=other)] == ["told"]


def test_a_cue_without_a_source_is_dropped(settings):
    text = "The plan was described as unworkable in Brussels."
    doc = Doc(source="t", text=text, published=date(2025, 5, 13))
    sdoc = load_nlp(settings.spacy_model)(text)
    tagged = spans_for(text, cue="described", content="unworkable")
    assert statements_from(doc, sdoc, tagged=tagged) == []


def test_tagged_content_without_a_tagged_source_takes_the_cue_subject(settings):
    text = "Kuleba dismissed the plan as a recipe for a frozen war."
    sdoc = load_nlp(settings.spacy_model)(text)
    finder = Finder(sdoc, find_quotations(text))
    tagged = spans_for(text, cue="dismissed", content="a recipe for a frozen war")
    [found] = tagged_found(finder, tagged, [])  # as if the rules had found nothing
    assert found.subject is not None and found.subject.text == "Kuleba"
    assert found.source == {0}


def test_tagged_content_takes_a_cue_in_the_sentence_before(settings):
    text = "Sybiha gave his verdict on the plan. It is a recipe for a frozen war in Europe."
    doc = Doc(source="t", text=text, published=date(2024, 1, 5))
    sdoc = load_nlp(settings.spacy_model)(text)
    tagged = spans_for(
        text, source="Sybiha", cue="verdict", content="It is a recipe for a frozen war in Europe"
    )
    stmts = [s for s in statements_from(doc, sdoc, tagged=tagged) if "frozen war" in s.content]
    assert [s.speaker_mention for s in stmts] == ["Sybiha"]


def test_a_tagged_quotation_over_several_sentences_takes_its_cue_after_them(settings):
    # the quotation's own question marks end sentences before the cue's
    text = (
        '"What do they want from us? Who asked them? Who asked anyone?" Zakharova said on air. '
        "The briefing ended early."
    )
    sdoc = load_nlp(settings.spacy_model)(text)
    finder = Finder(sdoc, find_quotations(text))
    tagged = spans_for(
        text,
        content="What do they want from us? Who asked them? Who asked anyone?",
        source="Zakharova",
        cue="said",
    )
    [found] = tagged_found(finder, tagged, [])  # as if the rules had found nothing
    assert found.subject is not None and found.subject.text == "Zakharova"
    assert sdoc[min(found.content)].text == "What" and sdoc[max(found.content)].text == "?"


def test_a_one_word_tagged_content_makes_an_attribution(settings):
    text = "The union's leadership endorses Harris, its president told members."
    sdoc = load_nlp(settings.spacy_model)(text)
    finder = Finder(sdoc, find_quotations(text))
    tagged = spans_for(text, source="The union's leadership", cue="endorses", content="Harris")
    [found] = tagged_found(finder, tagged, [])
    assert [sdoc[i].text for i in found.content] == ["Harris"]
    assert found.lemma == "endorse"


def test_a_tagged_source_with_a_relative_clause_draws_the_evidence_not_the_speaker(settings):
    text = (
        "Olena Kovalenko, who negotiated the grain corridor in 2022, said the new deal "
        "would not survive the winter."
    )
    doc, sdoc = _parsed(settings, text)
    [plain] = statements_from(doc, sdoc)
    source = "Olena Kovalenko, who negotiated the grain corridor in 2022"
    tagged = spans_for(text, source=source, cue="said")
    [stmt] = statements_from(doc, sdoc, tagged=tagged)
    assert [text[s:e] for s, e in stmt.offsets.source] == [source]
    # resolution still reads the name, not the clause after it
    assert stmt.speaker_mention == plain.speaker_mention == "Olena Kovalenko"


@pytest.mark.parametrize(
    "text, name, source",
    [
        (
            "Olena Marchuk, a spokeswoman for the Ukrainian navy, said on Monday that two "
            "drones were shot down.",
            "Olena Marchuk",
            "Olena Marchuk, a spokeswoman for the Ukrainian navy",
        ),
        (
            "Sen. Rand Paul (R-Ky.) said the aid bill was a mistake.",
            "Sen. Rand Paul",
            "Sen. Rand Paul (R-Ky.)",
        ),
    ],
)
def test_a_tagged_source_that_is_the_name_keeps_what_describes_it(settings, text, name, source):
    doc, sdoc = _parsed(settings, text)
    [stmt] = statements_from(doc, sdoc, tagged=spans_for(text, source=name, cue="said"))
    assert [text[s:e] for s, e in stmt.offsets.source] == [source]


def test_a_tagged_content_does_not_run_on_into_another_speakers_words(settings):
    text = "Peskov said the talks were over. Ushakov's view was that they would resume in May."
    doc, sdoc = _parsed(settings, text)
    # one content the tagger runs on over the sentence's end
    tagged = spans_for(
        text,
        source="Peskov",
        cue="said",
        content="the talks were over. Ushakov's view was that they would resume in May",
    )
    stmts = statements_from(doc, sdoc, tagged=tagged)
    peskov = next(s for s in stmts if s.speaker_mention == "Peskov")
    assert peskov.content == "the talks were over"


def test_a_quotation_the_rules_only_carry_on_takes_the_tagged_cue_beside_it(settings):
    # the rules carry the second quotation on from Marchuk's; the tagger reads who replied
    text = (
        "\u201cThe corridor stays open,\u201d Olena Marchuk said on Tuesday.\n\n"
        "\u201cNobody will close it while ships are loading,\u201d came the reply from "
        "the harbour master."
    )
    doc, sdoc = _parsed(settings, text)
    carried = [s for s in statements_from(doc, sdoc) if s.content.startswith("Nobody")]
    assert [s.cue for s in carried] == [""]  # no cue of its own: Marchuk's, carried on
    tagged = spans_for(
        text,
        content="Nobody will close it while ships are loading",
        cue="came the reply from",
        source="the harbour master",
    )
    [stmt] = [s for s in statements_from(doc, sdoc, tagged=tagged) if s.content.startswith("No")]
    assert stmt.cue == "came the reply from"
    assert stmt.speaker_mention == "the harbour master"


def test_a_remark_quoted_inside_a_carried_on_quotation_keeps_its_own_speaker(settings):
    text = (
        PESKOV_SAID
        + "\u201cLavrov warned Washington that the venue is no longer open, and we agree "
        "with him.\u201d"
    )
    doc, sdoc = _parsed(settings, text)
    tagged = spans_for(text, source="Lavrov", cue="warned", content="the venue is no longer open")
    stmts = statements_from(doc, sdoc, tagged=tagged)
    carried = [s for s in stmts if s.content.startswith("Lavrov warned")]
    # the cue inside the quotation is a remark it quotes, not who speaks the quotation
    assert carried and carried[0].cue == ""
    assert any(s.cue == "warned" and s.content == "the venue is no longer open" for s in stmts)


def test_a_cue_from_the_next_sentence_is_not_adopted(settings):
    text = (
        PESKOV_SAID
        + "\u201cWe will not go to Istanbul again.\u201d Kuleba's verdict was that the plan is a "
        "recipe for a frozen war."
    )
    doc, sdoc = _parsed(settings, text)
    tagged = spans_for(
        text,
        content="We will not go to Istanbul again",
        cue="verdict",
        source="Kuleba",
    ) + spans_for(text, content="the plan is a recipe for a frozen war")
    stmts = statements_from(doc, sdoc, tagged=tagged)
    assert [s.cue for s in stmts if s.content.startswith("We will not")] == [""]


def test_a_tagged_source_that_cuts_a_name_takes_all_of_it(settings):
    text = (
        "Swiss President Viola Amherd, reading out the main points, said the nuclear plant "
        "must be returned to Ukraine."
    )
    doc, sdoc = _parsed(settings, text)
    tagged = spans_for(
        text,
        source="Swiss President Viola",
        cue="said",
        content="the nuclear plant must be returned to Ukraine",
    )
    [stmt] = statements_from(doc, sdoc, tagged=tagged)
    assert stmt.speaker_mention == "Swiss President Viola Amherd"


def test_a_tagger_in_the_background_finds_what_it_finds_in_turn(settings):
    texts = [
        "Kyiv's reaction was swift. Kuleba's verdict was that the plan is a recipe for a frozen war.",
        "Budapest was unmoved. Szijjarto's answer was that the veto stands until spring.",
    ]
    threads: list[str] = []

    def tagger(text: str) -> list[Span]:
        threads.append(threading.current_thread().name)
        rest = text.split(". ", 1)[1]
        owner = rest.split("'s ", 1)[0]
        noun = rest.split("'s ", 1)[1].split(" ", 1)[0]
        content = rest.split(" was that ", 1)[1].rstrip(".")
        return spans_for(text, source=owner, cue=noun, content=content)

    docs = [Doc(source=f"t{n}", text=t, published=date(2024, 1, 5)) for n, t in enumerate(texts)]
    in_turn = Extractor(settings, tagger=tagger)(docs)
    assert threads == ["MainThread", "MainThread"]
    background = Extractor(settings, tagger=tagger, overlap=True)
    beside = background(docs)
    assert threads[2:] and all(name.startswith("redline-tagger") for name in threads[2:])
    assert [[s.content for s in stmts] for stmts in beside] == [
        ["the plan is a recipe for a frozen war"],
        ["the veto stands until spring"],
    ]
    assert [[s.offsets for s in stmts] for stmts in beside] == [
        [s.offsets for s in stmts] for stmts in in_turn
    ]
    background.close()


def test_a_tagger_failing_in_the_background_fails_the_call_and_stops_the_batch(settings):
    gate = threading.Event()
    tagged: list[str] = []

    def tagger(text: str) -> list[Span]:
        tagged.append(text)
        if text.startswith("Kuleba"):
            raise RuntimeError("the model is broken")
        gate.wait(5)
        return []

    texts = ["Kuleba's verdict was that the plan fails."] + [
        f"Report {n}: the minister said the talks would resume." for n in range(5)
    ]
    docs = [Doc(source=f"t{n}", text=t, published=date(2024, 1, 5)) for n, t in enumerate(texts)]
    extractor = Extractor(settings, tagger=tagger, overlap=True)
    with pytest.raises(RuntimeError, match="the model is broken"):
        extractor(docs)
    gate.set()
    extractor.close()  # waits for a document being tagged, if any
    # the failed call's queued documents were dropped, not tagged for nothing
    assert len(tagged) <= 2
    # and the extractor goes on, the tagger now in turn
    [stmts] = extractor(docs[1:2])
    assert len(tagged) <= 3 and all(s.content for s in stmts)


def test_the_background_tagger_starts_before_the_parse(settings):
    texts = [f"Report {n}: the minister said the talks would resume." for n in range(3)]
    all_tagged = threading.Event()
    tagged: list[str] = []

    def tagger(text: str) -> list[Span]:
        tagged.append(text)
        if len(tagged) == len(texts):
            all_tagged.set()
        return []

    extractor = Extractor(settings, tagger=tagger, overlap=True)
    nlp = extractor.nlp
    seen: list[bool] = []

    class Watched:
        """spaCy's pipeline, noting whether the tagger had every text when parsing began."""

        def pipe(self, batch, **kwargs):
            seen.append(all_tagged.wait(5))
            yield from nlp.pipe(batch, **kwargs)

    extractor.nlp = Watched()  # type: ignore[assignment]
    docs = [Doc(source=f"t{n}", text=t, published=date(2024, 1, 5)) for n, t in enumerate(texts)]
    extractor(docs)
    extractor.close()
    assert seen == [True]


@pytest.mark.parametrize(
    ("text", "drawn"),
    [
        ("Sanctions, Kallas said, could be eased step by step.", "could be eased step by step"),
        # the rules' content is the quotation alone
        (
            'Sanctions, Kallas said, could be "eased as soon as a verified ceasefire holds, '
            'even before Russian troops leave".',
            'could be "eased as soon as a verified ceasefire holds, even before Russian troops '
            "leave",
        ),
        # the parse makes "Ukraine" the root and "trade" a noun's modifier: the words between
        # the sentence's start and the commas around the cue are the subject
        (
            'Ukraine, Kallas said, would not "trade land for peace" under any terms.',
            'would not "trade land for peace" under any terms',
        ),
    ],
)
def test_the_subject_before_a_parenthetical_cue_stays_in_the_content(settings, text, drawn):
    # the tagger draws the content after the cue only; the subject before it is the
    # speaker's too, and says what the remark is about
    doc, sdoc = _parsed(settings, text)
    tagged = spans_for(text, source="Kallas", cue="said", content=drawn)
    [stmt] = statements_from(doc, sdoc, tagged=tagged)
    first, *_, last = [text[s:e] for s, e in stmt.offsets.content]
    assert first == text.split(",")[0] and last.endswith(drawn)
