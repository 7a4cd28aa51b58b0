"""Coding: the actor registry, the issue taxonomy, stance, targets, PLOVER events and the Coder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from redline.coding import Coder, Gazetteer, Registry, Taxonomy
from redline.coding.actors import Role
from redline.coding.plover import code_plover
from redline.coding.stance import assertion_sign, code_stance, main_clause, polarity
from redline.errors import ConfigError
from redline.models import Doc, Offsets, Statement
from redline.settings import Settings

# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.load()


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def coder() -> Coder:
    # explicit values so a stray redline.toml or REDLINE_* variable cannot change the bundled data
    return Coder(Settings(actors_files=[], taxonomy_file=None))


def make_stmt(content: str, **fields: object) -> Statement:
    base: dict[str, object] = {
        "doc": content,
        "doc_id": "doc-1",
        "speaker_mention": "",
        "cue": "said",
        "cue_lemma": "say",
        "content": content,
        "quote": "indirect",
        "offsets": Offsets(cue=[(0, 4)], content=[(5, 5 + len(content))]),
    }
    base.update(fields)
    return Statement(**base)  # type: ignore[arg-type]


def ids(targets: list) -> list[str]:
    return [t.id for t in targets]


# --- registry ------------------------------------------------------------------------------------


def test_bundled_registry_is_large(registry: Registry) -> None:
    assert len(registry) >= 120


@pytest.mark.parametrize("name", ["Zelenskyy", "Zelensky", "Zelenskiy", "Volodymyr Zelenskyy"])
def test_zelensky_spellings_resolve_to_one_actor(registry: Registry, name: str) -> None:
    actor = registry.by_name(name)
    assert actor is not None
    assert actor.id == "volodymyr-zelensky"
    assert actor.side == "ukraine"


@pytest.mark.parametrize("name", ["Sergei Lavrov", "Sergey Lavrov", "Lavrov", "Sergei V. Lavrov"])
def test_lavrov_spellings(registry: Registry, name: str) -> None:
    actor = registry.by_name(name)
    assert actor is not None
    assert actor.id == "sergey-lavrov"
    assert actor.name == "Sergey Lavrov"


def test_surname_and_curly_apostrophes(registry: Registry) -> None:
    peskov = registry.by_name("Peskov")
    assert peskov is not None and peskov.id == "dmitry-peskov" and peskov.side == "russia"
    actor = registry.resolve(None, "Russia’s top diplomat", on=date(2025, 2, 1))
    assert actor is not None and actor.id == "sergey-lavrov"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2023, 6, 1), "dmytro-kuleba"),
        (date(2024, 9, 4), "dmytro-kuleba"),
        (
            date(2024, 9, 5),
            "andrii-sybiha",
        ),  # role end is exclusive, the successor's start inclusive
        (date(2025, 6, 1), "andrii-sybiha"),
        (None, "andrii-sybiha"),  # undated: whoever holds the post now
    ],
)
def test_role_phrase_resolves_by_date(registry: Registry, day: date | None, expected: str) -> None:
    actor = registry.resolve(None, "Ukraine's foreign minister", on=day)
    assert actor is not None
    assert actor.id == expected


@pytest.mark.parametrize(
    ("phrase", "day", "expected"),
    [
        # a description of an office is its holder's only while they hold it, whatever other
        # office they hold before or after
        ("Zelensky's chief of staff", date(2025, 5, 20), "andriy-yermak"),
        ("Zelensky's chief of staff", date(2026, 3, 1), "kyrylo-budanov"),
        ("the Ukrainian defence minister", date(2024, 1, 10), "rustem-umerov"),
        ("the Ukrainian defence minister", date(2025, 9, 1), "denys-shmyhal"),
        ("the Dutch prime minister", date(2023, 3, 1), "mark-rutte"),
        ("the Dutch prime minister", date(2025, 3, 1), "dick-schoof"),
        ("the US national security adviser", date(2025, 3, 1), "mike-waltz"),
        ("the US national security adviser", date(2025, 6, 1), "marco-rubio"),
        ("China's foreign minister", date(2023, 3, 1), "qin-gang"),
    ],
)
def test_an_office_description_names_who_holds_that_office_then(
    registry: Registry, phrase: str, day: date, expected: str
) -> None:
    actor = registry.resolve(None, phrase, on=day)
    assert actor is not None and actor.id == expected


def test_a_role_carries_its_own_descriptions(tmp_path: Path) -> None:
    path = tmp_path / "actors.toml"
    path.write_text(
        '[[actor]]\nid = "a"\nname = "Anna Ash"\nroles = [\n'
        '  { title = "Envoy", org = "Ukraine", start = "2020-01-01", end = "2022-01-01",'
        ' descriptions = ["the envoy to Ruritania"] },\n'
        '  { title = "Minister", org = "Ukraine", start = "2022-01-01" },\n]\n'
        '[[actor]]\nid = "b"\nname = "Boris Birch"\nroles = [\n'
        '  { title = "Envoy", org = "Ukraine", start = "2022-01-01",'
        ' descriptions = ["the envoy to Ruritania"] },\n]\n',
        encoding="utf-8",
    )
    registry = Registry.load([path])
    assert registry.by_description("the envoy to Ruritania", on=date(2021, 1, 1)).id == "a"  # type: ignore[union-attr]
    assert registry.by_description("the envoy to Ruritania", on=date(2023, 1, 1)).id == "b"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("actor_id", "day", "body"),
    [
        ("dmitry-peskov", date(2025, 3, 1), "Kremlin"),
        ("maria-zakharova", date(2025, 3, 1), "Russian Foreign Ministry"),
        ("andriy-yermak", date(2025, 3, 1), "Office of the President of Ukraine"),
        ("sergei-shoigu", date(2023, 3, 1), "Russian Defence Ministry"),
        ("sergei-shoigu", date(2025, 3, 1), "Security Council of Russia"),
        # two offices at once: the latest taken up, as the role shown
        ("kirill-dmitriev", date(2025, 6, 1), "Kremlin"),
        # a country or a capital is a side, not a body
        ("russia", None, None),
        ("kyiv", None, None),
        # out of office: no voice of the White House
        ("donald-trump", date(2024, 3, 1), None),
        ("kremlin", None, "Kremlin"),
    ],
)
def test_the_body_a_speaker_speaks_for_on_a_day(
    registry: Registry, actor_id: str, day: date | None, body: str | None
) -> None:
    actor = registry.get(actor_id)
    assert actor is not None and registry.institution(actor, day) == body


def test_a_role_must_name_a_body_the_registry_has(tmp_path: Path) -> None:
    path = tmp_path / "actors.toml"
    path.write_text(
        '[[actor]]\nid = "a"\nname = "Anna Ash"\n'
        'roles = [{ title = "Envoy", org = "Ukraine", body = "no-such-body" }]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="no-such-body"):
        Registry.load([path])


@pytest.mark.parametrize(
    ("mention", "side"),
    [
        ("a European Commission spokesperson", "eu"),
        ("a Commission spokeswoman", "eu"),
        ("Brussels", "eu"),
        # another country's commission is no side's by that word
        ("the Central Election Commission", None),
        ("the International Commission of Jurists", None),
        # "the administration" of English copy is Washington's; a presidential one is
        # Moscow's or Kyiv's, and Ukraine has military administrations
        ("The administration", "us"),
        ("the Presidential Administration", None),
        ("the Kharkiv regional military administration", "ukraine"),
    ],
)
def test_the_side_a_mention_names(coder: Coder, mention: str, side: str | None) -> None:
    assert coder.demonyms.side_of(mention) == side


def test_a_name_missing_its_country_is_no_spelling_of_another(registry: Registry) -> None:
    # close in spelling to "UK defence ministry", but a qualifier short: not the British one
    assert registry.by_name("Defence Ministry") is None
    russian = registry.resolve("Defence Ministry", "Russia's Defence Ministry")
    assert russian is not None and russian.id == "russian-defence-ministry"


def test_a_kind_of_body_is_no_name(registry: Registry) -> None:
    # "Lavrov" is Sergey Lavrov's last word, "Kremlin" the Kremlin's; "Commission" is a kind of
    # body, no name of the European Commission's
    assert registry.by_name("Central Election Commission") is None
    lavrov = registry.by_name("Sergei V. Lavrov")
    assert lavrov is not None and lavrov.id == "sergey-lavrov"
    kremlin = registry.by_name("Russia's Kremlin")
    assert kremlin is not None and kremlin.id == "kremlin"


def test_name_wins_over_role_phrase(registry: Registry) -> None:
    actor = registry.resolve("Kuleba", "Ukraine's foreign minister", on=date(2025, 6, 1))
    assert actor is not None and actor.id == "dmytro-kuleba"


@pytest.mark.parametrize("name", ["John Smith", "Oleksandra Nobodyenko", ""])
def test_unknown_name_is_none(registry: Registry, name: str) -> None:
    assert registry.by_name(name) is None
    assert registry.resolve(name or None, "a local shopkeeper", on=date(2025, 1, 1)) is None


def test_user_file_adds_and_overrides(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(
        """
[[actor]]
id = "ivan-testov"
name = "Ivan Testov"
side = "analyst"
aliases = ["Testov"]
descriptions = ["the Kyiv think-tank director"]
roles = [{ title = "Director", org = "Kyiv Policy Lab", start = "2021-01-01" }]

