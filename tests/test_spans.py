"""Token runs to character spans: which punctuation an edge keeps."""

from __future__ import annotations

from datetime import date

import pytest

from redline.extract import statements_from
from redline.extract.nlp import load_nlp
from redline.extract.spans import token_spans
from redline.models import Doc


@pytest.fixture(scope="module")
def nlp(settings):
    return load_nlp(settings.spacy_model)


def test_a_bracket_closed_inside_the_span_stays(nlp):
    sdoc = nlp("Rep. Gwen Moore (D-Wis.) voted no.")
    close = next(t.i for t in sdoc if t.text == ")")
    [(start, end)] = token_spans(sdoc, range(close + 1))
    assert sdoc.text[start:end] == "Rep. Gwen Moore (D-Wis.)"


def test_a_bracket_opened_outside_the_span_goes(nlp):
    sdoc = nlp("The envoy (a veteran of Minsk) left early.")
    close = next(t.i for t in sdoc if t.text == ")")
    [(start, end)] = token_spans(sdoc, range(3, close + 1))
    assert sdoc.text[start:end] == "a veteran of Minsk"


@pytest.mark.parametrize(
    "text, source",
    [
        ("Sen. Rand Paul (R-Ky.) said the aid bill was a mistake.", "Sen. Rand Paul (R-Ky.)"),
        (
            "Sen. Jeanne Shaheen (D-N.H.) said on Monday that the sanctions must stay.",
            "Sen. Jeanne Shaheen (D-N.H.)",
        ),
    ],
)
def test_a_speaker_keeps_the_bracket_after_the_party_and_state(nlp, text, source):
    doc = Doc(source="t", text=text, published=date(2024, 4, 22))
    [stmt] = statements_from(doc, nlp(text))
    assert [text[s:e] for s, e in stmt.offsets.source] == [source]
