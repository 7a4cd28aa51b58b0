"""Extraction on short news-style texts written for these tests."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redline.extract.nlp import blank_markers, dateline_places
from redline.extract.quotes import find_quotations
from redline.extract.when import is_duration, relative_to, resolve
from redline.models import Doc, Statement
from redline.pipeline import Analyser
from redline.settings import Settings


def one(stmts: list[Statement], speaker: str) -> Statement:
    found = [s for s in stmts if s.speaker and speaker in s.speaker]
    assert found, [(s.speaker, s.content) for s in stmts]
    return found[0]


def test_offsets_point_into_the_text(analyse):
    text = "Kremlin spokesman Dmitry Peskov said on Tuesday that Moscow was ready to resume talks in Istanbul."
    [stmt] = analyse(text)
    for role in ("source", "cue", "content"):
        for start, end in getattr(stmt.offsets, role):
            assert 0 <= start < end <= len(text)
    assert text[slice(*stmt.offsets.cue[0])] == "said"
    assert "ready to resume talks" in text[slice(*stmt.offsets.content[0])]
    assert stmt.speaker == "Dmitry Peskov" and stmt.side == "russia"
    assert stmt.said_on == date(2025, 4, 8)


def test_direct_quote_with_trailing_cue(analyse):
    text = '"We will not trade our land for a pause in the shelling," Andrii Sybiha told reporters in Kyiv.'
    [stmt] = analyse(text)
    assert stmt.quote == "direct"
    assert stmt.content.startswith("We will not trade our land")
    assert stmt.speaker == "Andrii Sybiha" and stmt.side == "ukraine"
    # who heard it is no venue; where it was said is
    assert stmt.venue == "Kyiv"


def test_a_named_outlet_told_is_the_venue(analyse):
    [stmt] = analyse("Kirill Dmitriev told Fox News that Russia was not seeking sanctions relief.")
    assert stmt.venue == "Fox News"


@pytest.mark.parametrize(
    ("text", "venue"),
    [
        ("Vance stated on Fox News that the funding was over.", "Fox News"),
        ("Fico told a news conference that Slovakia would send no shells.", "news conference"),
        (
            "Rutte told reporters at NATO headquarters that the path was irreversible.",
            "NATO headquarters",
        ),
        ("Matviyenko, speaking on Rossiya-1 on Sunday, said there was no way back.", "Rossiya-1"),
        ("Peskov said on Monday that the talks were useful.", None),
        ("He wrote on Truth Social that Ukraine could win.", "Truth Social"),
        # people, places, holidays and topics are no outlets
        ("Zelensky, speaking to Trump by phone, said the plan was unfair.", None),
        ("Peskov said on Kursk that the talks were over.", None),
        ("Peskov said on Orthodox Easter that the truce held.", None),
    ],
)
def test_venues_named_around_the_cue(analyse, text, venue):
    [stmt] = analyse(text)
    assert stmt.venue == venue


def test_colon_lead_in_and_continued_quote(analyse):
    text = (
        "Ukrainian Foreign Minister Andrii Sybiha was blunt:\n\n"
        '"There will be no deal that rewards the invasion. Our partners know this.\n\n'
        '"Any ceasefire has to come with guarantees that hold," he added.'
    )
    stmts = analyse(text)
    speakers = {s.speaker for s in stmts}
    assert speakers == {"Andrii Sybiha"}, [(s.speaker, s.content) for s in stmts]
    contents = " ".join(s.content for s in stmts)
    assert "no deal that rewards the invasion" in contents
    assert "guarantees that hold" in contents


def test_pronoun_and_description_resolve_to_the_named_person(analyse):
    text = (
        "Russian Foreign Minister Sergey Lavrov met his Turkish counterpart in Antalya on Friday.\n\n"
        "He said that Moscow would not accept European peacekeepers in Ukraine.\n\n"
        "The minister also claimed that Kyiv had broken the energy truce."
    )
    stmts = analyse(text)
    assert len(stmts) == 2
    assert all(s.speaker == "Sergey Lavrov" for s in stmts), [
        (s.speaker_mention, s.speaker) for s in stmts
    ]
    assert stmts[0].speaker_mention == "He"
    assert stmts[1].speaker_mention == "The minister"


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ("Kyiv's position is that no talks can begin before a ceasefire.", "Kyiv", "position is"),
        (
            "On territory, President Volodymyr Zelensky's line is that Ukraine may have to live "
            "with a frozen front.",
            "Volodymyr Zelensky",
            "line is",
        ),
        (
            "Sergey Lavrov met reporters in Ankara. His view was that the sanctions must stay.",
            "Sergey Lavrov",
            "view was",
        ),
    ],
)
def test_a_position_held_is_its_owners_statement(analyse, text, speaker, cue):
    [stmt] = analyse(text)
    assert (stmt.speaker, stmt.cue) == (speaker, cue)
    assert stmt.content.startswith("that ")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a summit's text speaks for the bloc it names as its subject, not the last speaker
        (
            'At the NATO summit, Zelensky called the wording "absurd," he wrote on X.\n\nThe '
            'communique adopted hours later states that the alliance "will extend an invitation '
            'when allies agree".',
            "NATO",
        ),
        (
            "EU leaders met in Brussels. The declaration agreed on Tuesday said the bloc would "
            "keep its sanctions.",
            "European Union",
        ),
        # one it speaks about is not who made it
        (
            "Putin and Xi signed a joint declaration. The declaration said the two countries "
            "opposed NATO expansion.",
            "Vladimir Putin",
        ),
        # nor one that is its subject, where someone named made it
        (
            "Putin and Xi signed a joint declaration. The declaration said the EU had no right "
            "to seize Russian assets.",
            "Vladimir Putin",
        ),
        # "the bloc" of another bloc's summit is not the EU
        (
            "Lukashenko hosted the CSTO summit in Minsk. The declaration said the bloc would "
            "respond to any aggression.",
            "Alexander Lukashenko",
        ),
    ],
)
def test_a_summit_document_speaks_for_its_bloc(analyse, text, speaker):
    *_, stmt = analyse(text)
    assert stmt.speaker == speaker, stmt.speaker_mention


def test_a_position_not_held_is_no_statement(analyse):
    text = "Zelensky spoke on Tuesday. His position is not that talks must wait but that they must start."
    assert all(s.cue not in ("position is", "position is not") for s in analyse(text))


def test_a_position_inside_a_quotation_is_the_quoted_speakers(analyse):
    [stmt] = analyse('"Our position is that talks must start first," Peskov said.')
    assert (stmt.speaker, stmt.cue) == ("Dmitry Peskov", "said")


def test_a_long_label_in_a_digest_names_its_speaker(analyse):
    # the label's colon comes thirteen tokens in: a time and an occasion after the name
    text = (
        '2/ Sybiha posted on X on Friday: "The front holds."\n\n'
        "3/ Kremlin line, via Peskov to state agency reporters on Saturday evening: the new "
        'shells "will change nothing at the front". He also accused Oslo of "feeding the war".'
    )
    *_, label, he = analyse(text)
    assert (label.speaker, label.cue) == ("Dmitry Peskov", ":")
    assert he.speaker == "Dmitry Peskov"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Vladimir Medinsky, who led the Russian delegation, said Moscow would keep talking. "
            "The delegate added that the next round could be held in June.",
            "Vladimir Medinsky",
        ),
        (
            "Kremlin spokesman Dmitry Peskov said the talks had been useful. The offensive, the "
            "Kremlin representative added, would go on until its aims were met.",
            "Dmitry Peskov",
        ),
    ],
)
def test_a_delegate_and_a_representative_are_who_was_named(analyse, text, speaker):
    # news copy names a person once, then by the part they play
    later = analyse(text)[-1]
    assert later.speaker == speaker, later.speaker_mention


@pytest.mark.parametrize(
    "text",
    [
        # a word near a name is not a role: the registry's roles decide
        "US envoy Steve Witkoff met Putin in Moscow. The representative said progress was made.",
        "Zelensky told a press conference that a truce was needed. The representative added "
        "that the talks would go on.",
        "Zelensky said his delegation would go to Istanbul. The delegate said the talks would "
        "last two days.",
        # more than one
        "Kremlin spokesman Dmitry Peskov said talks were useful. Kremlin representatives added "
        "that the offensive would go on.",
    ],
)
def test_a_delegate_or_representative_by_role_only(analyse, text):
    later = analyse(text)[-1]
    assert later.speaker not in ("Vladimir Putin", "Volodymyr Zelensky", "Dmitry Peskov")


@pytest.mark.parametrize(
    "text, named",
    [
        (
            "Dmitry Peskov said on Monday that talks would continue. Kremlin spokesmen later "
            "said the summit was off.",
            "Dmitry Peskov",
        ),
        (
            "Andrii Sybiha spoke in Kyiv on Tuesday. Ukrainian diplomats said the talks had "
            "stalled.",
            "Andrii Sybiha",
        ),
    ],
)
def test_a_plural_role_is_not_the_one_person_named_before(analyse, text, named):
    later = analyse(text)[-1]
    assert later.speaker != named, later.speaker_mention


@pytest.mark.parametrize(
    "text",
    [
        "The background to the Russian memorandum from Medinsky for the Ukrainian side in "
        "Istanbul: Moscow wants Kyiv to leave four regions.",
        "Key dates in the talks between Russia and Ukraine since the invasion in 2022: Istanbul "
        "in March 2022, the grain deal in July 2022.",
    ],
)
def test_a_long_heading_before_a_colon_is_no_label(analyse, text):
    assert all(s.cue != ":" for s in analyse(text))


@pytest.mark.parametrize(
    ("text", "cue", "speakers"),
    [
        # a name inside the quotation is not who "he" is
        (
            'Zelensky had previewed the decree on Friday. "Ukraine will not hold any '
            'negotiations with Russia as long as Putin is the president," he said in a video '
            "message.",
            "said",
            ["Volodymyr Zelensky"],
        ),
        # "Having said that" before a clause is a statement, not the writer's turn of phrase
        (
            "Having said that Ukraine must withdraw from the four regions, Putin then offered "
            "a short truce.",
            "Having said",
            ["Vladimir Putin"],
        ),
    ],
)
def test_who_says_it_by_cue(analyse, text, cue, speakers):
    assert [s.speaker for s in analyse(text) if s.cue == cue] == speakers


def test_a_colon_lead_in_speaks_the_quotation_after_it(analyse):
    # the parse may root the sentence in the clause after the quotation: its subject is not
    # who speaks, and that clause's statement does not swallow the quotation
    text = (
        '3/ Not so fast, says ombudsman Dmytro Lubinets: "no date has been agreed for the '
        'swap," Russia keeps "stalling" on the lists. He says families should wait.'
    )
    stmts = analyse(text)
    quoted = [s for s in stmts if s.content.startswith("no date has been agreed")]
    assert [s.speaker for s in quoted] == ["Dmytro Lubinets"]
    assert quoted[0].content == "no date has been agreed for the swap"


def test_a_colon_lead_in_that_names_the_words_names_no_speaker(analyse):
    # "the caveat" is what was said, not who said it: the quotation is the last speaker's
    text = (
        "President Volodymyr Zelensky said on Tuesday that Kyiv was ready to accept a neutral "
        'status. Then came the caveat: "Ukraine will never recognise any of its occupied land '
        'as Russian."\n\nKremlin spokesman Dmitry Peskov was blunt. His message: "There will '
        'be no talks."'
    )
    got = {s.content: s.speaker for s in analyse(text)}
    assert got["Ukraine will never recognise any of its occupied land as Russian"] == (
        "Volodymyr Zelensky"
    )
    assert got["There will be no talks"] == "Dmitry Peskov"  # his message is his
    # a lead-in that names anyone is theirs, not the last speaker's
    for lead, owner in [
        ("The Kremlin answer was swift:", "Kremlin"),
        ("The reply from Lavrov was curt:", "Lavrov"),
    ]:
        text = f'Volodymyr Zelensky demanded a truce on Monday. {lead} "There will be no truce."'
        [answer] = [s for s in analyse(text) if s.content == "There will be no truce"]
        assert owner in (answer.speaker or ""), lead


def test_a_label_before_the_speaker_is_not_the_speaker(analyse):
    # thread copy puts a topic before the sentence: the parse takes it for a second subject
    text = (
        "4/ Energy: last week Putin agreed to pause strikes on the power grid until 1 February.\n\n"
        "5/ Reminder: back in May, Duma speaker Vyacheslav Volodin said the captured fighters "
        '"should not be exchanged."'
    )
    got = {s.cue: s.speaker for s in analyse(text)}
    assert got["agreed"] == "Vladimir Putin"
    assert got["said"] == "Vyacheslav Volodin"


def test_when_a_body_spoke_is_no_part_of_its_name(analyse):
    text = "5/ Russian MoD tonight confirms it handed over the servicemen."
    [stmt] = analyse(text)
    assert stmt.speaker == "Russian Defence Ministry"
    assert [text[slice(*s)] for s in stmt.offsets.source] == ["Russian MoD"]


@pytest.mark.parametrize(
    "text",
    [
        "That said, the Kremlin has not ruled out a meeting in Istanbul.",
        "That being said, Moscow keeps its troops near Kharkiv.",
        "Having said that, the talks in Riyadh went on for a second day.",
        "Moscow called off the exchange on Friday.",
    ],
)
def test_a_writers_turn_of_phrase_is_nobodys_statement(analyse, text):
    stmts = analyse(text)
    assert not [s for s in stmts if s.cue in ("said", "called off", "called")]
    assert not [s for s in stmts if s.content in ("That said", "That being said")]


def test_that_said_is_nobody_even_where_tagged(analyse):
    text = "That said, the Kremlin has not ruled out a meeting between Putin and Zelensky."
    assert all(s.speaker_mention != "That" for s in analyse(text))


def test_a_particle_stops_only_call(analyser):
    from redline.extract import statements_from
    from redline.models import Doc

    # the rules alone: the parse takes "off" for a particle of "said" (the tagger finds it
    # either way)
    text = "Putin said off camera that the talks with Witkoff were pointless."
    rules = statements_from(Doc(source="t", text=text), analyser.extractor.nlp(text))
    assert [s.speaker_name for s in rules] == ["Putin"]


def test_a_clause_before_the_speaker_is_not_what_a_verb_with_its_own_object_says(analyse):
    text = (
        "Speaking in Bishkek on Thursday, Vladimir Putin said the draft could form the basis of "
        'a settlement, but repeated a warning: "If Ukrainian troops leave, the fighting will stop."'
    )
    stmts = analyse(text)
    assert not [s for s in stmts if s.content.startswith("Speaking in Bishkek")]
    assert any(s.content.startswith("If Ukrainian troops leave") for s in stmts)


@pytest.mark.parametrize(
    ("text", "mention", "speaker"),
    [
        # a name inside a quotation is the antecedent only where there is no other
        (
            '"Foreign Minister Andrii Sybiha held talks with his Turkish counterpart in Ankara," '
            "the ministry said in a statement. He said the talks had focused on prisoner "
            "exchanges.",
            "He",
            "Andrii Sybiha",
        ),
        # the one who reports, not the one reported, is the next "he"
        (
            "Yuri Ushakov, Putin's foreign policy aide, said the Russian president had told "
            'Scholz that any deal must reflect "the new territorial realities". He said Putin '
            "had also complained about Berlin's policy.",
            "He",
            "Yuri Ushakov",
        ),
        # a subject in what someone was reported to say is no subject of the story
        (
            "Donald Trump has travelled further since. On August 18 Trump told reporters that "
            'Zelensky is "the legitimate president". On September 23, after meeting him at the '
            "UN, he wrote that Ukraine could take back all of its land.",
            "he",
            "Donald Trump",
        ),
        # but where the story has no speaker or subject of its own for "he", a reported one is
        # still the antecedent, before any name at all; a news agency is no "he"
        (
            "Maria Zakharova said Sergei Lavrov would meet Marco Rubio in Geneva next week. "
            "He said on Friday that the talks would focus on embassies.",
            "He",
            "Sergey Lavrov",
        ),
        (
            "Reuters reported that Vladimir Putin had signed the decree. He said the decision "
            "was final.",
            "He",
            "Vladimir Putin",
        ),
        # an age names again the person just spoken of
        (
            "Recep Tayyip Erdogan hosted both delegations in Istanbul on Friday.\n\n"
            "The 71-year-old said Turkey was ready to host a leaders' meeting within weeks.",
            "The 71-year-old",
            "Recep Tayyip Erdoğan",
        ),
        # an age the text gave someone before is theirs
        (
            "Moscow freed Ksenia Karelina, a 33-year-old dual national, in a prisoner swap, "
            "Sergey Lavrov said on Friday. The 33-year-old said she was grateful to Washington.",
            "The 33-year-old",
            "Ksenia Karelina",
        ),
    ],
)
def test_who_a_later_mention_is(analyse, text, mention, speaker):
    [stmt] = [s for s in analyse(text) if s.speaker_mention == mention]
    assert stmt.speaker == speaker


def test_an_age_given_to_a_unit_is_no_persons(analyse):
    text = (
        "The swap freed a soldier from the Azov Brigade, a 33-year-old sniper. Dmitry Peskov "
        "said the swap went well. The 33-year-old said he wanted to go home."
    )
    [stmt] = [s for s in analyse(text) if s.speaker_mention == "The 33-year-old"]
    assert "Azov" not in (stmt.speaker or "")


def test_it_is_the_body_that_spoke_not_the_next_he(analyse):
    text = (
        "The Russian Foreign Ministry said on Monday that the talks were over. It warned that "
        "Moscow would answer any new sanctions.\n\n"
        "Kremlin spokesman Dmitry Peskov spoke later. He said the door stayed open."
    )
    stmts = analyse(text)
    [it] = [s for s in stmts if s.speaker_mention == "It"]
    assert it.speaker == "Russian Foreign Ministry"
    [he] = [s for s in stmts if s.speaker_mention == "He"]
    assert he.speaker == "Dmitry Peskov"


def test_it_takes_the_country_of_the_body_that_spoke(analyse):
    text = (
        "Russia's Defence Ministry said on Monday that its forces had hit a depot. "
        "It added that Moscow was ready for a ceasefire."
    )
    [said, added] = analyse(text)
    assert said.speaker == added.speaker == "Russian Defence Ministry"


def test_a_colon_lead_in_is_not_what_the_trailing_cue_says(analyser):
    from redline.extract import statements_from
    from redline.models import Doc

    text = 'The Kremlin was blunt: "There will be no talks," Peskov said.'
    # the rules alone (the tagger draws this one right by itself)
    stmts = statements_from(Doc(source="t", text=text), analyser.extractor.nlp(text))
    assert [s.content for s in stmts if s.cue == "said"] == ["There will be no talks"]


ASKED_TEXT = (
    "MOSCOW, May 3 -- Asked whether Moscow still regarded Zelensky as a counterpart, Kremlin "
    "spokesman Dmitry Peskov said the question of his legitimacy remained open.\n\n"
    "Asked about the talks, Peskov said nothing had been agreed. Asked whether Europe and "
    'Washington were drifting apart, Kaja Kallas answered: "There is no split between us."\n\n'
    "Asked whether Kyiv would agree to withdraw from Donbas, Volodymyr Zelensky said the idea "
    'was absurd. Asked whether Ukraine would give up Crimea, he said: "No."\n\n'
    "Peskov, asked whether talks would resume, said the Kremlin was ready. Andrii Sybiha was "
    "asked about the exchange and said it would go ahead. Sergey Lavrov asked whether the West "
    "had weighed the consequences."
)


@pytest.mark.parametrize(
    "text",
    [
        "Peskov, asked to comment on the report, declined.",
        "Kremlin spokesman Dmitry Peskov, asked about the plan, declined to comment.",
        "Zelensky, asked whether he would meet Putin, refused to answer.",
    ],
)
def test_a_question_declined_is_not_the_speakers_statement(analyse, text):
    assert not [s for s in analyse(text) if s.cue.lower().startswith("asked")]


@pytest.mark.parametrize(
    "text, speaker",
    [
        (
            "If the Kremlin thinks sanctions will be lifted soon, it is wrong, Kallas said.",
            "Kallas",
        ),
        ("Unless Washington says otherwise, the talks will go ahead, Peskov said.", "Peskov"),
        (
            "If Russia says it wants peace, it should stop bombing cities, Sybiha told reporters.",
            "Sybiha",
        ),
        (
            "Those who claim Kyiv is blocking peace are repeating propaganda, Sybiha said.",
            "Sybiha",
        ),
    ],
)
def test_what_a_condition_supposes_someone_says_is_nobodys_statement(analyse, text, speaker):
    said = analyse(text)
    assert [s.speaker_mention for s in said] == [speaker]
    assert said[0].content.startswith(("If", "Unless", "Those"))


def test_a_verb_after_a_condition_closed_by_a_comma_is_the_main_speakers(analyse):
    text = (
        'On Wednesday Trump warned of "very severe consequences" if Putin would not stop the '
        'war, and told reporters that a ceasefire "has to be the first thing we get."'
    )
    said = {s.cue: s.speaker for s in analyse(text)}
    assert said["told"] == "Donald Trump"
    # without the comma, what the condition supposes Kyiv does is nobody's statement
    text = "Peskov said talks could resume if Kyiv agreed to the terms and said so publicly."
    assert [s.speaker for s in analyse(text)] == ["Dmitry Peskov"]


def test_the_answer_the_parse_hangs_on_the_question_is_the_speakers(analyser):
    from redline.extract import statements_from
    from redline.models import Doc

    text = "Peskov, asked about the talks, said they would continue next week."
    # the rules alone: the parse makes "asked" the root and "said" its conjunct
    rules = statements_from(Doc(source="t", text=text), analyser.extractor.nlp(text))
    assert [(s.speaker_name, s.cue) for s in rules] == [("Peskov", "said")]


def test_the_question_put_to_a_speaker_is_not_their_statement(analyse, analyser):
    from redline.extract import statements_from
    from redline.models import Doc

    said = [(s.speaker, s.cue, s.content) for s in analyse(ASKED_TEXT)]
    assert [cue for _, cue, _ in said] == [
        *("said", "said", "answered:", "said", "said:", "said", "said"),
        "asked",  # a question the speaker asks is theirs
    ]
    assert said[0][0] == "Dmitry Peskov" and said[1][2] == "nothing had been agreed"
    # neither the verbs inside a question nor the question itself are what was said
    assert said[3][2] == "the idea was absurd" and said[4][2] == "No"
    # the rules alone, without the tagger
    rules = statements_from(Doc(source="t", text=ASKED_TEXT), analyser.extractor.nlp(ASKED_TEXT))
    assert [s.speaker_mention for s in rules if s.cue.lower().startswith("asked")] == [
        "Sergey Lavrov"
    ]


@pytest.mark.parametrize(
    ("text", "cues"),
    [
        # a speaker's own question, however set off, stays theirs
        (
            "Zelensky, visibly angry, asked why the West had waited so long, saying Ukraine "
            "had paid in blood.",
            ["asked", "saying"],
        ),
        (
            "Zelensky, speaking in Kyiv, asked whether Europe was ready to act, and said "
            "Ukraine would not wait.",
            ["asked", "said"],
        ),
        # doubted, not asked; and the doubter's own clause is his
        (
            "Lavrov's figures were questioned by Dmytro Kuleba, who said the toll was far higher.",
            ["were questioned", "said"],
        ),
    ],
)
def test_a_speakers_own_question_is_theirs(analyse, text: str, cues: list[str]) -> None:
    assert [s.cue for s in analyse(text)] == cues


def test_he_after_a_question_is_the_one_asked(analyse):
    text = (
        "Antony Blinken said Russia was using its seat to shield its own aggression.\n\n"
        "Outside the chamber, Nebenzia was asked about the retort. He said the chair had "
        "broken the rules of the council."
    )
    [blinken, he] = analyse(text)
    assert blinken.speaker == "Antony Blinken"
    # the parser takes "Nebenzia" for a place; the registry knows him for a person
    assert he.speaker_mention == "He" and he.speaker == "Vassily Nebenzia"


def test_a_body_keeps_the_words_of_its_name(analyse):
    text = (
        "The Foreign Ministry said in a statement that the guarantees were withdrawn.\n\n"
        "A Chinese Foreign Ministry statement said Beijing was ready to take part."
    )
    names = [s.speaker_name for s in analyse(text)]
    assert names == ["Foreign Ministry", "Chinese Foreign Ministry"]


def test_a_body_named_with_of_keeps_its_country(analyse):
    # the parser's entity stops at "of the"; the country after it is the body's
    text = (
        "The Foreign Ministry of the PRC said on Monday that the parties should resume "
        "direct dialogue. It added that China supported every effort for peace."
    )
    [said, added] = analyse(text)
    assert said.speaker_name == "Foreign Ministry of the PRC"
    assert said.speaker == added.speaker == "Chinese Foreign Ministry"
    assert added.side == "china"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a registry description with no name in the text
        ("Russia's top diplomat said the talks in Riyadh had been useful.", "Sergey Lavrov"),
        # a request not to be named as something is a statement, not a source's terms
        ("Lukashenko asked not to be named as a co-aggressor in the UN resolution.", "Alexander Lukashenko"),
        # a named speaker's place stays in their name
        ("The Russian embassy in London said the report was false.", "The Russian embassy in London"),
        # a person's words speak for them; a person's aide does not
        ('[08:14] Putin\'s offer, in his own words: "Once Kyiv withdraws, we will stop firing."', "Vladimir Putin"),
        ("Zelensky's chief of staff said the talks in Geneva were over.", "Andriy Yermak"),
    ],
)  # fmt: skip
def test_the_one_speaker_of_a_sentence(analyse, text, speaker):
    [stmt] = analyse(text)
    assert stmt.speaker == speaker


def test_according_to_and_nested_reporting(analyse):
    text = (
        "According to the Institute for the Study of War, Kremlin officials are preparing a new offensive.\n\n"
        "ISW reported that Lavrov stated the four regions were not up for discussion."
    )
    stmts = analyse(text)
    lavrov = one(stmts, "Lavrov")
    assert lavrov.reported_by == "Institute for the Study of War"
    assert "four regions" in lavrov.content
    isw = [s for s in stmts if s.speaker == "Institute for the Study of War"]
    assert isw and "preparing a new offensive" in isw[0].content
    assert not any(s.content.startswith("that Lavrov") for s in stmts), "a pure relay is dropped"


@pytest.mark.parametrize("idiom", ["according to plan", "according to schedule"])
def test_according_to_a_bare_noun_is_a_manner_not_a_source(analyse, idiom):
    stmts = analyse(
        "Kremlin spokesman Dmitry Peskov on Tuesday dismissed the report, claiming that the "
        f"offensive was proceeding {idiom}."
    )
    claimed = [s for s in stmts if "offensive was proceeding" in s.content]
    assert claimed and all(s.speaker == "Dmitry Peskov" for s in claimed), [
        (s.speaker, s.content) for s in stmts
    ]


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # a relative pronoun speaks only in its own clause
        (
            "Speaker Mike Johnson, who for months refused to bring the Senate package to the "
            "floor, defended the turnaround on Saturday.",
            {"Mike Johnson"},
        ),
        (
            "The decision came in step with the United States, which announced its own tank "
            "deliveries hours later.",
            {"United States"},
        ),
        # a day, an expletive "it" or a bare "That" is no one
        (
            "The delegations left Gomel in the evening. No date for a second round had been "
            "announced by late Tuesday.",
            set(),
        ),
        (
            "Three days after the summit, it is still not clear what, if anything, the two "
            "leaders agreed to.",
            set(),
        ),
        # "remarks", parsed as a verb with the month its subject: whose remarks they are
        (
            "Emmanuel Macron, asked on Sunday whether his February remarks about Western "
            'soldiers still stood, was categorical: "Sending French soldiers is not on the '
            'table."',
            {"Emmanuel Macron"},
        ),
    ],
)
def test_no_statement_goes_to_a_word_that_names_no_one(analyse, text, speakers):
    stmts = analyse(text)
    assert {s.speaker for s in stmts} <= speakers | {None}, [(s.speaker, s.content) for s in stmts]
    assert speakers <= {s.speaker for s in stmts}


def test_a_body_written_in_lower_case_keeps_its_name_and_side(analyse):
    stmts = analyse(
        "The Russian transport ministry said on Friday that flights to Ankara would resume. "
        "It added that the schedule would be published next week."
    )
    assert [(s.speaker, s.side) for s in stmts] == [("Russian transport ministry", "russia")] * 2
    [stmt] = analyse("Ukraine's southern military command said the strike had hit the port.")
    assert (stmt.speaker, stmt.side) == ("Ukraine's southern military command", "ukraine")


@pytest.mark.parametrize(
    ("text", "speaker", "side"),
    [
        (
            "Zelensky met Orban in Kyiv on Tuesday. His office said the talks had covered energy.",
            "Office of the President of Ukraine",
            "ukraine",
        ),
        (
            "Erdogan spoke to Putin by phone on Friday. His office said Turkey was ready to host talks.",
            "Erdogan's office",
            "turkey",
        ),
    ],
)
def test_his_office_is_the_office_of_the_one_he_is(analyse, text, speaker, side):
    [stmt] = [s for s in analyse(text) if s.speaker_mention == "His office"]
    assert (stmt.speaker, stmt.side) == (speaker, side)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a parenthetical "he" is not the one its clause is about
        (
            "Kremlin spokesman Dmitry Peskov said on Monday that no new text had arrived. "
            'Putin, he said, "has never questioned" the right of Kyiv to sign.',
            "Dmitry Peskov",
        ),
        # nor the subject of a "with" clause
        (
            'On Sunday Trump said of the request: "They should have them." Five days later, '
            'with Volodymyr Zelensky seated beside him, he sounded different: "We need them '
            'at home."',
            "Donald Trump",
        ),
        # a person the parser made a sentence's root is still its subject
        (
            'Rep. Michael McCaul said on Tuesday that the votes existed. "It passes," McCaul said.'
            "\n\nFormer President Donald Trump, whose hold on House Republicans has only "
            "tightened since the Iowa caucuses, "
            'weighed in over the weekend. "It\'s over," he told a rally on Saturday.',
            "Donald Trump",
        ),
        # a person the tagger found no entity in, whom the registry knows
        (
            "Foreign Minister Andrii Sybiha said on Monday that Kyiv would accept a mediator."
            "\n\nDefence Minister Rustem Umerov struck a different note on Thursday. "
            '"Strikes on the refineries will continue," he told reporters in Kyiv.',
            "Rustem Umerov",
        ),
    ],
)
def test_who_the_last_he_is(analyse, text, speaker):
    stmts = [s for s in analyse(text) if s.speaker_mention == "he"]
    assert stmts and stmts[-1].speaker == speaker, [(s.speaker, s.content) for s in stmts]


def test_a_he_after_a_surname_carries_the_day_of_the_full_name(analyse):
    text = (
        "WASHINGTON - President Donald Trump on Wednesday threatened Russia with new tariffs "
        "unless Vladimir Putin agrees to end the war.\n\n"
        '"If we don\'t make a deal, and soon, I have no other choice," Trump wrote online.\n\n'
        '"We can do it the easy way, or the hard way," he added.\n\n'
        'The Kremlin shrugged. "We see nothing new here," Dmitry Peskov told reporters.'
    )
    [added] = [s for s in analyse(text, published=date(2025, 1, 23)) if s.cue == "added"]
    assert (added.speaker, added.said_on) == ("Donald Trump", date(2025, 1, 22))


def test_a_description_is_the_storys_subject_before_a_person_merely_mentioned(analyse):
    text = (
        "Donald Trump called off the Budapest meeting on Tuesday, saying he did not want a "
        "wasted meeting. Only six days earlier, after a long phone call with Vladimir Putin, "
        "the president had announced that the two leaders would meet within two weeks."
    )
    [announced] = [
        s for s in analyse(text, published=date(2025, 10, 23)) if s.cue == "had announced"
    ]
    assert announced.speaker == "Donald Trump"


def test_the_official_is_the_unnamed_official_before(analyse):
    stmts = analyse(
        "A senior US official, who asked not to be named, said the talks would resume on "
        "Monday. The official added that no date had been set for a summit."
    )
    assert [(s.speaker, s.side) for s in stmts] == [("A senior US official", "us")] * 2


def test_the_diplomat_is_the_unnamed_diplomat_before_a_relative_clause_and_a_city(analyse):
    stmts = analyse(
        "A senior European diplomat in Kyiv, who asked not to be named, said capitals were "
        "uneasy about the plan. The diplomat added that Europe would not sign it."
    )
    assert [(s.speaker, s.side) for s in stmts] == [("A senior European diplomat", "eu")] * 2


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # where an unnamed source was is not whose they are
        ("A senior diplomat in Kyiv, who asked not to be named, said the talks had stalled.", "unknown"),
        ("A senior European diplomat in Kyiv, who asked not to be named, said the talks had stalled.", "eu"),
        ("A Russian official in Geneva said the talks had stalled.", "russia"),
        # a named group keeps its place
        ("Officials in Kyiv said the talks had stalled.", "ukraine"),
        # European officials are the EU's; a name or a body with the word in it is not
        ("European officials said the package was ready.", "eu"),
        ("European Solidarity lawmaker Oleksiy Goncharenko said the vote could not be held.", "unknown"),
        ("Gustav Gressel of the European Council on Foreign Relations said the push would stall.", "analyst"),
    ],
)  # fmt: skip
def test_a_sources_side_is_whose_they_are(analyse, text, side):
    [stmt] = analyse(text)
    assert stmt.side == side


@pytest.mark.parametrize(
    ("text", "speaker", "side"),
    [
        # a subject who fits none of the description's words is not it
        (
            "Sergei Lavrov arrived in Ankara on Tuesday for talks with Turkish officials. "
            "The Russian leader said Moscow was ready for a ceasefire.",
            "Vladimir Putin",
            "russia",
        ),
        # a description of any office held that day
        (
            "Rustem Umerov led the Ukrainian delegation at the talks in Istanbul on Friday. "
            "Afterwards, the defence minister said Kyiv was ready for a full ceasefire.",
            "Rustem Umerov",
            "ukraine",
        ),
        # a person's team is theirs
        ("Putin's team said the summit would take place in Budapest.", "Putin's team", "russia"),
        # a cleft puts the speaker first
        ("It was Peskov that first said the summit would take place in Budapest.", "Dmitry Peskov", "russia"),
    ],
)  # fmt: skip
def test_who_the_speaker_is_and_their_side(analyse, text, speaker, side):
    stmt = analyse(text, published=date(2025, 5, 20))[-1]
    assert (stmt.speaker, stmt.side) == (speaker, side)


def test_a_caption_is_no_subject_for_a_later_he(analyse):
    stmts = analyse(
        "Dmitry Peskov told reporters on Tuesday that Moscow was ready for talks.\n\n"
        "Vladimir Putin at a meeting of the Security Council in the Kremlin, where officials "
        "discussed the talks.\n\nHe added that no date had been set."
    )
    [added] = [s for s in stmts if s.cue == "added"]
    assert added.speaker == "Dmitry Peskov"


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # "head of ..." before the name, which the parser hangs on the clause before
        (
            "The talks will resume next week in Istanbul, the head of the Russian delegation "
            "Vladimir Medinsky told reporters.",
            "Vladimir Medinsky",
            "The talks will resume next week in Istanbul",
        ),
        (
            "Ukraine on Tuesday accepted a US proposal for an immediate ceasefire, head of the "
            "Presidential Office Andriy Yermak said.",
            "Andriy Yermak",
            "a US proposal for an immediate ceasefire",
        ),
    ],
)
def test_a_trailing_speakers_title_is_not_what_they_said(analyse, text, speaker, content):
    stmts = analyse(text)
    assert stmts and {s.speaker for s in stmts} == {speaker}
    assert content in [s.content for s in stmts]
    assert not any("head of the" in s.content for s in stmts)


def test_a_subject_parsed_as_an_apposition_of_a_place_still_speaks(analyse):
    # the parser hangs "the head of the Kyiv regime" on "in Kyiv" and leaves "told" no subject
    stmts = analyse(
        "Earlier, in Kyiv, the head of the Kyiv regime told the same African delegation on "
        "Friday that any talks would be possible only after Russian troops leave what he "
        "called Ukrainian land.",
        published=date(2023, 6, 19),
    )
    [told] = [s for s in stmts if s.cue == "told"]
    assert (told.speaker, told.speaker_mention) == (
        "Volodymyr Zelensky",
        "the head of the Kyiv regime",
    )


def test_saying_what_one_believes_is_two_statements(analyse):
    stmts = analyse(
        "Kremlin spokesman Dmitry Peskov said he believed the talks would resume in May."
    )
    said = [s for s in stmts if s.cue == "said"]
    believed = [s for s in stmts if s.cue == "believed"]
    assert said and said[0].content.startswith("he believed the talks")
    assert said[0].speaker_mention.endswith("Dmitry Peskov")
    assert believed and believed[0].content == "the talks would resume in May"
    assert {s.speaker for s in said + believed} == {"Dmitry Peskov"}


def test_mixed_quote_and_venue(analyse):
    text = 'Peskov told the Izvestia newspaper on 3 April that the proposal was "a dead end" for Moscow.'
    [stmt] = analyse(text)
    assert stmt.quote == "mixed"
    assert stmt.said_on == date(2025, 4, 3)
    assert stmt.stance == "reject"


def test_relative_dates_resolve_against_publication(analyse):
    stmts = analyse(
        "Zelensky said yesterday that Ukraine wanted a full exchange of prisoners.",
        published=date(2025, 6, 3),
    )
    assert stmts[0].said_on == date(2025, 6, 2)
    undated = analyse(
        "Zelensky said on Friday that Ukraine wanted a full exchange of prisoners.", published=None
    )
    assert undated[0].said_on is None, "no publication date: no guessed date"


def test_trailing_attribution_gets_the_clause_before_it(analyse):
    text = "Russian troops have massed near Pokrovsk for a new push, the Institute for the Study of War reported on Monday."
    [stmt] = analyse(text)
    assert "massed near Pokrovsk" in stmt.content
    assert stmt.speaker == "Institute for the Study of War" and stmt.said_on == date(2025, 4, 7)
    assert stmt.cue == "reported"


def test_quotation_marks_unbalanced_never_crash():
    assert find_quotations('He said "this never closes\n\nand neither does “this') == []
    qs = find_quotations("“One,\n\n“two,” he said.")
    assert len(qs) == 1 and len(qs[0].pieces) == 2


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.sampled_from(list('ab said Lavrov "“”.,:\n')), max_size=200))
def test_any_text_gives_offsets_inside_it(analyse, text):
    for stmt in analyse(text):
        for spans in (stmt.offsets.source, stmt.offsets.cue, stmt.offsets.content):
            for start, end in spans:
                assert 0 <= start <= end <= len(text)


def test_description_resolves_by_the_registry_role_on_the_day(analyse):
    text = (
        "Olaf Scholz and Volodymyr Zelensky met in Berlin on Sunday. "
        '"We will stand with Ukraine for as long as it takes," the chancellor said.'
    )
    stmts = analyse(text, published=date(2023, 5, 15))
    assert [s.speaker for s in stmts] == ["Olaf Scholz"]


def test_possessive_description_is_not_the_possessor(analyse):
    text = (
        "Andriy Yermak met Volodymyr Zelensky on Monday. Zelensky's chief of staff said the "
        "talks would resume in Geneva next week."
    )
    stmts = analyse(text, published=date(2023, 5, 15))
    assert stmts and stmts[-1].speaker == "Andriy Yermak"


def test_trailing_dash_attribution(analyse):
    text = (
        "Dmitry Peskov spoke to reporters on Tuesday.\n\n"
        '"No talks with Kyiv are planned for this week" — the Kremlin spokesman.\n\n'
        '"It is a fine day for a walk in the park" - a well-known saying.'
    )
    stmts = analyse(text)
    assert [(s.speaker, s.speaker_mention) for s in stmts] == [
        ("Dmitry Peskov", "the Kremlin spokesman")
    ]
    assert stmts[0].content == "No talks with Kyiv are planned for this week"


def test_a_quotation_signed_with_a_horizontal_bar(analyse):
    text = (
        "Readers in Odesa wrote to us about the grain deal.\n\n"
        '"The ships must keep sailing, or the whole region goes hungry." ― Olha Marchenko\n\n'
        '"Nobody here trusts a promise from Moscow." ― Taras Hnatiuk'
    )
    stmts = [s for s in analyse(text) if s.cue == "―" or "―" in s.speaker_mention]
    assert [(s.speaker_mention, s.cue) for s in stmts] == [
        ("Olha Marchenko", "―"),
        ("Taras Hnatiuk", "―"),
    ]
    assert stmts[1].content == "Nobody here trusts a promise from Moscow"


def test_a_transcripts_turns_run_to_the_end_of_their_paragraphs(analyse):
    text = (
        "The foreign ministry published the transcript of the minister's news conference.\n\n"
        "Question: Will direct flights to the United States resume?\n\n"
        "Sergey Lavrov: We proposed this long ago. Aeroflot must be allowed to fly again.\n\n"
        "Question: And the borders of 1991?\n\n"
        "LAVROV: That is impossible. Everyone understands it.\n\n"
        "QUESTION: And the talks?\n\n"
        "LAVROV: They will go on. Dmitry Peskov said on Monday that a date was set."
    )
    stmts = analyse(text)
    turns = [(s.speaker, s.cue, s.content) for s in stmts if s.cue == ":"]
    assert turns == [
        ("Sergey Lavrov", ":", "We proposed this long ago. Aeroflot must be allowed to fly again"),
        ("Sergey Lavrov", ":", "That is impossible. Everyone understands it"),
        ("Sergey Lavrov", ":", "They will go on"),  # up to the next attribution
    ]
    assert not any(s.speaker_mention.lower().startswith("question") for s in stmts)
    # a colon inside a turn is no other speaker's label
    [turn] = [
        s
        for s in analyse(
            "Sergey Lavrov: Talks need two conditions: a truce and a venue. That is all."
        )
        if s.cue == ":"
    ]
    assert turn.content.startswith("Talks need two conditions: a truce and a venue")
    peskov = next(s for s in stmts if s.speaker == "Dmitry Peskov")
    assert peskov.reported_by is None


def test_a_line_in_capitals_alone_is_no_transcript(analyse):
    text = (
        "KYIV: Ukraine's air force shot down 40 drones overnight, the military said.\n\n"
        "ANALYSIS: The talks will not resume before the spring."
    )
    assert not any(s.cue == ":" for s in analyse(text))
    # an acronym is still a body's name: a digest's "NATO: ..."
    text = "Zelensky on video: Ukraine is applying to join.\n\nNATO: any decision on it is for all allies."
    assert "NATO" in {s.speaker_mention for s in analyse(text) if s.cue == ":"}


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # one word, so "in" is no preposition taking the name as its object
        (
            "Ukrainian Commander-in-Chief Oleksandr Syrskyi stated on Tuesday that the line held.",
            "Oleksandr Syrskyi",
        ),
        # the name after the body a title serves is the title holder's
        (
            "Commander-in-Chief of the Ukrainian Armed Forces Valerii Zaluzhnyi wrote that the "
            "war had reached a stalemate.",
            "Valerii Zaluzhnyi",
        ),
        # a name after a title or a preposition is another person's
        ("An aide to President Vladimir Putin said the talks were over.", None),
        ("A spokesman for Vladimir Putin said the talks were over.", None),
        # and so is one after a title served ("a spokesman for the Commander-in-Chief ...")
        (
            "A spokesman for the Commander-in-Chief of the Armed Forces of Ukraine Oleksandr "
            "Syrskyi said the line held.",
            None,
        ),
        (
            "An aide to the head of the Office of the President of Ukraine Andriy Yermak said "
            "talks would resume.",
            None,
        ),
        # a surname the model tags as a place is still the registry's person
        ("Russia's veteran diplomat, Nebenzia, said Moscow was ready for talks.", "Nebenzia"),
    ],
)
def test_a_title_of_several_words_before_the_name(analyse, text, speaker):
    [stmt] = analyse(text)
    assert stmt.speaker_name == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # who the label is about does not speak; who it is from does
        (
            "1/ Kremlin on Zelensky's offer: there is no basis for a meeting at this stage.",
            "Kremlin",
        ),
        (
            '7/ Kremlin line, from Dmitry Peskov: the head of state "has no plans to travel".',
            "Dmitry Peskov",
        ),
        # a name in what the label introduces is not the label's, however it is parsed
        (
            '8/ A regular swap did happen today. Russian MoD: 205 servicemen "returned from '
            'territory controlled by the Kyiv regime."',
            "Russian Defence Ministry",
        ),
    ],
)
def test_a_digest_label_speaker(analyse, text, speaker):
    [stmt] = [s for s in analyse(text) if s.cue == ":"]
    assert stmt.speaker == speaker


@pytest.mark.parametrize(
    ("text", "said", "speaker"),
    [
        # a subject inside a relative clause is no antecedent for the next "he"
        (
            "Lavrov, who entered the chamber after Zelensky had left, dismissed the peace formula "
            "as an ultimatum. He said Moscow was ready for negotiations.",
            "ready for negotiations",
            "Sergey Lavrov",
        ),
        # a subject the parser hung on a preposition ("On Friday Orban") still is one
        (
            "In Kyiv on July 2, Orban asked Volodymyr Zelensky to consider a truce. Zelensky made "
            'no public comment. His office said later that Kyiv\'s position "has not changed".\n\n'
            "On Friday Orban flew to Moscow. After about three hours with Vladimir Putin, he told "
            'reporters that "the positions are very far apart".',
            "far apart",
            "Viktor Orbán",
        ),
        # a participle's subject before the verb speaks, not the participle's object
        (
            "Biden announced new security assistance.\n\nHarris, meeting Zelensky separately at "
            'the White House, said proposals for Ukraine to give up territory "are not proposals '
            'for peace, they are proposals for surrender".',
            "surrender",
            "Kamala Harris",
        ),
        # no document is a "he"
        (
            "Vladimir Putin supported the proposal for a pause in strikes, the Kremlin said.\n\n"
            "According to the Kremlin readout, the head of state stressed that the key condition "
            'must be "a complete halt to foreign military assistance". He also pointed out that '
            'the Kyiv regime had "repeatedly sabotaged and broken" agreements in the past.',
            "sabotaged",
            "Vladimir Putin",
        ),
        # a place in a list the parser makes an apposition of "the head of state" is no name
        (
            "MOSCOW, December 16. /Zarya/. Peace will come when Russia achieves its goals, "
            'Vladimir Putin said on Thursday. "There will be peace when we achieve our goals," the '
            "head of state stressed, naming denazification, demilitarisation and a neutral status "
            "for Ukraine.",
            "There will be peace",
            "Vladimir Putin",
        ),
        # a name in apposition to the subject, or owning it, is the sentence's subject
        (
            'Secretary General Mark Rutte said membership was "no longer on the agenda".\n\n'
            "In Brussels on Thursday, the President of the European Council, Antonio Costa, "
            'opened a door. Sanctions, he told reporters, could be "eased step by step".',
            "eased step by step",
            "António Costa",
        ),
        (
            "Kremlin spokesman Dmitry Peskov said Kyiv had turned down every chance to "
            "negotiate.\n\nPrigozhin's own record of inconsistency predates the mutiny. On May 5, "
            "he announced that Wagner would leave Bakhmut.",
            "leave Bakhmut",
            "Yevgeny Prigozhin",
        ),
        # "the diplomat" after "a senior European diplomat" is that diplomat, not Sybiha
        (
            "Foreign Minister Andrii Sybiha said on Monday that Ukraine would not cede land. A "
            "senior European diplomat in Kyiv said the talks were stuck. The diplomat added that "
            "the next round was weeks away.",
            "next round",
            "A senior European diplomat",
        ),
        # "he" after an unnamed source is not someone named before it
        (
            "The Ukrainian president said on Monday that Ukraine would not cede land. A senior "
            "European diplomat said the talks were stuck. He said sanctions would be tightened.",
            "sanctions would be tightened",
            "He",
        ),
        # a name after a colon that its own verb says speaks is the speaker
        (
            "The speaker of the day: Kaja Kallas, the EU foreign policy chief, said sanctions "
            "would be extended.",
            "sanctions would be extended",
            "Kaja Kallas",
        ),
        # "he" after a description the article's dateline explains is that person
        (
            "MOSCOW, November 3. Russia has returned to the grain deal, the Defence Ministry "
            "said on Wednesday.\n\nThe head of state told a meeting of the Security Council on "
            'Wednesday that Russia "reserves the right" to withdraw again. He said the '
            "guarantees were sufficient for now.",
            "guarantees were sufficient",
            "Vladimir Putin",
        ),
        # a relative pronoun that is the cue's subject is the one the clause is about
        (
            "Hungarian Prime Minister Viktor Orban, who had promised on December 7 that Budapest "
            "would not allow accession talks to open, left the room during the vote.",
            "accession talks",
            "Viktor Orbán",
        ),
        # a title the parser splits from the name that follows it
        (
            '"A ceasefire now would only give Kyiv time to rearm," Russian delegation head '
            "Vladimir Medinsky said on Thursday. His Ukrainian counterpart Rustem Umerov countered "
            'that Kyiv would discuss territorial questions "only after the guns fall silent."',
            "territorial questions",
            "Rustem Umerov",
        ),
        # a known surname the model tags as part of a body keeps its given name
        (
            "Russian Permanent Representative to the UN Vasily Nebenzia told reporters in New "
            "York that IAEA specialists could start work at the plant.",
            "IAEA specialists",
            "Vassily Nebenzia",
        ),
        # an unnamed spokesman or analyst speaks for the body named with them
        (
            "A spokesman for China's foreign ministry said Beijing supported every effort for "
            "peace.",
            "every effort",
            "Chinese Foreign Ministry",
        ),
        (
            "Analysts at the Halden Institute for Conflict Studies, which tracks the war, "
            "cautioned that the first jets were unlikely to arrive before summer.",
            "first jets",
            "Halden Institute for Conflict Studies",
        ),
        # "the Institute", "the ministry": the body of that kind named before, not an
        # earlier "the Institute" or "Ministry spokesman"
        (
            "Eastern Front Monitor, Caspian Institute for Security Studies. The IAEA mission "
            "reached the plant.\n\nThe Institute assesses that Russian forces will use the "
            "plant as a base. The Institute further assesses that the statements are meant to "
            "shape local expectations.",
            "statements are meant",
            "Caspian Institute for Security Studies",
        ),
        (
            "Militants surrendered at the plant, the Russian Defence Ministry said on Tuesday. "
            "Ministry spokesman Igor Konashenkov said the wounded were in hospital.\n\nThe "
            "offensive continues on several axes, the ministry reported.",
            "several axes",
            "Russian Defence Ministry",
        ),
        # a registry name the tagger reads as a word ("trump") is that person, not a
        # description matching whoever has the word among their roles
        (
            "The talks went badly for President Donald Trump, Vice President JD Vance and "
            'Volodymyr Zelensky.\n\nDuring the exchange, Vance accused Zelensky of "arguing for '
            'the cameras". Trump later wrote that Zelensky was welcome to return "once he wants '
            'a deal."',
            "welcome to return",
            "Donald Trump",
        ),
        # a bare document is the one of its kind named before with its issuer
        (
            "1/ Kremlin readout of Tuesday's two-and-a-half-hour call: Putin agreed to a 30-day "
            "mutual halt on strikes against energy infrastructure and ordered the military to "
            "comply.\n\n2/ The catch: a full ceasefire requires a complete halt to foreign "
            "military aid and intelligence sharing for Kyiv, the readout says.",
            "foreign military aid",
            "Kremlin",
        ),
        # "the document" is the document named before, under its own name, and a document
        # is its makers': what a delegation releases is the delegation's, not its head's
        (
            "Vladimir Medinsky, heading the Russian delegation, spoke briefly to reporters. The "
            "memorandum, which the delegation released in the evening, demands that Ukraine "
            "withdraw from four regions. A ceasefire, the document says, would follow only "
            "after the withdrawal.",
            "only after the withdrawal",
            "Russia",
        ),
        (
            "The communique adopted by NATO leaders on Tuesday said Ukraine's future is in the "
            "alliance. Zelensky called the wording absurd.",
            "future is in the alliance",
            "NATO",
        ),
        # a person's office is theirs, not an office of the same kind named before
        (
            "Ukrainian Presidential Office head Andriy Yermak said the talks had been useful. "
            "European Council President Charles Michel's office stated that the EU would "
            "support a global peace summit.",
            "global peace summit",
            "Charles Michel's office",
        ),
        # but not for a person's, nor an office-holder's
        (
            "A spokesman for Zelensky said the talks were over.",
            "talks were over",
            "A spokesman for Zelensky",
        ),
        (
            "A spokeswoman for the German Chancellor said Berlin would help.",
            "Berlin would help",
            "A spokeswoman for the German Chancellor",
        ),
        # a spokesman for a body named before is that body's
        (
            "The Russian Defence Ministry said the strikes hit military targets. A spokesman "
            "for the ministry said the offensive would continue.",
            "offensive would continue",
            "Russian Defence Ministry",
        ),
        # an analyst for a broadcaster is its guest, not its voice
        (
            "A military analyst for CNN said the front was stable.",
            "front was stable",
            "A military analyst for CNN",
        ),
        # the platform a post was put on is not whose it is
        (
            "Writing in a Telegram post on Sunday, Zelensky called for more air defence. The "
            "post said Kyiv needed Patriot systems.",
            "Patriot systems",
            "Volodymyr Zelensky",
        ),
        # a rank is no part of a name
        (
            "Lieutenant General Oleksandr Pivnenko said the border was secure.",
            "border was secure",
            "Oleksandr Pivnenko",
        ),
        # the owner of a person is not the sentence's subject, as the owner of words is
        (
            "Macron met Starmer in Paris on Monday. Putin's top diplomat arrived in Riyadh the "
            "same day. He said Moscow wanted a lasting settlement.",
            "lasting settlement",
            "Emmanuel Macron",
        ),
    ],
)
def test_who_speaks_where_the_parse_misleads(analyse, text, said, speaker):
    assert [s.speaker for s in analyse(text) if said in s.content] == [speaker]


@pytest.mark.parametrize(
    ("text", "speaker", "reported_by"),
    [
        # the one quoted speaks; the one quoting relays, as written where no name resolves
        (
            "The same day Orban was in Beijing, where he met Xi Jinping. Chinese state media "
            'quoted Xi as saying major powers should "create conditions for direct dialogue".',
            "Xi Jinping",
            "Chinese state media",
        ),
        ("Interfax quoted Peskov as saying that the talks were over.", "Dmitry Peskov", "Interfax"),
        ("Peskov was quoted as saying that the talks were over.", "Dmitry Peskov", None),
        # an object pronoun is not its clause's subject, and is the subject's owner
        (
            '"The grain corridor must continue, even without Russia," President Volodymyr '
            "Zelensky's press secretary Serhiy Nykyforov quoted him as saying on Monday.",
            "Volodymyr Zelensky",
            "Serhiy Nykyforov",
        ),
        (
            "Zelensky visited Odesa on Sunday. His press secretary Serhiy Nykyforov quoted him "
            "as saying that the corridor must continue.",
            "Volodymyr Zelensky",
            "Serhiy Nykyforov",
        ),
        (
            "Serhiy Nykyforov spoke on Monday. Zelensky visited Odesa. Nykyforov later quoted "
            "him as saying the corridor must continue.",
            "Volodymyr Zelensky",
            "Serhiy Nykyforov",
        ),
        # a quoting verb whose participle is no cue keeps its statement
        (
            "Interfax quoted a Kremlin source as expressing doubt that the summit would "
            "take place.",
            "Interfax",
            None,
        ),
    ],
)
def test_quoted_as_saying(analyse, text, speaker, reported_by):
    assert [(s.speaker, s.reported_by) for s in analyse(text)] == [(speaker, reported_by)]


@pytest.mark.parametrize(
    "text",
    [
        'Keir Starmer has said British troops would deploy "only once the guns fall silent," '
        "while Defence Secretary John Healey insisted in Kyiv that no British troops will deploy "
        "while the fighting goes on.",
        'Kremlin spokesman Dmitry Peskov said deliveries would mean "a new round of escalation," '
        'whereas Dmitry Medvedev wrote that the missiles "could end badly for everyone."',
        # a parenthetical cue reports its host clause, not the clause coordinated after it
        'The talks, Rubio said, "were productive," but Lavrov said they had achieved nothing.',
    ],
)
def test_a_speaker_set_beside_another_is_their_own(analyse, text):
    # the second speaker's words are not the first's, nor relayed by them
    first, second = analyse(text)
    chars = [{i for s, e in x.offsets.content for i in range(s, e)} for x in (first, second)]
    assert not chars[0] & chars[1]
    assert second.reported_by is None
    assert second.speaker in ("John Healey", "Dmitry Medvedev", "Sergey Lavrov")


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # the "but" before the other speaker goes with them; the host's own "and" stays
        (
            "The talks, Rubio said, were productive and would continue next week, but Lavrov "
            "said they had achieved nothing.",
            ["The talks", "were productive and would continue next week"],
        ),
        # an act the cue reports is not set beside it
        (
            "The talks, Rubio said, were productive, and Putin would accept a ceasefire.",
            ["The talks", "were productive, and Putin would accept a ceasefire"],
        ),
    ],
)
def test_a_parenthetical_cue_reports_its_host_clause(text, content):
    # the rules alone: the tagger's edges would hide a stray conjunction
    [analysed] = Analyser(Settings(tagger=False))(
        [Doc(source="t", text=text, published=date(2025, 6, 1))]
    )
    assert [text[s:e] for s, e in analysed.statements[0].offsets.content] == content


@pytest.mark.parametrize("terms", ["asked not to be named", "declined to be named", "requested anonymity", "agreed to speak on condition of anonymity"])  # fmt: skip
def test_an_unnamed_source_stays_unnamed(analyse, terms):
    # not the foreign minister named before; and the terms of anonymity are no statement
    text = (
        "Foreign Minister Andrii Sybiha said on Monday that Ukraine would not cede land. A "
        f"senior European diplomat in Kyiv, who {terms}, said the talks were stuck."
    )
    got = [s.speaker for s in analyse(text)]
    assert got == ["Andrii Sybiha", "A senior European diplomat"]


def test_a_source_drawn_with_its_preposition_is_the_one_it_names(analyse):
    text = (
        '3/ Russian delegation head Vladimir Medinsky after the talks: Moscow is "satisfied with '
        'the result" and ready to keep the contacts going. Main concrete outcome, per Medinsky: '
        '"a thousand for a thousand, in the coming days."'
    )
    assert {s.speaker for s in analyse(text)} == {"Vladimir Medinsky"}


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # one name is one actor through an article
        (
            "China's foreign ministry said tariffs on its energy trade would be met with "
            "countermeasures. It denied that Chinese purchases were financing the war.",
            "Chinese Foreign Ministry",
        ),
        # the one quoted, not the one quoting, is who the text goes on about
        (
            "Lavrov met Rubio in Riyadh on Tuesday. Interfax quoted Peskov as saying that the "
            "talks were useful. He added that no date had been set for a summit.",
            "Dmitry Peskov",
        ),
    ],
)
def test_one_speaker_through_two_statements(analyse, text, speaker):
    assert [s.speaker for s in analyse(text)] == [speaker] * 2


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("MOSCOW, December 6. /TASR/. Russia will not sell oil.", ["Moscow"]),
        ("SOCHI/MOSCOW. The head of state said so.", ["Sochi", "Moscow"]),
        ("ST. PETERSBURG, June 19. Vladimir Putin said.", ["St. Petersburg"]),
        ("KYIV (Reuters) - The ministry said.", ["Kyiv"]),
        ("NATO: any decision is for all allies.", []),
        ("Key takeaways: the line held.", []),
    ],
)
def test_dateline_places(text, places):
    assert dateline_places(text) == places


def test_a_live_blog_label_is_the_person_it_names_not_their_body(analyse):
    text = (
        "[09:40] Kremlin spokesman Dmitry Peskov, this morning: the plan is a peace initiative, "
        "and Moscow remains open to dialogue.\n\n[11:02] The summit opened at noon."
    )
    [stmt] = [s for s in analyse(text) if s.cue == ":"]
    assert stmt.speaker == "Dmitry Peskov"
    assert stmt.speaker_mention == "Kremlin spokesman Dmitry Peskov"


@pytest.mark.parametrize(
    ("text", "published", "said_on", "said_on_text"),
    [
        # the day in an occasion phrase dates the remark, not the words around it
        (
            "Zelensky, in an evening address on Nov. 26, said Ukraine was being pushed to choose "
            "between its dignity and an ally.",
            date(2025, 11, 28),
            date(2025, 11, 26),
            "Nov. 26",
        ),
        # an undated statement takes a date from its own sentence: inferred, not said of it
        (
            '"Russia will scale back its operations near Kyiv," Vladimir Medinsky told reporters '
            "as the Istanbul round ended on Tuesday.",
            date(2022, 3, 30),
            date(2022, 3, 29),
            None,
        ),
    ],
)
def test_when_a_remark_was_made(analyse, text, published, said_on, said_on_text):
    [stmt] = analyse(text, published=published)
    assert stmt.said_on == said_on
    assert stmt.said_on_text == said_on_text


def test_an_undated_remark_is_of_the_day_its_speaker_was_said_to_act(analyse):
    text = (
        "Vladimir Putin on Friday hosted the leadership of the Foreign Ministry at the Kremlin, "
        "where he set out his terms for a settlement.\n\n"
        '"Every Ukrainian unit has to leave the four regions," the president said.\n\n'
        "Foreign Minister Andrii Sybiha said Kyiv would not discuss such terms."
    )
    by = {s.speaker: s for s in analyse(text, published=date(2024, 6, 15))}
    putin, sybiha = by["Vladimir Putin"], by["Andrii Sybiha"]
    assert putin.said_on == date(2024, 6, 14)
    assert putin.said_on_text is None  # inferred, not said of the remark itself
    assert sybiha.said_on is None  # someone else's act dates nothing of his


def test_a_question_or_exclamation_keeps_the_signature_after_it(analyse):
    # the parser ends a sentence at '?"' and '!"': the signature after it is still this
    # quotation's, not a reason to carry it on from the speaker before
    text = (
        '"We will never accept this," Sergey Lavrov said.\n\n'
        '"Who is going to pay for the damage?" Volodymyr Zelensky said on Monday.\n\n'
        '"This is a disgrace!" Andrii Sybiha said last week.\n\n'
        '"Is that what they call a peace plan?" he asked.'
    )
    got = {s.content: (s.speaker, s.cue) for s in analyse(text)}
    assert got["Who is going to pay for the damage?"] == ("Volodymyr Zelensky", "said")
    assert got["This is a disgrace!"] == ("Andrii Sybiha", "said")
    assert got["Is that what they call a peace plan?"] == ("Andrii Sybiha", "asked")


@pytest.mark.parametrize(
    ("text", "asker"),
    [
        # a colon lead-in names who asks
        (
            'Lavrov was blunt: "Who gave Kyiv the right to shell Donetsk?" Zelensky responded '
            "the next day.",
            "Sergey Lavrov",
        ),
        # a kicker before the colon names nobody: the signature after does
        (
            'Kremlin on Witkoff plan: "Why should we accept this?" Peskov asked.',
            "Dmitry Peskov",
        ),
        ('"Why should we trust them?" Lavrov demanded.', "Sergey Lavrov"),
        # a reaction is no signature: the question goes on from the speaker before
        (
            '"We are ready for a ceasefire along the current line," Volodymyr Zelensky said. '
            '"But who will guarantee that Russia does not attack again?" The Kremlin responded '
            "within hours.",
            "Volodymyr Zelensky",
        ),
    ],
)
def test_who_asks_a_question_with_words_after_it(analyse, text, asker):
    question = [s for s in analyse(text) if s.content.endswith("?")]
    assert [s.speaker for s in question] == [asker]


def test_a_new_statement_after_a_question_is_no_signature(analyse):
    # a cue with a content of its own opens a new statement, not the question's signature
    text = (
        '"We will rebuild every city," Volodymyr Zelensky said on Monday. "Who is going to '
        'pay for the damage?" Sergei Lavrov said on Tuesday that Moscow would pay nothing.'
    )
    stmts = analyse(text)
    question = [s for s in stmts if s.content == "Who is going to pay for the damage?"]
    assert question and "Lavrov" not in (question[0].speaker or "")
    assert "Moscow would pay nothing" in one(stmts, "Lavrov").content


@pytest.mark.parametrize(
    ("text", "source", "mention"),
    [
        # an apposition belongs to the source, not to the speaker's name
        (
            "Olena Marchuk, a spokeswoman for the Ukrainian navy, said on Monday that two "
            "Russian landing ships had left the port of Novorossiysk.",
            "Olena Marchuk, a spokeswoman for the Ukrainian navy",
            "Olena Marchuk",
        ),
        # a relative pronoun is the source, as annotators draw it; the name is who speaks
        (
            "The delegation was led by Andriy Yermak, who said on Monday that Kyiv would not "
            "accept any loss of territory.",
            "who",
            "Andriy Yermak",
        ),
        # a word before the name is not the source
        (
            "Even Hungary said on Monday that the sanctions on Russian banks must stay.",
            "Hungary",
            "Hungary",
        ),
        # a thread's day after the name is not the speaker's
        ('4/ Budanov, Fri: "The border stays shut until spring."', "Budanov", "Budanov"),
    ],
)
def test_the_source_as_drawn_and_the_mention_resolved(analyse, text, source, mention):
    [stmt] = analyse(text)
    [drawn] = stmt.offsets.source
    assert text[slice(*drawn)] == source
    assert stmt.speaker_mention == mention


def test_a_name_with_particles_is_one_name(analyse):
    for text in (
        "European Commission President Ursula von der Leyen said the bloc would keep its "
        "sanctions on Russian banks.",
        "Commission President Ursula von der Leyen told the Parliament that the package "
        "would be ready by Friday.",
    ):
        [stmt] = analyse(text)
        assert stmt.speaker == "Ursula von der Leyen", text
        assert stmt.side == "eu"


def test_the_country_of_a_posting_is_not_part_of_the_name(analyse):
    # the parse hangs the name off "to Germany"; the country must not join it
    text = (
        "Russian Ambassador to Germany Sergei Nechaev claimed that the decision moved the "
        "conflict to a new level of confrontation."
    )
    [stmt] = analyse(text)
    assert stmt.speaker_name == "Sergei Nechaev"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # the parse hangs the name set off by a comma on the description's last place or body
        (
            "Russia's envoy to international organisations in Vienna, Mikhail Ulyanov, said "
            "the station could not be handed back.",
            "Mikhail Ulyanov",
        ),
        (
            "Russia's ambassador to the UN, Vasily Nebenzia, said the vote was a farce.",
            "Vasily Nebenzia",
        ),
        # a capitalised title the parser takes for a name
        (
            "Russia's Permanent Representative to the UN, Vasily Nebenzya, said the vote was "
            "a farce.",
            "Vasily Nebenzya",
        ),
        # places in a list are no name
        ("Ukraine's envoy to Vienna, Berlin and Bern said the vote was a farce.", None),
        # a name after another person described is that person's, not the speaker's
        ("An aide to Russia's president, Vladimir Putin, said the talks were useful.", None),
        ("A Representative of the Secretary-General, Antonio Guterres, said so.", None),
        (
            "A spokesman for the governor of Mykolaiv, Vitaliy Kim, said the talks were useful.",
            None,
        ),
    ],
)
def test_a_name_after_a_description_is_the_speaker(analyse, text, name):
    [stmt] = analyse(text)
    assert stmt.speaker_name == name


def test_where_a_speaker_posts_is_not_part_of_the_speaker(analyse):
    text = (
        "1/ Trump on Truth Social, Wednesday: if there is no deal soon, Russia faces higher "
        "tariffs and new sanctions on everything it sells abroad."
    )
    [stmt] = analyse(text)
    assert stmt.speaker_mention == "Trump"
    assert stmt.speaker == "Donald Trump" and stmt.side == "us"


def test_a_document_speaks_for_whoever_issued_it(analyse):
    stmts = analyse(
        "Peskov said on Tuesday that the Kremlin saw no basis for a truce. The statement "
        "added that Moscow would answer any strike on its territory."
    )
    assert [s.speaker for s in stmts] == ["Dmitry Peskov", "Dmitry Peskov"]
    [stmt] = analyse(
        "Russia's memorandum says Ukraine must hold elections and lift martial law before "
        "any peace treaty is signed."
    )
    assert stmt.speaker_name == "Russia" and stmt.side == "russia"


@pytest.mark.parametrize(
    "text, speaker",
    [
        # a name in the mention, not the speaker before it
        (
            "Peskov said the talks were over. A statement from the Ukrainian Foreign Ministry "
            "said Kyiv was ready to talk.",
            "Ukrainian Foreign Ministry",
        ),
        # the owner's pronoun: his, not hers
        (
            "Zelensky said the front was holding. Kallas said Europe would pay. His post on X "
            "said more drones were coming.",
            "Volodymyr Zelensky",
        ),
        # a paper's name is not a document
        ("The Washington Post reported that the talks had stalled.", "Washington Post"),
    ],
)
def test_whose_document_it_is(analyse, text, speaker):
    assert analyse(text)[-1].speaker == speaker


def test_a_name_the_parse_hangs_on_at_stays_in_the_mention(analyse):
    [stmt] = analyse("Ambassador at Large Rashad Hussain said the vote was a test.")
    assert stmt.speaker_mention.endswith("Rashad Hussain")


def test_a_document_word_in_another_sense_is_not_a_document(analyse):
    stmts = analyse(
        "Peskov said the talks were over. The release of the prisoners showed that Moscow "
        "wanted a deal."
    )
    assert [s.speaker_name for s in stmts] == ["Peskov", None]


def test_a_dateline_is_not_the_speaker(analyse):
    text = (
        "VIENNA, 14 March (Northwind) - The Austrian Foreign Ministry said on Monday that it would "
        "host another round of technical talks on the nuclear plant."
    )
    [stmt] = analyse(text)
    assert "VIENNA" not in stmt.speaker_mention
    assert "Foreign Ministry" in stmt.speaker_mention


def test_a_thread_number_is_not_part_of_the_speaker(analyse):
    text = "3/ Russian MoD says its air defences shot down 40 drones over Belgorod overnight."
    [stmt] = analyse(text)
    assert stmt.speaker_mention.startswith("Russian")


def test_blanking_markers_keeps_offsets():
    text = "KYIV, May 3 (Northwind) - Officials said.\n\n2/ The ministry said.\n\nNATO said no."
    out = blank_markers(text)
    assert len(out) == len(text)
    assert out.split("\n\n")[0].strip() == "Officials said."
    assert out.split("\n\n")[1].strip() == "The ministry said."
    assert out.endswith("NATO said no.")  # a name at a paragraph's start is no dateline
    assert blank_markers("ZELENSKY: We will hold.") == "ZELENSKY: We will hold."
    two = "MOSCOW/RIO DE JANEIRO, Nov 21 (Northwind) - The Kremlin warned on Thursday."
    assert blank_markers(two).strip() == "The Kremlin warned on Thursday."
    assert blank_markers("NATO/EU leaders said no.") == "NATO/EU leaders said no."


def test_another_bodys_spokesman_is_not_the_spokesman_named_before(analyse):
    text = (
        "Kremlin spokesman Dmitry Peskov said on Monday that Moscow was ready for a new round "
        "of talks.\n\nA State Department spokesman said Washington had not been told of any "
        "new round."
    )
    kremlin, state = analyse(text)
    assert kremlin.speaker == "Dmitry Peskov"
    assert state.speaker != "Dmitry Peskov" and state.side == "us"


def test_a_day_later_counts_from_the_last_date_given(analyse):
    text = (
        "On March 3, press secretary Karoline Leavitt said the aid shipments had been paused.\n\n"
        "A day later, Pentagon spokesman Sean Parnell told reporters that the shipments continued."
    )
    first, later = analyse(text, published=date(2025, 4, 24))
    assert first.said_on == date(2025, 3, 3)
    assert later.said_on == date(2025, 3, 4)


def test_a_date_heading_a_paragraph_dates_its_statements(analyse):
    text = (
        "ISTANBUL TALKS - a running thread\n\n"
        "4/ May 16, Istanbul. Talks last under two hours. Umerov told journalists that the "
        "sides had agreed a large exchange of prisoners."
    )
    [stmt] = analyse(text, published=date(2025, 6, 3))
    assert stmt.said_on == date(2025, 5, 16)


def test_a_heading_day_outranks_the_speakers_day_under_another_heading(analyse):
    text = (
        "WEEKLY DIGEST\n\n"
        "Berlin, December 14. Zelensky told reporters Ukraine was ready to set aside NATO "
        "membership for firm guarantees.\n\n"
        "Kyiv, December 9. Zelensky also said he was ready to hold elections within 90 days."
    )
    said = [s.said_on for s in analyse(text, published=date(2026, 1, 5))]
    assert said == [date(2025, 12, 14), date(2025, 12, 9)]


@pytest.mark.parametrize(
    "text",
    [
        "The Kremlin said on Wednesday that Moscow was open to talks with Washington.\n\n"
        "On Monday, Russian forces shelled Kharkiv, killing three people. The Kremlin also "
        "said it would not accept a ceasefire.",
        # a person's dated remark is also an act the text tells of
        "Peskov said on Wednesday that Moscow was open to talks with Washington.\n\n"
        "On Monday, Russian forces shelled Kharkiv, killing three people. Peskov also said "
        "Moscow would not accept a ceasefire.",
        # an abbreviation's full stop does not end a sentence into a heading
        "The Kremlin said on Wednesday that Moscow was open to talks.\n\n"
        "On Nov. 17, Russian forces shelled Kharkiv. The Kremlin also said it would not accept "
        "a ceasefire.",
    ],
)
def test_a_day_opening_a_news_paragraph_is_no_heading(analyse, text):
    said = [s.said_on for s in analyse(text, published=date(2025, 11, 20))]
    assert said == [date(2025, 11, 19), date(2025, 11, 19)]


def test_how_long_with_about_is_no_date():
    assert is_duration("about three hours") and is_duration("for more than five hours")
    assert resolve("about three hours", date(2024, 7, 9)) is None
    assert resolve("two days ago", date(2024, 7, 9)) == date(2024, 7, 7)


@pytest.mark.parametrize(
    ("text", "published", "days"),
    [
        # a date in the remark's own sentence outranks the speaker's earlier one
        (
            "Zelensky, who met Trump in Paris on December 7, has shifted his tone. In a November "
            "29 interview with a British broadcaster he said that ending the war would need "
            '"the territory we control under the NATO umbrella". On Wednesday he went further, '
            'saying Ukrainians "could vote under martial law" once the shooting stopped.',
            date(2024, 12, 13),
            [date(2024, 11, 29), date(2024, 12, 11)],
        ),
        # a dateline dates the copy, not its remarks
        (
            "MOSCOW, November 21 (Zarya). Russia will respond to the missile strikes in kind, "
            "a Foreign Ministry spokeswoman said.",
            date(2024, 11, 21),
            [None],
        ),
        (
            "LONDON/KYIV, May 16 (Zarya). Ukraine will not withdraw from Donbas, Zelensky said.",
            date(2025, 5, 16),
            [None],
        ),
        # a thread's short weekdays, in the post's label and after the verb (Friday copy)
        (
            '2/ Lavrov, Thu: the talks are "going nowhere."\n\n'
            "3/ Budanov said in Kyiv on Wed that the border would stay shut.",
            date(2025, 5, 16),
            [date(2025, 5, 15), date(2025, 5, 14)],
        ),
        # a channel's posts, each stamped: the stamp dates its post, not the speaker's last
        (
            "1. [12.05, 09:10] Sybiha on X: Russia shelled the grid overnight.\n\n"
            '2. [14.05, 18:30] Sybiha at a briefing: "Kyiv has hit no energy site since May 1."',
            date(2025, 5, 16),
            [date(2025, 5, 12), date(2025, 5, 14)],
        ),
        # capitalised words that only look like a day
        ("The Sun, a tabloid, said the minister would resign.", date(2025, 5, 16), [None]),
        ("Sun, who met the envoy in Beijing, said talks were possible.", date(2025, 5, 18), [None]),
        (
            "Lavrov said in an interview on Sun TV that talks were possible.",
            date(2025, 5, 18),
            [None],
        ),
        (
            "The Baltimore Sun, citing officials, said talks would resume.",
            date(2025, 5, 18),
            [None, None],  # and "officials", which it cites,
        ),
        ("2/ Lavrov, Sat: the talks are going nowhere.", date(2025, 5, 18), [date(2025, 5, 17)]),
    ],
)
def test_the_day_a_remark_takes(analyse, text, published, days):
    assert [s.said_on for s in analyse(text, published=published)] == days


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("A day later", date(2025, 3, 4)),
        ("six days later", date(2025, 3, 9)),
        ("the next day", date(2025, 3, 4)),
        ("two weeks earlier", date(2025, 2, 17)),
        ("the same day", date(2025, 3, 3)),
        ("later that day", date(2025, 3, 3)),
        ("later", None),
    ],
)
def test_relative_to_an_anchor(phrase, expected):
    assert relative_to(phrase, date(2025, 3, 3)) == expected
    assert relative_to(phrase, None) is None


@pytest.mark.parametrize("phrase", ["in May", "mid-May 2024", "three hours", "a day"])
def test_a_month_or_a_length_of_time_gives_no_day(phrase):
    # dateparser makes a day up: "in May" as May 20 in an article of December 20
    assert resolve(phrase, date(2024, 12, 20)) is None
    assert resolve("May 5", date(2024, 12, 20)) == date(2024, 5, 5)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Thu", date(2024, 12, 19)),
        ("on Wed", date(2024, 12, 18)),
        ("Fri morning", date(2024, 12, 20)),
        # a channel's stamp: day and month, the year of the latest such day
        ("[18.12, 10:05]", date(2024, 12, 18)),
        ("[30.12, 10:05]", date(2023, 12, 30)),
        ("[30.02, 10:05]", None),
        ("[18.12.2025, 10:05]", None),  # a year after publication
    ],
)
def test_a_digests_short_forms_give_a_day(phrase, expected):
    assert resolve(phrase, date(2024, 12, 20)) == expected  # a Friday


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("January 23-24", date(2026, 1, 23)),  # not the 23rd of 2024
        ("Jan. 23–24", date(2026, 1, 23)),
        ("23-24 January", date(2026, 1, 23)),
        ("March 3-4", date(2025, 3, 3)),
        ("January 23rd-24th", date(2026, 1, 23)),
        ("December 9-10, 2025", date(2025, 12, 9)),
    ],
)
def test_a_range_of_days_is_the_day_it_began(phrase: str, expected: date) -> None:
    assert resolve(phrase, date(2026, 2, 3)) == expected


def test_a_year_alone_or_a_time_range_gives_no_day() -> None:
    for phrase in ("2014", "In 2014", "January 23 at 10-11"):
        assert resolve(phrase, date(2026, 2, 3)) is None, phrase


def test_a_leap_days_stamp_is_the_last_leap_years():
    assert resolve("[29.02, 10:05]", date(2025, 6, 1)) == date(2024, 2, 29)


def test_how_long_a_remark_took_is_not_when(analyse):
    # "after three hours" is how long the meeting took, not when the remark was made
    text = (
        "Viktor Orban flew to Moscow on Friday, July 5. Putin, after three hours with "
        "Orban, said the West wanted the war to go on."
    )
    [stmt] = [s for s in analyse(text, published=date(2024, 7, 9)) if s.speaker_name == "Putin"]
    assert stmt.said_on_text is None  # "three hours" is no date phrase
    assert stmt.said_on != date(2024, 7, 8)  # and no day before publication


def test_a_weekday_with_a_time_of_day_is_that_weekday():
    # published on a Saturday: "early Saturday" is the same day, not the week before
    assert resolve("early Saturday", date(2025, 8, 16)) == date(2025, 8, 16)
    assert resolve("Saturday morning", date(2025, 8, 16)) == date(2025, 8, 16)
    assert resolve("on Friday evening", date(2025, 8, 16)) == date(2025, 8, 15)


@pytest.mark.parametrize(
    "second",
    [
        "The same day, Foreign Ministry spokeswoman Maria Zakharova said Moscow was open to talks.",
        "Later that day, Foreign Ministry spokeswoman Maria Zakharova said Moscow was open to talks.",
        # the parser hangs the content on "day": the words before it still date the remark
        "Foreign Ministry spokeswoman Maria Zakharova told reporters the same day that Moscow was "
        "open to talks.",
    ],
)
def test_the_same_day_is_the_day_of_the_remark_before(analyse, second):
    text = (
        "Kremlin spokesman Dmitry Peskov said on Thursday that the strikes would go on. " + second
    )
    peskov, zakharova = analyse(text, published=date(2025, 4, 12))
    assert peskov.said_on == date(2025, 4, 10)
    assert zakharova.said_on == peskov.said_on


def test_a_long_article_is_parsed_alone_and_statements_do_not_change(settings, monkeypatch):
    from redline.extract import PARSE_CHARS, Extractor
    from redline.models import Doc

    short = "The minister said the talks would resume on Monday. "
    long = "Officials said the corridor stays open. " * (PARSE_CHARS // 40 + 1)
    texts = [short, short * 2, long, short, short * 3]
    docs = [Doc(source=f"d{n}", text=t, published=date(2024, 3, 1)) for n, t in enumerate(texts)]
    extractor = Extractor(settings.model_copy(update={"batch_size": 4}))
    batches: list[list[int]] = []
    pipe = extractor.nlp.pipe

    def spy(batch, **kw):
        batches.append([len(t) for t in batch])
        return pipe(batch, **kw)

    monkeypatch.setattr(extractor.nlp, "pipe", spy)
    got = extractor(docs)
    assert batches == [[len(texts[0]), len(texts[1])], [len(long)], [len(texts[3]), len(texts[4])]]
    assert all(sum(b) <= PARSE_CHARS or len(b) == 1 for b in batches)
    # the same statements as each document parsed on its own
    alone = [extractor([d])[0] for d in docs]
    assert [[(s.speaker, s.content) for s in stmts] for stmts in got] == [
        [(s.speaker, s.content) for s in stmts] for stmts in alone
    ]
    assert len(got[2]) > 100


def test_what_someone_calls_a_thing_is_a_name_not_a_statement(analyse):
    stmts = analyse(
        "The Kremlin has repeatedly said it is open to talks while insisting that Ukraine must "
        "accept what it calls the new territorial realities."
    )
    assert [s.cue for s in stmts] == ["has repeatedly said", "insisting"]
    # a name still dates its speaker's next words
    stmts = analyse(
        "By the time 26 governments signed up in Paris on September 4 to what Emmanuel Macron "
        'called "reassurance" for Ukraine, the plan had a credibility problem. Macron told '
        'reporters after the meeting that "French soldiers will be on the ground in Ukraine the '
        'day after a ceasefire."',
        published=date(2025, 9, 12),
    )
    assert [(s.speaker, s.said_on) for s in stmts] == [("Emmanuel Macron", date(2025, 9, 4))]
    assert "French soldiers" in stmts[0].content
    # what it calls a list of things says something
    stmts = analyse(
        "In a statement, the Russian Foreign Ministry listed what it called unmet promises, "
        "including the reconnection of Rosselkhozbank to SWIFT and the resumption of supplies "
        "of farm machinery."
    )
    assert any("Rosselkhozbank" in s.content for s in stmts)


@pytest.mark.parametrize(
    ("text", "said", "speaker"),
    [
        # no end to "a document the document replaced"
        (
            "The memorandum, which the document replaced, says Ukraine must withdraw from four "
            "regions.",
            "withdraw from four regions",
            "The memorandum",
        ),
        # who rejects, criticises, sees or obtains a document did not make it
        (
            "The memorandum, which Kyiv rejected on Monday, demands that Ukraine withdraw from "
            "four regions.",
            "withdraw from four regions",
            "The memorandum",
        ),
        (
            "A document obtained by the Financial Times says Kyiv would accept a freeze.",
            "accept a freeze",
            "A document",
        ),
        # "the document" with no document before it is no one's, not the last speaker's
        (
            "Zelensky said Kyiv needed more air defence. In Lviv, a court jailed a man for "
            "spying. The document says he passed data to Moscow.",
            "passed data to Moscow",
            "The document",
        ),
        # a body named again keeps its country
        (
            "Russia's foreign ministry disagreed with Kyiv. The ministry said Kyiv was ready to "
            "meet again.",
            "ready to meet again",
            "The ministry",
        ),
    ],
)
def test_a_document_is_no_one_s_the_text_does_not_make_it(analyse, text, said, speaker):
    got = next(s for s in analyse(text) if said in s.content)
    assert got.speaker == speaker or (got.speaker is None and got.speaker_mention == speaker)
    if speaker == "The ministry":
        assert got.side == "russia"


def test_a_name_given_as_what_a_thing_is_is_a_view(analyse):
    stmts = analyse('The deal is what Zelensky called "a betrayal of Ukraine".')
    assert any("betrayal of Ukraine" in s.content for s in stmts)
    stmts = analyse(
        "The ministry condemned what it described as a terrorist attack on the Crimean bridge."
    )
    assert not [s.content for s in stmts if s.cue == "described"]  # and no "as a ..." name
