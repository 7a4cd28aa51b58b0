"""The analysis gate: figures on the development set must not fall below the pinned floors."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from redline.coding import Coder
from redline.evaluate.analysis import (
    NOT_ANNOTATED,
    _fields,
    evaluate_analysis,
    load_devset,
    match,
    speaker_right,
)
from redline.models import STANCES, Offsets, Statement, Target
from redline.settings import Settings

BASELINE = ROOT / "benchmarks" / "analysis_baseline.json"


def test_devset_figures_hold_their_floors(analyser):
    report = evaluate_analysis(ROOT / "devset", analyser=analyser)
    figures = report.figures()
    print(figures)
    floors = {k: v for k, v in json.loads(BASELINE.read_text()).items() if not k.startswith("_")}
    below = {k: (figures[k], floor) for k, floor in floors.items() if figures[k] < floor}
    assert not below, f"below floor (measured, floor): {below}"
    assert report.statements >= 250 and report.gold_pairs >= 25


def test_a_gold_text_opening_with_a_quotation_mark_matches_the_quote():
    text = 'Kyiv remains ready for talks, he said - "but with a different president."'
    start = text.index("but")
    span = (start, start + len("but with a different president"))
    quote = Statement(
        doc="d",
        doc_id="d",
        speaker_mention="he",
        cue="said",
        content=text[slice(*span)],
        quote="direct",
        offsets=Offsets(content=[span]),
    )
    assert match([quote], text, '"but with a different president."') is quote
    assert match([quote], text, "ready for talks") is None


@pytest.mark.parametrize(
    ("got", "gold", "right"),
    [
        # places are scored as the annotations write them: ISO regions only
        ([("place", "city:donetsk")], ["UA-14"], True),
        ([("place", "group:four-regions")], ["UA-14", "UA-09", "UA-23", "UA-65"], True),
        ([("place", "city:kharkiv")], ["UA-14"], False),
        ([("object", "aeroflot")], ["aeroflot"], True),
        ([], ["UA-14"], False),
    ],
)
def test_targets_are_scored_in_the_annotations_terms(got, gold, right):
    stmt = _stmt(targets=[Target(kind, tid, tid) for kind, tid in got])
    assert _scored(stmt, targets=gold)["targets"] is right


@pytest.mark.parametrize(
    ("got", "gold", "right"),
    [
        # an issue added to the taxonomy after the annotations is their "other"
        (["grain_deal"], ["other"], (True, True)),
        (["sanctions", "grain_deal"], ["other"], (True, False)),
        (["grain_deal"], ["sanctions"], (False, False)),
        (["sanctions"], ["sanctions"], (True, True)),
    ],
)
def test_issues_are_scored_in_the_annotations_terms(got, gold, right):
    scored = _scored(_stmt(issues=got), issues=gold)
    assert (scored["issue"], scored["issue_primary"]) == right
    assert set(Coder(Settings(), embeddings=False).taxonomy.issues) >= NOT_ANNOTATED


def _stmt(**fields: object) -> Statement:
    """A statement by Peskov, or with `fields` set."""
    stmt = Statement(
        doc="d",
        doc_id="d",
        speaker_mention="Peskov",
        cue="said",
        content="x",
        quote="indirect",
        offsets=Offsets(content=[(0, 1)]),
    )
    for name, value in fields.items():
        setattr(stmt, name, value)
    return stmt


def _scored(stmt: Statement, **gold: object) -> dict[str, bool]:
    """`_fields` for a gold Peskov claim, with `gold` set."""
    row = {"speaker": "Dmitry Peskov", "side": "russia", "stance": "claim", **gold}
    return _fields(
        row, stmt, Coder(Settings(actors_files=[], taxonomy_file=None), embeddings=False)
    )


@pytest.mark.parametrize(
    "root", ["devset", "trainset/stance", "trainset/contradictions"], ids=lambda r: r
)
def test_annotation_sets_are_well_formed(root):
    """Every set that trains or measures the analysis: each gold text occurs once in its
    article, ids are unique, pairs name annotated statements, labels are known ones."""
    docs, gold = load_devset(ROOT / root)
    texts = {d.source: d.text for d in docs}
    ids = [g["id"] for g in gold["statement"]]
    assert len(ids) == len(set(ids))
    for g in gold["statement"]:
        assert texts[g["file"]].count(g["content_contains"]) == 1, (g["id"], g["content_contains"])
        assert g["stance"] in STANCES, g["id"]
        assert g.get("position", 0) in (-1, 0, 1), g["id"]
    known = set(ids)
    for pair in gold.get("contradiction", []):
        assert pair["a"] in known and pair["b"] in known and pair["a"] != pair["b"], pair
        assert pair["kind"] in ("same-side", "self", "reversal"), pair


def _world(root, letter: str, day: str, text: str, needle: str) -> None:
    """One writer's set: an article and its annotation file, no pairs."""
    name = f"{letter}-01.json"
    record = {"title": "t", "outlet": "Wire", "published": day, "url": None, "text": text}
    (root / "articles" / name).write_text(json.dumps(record), encoding="utf-8")
    (root / f"annotations-{letter}.toml").write_text(
        f'[[statement]]\nid = "{letter}001"\nfile = "{name}"\ncontent_contains = "{needle}"\n'
        'speaker = "Dmitry Peskov"\nside = "russia"\nstance = "claim"\n',
        encoding="utf-8",
    )


