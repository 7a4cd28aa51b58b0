"""The learned stance coder (redline.coding.learned) and how the Coder combines it with the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.coding import Coder, _settled
from redline.coding.issues import Taxonomy
from redline.coding.learned import LearnedCoder, statement_text
from redline.errors import ConfigError
from redline.models import STANCES, Statement
from redline.settings import Settings
from test_coding import make_stmt

SANCTIONS = "sanctions on Russia are eased or lifted"


@pytest.fixture(scope="module")
def learned() -> LearnedCoder:
    return LearnedCoder()


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder(Settings(stance_coder="learned"))


def stmt(content: str) -> Statement:
    """A statement by Lavrov that "said" the content (test_coding's builder)."""
    return make_stmt(content, speaker_mention="Sergei Lavrov", speaker_name="Sergei Lavrov")


def test_the_bundled_labels_are_redlines(learned: LearnedCoder) -> None:
    # the training script lists the stances itself: its order must be the package's
    assert learned.stances == list(STANCES)
    assert learned.positions == [-1, 0, 1]
    # it knows the directions it was trained on, not those of issues added since
    assert learned.knows(SANCTIONS)
    grain = Taxonomy.load().get("grain_deal")
    assert grain is not None and not learned.knows(grain.direction)


def test_answers_are_labels_with_probabilities(learned: LearnedCoder) -> None:
    stance, prob = learned.stance("said", "Moscow would consider the proposal", "claim")
    assert stance in learned.stances and 0.0 < prob <= 1.0
    position, prob = learned.position(SANCTIONS, "said", "the talks went well", "claim", 0)
    assert position in (-1, 0, 1) and 0.0 < prob <= 1.0


def test_the_rules_answer_is_part_of_what_the_model_reads() -> None:
    assert statement_text("said", "x", "demand") == "demand: said | x"
    assert statement_text(None, "x", "claim -1") == "claim -1: x"


@pytest.fixture(scope="module")
def rules_coder() -> Coder:
    return Coder(Settings(stance_coder="rules"))


@pytest.mark.parametrize(
    ("issue", "content", "expected"),
    [
        ("military_aid", "not a single bullet will go to Ukraine from our country", -1),
        ("territory", "Zaporizhzhia and Kherson regions belong to us now and for ever", 1),
    ],
)
def test_the_model_gives_positions_the_rules_cannot(
    coder: Coder, rules_coder: Coder, issue: str, content: str, expected: int
) -> None:
    assert rules_coder.polarity_on(rules_coder.code(stmt(content)), issue) == 0
    assert coder.polarity_on(coder.code(stmt(content)), issue) == expected


@pytest.mark.parametrize(
    ("issue", "content", "expected"),
    [
        ("sanctions", "the restrictions on the national airline should be lifted at once", 1),
        ("sanctions", "the sanctions will stay in place until the last soldier leaves", -1),
        ("military_aid", "Berlin was never going to send the cruise missiles", -1),
    ],
)
def test_the_rules_positions_stand(coder: Coder, issue: str, content: str, expected: int) -> None:
    assert coder.polarity_on(coder.code(stmt(content)), issue) == expected


def test_a_stance_the_model_gives_is_the_one_polarity_reads(
    coder: Coder, rules_coder: Coder
) -> None:
    content = "there is nobody in Kyiv to hold talks with"
    by_rules = rules_coder.code(stmt(content))
    assert (by_rules.stance, by_rules.polarity) == ("claim", 1)  # "hold talks", asserted
    s = coder.code(stmt(content))
    assert s.issues[0] == "negotiations_process"
    # the model reads a refusal: the direction words count against talks, as stored...
    assert s.stance in ("reject", "deny") and s.polarity == -1
    # ...and as linking asks later
    assert coder.polarity_on(s, "negotiations_process") == -1


def test_a_long_text_is_truncated_not_refused(learned: LearnedCoder) -> None:
    content = "the minister said the talks would go on " * 200
    stance, _ = learned.stance("said", content, "claim")
    assert stance in learned.stances
    position, _ = learned.position(SANCTIONS, "said", content, "claim", 0)
    assert position in (-1, 0, 1)


def test_a_missing_model_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="make train-coder"):
        LearnedCoder(model_dir=tmp_path)


def test_a_reviewers_stance_decides_the_polarity(coder: Coder) -> None:
    s = coder.code(stmt("the sanctions on Russian banks must be lifted"))
    assert coder.polarity_on(s, "sanctions") == 1
    # an analyst says the statement rejects what it names: the polarity follows the correction
    s.stance, s.corrected = "reject", ["stance"]
    assert coder.polarity_on(s, "sanctions") == -1
    # and where the words take no direction, the model is not asked to find one
    s = coder.code(stmt("not a single bullet will go to Ukraine from our country"))
    assert coder.polarity_on(s, "military_aid") == -1
    s.stance, s.corrected = "propose", ["stance"]
    assert coder.polarity_on(s, "military_aid") == 0


