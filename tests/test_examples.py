"""What redline finds in the bundled example articles, against their annotations (expected.toml).

The floors are below today's figures so a regression fails; raise them as extraction improves.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from typing import Any

import pytest

from conftest import EXAMPLES
from redline.evaluate.analysis import match
from redline.pipeline import Analysed, analyse_sources
from redline.settings import Settings
from redline.store import Store

FLOORS = {
    "found": 0.90,
    "speaker": 0.85,
    "side": 0.90,
    "said_on": 0.55,
    "stance": 0.45,
    "issue": 0.70,
}


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    with (EXAMPLES / "expected.toml").open("rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module")
def analysed(analyser) -> dict[str, Analysed]:
    out = {}
    for item in analyse_sources([str(EXAMPLES)], settings=Settings(), analyser=analyser):
        assert isinstance(item, Analysed), item
        out[item.doc.source.replace(str(EXAMPLES) + "/", "")] = item
    return out


def score(expected: dict[str, Any], analysed: dict[str, Analysed]) -> dict[str, float]:
    hits: Counter[str] = Counter()
    total = len(expected["statement"])
    for exp in expected["statement"]:
        item = analysed[exp["file"]]
        got = match(item.statements, item.doc.text, exp["content_contains"])
        if got is None:
            continue
        hits["found"] += 1
        hits["speaker"] += (got.speaker or "").lower() == exp["speaker"].lower()
        hits["side"] += got.side == exp["side"]
        hits["said_on"] += (got.said_on.isoformat() if got.said_on else "") == exp["said_on"]
        hits["stance"] += got.stance == exp["stance"] and got.negated == exp.get("negated", False)
        hits["issue"] += bool(set(got.issues) & set(exp["issues"]))
    found = hits["found"] or 1
    return {"found": hits["found"] / total, **{k: hits[k] / found for k in FLOORS if k != "found"}}


def test_example_statements_meet_the_floors(expected, analysed):
    figures = score(expected, analysed)
    print({k: round(v, 3) for k, v in figures.items()})
    low = {k: round(v, 3) for k, v in figures.items() if v < FLOORS[k]}
    assert not low, f"below floor: {low} (all: {figures})"


def test_nothing_comes_from_boilerplate(analysed):
    for item in analysed.values():
        for stmt in item.statements:
            for start, end in stmt.offsets.content:
                assert not any(b0 <= start and end <= b1 for b0, b1 in item.doc.boilerplate), (
                    stmt.content
                )


def test_syndicated_copy_is_one_story_and_contradictions_are_found(tmp_path, analyser, expected):
    from redline.pipeline import ingest

    with Store(str(tmp_path / "x.db")) as store:
        report = ingest([str(EXAMPLES)], store=store, settings=Settings(), analyser=analyser)
        assert report.errors == [] and report.new == 14 and report.syndicated == 1
        stories = {d.source.split("/")[-1]: d.story for d in store.docs(with_text=False)}
        for group in expected.get("syndicated", []):
            a, b = group["files"]
            assert stories[a] == stories[b], group
        pairs = store.contradictions()
    found = 0
    for exp in expected["contradiction"]:
        for c in pairs:
            ends = {(c.a.doc.split("/")[-1], c.a.content), (c.b.doc.split("/")[-1], c.b.content)}
            want = [(exp[k]["file"], exp[k]["content_contains"]) for k in ("a", "b")]
            if all(any(f == wf and wc in content for f, content in ends) for wf, wc in want):
                found += 1
                break
    # Recall on the annotated pairs is printed, not gated yet: see the README's evaluation notes.
    print(
        f"contradictions: {found}/{len(expected['contradiction'])} expected found, {len(pairs)} reported"
    )
    assert pairs
    for c in pairs:
        assert c.a.side == c.b.side or c.a.speaker == c.b.speaker, c.reason
        assert set(c.a.issues) & set(c.b.issues), c.reason
        assert (
            (c.a.when or c.b.when) is None
            or c.a.when is None
            or c.b.when is None
            or c.a.when <= c.b.when
        )
        assert c.a.speaker and c.a.speaker in c.reason