def test_writers_sets_are_linked_apart(tmp_path, analyser):
    """Two writers' invented worlds share names: Peskov refusing a truce in one and offering
    one in the other is no contradiction anybody annotated, and is not predicted; the same
    two articles in one world are a reversal."""
    (tmp_path / "articles").mkdir()
    refuse = "Moscow will never agree to a ceasefire in the Black Sea, Dmitry Peskov said."
    offer = "Moscow is ready to agree to a ceasefire in the Black Sea, Dmitry Peskov said."
    _world(tmp_path, "a", "2025-03-01", refuse, "never agree to a ceasefire")
    _world(tmp_path, "b", "2025-04-01", offer, "ready to agree to a ceasefire")
    assert evaluate_analysis(tmp_path, analyser=analyser).predicted_pairs == 0
    merged = tmp_path / "annotations-b.toml"
    (tmp_path / "annotations-a.toml").write_text(
        (tmp_path / "annotations-a.toml").read_text() + merged.read_text(), encoding="utf-8"
    )
    merged.unlink()
    assert evaluate_analysis(tmp_path, analyser=analyser).predicted_pairs == 1


@pytest.mark.parametrize(
    ("gold", "side", "right"),
    [
        ("Russian Defence Ministry", None, True),  # the registry's name
        ("Defence Ministry", "russia", True),  # bare, with the side that places it
        ("Defence Ministry", "ukraine", False),  # another side's ministry
        ("Defence Ministry", None, False),  # bare and unplaced: not the same words
    ],
)
def test_a_body_annotated_bare_is_the_registrys_body_of_its_side(gold, side, right):
    coder = Coder(Settings(), embeddings=False)
    got = _stmt(
        speaker_mention="the ministry",
        speaker="Russian Defence Ministry",
        speaker_id="russian-defence-ministry",
    )
    assert speaker_right(gold, got, coder, side) is right


@pytest.mark.parametrize(
    ("gold", "right"),
    [
        ("senior administration official", True),  # the annotations drop the article
        ("senior US official", False),
    ],
)
def test_an_unnamed_speaker_is_scored_without_its_article(gold, right):
    got = _stmt(speaker="One senior administration official")
    assert speaker_right(gold, got, Coder(Settings(), embeddings=False)) is right


def test_a_statement_kept_whole_stands_for_each_annotation_it_holds(tmp_path, analyser):
    """Peskov's two remarks in one sentence are one statement to the extractor and two to the
    annotators: its pair with his later offer is the annotated pair on the second remark. One
    pair found finds one annotated pair, not every pair its ends could stand for."""
    (tmp_path / "articles").mkdir()
    texts = {
        "a-01.json": (
            "2025-03-01",
            "Dmitry Peskov said on Saturday that the fleet would stay in port and that "
            "Moscow would never agree to a ceasefire in the Black Sea.",
        ),
        "a-02.json": (
            "2025-04-01",
            "Moscow is ready to agree to a ceasefire in the Black Sea, Dmitry Peskov said.",
        ),
    }
    for name, (day, text) in texts.items():
        record = {"title": "t", "outlet": "Wire", "published": day, "url": None, "text": text}
        (tmp_path / "articles" / name).write_text(json.dumps(record), encoding="utf-8")
    needles = [
        ("a-01.json", "the fleet would stay in port"),
        ("a-01.json", "never agree to a ceasefire"),
        ("a-02.json", "ready to agree to a ceasefire"),
    ]
    annotations = "".join(
        f'[[statement]]\nid = "a00{n}"\nfile = "{name}"\ncontent_contains = "{needle}"\n'
        'speaker = "Dmitry Peskov"\nside = "russia"\nstance = "claim"\n\n'
        for n, (name, needle) in enumerate(needles, 1)
    )
    file = tmp_path / "annotations-a.toml"
    file.write_text(annotations + '[[contradiction]]\na = "a002"\nb = "a003"\n', encoding="utf-8")
    figures = evaluate_analysis(tmp_path, analyser=analyser).figures()
    assert figures["contradiction_recall"] == figures["contradiction_precision"] == 100.0
    file.write_text(file.read_text() + '\n[[contradiction]]\na = "a001"\nb = "a003"\n')
    figures = evaluate_analysis(tmp_path, analyser=analyser).figures()
    assert figures["contradiction_recall"] == 50.0
    assert figures["contradiction_precision"] == 100.0
