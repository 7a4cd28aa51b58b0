"""Positions over time from hand-built statements."""

from __future__ import annotations

from datetime import date

from redline.link.positions import describe, positions
from redline.models import Offsets, Statement


def stmt(content: str, day: date, pol: int, issue: str = "sanctions") -> Statement:
    s = Statement(
        doc="d",
        doc_id=f"doc-{day}",
        speaker_mention="Kallas",
        cue="said",
        content=content,
        quote="indirect",
        offsets=Offsets(content=[(0, len(content))]),
        said_on=day,
        issues=[issue],
    )
    s.polarity = pol
    return s


def by_field(s: Statement, issue: str) -> int:
    return s.polarity


def test_runs_of_one_polarity_make_a_position_and_a_flip_starts_a_new_one():
    a = stmt("keep the sanctions", date(2022, 9, 1), -1)
    b = stmt("no easing of sanctions", date(2023, 2, 1), -1)
    c = stmt("sanctions could be eased after a deal", date(2025, 6, 1), +1)
    found = positions([c, a, b], polarity=by_field)["sanctions"]
    assert [p.polarity for p in found] == [-1, +1]
    assert found[0].since == date(2022, 9, 1) and found[0].last == date(2023, 2, 1)
    assert found[0].held_days == 153
    assert found[1].previous == -1 and found[1].statements == [c]
    assert "unchanged since September 2022" in describe(found[0], direction="sanctions are eased")
    assert "(reversed)" in describe(found[1], direction="sanctions are eased")


def test_issue_filter_and_neutral_statements():
    a = stmt("talks can resume", date(2025, 1, 1), +1, issue="negotiations_process")
    b = stmt("a remark", date(2025, 1, 2), 0)
    found = positions([a, b], polarity=by_field, issue="negotiations_process")
    assert list(found) == ["negotiations_process"]
    assert positions([b], polarity=by_field) == {}
