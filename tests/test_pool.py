"""Extraction in worker processes gives what one process gives, in input order."""

from __future__ import annotations

from datetime import date

from redline.models import Doc
from redline.pipeline import Analyser

TEXTS = [
    "Sergey Lavrov said on Friday that Russia would not accept European troops in Ukraine.",
    "Nothing attributed here: the weather in Kyiv was mild.",
    '"The talks were useful," Dmitry Peskov told reporters on Monday.',
    "Andrii Sybiha said Kyiv would never recognise the occupation of Crimea.",
    "Kaja Kallas said the EU would prepare a new package of sanctions against Russia.",
]


def test_pooled_analyser_matches_one_process(settings, analyser):
    docs = [
        Doc(source=f"t{i}", text=text, published=date(2025, 4, 12)) for i, text in enumerate(TEXTS)
    ]
    one = analyser(docs)
    with Analyser(settings, workers=2) as pooled:
        many = pooled(docs)
    assert [a.doc.source for a in many] == [d.source for d in docs]
    assert [[s for s in a.statements] for a in many] == [[s for s in a.statements] for a in one]
    assert sum(len(a.statements) for a in many) >= 4
