"""The bundled attribution tagger (ONNX, onnxruntime): spans inside the text, roles found."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redline.extract.tagger import Tagger

# one model for the module: hypothesis cannot take a function-scoped fixture
_TAGGER = Tagger(threads=1)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return _TAGGER


def test_finds_source_cue_and_content(tagger):
    text = "Kremlin spokesman Dmitry Peskov said on Tuesday that Moscow was ready to resume talks."
    spans = tagger.tag(text)
    roles = {s.role: text[s.start : s.end] for s in spans}
    assert "Peskov" in roles.get("source", "")
    assert roles.get("cue") == "said"
    assert "ready to resume talks" in roles.get("content", "")


def test_empty_text(tagger):
    assert tagger.tag("") == []


@settings(max_examples=15, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab said Lavrov "“”.,:\n')), max_size=400))
def test_spans_stay_inside_the_text(text):
    for s in _TAGGER.tag(text):
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == text[s.start : s.end].strip()