[[actor]]
id = "dmitry-peskov"
name = "Dmitry S. Peskov"
side = "russia"
aliases = ["Peskov"]
""",
        encoding="utf-8",
    )
    bundled = Registry.load()
    merged = Registry.load([extra])
    assert len(merged) == len(bundled) + 1
    added = merged.by_name("Testov")
    assert added is not None and added.id == "ivan-testov" and added.kind == "person"
    assert merged.resolve(None, "the Kyiv think-tank director", on=date(2024, 1, 1)) is added
    peskov = merged.get("dmitry-peskov")
    assert peskov is not None
    assert peskov.name == "Dmitry S. Peskov"
    assert peskov.roles == []  # replaced whole, not merged field by field
    assert merged.by_name("Dmitri Peskov") is peskov  # via the surname alias
    assert bundled.get("dmitry-peskov").name == "Dmitry Peskov"  # type: ignore[union-attr]


def test_bad_toml_is_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[actor]]\nid = "x"\nname = "unterminated\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        Registry.load([bad])


def test_missing_field_and_bad_date_are_config_errors(tmp_path: Path) -> None:
    nameless = tmp_path / "nameless.toml"
    nameless.write_text('[[actor]]\nid = "nameless"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="name"):
        Registry.load([nameless])
    baddate = tmp_path / "baddate.toml"
    baddate.write_text(
        '[[actor]]\nid = "x"\nname = "X"\nroles = [{ title = "Envoy", org = "", start = "May 2024" }]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        Registry.load([baddate])


def test_missing_user_file_is_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        Registry.load([tmp_path / "absent.toml"])


def test_role_on_by_date(registry: Registry) -> None:
    kuleba = registry.get("dmytro-kuleba")
    assert kuleba is not None
    role = kuleba.role_on(date(2023, 1, 10))
    assert role is not None
    assert role.title == "Minister of Foreign Affairs" and role.org == "Ukraine"
    assert role.holds_on(date(2023, 1, 10))
    assert not role.holds_on(date(2024, 9, 5))


def test_role_on_picks_the_role_held_that_day() -> None:
    from redline.coding.actors import Actor

    actor = Actor(
        id="a",
        name="A",
        kind="person",
        side="ukraine",
        roles=[
            Role("Deputy Minister", "Ukraine", date(2020, 1, 1), date(2023, 1, 1)),
            Role("Minister", "Ukraine", date(2023, 1, 1)),
        ],
    )
    assert actor.role_on(date(2021, 5, 5)).title == "Deputy Minister"  # type: ignore[union-attr]
    assert actor.role_on(date(2024, 5, 5)).title == "Minister"  # type: ignore[union-attr]
    assert actor.role_on(None).title == "Minister"  # type: ignore[union-attr]
    assert actor.role_on(date(2019, 1, 1)).title == "Minister"  # none held: the most recent
    assert Actor(id="b", name="B", kind="body", side="eu").role_on(None) is None


def test_role_label() -> None:
    assert (
        Role("Minister of Foreign Affairs", "Russia").label()
        == "Minister of Foreign Affairs, Russia"
    )
    assert Role("President of Ukraine", "Ukraine").label() == "President of Ukraine"
    assert Role("Spokesman", "").label() == "Spokesman"


# --- taxonomy ------------------------------------------------------------------------------------


def test_multi_label_sanctions_and_air_travel(taxonomy: Taxonomy) -> None:
    issues = taxonomy.code(
        "Western states should lift sanctions on Aeroflot so that flights can resume."
    )
    assert set(issues) >= {"sanctions", "air_travel"}
    assert "other" not in issues


def test_a_legitimate_target_is_no_question_of_legitimacy(taxonomy: Taxonomy) -> None:
    assert "legitimacy" not in taxonomy.code("foreign troops would be legitimate targets")
    assert "legitimacy" not in taxonomy.code("every refinery is a legitimate military target")
    # the word still names the issue where it is about a government
    assert taxonomy.code("the government in Kyiv is not legitimate")[0] == "legitimacy"
    legitimacy = taxonomy.get("legitimacy")
    assert legitimacy is not None
    text = "a legitimate target, and an illegitimate regime"
    assert legitimacy.first(text) == text.index("illegitimate")


def test_guarantees_kyiv_gives_are_not_its_security_guarantees(taxonomy: Taxonomy) -> None:
    text = "Moscow rejoined the corridor after receiving written guarantees from Kyiv"
    assert "security_guarantees" not in taxonomy.code(text)
    assert taxonomy.code("Kyiv wants guarantees from its allies")[0] == "security_guarantees"


def test_equally_cued_issues_come_in_the_order_named(taxonomy: Taxonomy) -> None:
    # one cue each: the one named first leads, whatever the taxonomy's order
    assert taxonomy.code("a Taurus strike on Russian territory")[:2] == [
        "military_aid",
        "territory",
    ]
    assert taxonomy.code("Russian territory struck by a Taurus")[:2] == [
        "territory",
        "military_aid",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "There is nothing to talk about with Putin. Not today, not on these terms.",
        "There is no point in talking to a decorative delegation.",
        "there is nobody to talk to in Kyiv",
    ],
)
def test_refusing_to_talk_is_against_talks(coder: Coder, text: str) -> None:
    stmt = coder.code(make_stmt(text, speaker_name="Volodymyr Zelensky"))
    assert stmt.issues[0] == "negotiations_process"
    assert stmt.polarity == -1  # a refusal of talks, however many "not"s it has


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        # a neighbour's ban on Ukrainian grain is no matter of the Black Sea deal
        ("Warsaw would extend its ban on Ukrainian grain imports", "grain_deal"),
        # NATO's accession talks are not the EU's
        ("Sweden's NATO accession talks could not advance", "eu_accession"),
        # a moratorium is on something: on strikes on power plants, the energy truce
        ("Moscow said it was observing the moratorium on strikes on power plants", "ceasefire"),
        # a proposal is on something: here, a ceasefire, not talks
        ("Kyiv accepted the proposal for a 30-day ceasefire", "negotiations_process"),
    ],
)
def test_what_an_issue_does_not_cover(taxonomy: Taxonomy, text: str, issue: str) -> None:
    assert issue not in taxonomy.code(text)


@pytest.mark.parametrize(
    ("text", "issue", "expected"),
    [
        # a negated rejection is no refusal: its other negations count as ever
        ("Ukraine has not rejected a ceasefire and will not fight on.", "ceasefire", 1),
        # a negation inside a condition is the condition's own
        ("Peace is impossible if the West does not lift sanctions.", "sanctions", 1),
        ("Elections are impossible, and I will not hold them.", "elections", -1),
        # an end announced is against the deal; an end ruled out is for it
        ("The Black Sea grain deal has ceased to be in effect as of today.", "grain_deal", -1),
        ("Russia is suspending its participation in the grain deal.", "grain_deal", -1),
        ("Russia resumes the implementation of the grain agreement.", "grain_deal", 1),
        ("There is no question of reviving the grain deal in any form.", "grain_deal", -1),
        ("Budapest will veto the opening of accession talks with Kyiv.", "eu_accession", -1),
        ("Russia was quite clear that the grain deal could resume.", "grain_deal", 1),
        ("Russia would quit the grain deal.", "grain_deal", -1),
        # the learned coder never saw the grain deal's direction: the rules read it alone
        ("the grain deal would not be extended", "grain_deal", -1),
    ],
)
def test_refusals_and_their_negations(coder: Coder, text: str, issue: str, expected: int) -> None:
    stmt = coder.code(make_stmt(text, speaker_name="Volodymyr Zelensky"))
    assert coder.polarity_on(stmt, issue) == expected


@pytest.mark.parametrize(
    ("text", "speaker", "issue", "expected"),
    [
        # what the refused thing lacks is what the speaker wants
        (
            "A pause without guarantees is an invitation to rearm. We will not sign up to that.",
            "Volodymyr Zelensky",
            "security_guarantees",
            1,
        ),
        (
            "A pause without guarantees is an invitation to rearm. We will not sign up to that.",
            "Volodymyr Zelensky",
            "ceasefire",
            -1,
        ),
        # what a refusal waits for ("unless") is wanted
        (
            "Ukraine would not agree to a ceasefire unless it came with firm security guarantees.",
            "Volodymyr Zelensky",
            "security_guarantees",
            1,
        ),
        # a settlement that fails to recognise the land, refused: recognition is wanted
        (
            "Russia will never accept any settlement that fails to recognise Crimea as Russian.",
            "Sergey Lavrov",
            "territory",
            1,
        ),
        # a second refusal of the speaker's own is the refusal again, not what it lacks
        (
            "Moscow rejected the proposal and refused to meet the Ukrainian delegation.",
            "Dmitry Peskov",
            "negotiations_process",
            -1,
        ),
        # the speaker's own refusal is the refusal, not what it lacks
        (
            "Ukraine refuses to recognise the annexation of Crimea.",
            "Andrii Sybiha",
            "territory",
            -1,
        ),
    ],
)
def test_what_a_refused_thing_lacks_is_wanted(
    coder: Coder, text: str, speaker: str, issue: str, expected: int
) -> None:
    stmt = coder.code(make_stmt(text, speaker_name=speaker))
    assert coder.polarity_on(stmt, issue) == expected


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        # what a thing will or will not do to the war is a prediction, a claim
        ("the new rockets will not change the picture at the front", "claim"),
        ("the export ban would not seriously hurt the Russian budget", "claim"),
        # what the speaker's side will not do is a refusal, whatever the verb
        ("we will not change our terms for a truce", "reject"),
        ("Moscow will not alter its demands on the four regions", "reject"),
        ("Hungary will not sign the joint statement", "reject"),
        ("Kyiv will not work with the new envoy", "reject"),
        ("Vilnius could not consider a deal that rewards the invasion", "reject"),
        ("Warsaw cannot accept troops from the aggressor on its soil", "reject"),
        # and "would not be", "will not have" are neither
        ("I would not be surprised if the talks resumed in May", "claim"),
        ("we will not have enough interceptors this winter", "claim"),
        # "has never" tells the past; "will never" refuses
        ("Belgrade has never sold shells to either army", "claim"),
        ("Chisinau will never recognise the breakaway vote", "reject"),
        # dropping a condition concedes
        ("Berlin no longer conditions its support on a ceasefire", "concede"),
        ("Sofia no longer makes its vote conditional on gas exemptions", "concede"),
        ("Berlin no longer made its military aid conditional on a truce", "concede"),
        ("Rome no longer makes the deal conditional on a vote", "concede"),
    ],
)
def test_predictions_and_past_denials_are_not_refusals(content: str, stance: str) -> None:
    assert code_stance("say", "said", content).stance == stance


def test_ending_a_veto_concedes_what_was_blocked(coder: Coder) -> None:
    stmt = coder.code(
        make_stmt("that Bratislava would no longer block the sanctions package", speaker_name="X")
    )
    assert stmt.stance == "concede"
    # blocking sanctions is toward easing them, so no longer blocking them is against it
    assert coder.polarity_on(stmt, "sanctions") == -1
    # what follows the concession says what is conceded
    for content in (
        "Budapest does not object to easing the sanctions",
        "Bratislava would no longer block the lifting of sanctions",
    ):
        stmt = coder.code(make_stmt(content, speaker_name="X"))
        assert (stmt.stance, coder.polarity_on(stmt, "sanctions")) == ("concede", 1), content


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        # a wish is the speaker's demand when it is their side's ...
        ("Moscow wants the flight ban on its airlines lifted", "demand"),
        ("the Moscow leadership wants the flight ban lifted", "demand"),
        ("we want a ceasefire that holds through the winter", "demand"),
        ("we'd want guarantees in writing first", "demand"),
        ("our country wants a ceasefire", "demand"),
        # ... and a claim about someone else where it is theirs
        ("Washington wants the talks to fail", "claim"),
        ("they want a pause to rearm", "claim"),
        ("They want a pause to rearm", "claim"),
        ("I think my friend Erdogan wants the corridor open", "claim"),
    ],
)
def test_a_wish_is_a_demand_only_from_its_own_side(content: str, stance: str) -> None:
    code = code_stance("say", "said", content, own=lambda name: name.startswith("Moscow"))
    assert code.stance == stance


def test_a_curly_apostrophe_negates_as_a_straight_one() -> None:
    code = code_stance("say", "said", "Moscow doesn’t want a truce", own=lambda name: True)
    assert (code.stance, code.negated) == ("demand", True)


def test_the_coder_reads_whose_wish_it_is_from_the_registry(coder: Coder) -> None:
    content = "Putin wants the grain corridor to stay open"
    assert coder.code(make_stmt(content, speaker_name="Dmitry Peskov")).stance == "demand"
    assert coder.code(make_stmt(content, speaker_name="Recep Tayyip Erdoğan")).stance != "demand"


@pytest.mark.parametrize(
    ("speaker", "content", "expected"),
    [
        # who withdraws decides: Ukraine's side leaving is land left to Russia ...
        ("Vladimir Medinsky", "Kyiv must withdraw its forces from the whole of Donetsk", 1),
        ("Rustem Umerov", "Ukraine will not withdraw its troops from its own land", -1),
        ("Volodymyr Zelensky", "we will not pull out of Pokrovsk", -1),
        # ... and Russia's leaving is land given back
        ("Andrii Sybiha", "Russia must withdraw its troops from every occupied region", -1),
        ("Vladimir Putin", "Russia will never withdraw from the new regions", 1),
        # ... told as a noun too (and no model overrules who withdraws)
        (
            "Volodymyr Zelensky",
            "any plan must begin with the withdrawal of Russian troops from all territories",
            -1,
        ),
        (
            "Vladimir Medinsky",
            "talks can resume after the withdrawal of Ukrainian forces from Donbas",
            1,
        ),
        # the one who withdraws, not the one who asks it
        ("Vladimir Putin", "Moscow demands that Kyiv withdraw from the Donbas", 1),
        # no land left: the words decide as before
        ("Andrii Sybiha", "Moscow pulled out of the grain deal and annexed four regions", -1),
        ("Andrii Sybiha", "our troops on the left bank will liberate the occupied land", -1),
        # giving up a demand that Russia withdraw
        (
            "Andrii Sybiha",
            "Kyiv no longer insists that Russia withdraw from the occupied regions",
            1,
        ),
    ],
)
def test_on_territory_who_withdraws_decides(
    coder: Coder, speaker: str, content: str, expected: int
) -> None:
    stmt = coder.code(make_stmt(content, speaker_name=speaker))
    assert coder.polarity_on(stmt, "territory") == expected


def test_cue_markers() -> None:
    from redline.coding.issues import Issue, _words

    pattern = _words(["u.s.$"])
    assert pattern is not None and pattern.search("the U.S. said") and not pattern.search("U.S.A")
    with pytest.raises(ConfigError, match="verdict"):
        Issue("x", "X", "x", cues=["!talks"])


def test_a_vote_in_a_legislature_is_no_election(taxonomy: Taxonomy) -> None:
    assert "elections" not in taxonomy.code("The House vote on the aid bill was 311 to 112.")
    assert taxonomy.code("Kyiv is ready to hold a vote within 90 days.")[0] == "elections"


def test_a_whole_word_cue_is_not_a_prefix(taxonomy: Taxonomy) -> None:
    assert taxonomy.code("Kyiv and Moscow swapped POWs on Friday.")[0] == "prisoners"
    # "pow$" is the word POW: not the start of "power"
    assert "prisoners" not in taxonomy.code("A strike on a power station cut the power.")
    assert "territory" not in taxonomy.code("a regional forum in Singapore")


def test_sending_soldiers_to_ukraine_is_a_security_guarantee(taxonomy: Taxonomy) -> None:
    assert taxonomy.code("Sending French soldiers to Ukraine is not on the table.") == [
        "security_guarantees"
    ]
    sent = taxonomy.code("Warsaw would not send its soldiers to Ukrainian territory.")
    assert sent[0] == "security_guarantees"
    # the invader's troops are the land's question, not a guarantee's
    assert taxonomy.code("Russian troops in Ukraine must withdraw.") == ["territory"]


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        # food or gas "as a weapon" is no arms, and a promise to prisoners or a supply of gas
        # no guarantee of Ukraine's security
        ("Washington accused Russia of using food as a weapon yet again.", "other"),
        ("Russia is weaponising hunger, the envoy said.", "other"),
        ("He guaranteed that those who surrendered would be treated well.", "other"),
        ("Bratislava will relent after receiving gas supply guarantees.", "other"),
        ("Kyiv wants a guarantee that Russia will not attack again.", "security_guarantees"),
        ("He would introduce a resolution to halt further aid to Ukraine.", "military_aid"),
        # the West's soldiers sent to Ukraine are a guarantee; the invader's or an ally's are not
        ("Sending French soldiers to Ukraine is not on the table.", "security_guarantees"),
        ("North Korea is sending troops to fight for Russia.", "other"),
        ("Russian ground troops are advancing near Pokrovsk.", "other"),
        # a truce in other words
        ("Russia would halt fire only once a treaty was signed.", "ceasefire"),
        ("Kyiv will not accept any plan freezing the conflict.", "ceasefire"),
        ("Nobody is asking Kyiv to stop shooting before talks begin.", "ceasefire"),
    ],
)
def test_words_that_look_like_an_issue(taxonomy: Taxonomy, text: str, issue: str) -> None:
    assert taxonomy.code(text)[0] == issue


def test_direction_words_that_look_alike(taxonomy: Taxonomy) -> None:
    aid, sanctions = taxonomy.get("military_aid"), taxonomy.get("sanctions")
    assert aid is not None and sanctions is not None
    assert aid.explicit("Congress will fund Ukraine's defence")
    assert not aid.explicit("the updated Fundamentals of nuclear deterrence")
    # the refusal is the stance's: the words name what is refused, funding
    assert aid.direction_of("the US is done with the business of funding the war") == 1
    assert sanctions.direction_of("Brussels is ready to begin phasing out some sanctions.") == 1
    # phasing out Russian energy is no easing of sanctions
    assert not sanctions.explicit("The sanctions package will phase out Russian LNG by 2027.")
    # the "-ing" forms the lists name; not every word's ("exchanging fire" is no swap,
    # "increasingly alone" no more aid)
    talks = taxonomy.get("negotiations_process")
    assert talks is not None
    assert talks.explicit("The talks are continuing online.")
    assert talks.direction_of("Washington is walking away from the talks.") == -1
    assert aid.explicit("The Pentagon is resuming shipments of shells.")
    assert not aid.explicit("Without Patriot missiles we are increasingly alone.")
    assert "prisoners" not in taxonomy.code("Both armies are still exchanging fire.")


def test_most_cued_issue_first(taxonomy: Taxonomy) -> None:
    issues = taxonomy.code("A ceasefire, a truce on the whole front, must come before talks.")
    assert issues[0] == "ceasefire"
    assert "negotiations_process" in issues


def test_other_when_nothing_matches(taxonomy: Taxonomy) -> None:
    assert taxonomy.code("The weather in Geneva was mild on Tuesday.") == ["other"]
    other = taxonomy.get("other")
    assert other is not None and other.direction_of("anything at all") == 0


@pytest.mark.parametrize(
    ("issue", "text", "direction"),
    [
        ("sanctions", "Washington is considering lifting sanctions on Russian banks.", 1),
        ("sanctions", "Brussels is preparing new sanctions against Moscow.", -1),
        ("sanctions", "The EU agreed to extend sanctions for six months.", -1),
        ("territory", "Kyiv will return to its 1991 borders.", -1),
        ("negotiations_process", "Moscow is ready to sit at the table in Istanbul.", 1),
        # what it is not, beside what it is: for the one named, not against it
        ("ceasefire", "Kyiv wants a full, unconditional ceasefire, not a pause.", 1),
        # and where nothing else is named, against what is set aside
        ("prisoners", "The commanders must face a tribunal, not an exchange.", -1),
        # "not just" adds to what is named
        ("ceasefire", "Kyiv wants security guarantees, not just a ceasefire.", 1),
        ("territory", "Ukraine will have to cede the occupied regions.", 1),
        ("negotiations_process", "Moscow is ready to resume talks next week.", 1),
        ("negotiations_process", "Further talks are pointless.", -1),
        ("sanctions", "Sanctions were discussed at length.", -1),  # default: sanctions in force
        ("sanctions", "Bratislava will block the next package.", 1),
        ("sanctions", "Slovakia will no longer block the package.", -1),  # negated: for it
        ("territory", "Kyiv must withdraw from the four regions.", 1),
        ("territory", "Ukraine can take back all of its land.", -1),
        ("territory", "The plant will remain under Russian jurisdiction.", 1),
        ("nato_membership", "Kyiv is ready to set aside its NATO bid.", -1),
        ("negotiations_process", "Preparations for the summit are under way.", 1),
        # what is set aside with "rather than" or "instead of" counts as ", not"
        ("ceasefire", "Moscow wants a final settlement rather than a temporary pause.", -1),
        ("ceasefire", "Kyiv wants a durable peace instead of a truce.", -1),
        # what a condition is set for is not what is asked: the condition is
        ("sanctions", "The precondition for lifting sanctions is a full withdrawal.", -1),
        ("sanctions", "Lifting sanctions would be the first step.", 1),
        ("negotiations_process", "Withdrawal is a condition for any resumption of talks.", -1),
        # creating the conditions for a thing works toward it; a deal's conditions are its terms
        ("negotiations_process", "The envoys will create the conditions for resuming talks.", 1),
        ("ceasefire", "Moscow has agreed to the conditions of the truce.", 1),
        ("territory", "Crimea will return to Ukraine.", -1),
        ("sanctions", "The EU is ready to begin phasing out some sanctions.", 1),
        ("sanctions", "We are taking the sanctions off two banks today.", 1),
        ("sanctions", "The bank will go back on SWIFT next month.", 1),
        # a question that asks what there is to talk about says there is nothing
        ("negotiations_process", "What is there to discuss with people who did this?", -1),
    ],
)
def test_direction_of(taxonomy: Taxonomy, issue: str, text: str, direction: int) -> None:
    entry = taxonomy.get(issue)
    assert entry is not None
    assert entry.direction_of(text) == direction


def test_a_threat_is_for_what_its_condition_refuses(taxonomy: Taxonomy) -> None:
    ceasefire = taxonomy.get("ceasefire")
    assert ceasefire is not None
    text = "Minsk will respond if Kyiv does not accept the truce."
    assert ceasefire.direction_of(text) == -1  # the words alone: a truce not accepted
    assert ceasefire.direction_of(text, threat=True) == 1  # the threat is for the truce


@pytest.mark.parametrize(
    ("issue", "text", "direction"),
    [
        # what a threat's condition names, refused or done, is what the threat is against
        ("ceasefire", "Minsk will face new sanctions if it keeps rejecting the truce.", 1),
        ("ceasefire", "The army will respond if the other side violates the truce.", 1),
        ("ceasefire", "Minsk will face new sanctions if it refuses a truce.", 1),
        ("ceasefire", "Minsk will face new sanctions unless it accepts a truce.", 1),
        ("military_aid", "Minsk warned of grave risks if Oslo supplied F-16s to Kyiv.", -1),
        ("military_aid", "Minsk will retaliate if Oslo keeps supplying arms to Kyiv.", -1),
        # a refusal told in the condition, before or after the thing, or in the passive
        ("grain_deal", "Minsk will face new sanctions if it keeps blocking the grain deal.", 1),
        ("ceasefire", "Minsk will face new sanctions if it refuses to halt the fighting.", 1),
        ("ceasefire", "Minsk will face new sanctions if the truce breaks down.", 1),
        ("ceasefire", "Minsk will face new sanctions if the truce is violated.", 1),
        ("ceasefire", "Minsk will face new sanctions if it walks away from the truce.", 1),
        # a condition that opens the sentence sets the terms of a promise as often
        ("ceasefire", "If the troops pull back, the truce will hold.", 1),
        # no threat's condition: "even if", an "if" that asks whether, another sentence
        ("ceasefire", "Minsk will face new sanctions even if a truce is agreed.", 1),
        ("ceasefire", "Minsk will face new sanctions, and Oslo will see if the truce holds.", 1),
        ("ceasefire", "Minsk will face new sanctions. Oslo talks only if the truce holds.", 1),
        ("ceasefire", "If the truce holds, the sides can strike a deal.", 1),  # no penalty
        # an abbreviation does not end the threat's sentence
        ("military_aid", "Strikes on Minsk, Mr. Lind said, will follow if Oslo sends F-16s.", -1),
        # nor its condition: "the U.S." inside it
        ("military_aid", "Minsk would pay a heavy price if the U.S. sent F-16s to Kyiv.", -1),
        ("military_aid", "Minsk would pay a heavy price if the U.K. and the U.S. sent F-16s.", -1),
        # but its last full stop ends the sentence where another opens after it
        ("ceasefire", "Minsk will respond if arms come from the U.S. We still want a truce.", 1),
    ],
)
def test_a_threat_is_against_what_its_condition_names(
    taxonomy: Taxonomy, issue: str, text: str, direction: int
) -> None:
    entry = taxonomy.get(issue)
    assert entry is not None
    assert entry.direction_of(text, threat=True) == direction


def test_a_threat_on_a_refusal_is_for_what_is_refused(coder: Coder) -> None:
    # the learned coder had read the refusal in the condition as the speaker's (-1)
    text = (
        'that the European Union would impose "massive" new sanctions if Moscow continued '
        "to reject an unconditional ceasefire"
    )
    stmt = coder.code(make_stmt(text, speaker_name="Emmanuel Macron"))
    assert stmt.stance == "threaten"
    assert coder.polarity_on(stmt, "ceasefire") == 1


@pytest.mark.parametrize(
    "text",
    [
        "What negotiations can there be with such a regime?",
        "Talks with Kyiv? What is there to discuss.",  # a question, however punctuated
    ],
)
def test_a_verdict_in_a_question_is_not_overruled(coder: Coder, text: str) -> None:
    # a rhetorical question is coded a claim; its verdict on talks still counts against them,
    # where the learned coder had read it as +1
    stmt = coder.code(make_stmt(text, speaker_name="Dmitry Peskov", cue="said:", quote="direct"))
    assert coder.polarity_on(stmt, "negotiations_process") == -1


def test_eastern_is_not_easing(taxonomy: Taxonomy) -> None:
    sanctions = taxonomy.get("sanctions")
    assert sanctions is not None
    assert (
        sanctions.direction_of("Sanctions must remain while Russia occupies eastern Ukraine.") != 1
    )


def test_custom_taxonomy_file(tmp_path: Path) -> None:
    path = tmp_path / "tax.toml"
    path.write_text(
        '[[issue]]\nid = "grain"\nlabel = "Grain"\ncues = ["grain", "wheat"]\n'
        'toward = ["export"]\naway = ["blockade"]\n',
        encoding="utf-8",
    )
    tax = Taxonomy.load(path)
    assert tax.code("Wheat exports through the corridor resumed.") == ["grain"]
    assert tax.code("Sanctions on Russia were extended.") == [
        "other"
    ]  # bundled issues are replaced
    bad = tmp_path / "bad.toml"
    bad.write_text('[[issue]]\nid = "nolabel"\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        Taxonomy.load(bad)


# --- stance --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lemma", "cue", "content", "stance", "negated", "conditional"),
    [
        (
            "demand",
            "demanded",
            "the immediate lifting of sanctions on Russian banks",
            "demand",
            False,
            False,
        ),
        ("say", "said", "Russia is not seeking sanctions relief", "demand", True, False),
        (
            "say",
            "said",
            "any deal should depend on the US lifting sanctions",
            "demand",
            False,
            True,
        ),
        ("say", "said", "a ceasefire along the current line is impossible", "reject", False, False),
        ("say", "said", "Moscow was ready to resume talks in Istanbul", "propose", False, False),
        ("warn", "warned", "Western troops in Ukraine would be a target", "threaten", False, False),
        (
            "say",
            "said",
            "the delegation arrived in Riyadh on Monday evening",
            "claim",
            False,
            False,
        ),
        ("accuse", "accused", "Kyiv of stalling the exchange of prisoners", "accuse", False, False),
        # an analyst's assessment is a claim whatever it weighs; an argument is what it argues
        (
            "assess",
            "assesses",
            "that the Kremlin's threat is meant to deter new deliveries",
            "claim",
            False,
            False,
        ),
        ("argue", "argued", "that Kyiv must hold elections first", "demand", False, False),
        ("reject", "did not reject", "the proposal for a truce", "reject", True, False),
        (
            "say",
            "said",
            "the talks would only go ahead unless the strikes continue",
            "demand",
            False,
            True,
        ),
        # "until" sets a condition where something must happen first; a time it does not
        (
            "say",
            "said",
            "the bloc would keep its sanctions until Russia withdraws",
            "demand",
            False,
            True,
        ),
        ("say", "said", "there would be no talks until the shelling stops", "reject", False, True),
        # asking someone to do a thing is a demand, and not asking them is its negation
        ("say", "said", "Moscow was not asking anyone to ease the embargo", "demand", True, False),
        ("say", "said", "Kyiv is asking its partners to send more jets", "demand", False, False),
        ("say", "said", "no one was asking Kyiv to give up the city", "demand", True, False),
        ("say", "said", "nobody needs to send troops there", "demand", True, False),
        # "nobody should expect miracles" says nothing against what is expected
        ("say", "said", "nobody should expect a quick deal", "demand", False, False),
        # nor is another's wish after "nobody denies"
        ("say", "said", "nobody denies that Kyiv wants a just peace", "demand", False, False),
        # what a thing would only do for the other side dismisses it
        (
            "say",
            "said",
            "a truce now would only give the enemy time to regroup",
            "reject",
            False,
            False,
        ),
        (
            "say",
            "said",
            "the offer was nothing but a breathing space for the army",
            "reject",
            False,
            False,
        ),
        (
            "say",
            "said",
            "the officers would stay in Ankara until the end of the war",
            "claim",
            False,
            False,
        ),
    ],
)
def test_code_stance(
    lemma: str, cue: str, content: str, stance: str, negated: bool, conditional: bool
) -> None:
    code = code_stance(lemma, cue, content)
    assert (code.stance, code.negated, code.conditional) == (stance, negated, conditional)


@pytest.mark.parametrize(
    ("content", "conditional"),
    [
        ("the pressure must go on until the last soldier leaves", True),
        ("NATO would keep supplying Kyiv until they stop the attacks", True),
        ("the delegation would remain until the end of negotiations", False),
        ("the sanctions were extended until 2027 as talks continue", False),
        ("the truce would hold until midnight on January 7", False),
        ("the monitors would stay until further notice", False),
        ("Moscow would not sign anything until the talks produce real guarantees", True),
        ("there would be no vote until the elections are held", True),
        ("no deal until this occupation ends", True),
        ("until last year Russia had supplied most of Europe's gas", False),
        ("Zelensky has until Thanksgiving to accept the plan", False),
        ("the sanctions stay in place until the next round of talks", False),
        ("Ukraine would fight until the last soldier", False),
        ("talks were postponed until later this month", False),
    ],
)
def test_until_is_a_condition_only_before_something_to_happen(content, conditional):
    assert code_stance("say", "said", content).conditional is conditional


@pytest.mark.parametrize(
    "content",
    [
        "talks could only help ease the tensions",
        "the deal would only allow grain ships to use the ports",
        "Russia is asking questions to the other side about the blast",
    ],
)
def test_endorsements_and_questions_are_no_moves(content: str) -> None:
    assert code_stance("say", "said", content).stance == "claim"


def test_a_hedge_is_no_refusal():
    assert code_stance("say", "said", "it would be no surprise if talks resumed").stance != "reject"
    assert code_stance("say", "said", "there would be no talks with Kyiv").stance == "reject"


@pytest.mark.parametrize(
    ("lemma", "cue", "content", "stance"),
    [
        # giving ground, put plainly
        ("say", "said", "Kyiv no longer insisted on a full withdrawal before the talks", "concede"),
        ("say", "said", "Moscow had accepted that the monitors would be civilians", "concede"),
        ("say", "said", "the sides had agreed to swap 300 prisoners each", "claim"),
        # a rejecting verb aimed at an allegation is a denial
        ("dismiss", "dismissed", "reports that its drones had crossed into Moldova", "deny"),
        ("dismiss", "dismissed", "the proposal for a summit in Budapest", "reject"),
        ("say", "said", "the army had nothing to do with the blast at the depot", "deny"),
        # pledges and warnings said with a neutral verb
        ("say", "said", "Norway would send two more air defence batteries to Kyiv", "propose"),
        ("say", "said", "Russia will not stay silent if the refinery is hit again", "threaten"),
        ("say", "said", "any strike on the bridge would be met with countermeasures", "threaten"),
        ("say", "said", "Berlin would still not supply the missiles", "reject"),
        ("say", "said", "the blast at the pipeline was the work of foreign saboteurs", "accuse"),
        ("say", "said", "Ankara would keep working to keep the corridor open", "propose"),
        ("say", "said", "Moscow would hand over 900 bodies next week", "propose"),
        ("say", "said", "a pullback from the city remains a key condition of any deal", "demand"),
        ("say", "said", "lifting the embargo is simply not on the table", "reject"),
        ("say", "said", "he saw no reason to send the jets", "reject"),
        ("say", "said", "there was nothing more to discuss with the envoy", "reject"),
        # another's proposal, named, is no proposal of the speaker's
        ("say", "said", "the leaders had talked about the truce proposed by Ankara", "claim"),
        ("say", "said", "Ankara proposed a truce over the holidays", "propose"),
        # a refusal inside a condition is what is waited for; the main clause is the move
        (
            "say",
            "said",
            "as long as the other side refuses to leave the city, Kyiv must keep fighting",
            "demand",
        ),
        ("say", "said", "Russia had once again refused an unconditional truce", "reject"),
        # not a condition: "provided" done, "once" and "until" of time, a clause with no comma
        # that runs into the speaker's own words
        ("say", "said", "Paris has provided shells but rules out sending troops", "reject"),
        ("say", "said", "Kyiv once rejected any talks but is now ready to meet", "reject"),
        ("say", "said", "until recently Moscow refused any contact with the envoy", "reject"),
        ("say", "said", "if the drills go ahead Minsk will respond", "threaten"),
        # a penalty set on a refusal threatens; the refusal is the condition's, not the speaker's
        (
            "say",
            "said",
            "the bloc would impose sweeping new sanctions if Minsk kept rejecting the truce",
            "threaten",
        ),
        ("say", "said", "Minsk will pay a heavy price if it rejects the truce", "threaten"),
        # a price that is no penalty
        ("say", "said", "buyers would pay a lower price if sanctions were lifted", "claim"),
        # a heavy price is one, whatever it is for; "should it" sets the condition first
        (
            "say",
            "said",
            "Minsk will pay a heavy price for this if it rejects the truce",
            "threaten",
        ),
        ("say", "said", "Minsk would face new sanctions should it reject the truce", "threaten"),
        ("say", "said", "if Moscow agrees we are ready to sign the truce tomorrow", "propose"),
        # a refusal the speaker wants promised is a demand, not a refusal
        (
            "say",
            "said",
            "any truce would require firm guarantees that the army would not regroup",
            "demand",
        ),
        # the speaker's own pledge is theirs
        ("say", "said", "I promise that we will never recognise the annexation", "reject"),
    ],
)
def test_stance_of_moves_put_in_plain_words(
    lemma: str, cue: str, content: str, stance: str
) -> None:
    assert code_stance(lemma, cue, content).stance == stance


def test_verb_meaning_beats_content_words() -> None:
    # "demanded" is a demand even though the content has a propose cue
    assert code_stance("demand", "demanded", "that Kyiv be ready to withdraw").stance == "demand"
    # a neutral verb leaves the stance to the content
    assert code_stance("say", "said", "that Kyiv must withdraw").stance == "demand"
    # an unknown lemma is treated like a neutral verb
    assert code_stance("mutter", "muttered", "the plan was unacceptable").stance == "reject"


def test_a_plain_negated_fact_is_a_claim_and_an_answer_to_an_allegation_a_denial() -> None:
    code = code_stance("say", "said", "there was no agreement on the venue yet")
    assert code.stance == "claim" and not code.negated
    code = code_stance("say", "said", "the reports of a second strike were false")
    assert code.stance == "deny" and not code.negated
    for words in ("this is not true", "that never happened", "it had nothing to do with the blast"):
        code = code_stance("say", "said", words)
        assert code.stance == "deny", words
        assert assertion_sign(code.stance, words) == -1  # a denial asserts the negative
    # a contracted negation is one: "hadn't received" asserts the opposite of "had received"
    assert assertion_sign("claim", "the Kremlin hadn't received the text") == -1
    # so is "cannot", written as one word
    assert assertion_sign("claim", "Moscow cannot confirm that the talks took place") == -1


@pytest.mark.parametrize(
    "content, verdict",
    [
        (
            "If Moscow believes the sanctions will be lifted, it is badly mistaken",
            "is badly mistaken",
        ),
        ("If the Kremlin thinks sanctions will be lifted soon, it is wrong", "is wrong"),
        ("the Kremlin was wrong to think sanctions would be lifted soon", "was wrong to think"),
        (
            "Anyone who thinks Ukraine will give up Crimea is deluding themselves",
            "is deluding themselves",
        ),
        ("whoever says the talks have failed is wrong", "is wrong"),
    ],
)
def test_a_belief_judged_wrong_is_denied_by_its_verdict_alone(content: str, verdict: str) -> None:
    code = code_stance("say", "said", content)
    assert code.stance == "deny" and not code.negated
    # the verdict is the trigger; the belief's words stay what is denied
    assert code.trigger is not None and content[slice(*code.trigger)] == verdict


def test_a_belief_judged_wrong_is_against_what_is_believed(analyse, analyser) -> None:
    [stmt] = analyse(
        "If Moscow believes sanctions will be lifted, it is badly mistaken, Kallas said."
    )
    assert stmt.speaker_mention == "Kallas" and stmt.stance == "deny"
    assert analyser.coder.polarity_on(stmt, "sanctions") == -1


@pytest.mark.parametrize(
    "content",
    [
        "the United States will be sending 31 more tanks to Kyiv",
        "Minsk will additionally hand over 40 wounded soldiers",
        "Oslo will keep supplying Kyiv for as long as necessary",
        "I have decided to send our negotiators to Geneva",
        "the airport would be glad to welcome Belavia again",
        "she would like to meet Xi Jinping",
        "she would like to meet the Chinese leader",
        "we will certainly send more air defence",
        "Turkey will be hosting the talks",
        "he would be glad to",
        "we would be glad to see President Lind in Minsk",
        "we would like to see talks resume",
    ],
)
def test_a_pledge_in_other_words_is_a_proposal(content: str) -> None:
    assert code_stance("say", "said", content).stance == "propose"


@pytest.mark.parametrize(
    "content",
    [
        "Minsk will reportedly send more troops to the border",  # a report, not a pledge
        "Oslo will hardly send more tanks",
        "the new battalions will be set up by Minsk",
        "Nobody has decided to send Western troops",
        "the occupiers have decided to hold sham referendums",
        "I would like to talk about the situation in the Middle East",
        "we would like to meet our obligations",
        "Putin would be happy to see Europe divided",
        # no refusal: "see no reason" with no "to" / "in", or against not meeting
        "we see no reason why negotiations cannot resume",
        "I see no reason not to meet Putin",
        "the Kremlin sees no reason for concern over the drills",
        "we see no reason to be alarmed",
    ],
)
def test_what_only_looks_like_a_pledge_or_refusal(content: str) -> None:
    assert code_stance("say", "said", content).stance not in ("propose", "reject")


@pytest.mark.parametrize(
    "content",
    ["Kyiv will not be allowed to join NATO", "foreign troops will never be tolerated here"],
)
def test_what_will_not_be_allowed_is_refused(content: str) -> None:
    assert code_stance("say", "said", content).stance == "reject"
    # a forecast in the passive stays a claim
    assert code_stance("say", "said", "The talks will not be easy").stance == "claim"


@pytest.mark.parametrize(
    "content",
    [
        "the president sees no point in a meeting",
        "he saw no reason right now to add sanctions",
        "I see no point",
    ],
)
def test_seeing_no_point_refuses(content: str) -> None:
    assert code_stance("say", "said", content).stance == "reject"


def test_giving_up_is_no_pledge() -> None:
    assert code_stance("say", "said", "we will give up nothing").stance != "propose"
    assert code_stance("say", "said", "Oslo would give Kyiv more air defence").stance == "propose"


def test_what_another_side_will_not_do_is_foretold_not_refused() -> None:
    def foreign(name: str) -> bool:
        return name in ("Russia", "Moscow")

    # said by Moscow's opponents: a forecast of Russia's, no refusal of the speaker's
    code = code_stance("say", "said", "Russia will not prevail in Ukraine", foreign=foreign)
    assert code.stance == "claim"
    # the speaker's own side, or a side not known to be another's, still refuses
    for content in ("Hungary will not take part in arms deliveries", "we will not sign"):
        assert code_stance("say", "said", content, foreign=foreign).stance == "reject", content
    # "our" is the speaker's, whatever name follows
    code = code_stance("say", "said", "our Moscow team will not prevail alone", foreign=foreign)
    assert code.stance == "reject"
    # a red line drawn for the other side is the speaker's refusal, not a forecast
    for content in ("Russia will not get a single inch of our land", "Moscow will not join"):
        assert code_stance("say", "said", content, foreign=foreign).stance == "reject", content


@pytest.mark.parametrize(
    "content",
    [
        # the speaker's own caution is no belief of someone else's judged wrong
        "It would be wrong to expect immediate decisions",
        "It is wrong to think that Minsk can win on the battlefield",
        # "wrong" about something else, or inside the belief, or in another clause
        "the West was wrong about Russia's economy",
        "If Putin says the peace plan is wrong, we will discuss it with him",
        "If the Kremlin believes talks can resume, Kyiv is ready, but the timing is wrong",
        "Those who say the sanctions are wrong should remember who started the war",
    ],
)
def test_a_wrong_belief_leaves_other_verdicts_alone(content: str) -> None:
    assert code_stance("say", "said", content).stance != "deny"


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        (
            "If Minsk thinks it can attack a NATO member, it is mistaken: we will respond",
            "threaten",
        ),
        (
            "Minsk must withdraw its troops. If it thinks it can wait us out, it is mistaken",
            "demand",
        ),
        ("If Minsk believes the sanctions will go, it's badly mistaken", "deny"),
        ("If the Kremlin thought the West would abandon Kyiv, it was badly mistaken", "deny"),
        ("If Putin believes he can outlast Europe, he would be mistaken", "deny"),
        ("People who say Kyiv will give up Crimea are wrong", "deny"),
        ("If Moscow thinks the West will tire, it is making a grave mistake", "deny"),
    ],
)
def test_a_wrong_belief_beside_other_moves(content: str, stance: str) -> None:
    # a move of the speaker's own beside the verdict is theirs; the verdict in more words
    assert code_stance("say", "said", content).stance == stance


def test_a_claims_sign_is_read_in_its_main_clause() -> None:
    # a negation in a reason or time added after the claim is not the claim's
    aside = "the two sides would begin serious talks soon, after a call that ended without a deal"
    assert main_clause(aside) == "the two sides would begin serious talks soon"
    assert assertion_sign("claim", aside) == 1
    assert assertion_sign("claim", "talks would begin soon because nobody wants a long war") == 1
    # so is one in an aside on a noun
    aside = "this war, which would never have started under me, must end now"
    assert main_clause(aside) == "this war must end now"
    assert assertion_sign("claim", aside) == 1
    # an opening phrase, a lead-in, an aside or a leading condition closed by a comma is not
    # where the claim ends
    for negative in (
        "as expected, talks will not resume",
        "So far, no agreement has been reached",
        "The talks, which were planned for Friday, will not take place",
        "We have said it clearly: there will be no talks",
        "if Putin stays away, there is nothing for us to do there",
        "Although talks continue, there will be no ceasefire",
        "Washington regards the talks as no longer useful",
    ):
        assert assertion_sign("claim", negative) == -1, negative
    assert (
        main_clause("So far, no agreement has been reached")
        == "So far, no agreement has been reached"
    )


def test_a_claims_other_negations_belong_to_what_is_claimed() -> None:
    code = code_stance("say", "said", "Kyiv sees no sign of a withdrawal")
    assert code.stance == "claim" and not code.negated


def test_not_ruling_out_is_not_a_rejection() -> None:
    code = code_stance("say", "said", "Moscow does not rule out resuming talks with Kyiv")
    assert not (code.stance == "reject" and not code.negated)


@pytest.mark.parametrize(
    ("stance", "negated", "direction", "expected"),
    [
        ("demand", False, 1, 1),
        ("demand", True, 1, -1),
        ("demand", False, -1, -1),
        ("demand", True, -1, 1),
        ("reject", False, 1, -1),
        ("reject", True, 1, 1),
        ("deny", False, -1, 1),
        ("propose", False, 1, 1),
        ("concede", False, 1, 1),
        ("claim", False, -1, -1),
        # a threat is for what it threatens: "we will block the package" is for easing
        ("threaten", False, 1, 1),
        # an accusation is against what it blames: "Kyiv attacks our power plants" (away from
        # sparing them) is for sparing them
        ("accuse", False, -1, 1),
        ("accuse", True, -1, -1),
        ("demand", False, 0, 0),
        ("no-such-stance", False, 1, 0),
    ],
)
def test_polarity(stance: str, negated: bool, direction: int, expected: int) -> None:
    assert polarity(stance, negated, direction) == expected


# --- targets -------------------------------------------------------------------------------------


def test_oblasts_not_cities(gazetteer: Gazetteer) -> None:
    found = gazetteer.find("Drones struck Mykolaiv and Kharkiv oblasts overnight.")
    assert ids(found) == ["UA-48", "UA-63"]
    assert all(t.kind == "place" for t in found)


def test_bare_city_name_is_the_city(gazetteer: Gazetteer) -> None:
    assert ids(gazetteer.find("Kharkiv came under fire again on Sunday.")) == ["city:kharkiv"]
    assert ids(gazetteer.find("Officials in the Kharkiv region reported damage.")) == ["UA-63"]


def test_later_region_word_does_not_make_city_an_oblast(gazetteer: Gazetteer) -> None:
    found = gazetteer.find("Missiles hit Kharkiv overnight, the head of the region said.")
    assert ids(found) == ["city:kharkiv"]


@pytest.mark.parametrize("spelling", ["Zaporozhye", "Zaporizhzhia", "Zaporizhia"])
def test_zaporizhzhia_spellings(gazetteer: Gazetteer, spelling: str) -> None:
    assert ids(gazetteer.find(f"Shelling near {spelling} continued.")) == ["city:zaporizhzhia"]
    assert ids(gazetteer.find(f"Russia claims the whole {spelling} region.")) == ["UA-23"]


def test_objects_and_groups(gazetteer: Gazetteer) -> None:
    found = gazetteer.find("Moscow wants Aeroflot back in European skies.")
    assert [(t.kind, t.id, t.name) for t in found] == [("object", "aeroflot", "Aeroflot")]
    four = gazetteer.find("Ukrainian troops must leave the four regions, the Kremlin said.")
    assert ids(four) == ["group:four-regions"]
    assert gazetteer.places["group:four-regions"].members == ["UA-14", "UA-09", "UA-23", "UA-65"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Moscow demanded that Kyiv withdraw from Kherson Oblast.", ["UA-65"]),
        ("The envoy said Kyiv recognised nothing and ceded nothing.", []),
        ("Drones struck Kyiv and Kherson overnight.", ["UA-30", "city:kherson"]),
        ("Moscow demands that Kyiv withdraws its troops from Donetsk Oblast.", ["UA-14"]),
        (
            "The strike on Kyiv signalled a new phase, Kharkiv officials said.",
            ["UA-30", "city:kharkiv"],
        ),
        # elsewhere the capital is the government it names, whatever verb follows
        ("Russia agreed to Kyiv's request for a pause.", []),
        ("Weapons will keep flowing to Kyiv, and the Kyiv regime knows it.", []),
        ("Power plants in Kyiv were hit overnight.", ["UA-30"]),
        ("Explosions rocked Kyiv as drones targeting Kyiv were shot down.", ["UA-30"]),
        ("Troops massed north of Kyiv.", ["UA-30"]),
        ("Sanctions on the Kyiv regime's backers.", []),
    ],
)
def test_a_capital_that_acts_is_its_government(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert ids(gazetteer.find(text)) == expected


def test_an_issue_named_is_no_target(gazetteer: Gazetteer) -> None:
    # what a statement is about is its issue; a target is a place or a thing within it
    text = "Elections in Ukraine, NATO membership, security guarantees and a prisoner exchange"
    assert gazetteer.find(text) == []
    assert gazetteer.find("an unconditional ceasefire and direct flights to Russia") == []
    assert ids(gazetteer.find("the 30-day ceasefire and Article 5")) == [
        "ceasefire-30-day",
        "article-5",
    ]


def test_an_object_named_again_by_a_short_form(gazetteer: Gazetteer) -> None:
    before = "Rosatom said the Zaporizhzhia nuclear plant would stay Russian. "
    assert ids(gazetteer.recalled("the plant must be returned to Ukraine", before)) == ["znpp"]
    # only once the article has named it, and only the short forms it has
    assert gazetteer.recalled("the plant must be returned to Ukraine", "Talks resumed.") == []
    assert gazetteer.recalled("the factory must be returned to Ukraine", before) == []
    grain = "Russia quit the Black Sea grain deal on Monday. "
    assert ids(gazetteer.recalled("Kyiv wants the corridor kept open", grain)) == [
        "black-sea-grain-initiative"
    ]
    # said again, it still names it; another thing of its kind named since may be meant
    again = grain + "Ankara said the deal could return. "
    assert ids(gazetteer.recalled("the deal is dead", again)) == ["black-sea-grain-initiative"]
    minerals = grain + "Kyiv and Washington signed the minerals deal on Wednesday. "
    assert gazetteer.recalled("Zelensky said the deal was fair", minerals) == []
    struck = before + "Drones struck the Trypillia thermal power plant overnight. "
    assert gazetteer.recalled("the plant was destroyed", struck) == []


def test_a_statement_names_again_what_its_article_named(coder: Coder) -> None:
    text = "Rosatom said on Saturday that the Zaporizhzhia nuclear plant would stay Russian."
    later = "The plant is Ukrainian and it will be returned"
    stmt = make_stmt(later, offsets=Offsets(cue=[], content=[(len(text) + 1, len(text) + 47)]))
    coder([stmt], text=f"{text} {later}.")
    assert ids(stmt.targets) == ["znpp"]
    # a statement before the name does not know it
    first = make_stmt("the plant is Russian", offsets=Offsets(cue=[], content=[(0, 20)]))
    coder([first], text=f"The plant is Russian, {text}")
    assert first.targets == []


def test_targets_deduplicated_and_empty(gazetteer: Gazetteer) -> None:
    found = gazetteer.find("Aeroflot, and only Aeroflot, was named; the SWIFT ban stays.")
    assert ids(found) == ["aeroflot", "swift"]
    assert gazetteer.find("Nothing named here at all.") == []


def test_iso_name_added_from_pycountry(gazetteer: Gazetteer) -> None:
    assert "UA-63" in ids(gazetteer.find("Kharkivska oblast"))


def test_swift_adjective_is_not_the_payment_system(gazetteer: Gazetteer) -> None:
    assert gazetteer.find("He called for a swift end to the war.") == []


# --- PLOVER --------------------------------------------------------------------------------------


def test_plover_demand_on_sanctions(taxonomy: Taxonomy) -> None:
    sanctions = taxonomy.get("sanctions")
    event = code_plover("demand", False, sanctions)
    assert event is not None
    assert event.event == "REQUEST"
    assert event.mode == "yield" == sanctions.mode  # type: ignore[union-attr]
    assert event.context == ["economic"]


def test_plover_negated_and_other_events(taxonomy: Taxonomy) -> None:
    sanctions = taxonomy.get("sanctions")
    negated = code_plover("demand", True, sanctions)
    assert negated is not None and negated.event == "REJECT" and negated.mode == "yield"
    assert code_plover("claim", False, sanctions) is None
    assert code_plover("claim", True, None) is None
    accuse = code_plover("accuse", False, taxonomy.get("prisoners"))
    assert accuse is not None and (accuse.event, accuse.mode) == ("ACCUSE", "disapprove")
    threat = code_plover("threaten", True, None)  # a negated threat stays a threat
    assert threat is not None and (threat.event, threat.mode, threat.context) == (
        "THREATEN",
        None,
        [],
    )
    agree = code_plover("propose", False, taxonomy.get("negotiations_process"))
    assert agree is not None and agree.event == "AGREE" and agree.mode is None
    assert code_plover("deny", False, None).event == "REJECT"  # type: ignore[union-attr]


# --- Coder end to end ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "reporter", "speaker", "reported_by"),
    [
        # one of Kyiv's own relaying what Kyiv did speaks for it
        ("Kyiv", "Vereshchuk", "Iryna Vereshchuk", None),
        ("Kremlin", "Peskov", "Dmitry Peskov", None),
        # the other side's telling of it is a relay, and so is one out of office's
        ("Kyiv", "Peskov", "Kyiv", "Dmitry Peskov"),
        ("Kyiv", "Poroshenko", "Kyiv", "Petro Poroshenko"),
        # and so is one person's telling of another's
        ("Putin", "Peskov", "Vladimir Putin", "Dmitry Peskov"),
    ],
)
def test_a_relay_of_ones_own_capital_is_ones_own_statement(
    coder: Coder, group: str, reporter: str, speaker: str, reported_by: str | None
) -> None:
    stmt = make_stmt(
        "that Russia return every civilian it had taken",
        speaker_name=group,
        speaker_mention=group,
        cue="demanded",
        cue_lemma="demand",
        reported_by=reporter,
    )
    coder([stmt])
    assert (stmt.speaker, stmt.reported_by) == (speaker, reported_by)


def test_coder_fills_everything(coder: Coder) -> None:
    stmt = make_stmt(
        "Moscow demands that the EU lift sanctions on Aeroflot only if flights are to resume",
        speaker_name="Lavrov",
        speaker_mention="Lavrov",
        cue="demanded",
        cue_lemma="demand",
        said_on=date(2025, 4, 2),
        reported_by="Peskov",
    )
    out = coder([stmt])
    assert out == [stmt]
    assert stmt.speaker == "Sergey Lavrov"
    assert stmt.speaker_id == "sergey-lavrov"
    assert stmt.side == "russia"
    assert stmt.role == "Minister of Foreign Affairs, Russia"
    assert stmt.reported_by == "Dmitry Peskov"
    assert set(stmt.issues) >= {"sanctions", "air_travel"}
    assert stmt.stance == "demand" and not stmt.negated and stmt.conditional
    assert stmt.polarity == 1
    assert ids(stmt.targets) == ["aeroflot"]
    assert stmt.plover is not None and stmt.plover.event == "REQUEST"
    assert coder.polarity_on(stmt, "sanctions") == 1
    assert coder.polarity_on(stmt, "no-such-issue") == 0


def test_coder_role_phrase_and_unknown(coder: Coder) -> None:
    by_role = coder.code(
        make_stmt(
            "Ukraine will never recognise the annexation of Crimea",
            speaker_mention="Ukraine's foreign minister",
            said_on=date(2023, 3, 1),
        )
    )
    assert by_role.speaker_id == "dmytro-kuleba" and by_role.side == "ukraine"
    assert by_role.institution == "Ukrainian Foreign Ministry"
    assert by_role.issues[0] == "territory"
    # "recognise the annexation" argues toward Russia keeping land; rejecting it is against
    assert by_role.stance == "reject" and by_role.polarity == -1
    unknown = coder.code(
        make_stmt(
            "the weather was mild",
            speaker_name="Jane Roe",
            speaker_mention="Jane Roe",
        )
    )
    assert (
        unknown.speaker,
        unknown.speaker_id,
        unknown.side,
        unknown.role,
        unknown.institution,
    ) == ("Jane Roe", None, "unknown", None, None)
    assert unknown.issues == ["other"] and unknown.stance == "claim"
    assert unknown.polarity == 0 and unknown.plover is None and unknown.targets == []


@pytest.mark.parametrize(
    ("mention", "side"),
    [
        # in English-language copy "a senior administration official" is Washington's
        ("a senior administration official", "us"),
        ("Senior administration officials", "us"),
        ("a Ukrainian presidential administration official", "ukraine"),  # a side named first
        ("a presidential administration official", "unknown"),  # Moscow's or Kyiv's as often
        ("an administration spokesman", "unknown"),  # only the set phrase
    ],
)
def test_an_administration_official_is_american(coder: Coder, mention: str, side: str) -> None:
    stmt = coder.code(make_stmt("the talks were useful", speaker_mention=mention))
    assert stmt.side == side


@pytest.mark.parametrize(
    ("mention", "side"),
    [
        ("Prime Minister Keir Starmer's office", "uk"),
        ("Erdogan's chief spokesman", "turkey"),
        ("Ursula von der Leyen's spokesperson", "eu"),
        ("Jane Roe's office", "unknown"),  # an owner the registry does not know
    ],
)
def test_an_office_is_on_its_owners_side(coder: Coder, mention: str, side: str) -> None:
    stmt = coder.code(make_stmt("the talks were useful", speaker_mention=mention))
    assert stmt.side == side


def test_refusing_recognition_is_against_russia_keeping_land(coder: Coder) -> None:
    stmt = coder.code(
        make_stmt(
            "Kyiv will never recognise Russian control of Crimea",
            speaker_name="Zelensky",
        )
    )
    assert stmt.issues[0] == "territory" and stmt.stance == "reject"
    assert stmt.polarity == -1


def test_a_refusal_counts_the_words_it_runs_into(coder: Coder) -> None:
    """In "will never return to Ukraine" the refusal's words end at "return": "return to
    Ukraine" is what is refused, not the refusal said again."""
    stmt = coder.code(make_stmt("Crimea will never return to Ukraine", speaker_name="Lavrov"))
    assert stmt.stance == "reject" and stmt.polarity == 1
    said = "It will never happen. Crimea going back to Ukraine is a fantasy"
    assert coder.code(make_stmt(said, speaker_name="Lavrov")).polarity == 1
    swift = "Rosselkhozbank is not going back on SWIFT, period"
    assert coder.code(make_stmt(swift, speaker_name="Rubio")).polarity == -1


