"""The command line through Typer's CliRunner."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT
from redline.cli import app

runner = CliRunner()
ARTICLE = (
    "Kremlin warns on talks\n\n"
    "Kremlin spokesman Dmitry Peskov said on Tuesday that Moscow was ready to resume talks in Istanbul.\n\n"
    '"There is no basis for talks while Kyiv refuses to recognise reality," Peskov told reporters '
    "at a briefing.\n"
)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "r.db")
    result = runner.invoke(app, ["--db", path, "ingest", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert "new 14" in result.output and "errors 0" in result.output
    return path


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output
        assert (command.callback.__doc__ or "").strip(), name  # type: ignore[union-attr]
        assert f"redline {name}" in readme, f"README does not show `redline {name}`"


def test_extract_jsonl_contract(tmp_path):
    path = tmp_path / "2025-04-09-wire-peskov.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 2
    fields = {
        "doc",
        "speaker",
        "speaker_mention",
        "side",
        "role",
        "cue",
        "content",
        "quote",
        "said_on",
        "venue",
        "issues",
        "stance",
        "negated",
        "plover",
        "targets",
        "reported_by",
        "offsets",
    }
    for row in rows:
        assert fields <= row.keys()
        assert row["doc"] == str(path)
        for role in ("source", "cue", "content"):
            for start, end in row["offsets"][role]:
                assert ARTICLE[start:end].strip()
    first, second = rows
    assert first["said_on"] == "2025-04-08" and first["speaker"] == "Dmitry Peskov"
    assert ARTICLE[slice(*first["offsets"]["cue"][0])] == "said"
    assert (
        second["quote"] == "direct"
        and second["stance"] == "reject"
        and second["venue"] == "briefing"
    )


def test_reingest_changes_nothing(db):
    result = runner.invoke(app, ["--db", db, "ingest", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert "new 0" in result.output and "duplicates 14" in result.output


def test_statements_filters_and_formats(db):
    result = runner.invoke(
        app, ["--db", db, "statements", "--side", "ukraine", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows and all(r["side"] == "ukraine" for r in rows)
    result = runner.invoke(
        app,
        [
            "--db",
            db,
            "statements",
            "--issue",
            "sanctions",
            "--since",
            "2025-03-01",
            "--until",
            "2025-04-30",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.output)))
    assert table and all("sanctions" in r["issues"] for r in table)
    result = runner.invoke(app, ["--db", db, "statements", "--actor", "peskov"])
    assert result.exit_code == 0 and "Peskov" in result.output
    # the Kremlin's voices, apart from the Foreign Ministry's
    result = runner.invoke(
        app, ["--db", db, "statements", "--institution", "Kremlin", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows and all(r["institution"] == "Kremlin" for r in rows)
    assert "Dmitry Peskov" in {r["speaker"] for r in rows}
    result = runner.invoke(app, ["--db", db, "statements", "--since", "April"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output


def test_contradictions_jsonl(db):
    result = runner.invoke(app, ["--db", db, "contradictions", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows
    for row in rows:
        assert row["kind"] in ("self", "same-side", "reversal") and row["reason"]
        assert row["a"]["doc"] and row["b"]["doc"] and row["a"]["content"] and row["b"]["content"]


def test_actors_and_issues():
    result = runner.invoke(app, ["actors"])
    assert result.exit_code == 0 and "Lavrov" in result.output
    result = runner.invoke(app, ["issues"])
    assert result.exit_code == 0
    for issue in ("territory", "sanctions", "ceasefire", "air_travel", "other"):
        assert issue in result.output


def test_bad_inputs_get_one_line_each_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "broken.html").write_text("<html><body><div><p")
    (folder / "2025-04-09-latin1.txt").write_bytes(
        "Kyiv café diplomacy\n\nPeskov said on Tuesday that Moscow was ready to resume talks.".encode(
            "latin-1"
        )
    )
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    (folder / "2025-04-09-good.txt").write_text(ARTICLE)
    db = str(tmp_path / "bad.db")
    result = runner.invoke(app, ["--db", db, "ingest", str(folder)])
    assert result.exit_code == 0, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error")]
    assert len(errors) == 4, result.output
    for name in ("empty.txt", "image.txt", "broken.html", "huge.txt"):
        assert sum(name in line for line in errors) == 1, result.output
    assert "new 2" in result.output


def test_positions_and_claims(db):
    result = runner.invoke(app, ["--db", db, "positions", "zelensky"])
    assert result.exit_code == 0, result.output
    assert "Volodymyr Zelensky" in result.output and "since" in result.output
    result = runner.invoke(app, ["--db", db, "positions", "nobody-at-all"])
    assert result.exit_code != 0
    result = runner.invoke(app, ["--db", db, "claims"])
    assert result.exit_code == 0, result.output
    assert "Territorial claims" in result.output


def test_claims_beyond_control(tmp_path):
    path = tmp_path / "2025-04-12-wire-putin.txt"
    path.write_text(
        "Putin widens demands\n\nRussian President Vladimir Putin has demanded that Ukraine cede "
        "Mykolaiv and Kharkiv oblasts, Kremlin officials said.\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "c.db")
    assert runner.invoke(app, ["--db", db, "ingest", str(path)]).exit_code == 0
    result = runner.invoke(app, ["--db", db, "claims", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = {r["place"]: r for r in map(json.loads, result.output.splitlines())}
    assert set(rows) == {"UA-48", "UA-63"}
    assert rows["UA-63"]["side"] == "russia" and rows["UA-63"]["beyond_control"]
    assert rows["UA-63"]["control"]["status"] == "ukrainian"


def test_extract_fails_only_when_no_article_could_be_analysed(tmp_path, monkeypatch):
    from redline.models import Doc
    from redline.pipeline import Analysed

    class Stub:
        """An analyser that trips on any article saying BOOM."""

        batch_size = 4

        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def __enter__(self) -> Stub:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

        def __call__(self, docs: list[Doc]) -> list[Analysed]:
            if any("BOOM" in d.text for d in docs):
                raise ValueError("boom")
            return [Analysed(d, []) for d in docs]

    monkeypatch.setattr("redline.pipeline.Analyser", Stub)
    (tmp_path / "a.txt").write_text("Peskov said the talks would resume.\n")
    (tmp_path / "b.txt").write_text("Lavrov said the sanctions must go. BOOM\n")
    some = runner.invoke(app, ["extract", str(tmp_path), "--format", "jsonl"])
    assert some.exit_code == 0 and "analysis failed (ValueError: boom)" in some.output
    (tmp_path / "a.txt").write_text("BOOM again.\n")
    none = runner.invoke(app, ["extract", str(tmp_path), "--format", "jsonl"])
    assert none.exit_code == 1
