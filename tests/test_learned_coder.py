"""The learned stance coder (redline.coding.learned) and how the Coder combines it with the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.coding import Coder
from redline.coding.learned import LearnedCoder, statement_text
from redline.errors import ConfigError
from redline.models import STANCES, Offsets, Statement
from redline.settings import Settings

SANCTIONS = "sanctions on Russia are eased or lifted"


@pytest.fixture(scope="module")
def learned() -> LearnedCoder:
    return LearnedCoder()


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder(Settings(stance_coder="learned"))


def stmt(content: str, cue: str = "said") -> Statement:
    return Statement(
        doc="t.txt",
        doc_id="t",
        speaker_mention="Sergei Lavrov",
        speaker_name="Sergei Lavrov",
        cue=cue,
        cue_lemma="say",
        content=content,
        quote="indirect",
        offsets=Offsets(cue=[(0, len(cue))], content=[(len(cue) + 1, len(cue) + 1 + len(content))]),
    )


def test_the_bundled_model_loads_with_its_floors(learned: LearnedCoder) -> None:
    assert set(learned.stances) <= set(STANCES)
    assert learned.positions == [-1, 0, 1]
    assert 0.0 <= learned.stance_floor <= 1.01
    assert 0.0 <= learned.position_floor <= 1.01


def test_answers_are_labels_with_probabilities(learned: LearnedCoder) -> None:
    stance, prob = learned.stance("said", "Moscow would consider the proposal", "claim")
    assert stance in learned.stances and 0.0 < prob <= 1.0
    position, prob = learned.position(SANCTIONS, "said", "the talks went well", "claim", 0)
    assert position in (-1, 0, 1) and 0.0 < prob <= 1.0


def test_the_rules_answer_is_part_of_what_the_model_reads() -> None:
    assert statement_text("said", "x", "demand") == "demand: said | x"
    assert statement_text(None, "x", "claim -1") == "claim -1: x"


@pytest.mark.parametrize(
    ("issue", "content", "expected"),
    [
        ("territory", "the annexed regions will remain part of Russia forever", 1),
        ("territory", "Ukraine will never give up Donetsk or any other region", -1),
        ("sanctions", "the restrictions on the national airline should be lifted at once", 1),
        ("sanctions", "the sanctions will stay in place until the last soldier leaves", -1),
        ("sanctions", "Europe is preparing a new package of sanctions against Moscow", -1),
        ("ceasefire", "we are ready for an immediate and unconditional ceasefire", 1),
        ("military_aid", "Washington will send more Patriot batteries to Kyiv", 1),
        # the rules read no direction here (0); the model does
        ("military_aid", "not a single bullet will go to Ukraine from our country", -1),
    ],
)
def test_positions_through_the_coder(coder: Coder, issue: str, content: str, expected: int) -> None:
    s = stmt(content)
    coder.code(s)
    assert coder.polarity_on(s, issue) == expected


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
    s = stmt("the sanctions on Russian banks must be lifted")
    coder.code(s)
    assert coder.polarity_on(s, "sanctions") == 1
    # an analyst says the statement rejects what it names: the polarity follows the correction
    s.stance, s.corrected = "reject", ["stance"]
    assert coder.polarity_on(s, "sanctions") == -1


def test_the_rules_coder_does_not_load_the_model() -> None:
    assert Coder(Settings(stance_coder="rules")).learned is None