def test_coder_negated_demand_polarity(coder: Coder) -> None:
    stmt = coder.code(make_stmt("Russia is not seeking sanctions relief", speaker_name="Peskov"))
    assert stmt.stance == "demand" and stmt.negated
    assert stmt.polarity == -1
    assert stmt.plover is not None and stmt.plover.event == "REJECT"


def test_a_description_listed_twice_for_one_actor_still_resolves(registry: Registry) -> None:
    # "the Kremlin spokesman" and "Kremlin spokesman" are one key after normalising
    actor = registry.by_description("the Kremlin spokesman", on=date(2023, 5, 1))
    assert actor is not None and actor.name == "Dmitry Peskov"


def test_role_title_names_its_one_holder_on_the_day(registry: Registry) -> None:
    early = registry.by_description("the chancellor", on=date(2023, 3, 1))
    late = registry.by_description("the chancellor", on=date(2025, 9, 1))
    assert early is not None and early.name == "Olaf Scholz"
    assert late is not None and late.name == "Friedrich Merz"
    # a bare common title has too many holders to guess from
    assert registry.by_description("the minister", on=date(2025, 9, 1)) is None


def test_a_description_as_written_names_the_person_not_the_body_in_it(
    registry: Registry,
) -> None:
    # the text found the body "UN" inside "the UN secretary-general": the registry's
    # description names the person
    actor = registry.resolve("UN", "the UN secretary-general", on=date(2023, 5, 1))
    assert actor is not None and actor.id == "antonio-guterres"
    # a name the text found elsewhere for a description stays the text's
    actor = registry.resolve("Vladimir Medinsky", "the Kremlin aide", on=date(2025, 5, 16))
    assert actor is not None and actor.id == "vladimir-medinsky"
    # only a name found as a word of the mention: "us" is in "the Russian president" as letters
    actor = registry.resolve("US", "the Russian president", on=date(2025, 5, 16))
    assert actor is not None and actor.id == "united-states"


