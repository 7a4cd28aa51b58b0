"""The embedding fallback for issue coding (bundled static model, no torch)."""

from __future__ import annotations

import pytest

from redline.coding.embed import IssueEmbedder, bundled_path
from redline.coding.issues import Taxonomy


@pytest.fixture(scope="module")
def embedder() -> IssueEmbedder:
    return IssueEmbedder(Taxonomy.load(), bundled_path())


def test_nearest_issue_for_words_no_cue_names(embedder):
    taxonomy = Taxonomy.load()
    text = "both armies should stop firing at once"
    assert taxonomy.code(text) == ["other"]
    near = embedder.nearest(text)
    assert near is not None and near[0] == "ceasefire" and near[1] >= embedder.floor


def test_below_the_floor_is_no_issue(embedder):
    assert embedder.nearest("The weather in the capital was mild on Sunday.") is None
    assert embedder.nearest("") is None
