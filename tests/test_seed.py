"""The acceptance case: the seed article in ../shared/seed (skipped where it is absent)."""

from __future__ import annotations

from datetime import date

from typer.testing import CliRunner

from redline.cli import app
from redline.pipeline import analyse_sources
from redline.settings import Settings


def _seed(shared):
    return sorted((shared / "seed").glob("*.txt"))


def test_seed_statements(shared, analyser):
    [item] = list(
        analyse_sources(
            [str(p) for p in _seed(shared)],
            settings=Settings(),
            published=date(2025, 4, 12),
            analyser=analyser,
        )
    )
    stmts = item.statements
    by = {}
    for s in stmts:
        by.setdefault(s.speaker, []).append(s)
    lavrov, dmitriev, putin = by["Sergey Lavrov"], by["Kirill Dmitriev"], by["Vladimir Putin"]
    air = next(s for s in lavrov if "Aeroflot" in s.content)
    assert air.said_on == date(2025, 4, 11) and air.side == "russia"
    assert {"air_travel", "sanctions"} <= set(air.issues) and air.stance == "demand"
    assert any(t.id == "aeroflot" for t in air.targets)
    assert any("Riyadh" in s.content and "27 February" in s.content for s in lavrov)
    assert any("territorial concessions" in s.content and "territory" in s.issues for s in lavrov)
    borders = next(s for s in lavrov if "1991 borders" in s.content)
    assert borders.stance == "reject" and borders.quote == "mixed"
    [d] = dmitriev
    assert d.said_on == date(2025, 4, 3) and d.venue == "Fox News"
    assert d.stance == "demand" and d.negated and d.issues == ["sanctions"]
    [p] = putin
    assert p.stance == "demand" and {t.id for t in p.targets} >= {"UA-48", "UA-63"}
    boiler = item.doc.text.index("You could close this page")
    assert all(s.offsets.content[0][0] < boiler for s in stmts)


def test_seed_contradiction_after_ingest(shared, tmp_path):
    db = str(tmp_path / "seed.db")
    runner = CliRunner()
    result = runner.invoke(
        app, ["--db", db, "ingest", *map(str, _seed(shared)), "--published", "2025-04-12"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["--db", db, "contradictions", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    import json

    pairs = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert any(
        {c["a"]["speaker"], c["b"]["speaker"]} == {"Sergey Lavrov", "Kirill Dmitriev"}
        and c["kind"] == "same-side"
        and "sanctions" in c["reason"]
        for c in pairs
    ), pairs