def test_role_words_follow_the_date(registry: Registry) -> None:
    words = registry.role_words("Kuleba", date(2023, 1, 1))
    assert {"minister", "ukraine"} <= words
    assert registry.role_words("Kyiv", date(2023, 1, 1)) == set()


@pytest.mark.parametrize(
    ("text", "issues"),
    [
        # a remark naming no issue takes the article's subject; one that names its own keeps it
        (
            "KYIV, May 6 - Ukraine asked its partners on Tuesday for more air defence systems "
            "and ammunition for the summer.\n\n"
            "Defence Minister Rustem Umerov said one battery would not be enough for a city of "
            "that size.\n\n"
            "Ukrainian President Volodymyr Zelensky said the sanctions on Russian banks had to "
            "stay.",
            {"Rustem Umerov": ["military_aid"], "Volodymyr Zelensky": ["sanctions"]},
        ),
        # the grain deal is an issue of its own: a remark on it is not given the sanctions the
        # article opens on; issues named beside it come in the order the words name them
        (
            "ISTANBUL, July 18 - Russia said on Monday that sanctions on its banks were "
            "blocking its farm exports and that it would seek sanctions relief at the talks."
            "\n\nTurkish President Tayyip Erdogan said the grain corridor would stay open.\n\n"
            "Ukrainian Foreign Minister Dmytro Kuleba said one convoy had already left Odesa."
            "\n\nThe Kremlin said Moscow wanted written guarantees before the grain deal "
            "resumed.",
            {
                "Recep Tayyip Erdoğan": ["grain_deal"],
                "Dmytro Kuleba": ["sanctions"],
                "Kremlin": ["security_guarantees", "grain_deal"],
            },
        ),
        # the minerals deal is on none of the taxonomy's issues ("other" names it): a remark on
        # it is not given the article's subject
        (
            "KYIV, Feb 20 - Ukraine asked its partners on Tuesday for more air defence systems."
            "\n\nUkrainian Prime Minister Denys Shmyhal said the minerals deal would be signed "
            "next week.",
            {"Denys Shmyhal": ["other"]},
        ),
    ],
)
def test_what_a_remark_naming_no_issue_is_on(analyse, text, issues) -> None:
    stmts = {s.speaker: s.issues for s in analyse(text)}
    assert {speaker: stmts[speaker] for speaker in issues} == issues