def test_the_rules_coder_does_not_load_the_model() -> None:
    assert Coder(Settings(stance_coder="rules")).learned is None


class _SurePosition:
    """A learned coder that always answers one position with one probability (the combination's
    floors as a bundled model's labels.json would give them), and notes what it was asked."""

    stance_floor, position_floor, position_override = 1.01, 0.5, 0.8
    override_not = frozenset({"reject", "deny", "concede", "accuse"})

    def __init__(self, position: int, prob: float) -> None:
        self.answer = (position, prob)
        self.asked: list[tuple[str, int]] = []

    def stance(self, cue: str | None, content: str, rules: str) -> tuple[str, float]:
        return rules, 0.0

    def knows(self, direction: str) -> bool:
        return True

    def position(
        self, direction: str, cue: str | None, content: str, rules: str, rules_position: int
    ) -> tuple[int, float]:
        self.asked.append((rules, rules_position))
        return self.answer


@pytest.mark.parametrize(("prob", "expected"), [(0.9, -1), (0.7, 1)])
def test_the_model_overrules_a_rules_position_only_above_the_override_floor(
    prob: float, expected: int
) -> None:
    coder = Coder(Settings(stance_coder="rules"))
    sure = _SurePosition(-1, prob)
    coder.learned = sure  # type: ignore[assignment]
    s = coder.code(stmt("the restrictions on the national airline should be lifted at once"))
    assert s.issues[0] == "sanctions"
    assert s.polarity == expected
    # the model read the rules' stance and the position their words give
    assert sure.asked[-1] == ("demand", 1)


def test_where_the_rules_find_no_position_the_lower_floor_decides() -> None:
    coder = Coder(Settings(stance_coder="rules"))
    coder.learned = _SurePosition(-1, 0.6)  # type: ignore[assignment]
    s = coder.code(stmt("not a single bullet will go to Ukraine from our country"))
    # 0.6: above the position floor, below the override
    assert coder.polarity_on(s, "military_aid") == -1


@pytest.mark.parametrize(
    ("content", "stance", "negated"),
    [
        ("Russia is not seeking sanctions relief", "demand", True),
        ("Lifting the sanctions is out of the question", "reject", False),
    ],
)
def test_a_refusals_position_is_not_overridden(content: str, stance: str, negated: bool) -> None:
    coder = Coder(Settings(stance_coder="rules"))
    coder.learned = _SurePosition(1, 0.99)  # type: ignore[assignment]
    s = coder.code(stmt(content))
    assert (s.stance, s.negated, s.polarity) == (stance, negated, -1)


@pytest.mark.parametrize("threads", [1, 2])
def test_the_coder_runs_with_the_threads_set(threads: int) -> None:
    coder = Coder(Settings(coder_threads=threads))
    assert coder.learned is not None
    options = coder.learned._session.get_session_options()
    assert options.intra_op_num_threads == threads


@pytest.mark.parametrize(
    ("speaker", "content", "expected"),
    [
        # a position is read in the paragraphs that name its issue: a quotation run over two
        # paragraphs, a demand about prisoners, then a refusal to give up land, is the second's
        (
            "Andrii Sybiha",
            "The pause must be used for hard work on security guarantees and on the release of "
            'prisoners of war.\n\n"But nobody should expect Kyiv to accept occupied land as '
            "Russian, in Crimea or in Donetsk",
            -1,
        ),
        # a line broken inside a sentence is no paragraph
        (
            "Volodymyr Zelensky",
            "We are not going to give Russia\nany of our regions, not Donetsk and not Zaporizhzhia",
            -1,
        ),
        # land called settled is settled as its speaker holds it: Moscow calling the question
        # of Crimea closed keeps it Russia's...
        ("Dmitry Peskov", 'the question of Crimea is "closed once and for all"', 1),
        ("Sergei Lavrov", "the four regions are not a subject for bargaining", 1),
        # ...and Kyiv saying its land is not up for negotiation keeps it Ukraine's
        ("Andrii Sybiha", "the status of Crimea is not up for negotiation", -1),
    ],
)
def test_a_position_on_territory(coder: Coder, speaker: str, content: str, expected: int) -> None:
    s = coder.code(make_stmt(content, speaker_mention=speaker, speaker_name=speaker))
    assert "territory" in s.issues
    assert coder.polarity_on(s, "territory") == expected


@pytest.mark.parametrize(
    "content",
    [
        "the border with Finland is closed forever",  # a crossing, not land
        "the safety of people in the border region is not up for negotiation",
        "the status of Crimea is not closed once and for all, we are open to talks",
        "Kyiv insists its territory is not up for negotiation",  # someone else's view
        "Moscow still treats Crimea as non-negotiable",
        "nothing is non-negotiable, including the occupied territories",
    ],
)
def test_land_is_settled_only_where_the_speaker_calls_it_so(content: str) -> None:
    assert not _settled(content)
