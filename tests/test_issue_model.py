"""The learned issue coder (redline.coding.issue_model) and where the Coder asks it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pytest

from redline.coding import Coder, sentence_around
from redline.coding.issue_model import (
    FILES,
    NO_TOPIC,
    IssueModel,
    bundled_model_dir,
    headline,
)
from redline.errors import ConfigError
from redline.models import Doc, Statement
from redline.pipeline import Analyser
from redline.settings import Settings

# a swap told in the headline; the second quote names no issue in its own words or sentence
SWAP_TITLE = "Kyiv and Moscow swap 300 prisoners of war"
SWAP = (
    "KYIV (Ledger) - Ukraine and Russia exchanged 300 prisoners of war on Friday, the largest "
    'swap in months.\n\n"The lists for the next stage are still being checked, and we expect '
    'more soon," Zelensky said.'
)


@pytest.fixture(scope="module")
def model() -> IssueModel:
    return IssueModel.load()


@pytest.fixture(scope="module")
def analyser() -> Analyser:
    return Analyser(Settings())


def read(analyser: Analyser, text: str, title: str | None) -> list[Statement]:
    [item] = analyser([Doc(source="t", text=text, title=title)])
    return item.statements


def lists_remark(stmts: list[Statement]) -> Statement:
    return next(s for s in stmts if s.content.startswith("The lists"))


def test_the_bundled_labels_fit_the_taxonomy(model: IssueModel, analyser: Analyser) -> None:
    taxonomy = analyser.coder.taxonomy
    assert set(model.issues) <= set(taxonomy.issues)
    assert model.topics == [*taxonomy.issues, NO_TOPIC]
    assert 0.0 <= model.floor <= 1.0
    # three 384-wide sentence vectors and the topic, one column per issue
    assert model.weights.shape == (3 * 384 + len(model.topics), len(model.issues))
    assert model.bias.shape == (len(model.issues),)


def test_sentence_vectors_are_unit_length_and_repeatable(model: IssueModel) -> None:
    first = model.encode("Moscow will not return the occupied land")
    model.encode._cache.clear()
    again = model.encode("Moscow will not return the occupied land")
    assert first.shape == (384,) and abs(float(np.linalg.norm(first)) - 1.0) < 1e-3
    assert np.array_equal(first, again)
    other = model.encode("the prisoner swap went ahead on Friday")
    assert float(first @ other) < 0.9


def test_a_remark_that_names_no_issue_is_read_with_its_article(analyser: Analyser) -> None:
    coder = analyser.coder
    remark = lists_remark(read(analyser, SWAP, SWAP_TITLE))
    assert coder.unnamed(remark)
    assert remark.issues == ["prisoners"]
    # the bundled model's own answer, from the remark, its sentence and the headline
    around = sentence_around(SWAP, remark)
    topic = coder.topic(SWAP, title=SWAP_TITLE)
    assert coder.learned_issue(remark, around, SWAP_TITLE, topic) == "prisoners"
    # read under another headline, the same words are on another matter
    other = "Kremlin sets terms for lifting sanctions on Aeroflot"
    assert coder.learned_issue(remark, around, other, "sanctions") != "prisoners"


def test_the_headline_is_the_title_or_else_the_first_line() -> None:
    assert headline("  Swap agreed ", "text") == "Swap agreed"
    assert headline(None, "\n\nKYIV - A swap.\nMore.") == "KYIV - A swap."
    assert headline("", "") == ""


@dataclass
class Fixed:
    """An issue model that gives one answer and records what it was asked."""

    answer: tuple[str, float]
    issues: list[str] = field(default_factory=lambda: ["prisoners", "other", "sanctions"])
    topics: list[str] = field(
        default_factory=lambda: ["prisoners", "sanctions", "grain_deal", "other", "none"]
    )
    floor: float = 0.5
    asked: list[tuple[str, str, str, str | None]] = field(default_factory=list)

    def issue(self, content: str, around: str, head: str, topic: str | None) -> tuple[str, float]:
        self.asked.append((content, around, head, topic))
        return self.answer


@pytest.fixture
def coder(analyser: Analyser):
    coder = analyser.coder
    kept = coder.issue_model
    yield coder
    coder.issue_model = kept


def recoded(coder: Coder, stmts: list[Statement], text: str, title: str | None) -> None:
    coder(stmts, text=text, title=title)


def test_the_model_is_asked_only_about_remarks_that_name_no_issue(
    coder: Coder, analyser: Analyser
) -> None:
    stmts = read(analyser, SWAP, SWAP_TITLE)
    coder.issue_model = fixed = Fixed(("sanctions", 0.9))  # type: ignore[assignment]
    recoded(coder, stmts, SWAP, SWAP_TITLE)
    remark = lists_remark(stmts)
    assert remark.issues == ["sanctions"]
    [(content, around, head, topic)] = fixed.asked
    assert content == remark.content and content in around
    assert (head, topic) == (SWAP_TITLE, "prisoners")


def test_below_its_floor_the_rules_decide(coder: Coder, analyser: Analyser) -> None:
    stmts = read(analyser, SWAP, SWAP_TITLE)
    coder.issue_model = None
    recoded(coder, stmts, SWAP, SWAP_TITLE)
    rules = lists_remark(stmts).issues
    other = next(i for i in ("sanctions", "other") if [i] != rules)
    coder.issue_model = Fixed((other, 0.4))  # type: ignore[assignment]
    recoded(coder, stmts, SWAP, SWAP_TITLE)
    assert lists_remark(stmts).issues == rules


def test_an_article_on_no_issue_or_one_it_never_learned_is_the_rules(
    coder: Coder, analyser: Analyser
) -> None:
    # an opening that names no issue: the model is not asked
    text = (
        "KYIV (Ledger) - President Volodymyr Zelensky spent Friday visiting hospitals.\n\n"
        + SWAP.split("\n\n")[1]
    )
    stmts = read(analyser, text, "A long day in Kyiv")
    assert coder.topic(text, title="A long day in Kyiv") is None
    coder.issue_model = fixed = Fixed(("sanctions", 0.9))  # type: ignore[assignment]
    recoded(coder, stmts, text, "A long day in Kyiv")
    assert fixed.asked == []
    # "other" in an article on the grain deal, which the model was not trained on
    title = "Moscow quits the Black Sea grain deal"
    text = (
        "ODESA (Ledger) - Russia pulled out of the Black Sea grain deal on Monday, ending a year "
        "of shipments from Ukrainian ports.\n\n" + SWAP.split("\n\n")[1]
    )
    stmts = read(analyser, text, title)
    assert coder.topic(text, title=title) == "grain_deal"
    coder.issue_model = Fixed(("other", 0.9))  # type: ignore[assignment]
    recoded(coder, stmts, text, title)
    assert lists_remark(stmts).issues == ["grain_deal"]
    # an issue it knows, it may give
    coder.issue_model = Fixed(("sanctions", 0.9))  # type: ignore[assignment]
    recoded(coder, stmts, text, title)
    assert lists_remark(stmts).issues == ["sanctions"]


def test_an_answer_outside_the_taxonomy_is_the_rules(coder: Coder, analyser: Analyser) -> None:
    stmts = read(analyser, SWAP, SWAP_TITLE)
    rules = lists_remark(stmts).issues
    # an issue a custom taxonomy does not have
    coder.issue_model = Fixed(("arms", 0.9), issues=["arms", "other"])  # type: ignore[assignment]
    recoded(coder, stmts, SWAP, SWAP_TITLE)
    assert lists_remark(stmts).issues == rules
    # an article topic the model never had as a feature: not asked
    fixed = Fixed(("sanctions", 0.9), topics=["territory", "none"])
    coder.issue_model = fixed  # type: ignore[assignment]
    recoded(coder, stmts, SWAP, SWAP_TITLE)
    assert fixed.asked == [] and lists_remark(stmts).issues == rules


def test_a_missing_or_broken_model_is_a_clear_error(tmp_path, model: IssueModel) -> None:
    with pytest.raises(ConfigError, match="make train-issues"):
        IssueModel.load(tmp_path)
    bundled = bundled_model_dir()
    for name in FILES:
        (tmp_path / name).write_bytes(bundled.joinpath(name).read_bytes())
    (tmp_path / "labels.json").write_text(json.dumps({"max_tokens": 64}), encoding="utf-8")
    with pytest.raises(ConfigError, match="unreadable"):
        IssueModel.load(tmp_path)