def test_an_issue_beside_a_subject_on_none_leads(coder: Coder) -> None:
    text = "the minerals deal would not be signed until sanctions on Russian banks were lifted"
    stmt = coder.code(make_stmt(text, speaker_mention="Sergey Lavrov"))
    assert stmt.issues == ["sanctions", "other"]
    assert stmt.polarity != 0 and stmt.plover is not None


def test_a_remark_naming_no_issue_takes_the_headlines_subject(analyser) -> None:
    text = (
        "GENEVA, March 3 - Envoys from Kyiv and Moscow met for five hours on Monday.\n\n"
        "Ukrainian Foreign Minister Andrii Sybiha said the 30 days would start at midnight."
    )
    for title, issue in (("Kyiv and Moscow agree a 30-day truce", "ceasefire"), (None, None)):
        doc = Doc(source="t", text=text, title=title, published=date(2025, 3, 4))
        [done] = analyser([doc])
        [stmt] = [s for s in done.statements if s.speaker == "Andrii Sybiha"]
        assert (stmt.issues[0] == "ceasefire") == (issue == "ceasefire")


def test_the_topic_is_the_first_issue_the_opening_names() -> None:
    coder = Coder(Settings(), embeddings=False)
    assert coder.topic("A truce along the front line was agreed in Riyadh.") == "ceasefire"
    assert coder.topic("The front line and a truce were discussed in Riyadh.") == "territory"
    assert coder.topic("The weather in Geneva was mild.") is None
    # a subject on no issue is a topic too: what follows it is not lent another issue
    assert coder.topic("Kyiv signed the minerals deal despite the sanctions row.") == "other"
    assert coder.topic("Ships left Odesa under the grain deal despite sanctions.") == "grain_deal"
    late = "The weather in Geneva was mild. " * 20 + "Sanctions were discussed."
    assert coder.topic(late) is None  # only the opening counts
    # the headline names the subject first, before a lead that opens on something else
    lead = "The front line barely moved as envoys met in Riyadh."
    assert coder.topic(lead, title="Kremlin rejects a truce before talks") == "ceasefire"
    assert coder.topic(lead, title="Envoys meet in Riyadh") == "territory"


