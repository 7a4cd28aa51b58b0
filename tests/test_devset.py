"""The analysis gate: figures on the development set must not fall below the pinned floors."""

from __future__ import annotations

import json

from conftest import ROOT
from redline.evaluate.analysis import evaluate_analysis

BASELINE = ROOT / "benchmarks" / "analysis_baseline.json"


def test_devset_figures_hold_their_floors(analyser):
    report = evaluate_analysis(ROOT / "devset", analyser=analyser)
    figures = report.figures()
    print(figures)
    floors = {k: v for k, v in json.loads(BASELINE.read_text()).items() if not k.startswith("_")}
    below = {k: (figures[k], floor) for k, floor in floors.items() if figures[k] < floor}
    assert not below, f"below floor (measured, floor): {below}"
    assert report.statements >= 250 and report.gold_pairs >= 25
