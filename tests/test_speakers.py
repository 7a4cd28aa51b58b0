"""The speaker-resolution gate: pronoun and description speakers in devset/speakers/."""

from __future__ import annotations

import json

from conftest import ROOT
from redline.evaluate.speakers import evaluate_speakers

BASELINE = ROOT / "benchmarks" / "speakers_baseline.json"


def test_speaker_set_figures_hold_their_floors(analyser):
    report = evaluate_speakers(ROOT / "devset" / "speakers", analyser=analyser)
    figures = report.figures()
    print(figures)
    floors = {k: v for k, v in json.loads(BASELINE.read_text()).items() if not k.startswith("_")}
    below = {k: (figures[k], floor) for k, floor in floors.items() if figures[k] < floor}
    assert not below, f"below floor (measured, floor): {below}"
    assert report.gold["pronoun"] + report.gold["description"] >= 150