def test_a_think_tank_speaking_for_itself_is_the_publisher(analyser) -> None:
    text = (
        "The Institute assesses that Moscow is unlikely to accept a ceasefire before the "
        "autumn.\n\nThe agency said the talks in Geneva would resume next week."
    )
    for outlet, side in (("Eastern Front Research Institute", "analyst"), ("Capital Agency", None)):
        [done] = analyser([Doc(source="t", text=text, outlet=outlet, published=date(2025, 5, 2))])
        by_mention = {s.speaker_mention: s for s in done.statements}
        institute = by_mention["The Institute"]
        if side:
            assert (institute.speaker, institute.side) == (outlet, side)
            # undated, its own assessment is made the day it publishes
            assert institute.said_on == date(2025, 5, 2)
        else:
            # the publisher is an agency: "the agency" is it, of no known side
            agency = by_mention["The agency"]
            assert (agency.speaker, agency.side) == (outlet, "unknown")
            assert agency.said_on is None  # an agency's copy is no assessment of its own
            assert institute.speaker != outlet


@pytest.mark.parametrize(
    ("name", "text", "side"),
    [
        # the article names the body with its country
        (
            "Defence Ministry",
            "KYIV - Russia's Defence Ministry said it shot down drones.",
            "russia",
        ),
        ("MoD", "Overnight the Russian MoD claimed two villages.", "russia"),
        ("Ministry of Defence", "The Ministry of Defence of Ukraine said so.", "ukraine"),
        ("Office of the President", "Ukraine's Office of the President said so.", "ukraine"),
        ("Ministry of Foreign Affairs", "The Russian Ministry of Foreign Affairs said.", "russia"),
        # a dateline is no guide: wire copy from Kyiv tells of Russia's ministry too
        (
            "Defence Ministry",
            "KYIV (Reuters) - The Defence Ministry said it took a village.",
            "unknown",
        ),
        (
            "Defence Ministry",
            "KYIV - Russia's Defence Ministry and Ukraine's Defence Ministry",
            "unknown",
        ),
        # a country at the end of the sentence before is not the body's
        (
            "Foreign Ministry",
            "The corridor was run jointly with Ukraine. Foreign Ministry aides",
            "unknown",
        ),
        ("Foreign Ministry", "MOSCOW/KYIV - The Foreign Ministry said.", "unknown"),
        # a Moscow dateline with no country named: Russian copy's own ministry
        ("Defence Ministry", "MOSCOW, July 20. /TASR/. The Defence Ministry said.", "russia"),
        ("Foreign Ministry", "SOCHI/MOSCOW. The Foreign Ministry said so.", "russia"),
        ("Harbor Partners", "MOSCOW, July 20. /TASR/. Harbor Partners said.", "unknown"),  # no body
    ],
)
def test_a_body_the_registry_does_not_know_takes_its_articles_country(
    coder: Coder, name: str, text: str, side: str
) -> None:
    assert _body_coded(coder, name, text).side == side


def _body_coded(coder: Coder, name: str, text: str) -> Statement:
    """A statement by "the {name}", coded in an article of `text`, where it last names them."""
    at = text.lower().rfind(f"the {name}".lower())
    stmt = make_stmt("the drones were shot down", speaker_mention=f"the {name}", speaker_name=name)
    stmt.offsets = Offsets(source=[(at, at + len(name) + 4)] if at >= 0 else [])
    coder([stmt], text=text)
    return stmt


@pytest.mark.parametrize(
    ("name", "text", "speaker"),
    [
        # once the article has placed the body, it is the registry's body of that side
        (
            "Defence Ministry",
            "KYIV - Russia's Defence Ministry said so.",
            "Russian Defence Ministry",
        ),
        ("MoD", "Overnight the Russian MoD claimed two villages.", "Russian Defence Ministry"),
        (
            "Ministry of Defence",
            "The Ministry of Defence of Ukraine said.",
            "Ukrainian Defence Ministry",
        ),
        # words that fit several bodies of the side name none of them
        ("ministry", "Russia's ministry said so.", "ministry"),
        # an unplaced body stays as written
        ("Defence Ministry", "KYIV (Reuters) - The Defence Ministry said so.", "Defence Ministry"),
        # a kind of body alone is none of the side's bodies in particular
        ("service", "MOSCOW, Aug 5 - Russia's customs service said so.", "service"),
        ("administration", "MOSCOW, Aug 5 - The city administration said so.", "administration"),
        # Russian copy's "the head of state", no name given: the Russian president that day
        ("head of state", "SOCHI/MOSCOW. The head of state said on Wednesday", "Vladimir Putin"),
        ("President", "MOSCOW, November 3. /TASR/. The President said", "Vladimir Putin"),
        # nor where the text names another president before it; one named after is no guide
        (
            "President",
            "MOSCOW, April 12. /TASS/. Kazakh President Kassym-Jomart Tokayev said. The "
            "President said",
            "President",
        ),
        (
            "head of state",
            "MOSCOW, Nov 3. /TASR/. The head of state said so. He later called Turkish "
            "President Recep Tayyip Erdogan.",
            "Vladimir Putin",
        ),
        # no other dateline is a guide, and none at all is none
        ("President", "KYIV, November 3. The President said", "President"),
        ("head of state", "The head of state said on Wednesday", "head of state"),
    ],
)
def test_a_placed_body_or_head_of_state_is_the_registrys_actor(
    coder: Coder, name: str, text: str, speaker: str
) -> None:
    stmt = _body_coded(coder, name, text)
    assert stmt.speaker == speaker
    actor = coder.registry.by_name(speaker, fuzzy=False)
    assert stmt.speaker_id == (actor.id if actor else None)


@pytest.mark.parametrize(
    ("mention", "is_publisher"),
    [
        ("the Institute", True),  # the first or last word of its name
        ("Calder", True),
        ("the Calder Institute", True),
        ("Conflict", False),  # a word from the middle of it alone
        ("the Harbor Institute", False),  # another body
        ("CICM", True),  # its initials
        ("the CICM", True),
        ("CI", False),
    ],
)
def test_a_publisher_is_named_by_a_short_form_of_its_name(
    coder: Coder, mention: str, is_publisher: bool
) -> None:
    outlet = "Calder Institute for Conflict Monitoring"
    stmt = make_stmt("the offensive has stalled near the river", speaker_mention=mention)
    coder([stmt], text="The offensive has stalled near the river, the report said.", outlet=outlet)
    assert (stmt.speaker == outlet) == is_publisher
    if is_publisher:
        assert stmt.side == "analyst"  # the publisher's name reads as a research body's


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("said Lena Brandt, a security analyst in Tallinn.", "analyst"),
        (
            "Lena Brandt, a deputy head of the Russian foreign ministry's press office, said",
            "russia",
        ),
        ("Lena Brandt said", "unknown"),  # nothing beside the name says
        ("said Lena\nBrandt, a security analyst in Tallinn.", "analyst"),  # broken by a line
        # not a description of her: the next clause's subject, a lower-case "us"
        ("After meeting Lena Brandt, the Russian foreign minister said", "unknown"),
        ("Lena Brandt, a mother who told us she had fled, said", "unknown"),
        # nor of another person whose name ends the same way
        ("Anna-Lena Brandt, a Russian official, was there. Lena Brandt said", "unknown"),
        # a title before the name, or "the" phrase a comma closes
        ("Turkish Defence Minister Lena Brandt said", "turkey"),
        ("Turkey's defence minister, Lena Brandt, said", "turkey"),
        ("Lena Brandt, the Pentagon's policy chief, told reporters", "us"),
        ("After meeting Lena Brandt, the Russian foreign minister, Sergei Lavrov, said", "unknown"),
        ("In a call with Russian officials Lena Brandt said", "unknown"),
        # the title's own words, not the sentence's subject before it
        ("Moscow welcomed Turkish Defence Minister Lena Brandt, who said", "turkey"),
        ("Russia's talks with Defence Minister Lena Brandt went on. Lena Brandt said", "unknown"),
        # a person of a research body, or a political scientist, is an analyst
        ("said Lena Brandt of the Baltic Security Forum.", "analyst"),
        ("said Lena Brandt of the Harbor Institute for Strategy.", "analyst"),
        ("said Lena Brandt of the Danish Foreign Ministry.", "unknown"),
        ("Political scientist Lena Brandt said", "analyst"),
    ],
)
def test_a_person_the_registry_does_not_know_takes_the_side_the_text_describes(
    coder: Coder, text: str, side: str
) -> None:
    stmt = make_stmt("the corridor would stay open", speaker_name="Lena Brandt")
    stmt = coder.code(stmt, text=f"{text} the corridor would stay open.")
    assert stmt.side == side


def test_a_research_body_the_registry_does_not_know_is_an_analyst(coder: Coder) -> None:
    stmt = coder.code(
        make_stmt("Moscow is using the truce to regroup", speaker_mention="the Harbor Institute")
    )
    assert stmt.side == "analyst"
    studies = coder.code(
        make_stmt("The front is static", speaker_mention="Harbor Conflict Studies")
    )
    assert studies.side == "analyst"  # the "s" of "Studies" is no possessive
    # a person's office takes their side, though "Council" reads as a research body's
    office = make_stmt(
        "the EU would support a summit",
        speaker_mention="European Council President Charles Michel's office",
        speaker_name="Charles Michel's office",
    )
    assert coder.code(office).side == "eu"
    # so does one who speaks for a person
    spokesman = make_stmt("the convoy had arrived", speaker_mention="A spokesman for Guterres")
    assert coder.code(spokesman).side == "un"
    former = make_stmt("the war would go on", speaker_mention="A former adviser to Putin")
    assert coder.code(former).side == "unknown"  # no longer speaks for him
    # an analyst, whatever their country
    russian = make_stmt("the plan is good", speaker_mention="Russian political analyst Lena Brandt")
    assert coder.code(russian).side == "analyst"
    # a body of a state stays with its state, and an unknown name is of no side
    council = coder.code(make_stmt("The talks must go on", speaker_mention="the European Council"))
    assert council.side == "eu"
    assert coder.code(make_stmt("Talks must go on", speaker_mention="Harbor Partners")).side == (
        "unknown"
    )


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        (
            "French soldiers will be on the ground in Ukraine the day after a truce.",
            "security_guarantees",
        ),
        (
            "European contingents could be stationed at key points once a deal is signed.",
            "security_guarantees",
        ),
        ("Slovakia will block the next package until it gets gas guarantees.", "sanctions"),
        ("Zelensky's term had expired, so any document he signs can be challenged.", "legitimacy"),
        ("There are no longer any range restrictions on the missiles.", "military_aid"),
        ("The White House urged Congress to pass the supplemental.", "military_aid"),
        ("Budapest will not pay for the European Peace Facility.", "military_aid"),
        ("Any foreign military presence in Ukraine is unacceptable.", "security_guarantees"),
        ("Two hundred defenders of Mariupol are still in captivity.", "prisoners"),
    ],
)
def test_issue_named_by_what_it_involves(taxonomy: Taxonomy, text: str, issue: str) -> None:
    assert issue in taxonomy.code(text)


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("Funding for reconstruction must come from frozen Russian assets.", "military_aid"),
        ("Public support for Ukraine's NATO bid is growing.", "military_aid"),
        ("We will bring home the troops once a ceasefire holds.", "prisoners"),
    ],
)
def test_words_near_an_issue_do_not_name_it(taxonomy: Taxonomy, text: str, issue: str) -> None:
    assert issue not in taxonomy.code(text)


def test_telling_of_the_other_sides_attack_is_an_accusation(coder: Coder) -> None:
    text = "Russia had struck a substation in the Dnipropetrovsk region overnight"
    kyiv = coder.code(make_stmt(text, speaker_name="Volodymyr Zelensky"))
    moscow = coder.code(make_stmt(text, speaker_name="Maria Zakharova"))
    assert (kyiv.side, kyiv.stance) == ("ukraine", "accuse")
    assert (moscow.side, moscow.stance) == ("russia", "claim")
    # blaming the attacker is a position for sparing what was hit
    assert coder.polarity_on(kyiv, "energy_infrastructure") == 1


@pytest.mark.parametrize(
    ("venue", "outlet", "kept"),
    [
        ("the Ledger", "Kyiv Morning Ledger", False),  # told us: the article is the occasion
        ("Podil Daily", "Podil Daily", False),
        ("Kyiv", "Kyiv Morning Ledger", True),  # a place the outlet is named after
        ("Fox News", "Kyiv Morning Ledger", True),
        ("the Times", "The Moscow Times", True),  # one of several papers so named
        ("The Moscow Times", "The Moscow Times", False),
        ("the Ledger", None, True),
    ],
)
def test_a_venue_that_names_the_publisher_is_dropped(
    coder: Coder, venue: str, outlet: str | None, kept: bool
) -> None:
    stmt = make_stmt("the truce would hold", speaker_name="Andrii Sybiha", venue=venue)
    assert (coder.code(stmt, outlet=outlet).venue == venue) == kept


@pytest.mark.parametrize(
    ("content", "issue"),
    [
        # a place and what is done to land: territory, though no issue's word is there
        ("that his forces had captured Bakhmut", "territory"),
        ("Zelensky will have to give up that part of Donetsk", "territory"),
        ("that Russia has come to Kherson to stay", "territory"),
        ("that Bakhmut fell to Russian forces", "territory"),
        ("that Russian forces are unlikely to encircle Avdiivka in the near term", "territory"),
        ("the brigade withdrew from Kherson overnight", "territory"),
        ("Russian troops stormed Avdiivka.", "territory"),
        # what is seized or advanced on that is no place, or something of a place, is not
        ("prosecutors seized Russian assets in Brussels", "sanctions"),
        ("police seized Kyiv's ledgers", "other"),
        ("prosecutors seized Odesa port documents", "other"),
        ("Russia will advance on Kyiv's proposal", "other"),
        ("the uncertainty surrounding Odesa was damaging trade", "other"),
        # a place alone, or an act that is not done to it as land, is not
        ("that decisions on the strikes were taken not in Kyiv but in Washington", "other"),
        ("that she had taken in a teenage boy from Mariupol", "other"),
        ("debris fell on a residential building in Kyiv", "other"),
        ("the fighting in Bakhmut fell silent", "other"),
        ("he urged people in Odesa to stay in shelters", "other"),
        ("Moscow gave up hope of a quick win in Kyiv", "other"),
        ("he handed over a letter in Kyiv", "other"),
        ("Russia claims to have shot down drones over Kursk", "other"),
        ("Putin came to Kherson on Monday", "other"),
        # talks are met with, not targets or losses
        ("Kyiv failed to meet its targets", "other"),
        ("the army will meet with heavy losses", "other"),
        ("Putin was ready to meet Zelensky", "negotiations_process"),
        ("humanitarian aid to Ukraine will continue", "other"),
        ("Ukrainian lands are not for sale", "territory"),
        # "lands" is a verb as often as land; a foreign aid bill is military aid
        ("the bill now lands on the Speaker's desk", "other"),
        ("the House would not pass a foreign aid bill this month", "military_aid"),
    ],
)
def test_issues_from_places_and_what_is_done_to_land(
    coder: Coder, content: str, issue: str
) -> None:
    assert coder.code(make_stmt(content, speaker_name="Someone")).issues[0] == issue


@pytest.mark.parametrize(
    "content",
    [
        "that Moscow will never accept a ceasefire",
        "that Kyiv rejected the proposal out of hand",
        "that the Kremlin denied striking the dam",
    ],
)
def test_an_assessment_stays_a_claim_with_the_learned_coder(coder: Coder, content: str) -> None:
    assert coder.learned is not None  # the default setup
    stmt = make_stmt(content, speaker_name="Meridian Institute", cue="assesses", cue_lemma="assess")
    assert coder.code(stmt).stance == "claim"
