"""Exports (JSONL, CSV, Parquet, PLOVER, actors) and the daily brief, on a hand-built store."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.coding import Actor, Registry
from redline.coding.actors import Role
from redline.errors import RedlineError
from redline.models import Contradiction, Doc, Offsets, Plover, Statement, Target
from redline.report.brief import build_brief
from redline.report.brief_render import to_html, to_markdown, to_pdf
from redline.report.export import export
from redline.store import Store, open_store

runner = CliRunner()

EARLY = (
    "Lavrov hardens line on truce\n\n"
    "Russian Foreign Minister Sergey Lavrov said on Saturday that Russia would not agree to a "
    "truce while Western weapons kept arriving. He spoke after talks in Riyadh.\n"
)
JANUARY = (
    "Lavrov floats pause in fighting\n\n"
    "Sergey Lavrov said on Wednesday that Moscow was ready to discuss a ceasefire along the "
    "current front line.\n"
)
MOSCOW = (
    "Lavrov rules out ceasefire\n\n"
    "Russian Foreign Minister Sergey Lavrov said on Friday that Moscow would not accept a "
    "ceasefire without guarantees. Officials in Kyiv did not comment.\n\n"
    '"Sanctions against Aeroflot must be lifted before any deal," Lavrov told reporters.\n\n'
    "Kremlin spokesman Dmitry Peskov said on Friday that Moscow was ready for a ceasefire in "
    "Kyiv's energy sector.\n"
)
KYIV = (
    "Zelensky offers 30-day truce\n\n"
    "Ukrainian President Volodymyr Zelensky said that Ukraine would agree to a 30-day ceasefire "
    "if Russia stopped striking cities.\n\n"
    'A Ukrainian official said the leaflet read "<script>alert(1)</script> surrender now".\n'
)


def _span(text: str, part: str, near: int = 0) -> tuple[int, int]:
    """Where `part` occurs in `text`, the occurrence nearest to `near`."""
    starts = [m.start() for m in re.finditer(re.escape(part), text)]
    start = min(starts, key=lambda i: abs(i - near))
    return start, start + len(part)


def _stmt(doc: Doc, mention: str, cue: str, content: str, **fields: object) -> Statement:
    at = doc.text.index(content)
    base: dict[str, object] = {
        "doc": doc.source,
        "doc_id": doc.id,
        "speaker_mention": mention,
        "cue": cue,
        "content": content,
        "quote": "indirect",
        "offsets": Offsets(
            source=[_span(doc.text, mention, at)],
            cue=[_span(doc.text, cue, at)],
            content=[_span(doc.text, content)],
        ),
        "published": doc.published,
    }
    base.update(fields)
    return Statement(**base)  # type: ignore[arg-type]


LAVROV = {
    "speaker": "Sergey Lavrov",
    "speaker_name": "Sergey Lavrov",
    "speaker_id": "sergey-lavrov",
    "side": "russia",
    "role": "Minister of Foreign Affairs, Russia",
}
PESKOV = {
    "speaker": "Dmitry Peskov",
    "speaker_name": "Dmitry Peskov",
    "speaker_id": "dmitry-peskov",
    "side": "russia",
    "role": "Press Secretary of the President, Russia",
}
ZELENSKY = {
    "speaker": "Volodymyr Zelensky",
    "speaker_name": "Volodymyr Zelensky",
    "speaker_id": "volodymyr-zelensky",
    "side": "ukraine",
    "role": "President, Ukraine",
}


class Corpus:
    """The hand-built store's statements by name."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.early = Doc(
            source="articles/tass-early.txt",
            text=EARLY,
            title="Lavrov hardens line on truce",
            outlet="TASS",
            published=date(2025, 3, 1),
        )
        self.january = Doc(
            source="articles/ria-january.txt",
            text=JANUARY,
            title="Lavrov floats pause in fighting",
            outlet="RIA",
            published=date(2025, 1, 15),
        )
        self.moscow = Doc(
            source="articles/reuters-moscow.txt",
            text=MOSCOW,
            title="Lavrov rules out ceasefire",
            outlet="Reuters",
            url="https://example.org/reuters/lavrov-ceasefire",
            published=date(2025, 4, 11),
        )
        self.kyiv = Doc(
            source="articles/kyiv.txt",
            text=KYIV,
            title="Zelensky offers 30-day truce",
            outlet="Kyiv Independent",
            url="https://example.org/kyiv/truce",
            published=date(2025, 4, 11),
        )
        ceasefire_reject = Plover("REJECT", "ceasefire", ["ceasefire"])
        self.s_early = _stmt(
            self.early,
            "Russian Foreign Minister Sergey Lavrov",
            "said",
            "Russia would not agree to a truce while Western weapons kept arriving",
            said_on=date(2025, 3, 1),
            issues=["ceasefire"],
            stance="reject",
            polarity=-1,
            plover=ceasefire_reject,
            **LAVROV,
        )
        self.s_january = _stmt(
            self.january,
            "Sergey Lavrov",
            "said",
            "Moscow was ready to discuss a ceasefire along the current front line",
            said_on=date(2025, 1, 15),
            issues=["ceasefire"],
            stance="propose",
            polarity=1,
            plover=Plover("AGREE", None, ["ceasefire"]),
            **LAVROV,
        )
        self.s_lavrov = _stmt(
            self.moscow,
            "Russian Foreign Minister Sergey Lavrov",
            "said",
            "Moscow would not accept a ceasefire without guarantees",
            said_on=date(2025, 4, 11),
            issues=["ceasefire"],
            stance="reject",
            polarity=-1,
            plover=ceasefire_reject,
            targets=[Target("place", "UA-30", "Kyiv")],
            **LAVROV,
        )
        self.s_sanctions = _stmt(
            self.moscow,
            "Lavrov",
            "told",
            "Sanctions against Aeroflot must be lifted before any deal",
            quote="direct",
            said_on=date(2025, 4, 11),
            venue="reporters",
            issues=["sanctions"],
            stance="demand",
            polarity=-1,
            plover=Plover("REQUEST", "ease_sanctions", ["sanctions"]),
            targets=[Target("object", "aeroflot", "Aeroflot")],
            **LAVROV,
        )
        self.s_peskov = _stmt(
            self.moscow,
            "Kremlin spokesman Dmitry Peskov",
            "said",
            "Moscow was ready for a ceasefire in Kyiv's energy sector",
            said_on=date(2025, 4, 11),
            issues=["ceasefire"],
            stance="propose",
            polarity=1,
            plover=Plover("AGREE", None, ["ceasefire"]),
            **PESKOV,
        )
        # no said_on: filed under the article's date
        self.s_zelensky = _stmt(
            self.kyiv,
            "Ukrainian President Volodymyr Zelensky",
            "said",
            "Ukraine would agree to a 30-day ceasefire if Russia stopped striking cities",
            issues=["ceasefire"],
            stance="propose",
            conditional=True,
            plover=Plover("AGREE", None, ["ceasefire"]),
            **ZELENSKY,
        )
        # a plain claim: no PLOVER event, unknown speaker, hostile text
        self.s_official = _stmt(
            self.kyiv,
            "A Ukrainian official",
            "said",
            'the leaflet read "<script>alert(1)</script> surrender now"',
            stance="claim",
            speaker="a Ukrainian official",
        )
        self.same_side = Contradiction(
            a=self.s_lavrov,
            b=self.s_peskov,
            kind="same-side",
            reason="Sergey Lavrov and Dmitry Peskov (russia) sent opposite messages on ceasefire",
            confidence=0.8,
        )
        self.reversal = Contradiction(
            a=self.s_january,
            b=self.s_lavrov,
            kind="reversal",
            reason="Sergey Lavrov reversed position on ceasefire",
            confidence=0.9,
        )

    def fill(self, store: Store) -> None:
        store.add_doc(self.january, [self.s_january])
        store.add_doc(self.early, [self.s_early])
        store.add_doc(self.moscow, [self.s_lavrov, self.s_sanctions, self.s_peskov])
        store.add_doc(self.kyiv, [self.s_zelensky, self.s_official])
        store.replace_contradictions([self.same_side, self.reversal])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    path = str(tmp_path_factory.mktemp("report") / "r.db")
    built = Corpus(path)
    with open_store(path) as store:
        built.fill(store)
    return built


@pytest.fixture
def store(corpus: Corpus) -> Iterator[Store]:
    with open_store(corpus.path) as opened:
        yield opened


def _export(store: Store, **kw: object) -> str:
    buf = io.StringIO()
    export(store, out=buf, **kw)  # type: ignore[arg-type]
    return buf.getvalue()


# -- exports -------------------------------------------------------------------------------------


def test_export_statements_jsonl_filters(store: Store, corpus: Corpus) -> None:
    rows = [
        json.loads(line) for line in _export(store, what="statements", fmt="jsonl").splitlines()
    ]
    assert len(rows) == 7
    assert {"doc", "speaker", "content", "offsets", "plover", "id", "published"} <= rows[0].keys()
    russia = _export(store, what="statements", fmt="jsonl", side="russia", issue="ceasefire")
    ids = [json.loads(line)["id"] for line in russia.splitlines()]
    assert ids == [
        corpus.s_january.id,
        corpus.s_early.id,
        *sorted([corpus.s_lavrov.id, corpus.s_peskov.id]),
    ]
    window = _export(store, what="statements", fmt="jsonl", since=date(2025, 4, 11))
    assert len(window.splitlines()) == 5


def test_export_statements_csv(store: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(store, what="statements", fmt="csv"))))
    assert len(rows) == 7
    sanctions = next(r for r in rows if r["issues"] == "sanctions")
    assert sanctions["speaker"] == "Sergey Lavrov" and sanctions["quote"] == "direct"
    assert json.loads(sanctions["plover"])["event"] == "REQUEST"


def test_export_contradictions_jsonl_and_csv(store: Store, corpus: Corpus) -> None:
    rows = [
        json.loads(line) for line in _export(store, what="contradictions", fmt="jsonl").splitlines()
    ]
    assert [r["kind"] for r in rows] == ["same-side", "reversal"]
    assert rows[0]["a"]["id"] == corpus.s_lavrov.id and rows[0]["b"]["id"] == corpus.s_peskov.id
    table = list(csv.DictReader(io.StringIO(_export(store, what="contradictions", fmt="csv"))))
    assert table[1]["a_said_on"] == "2025-01-15" and table[1]["b_speaker"] == "Sergey Lavrov"
    # a pair is kept when either statement passes the filters
    only_jan = _export(store, what="contradictions", fmt="jsonl", until=date(2025, 1, 31))
    assert [json.loads(line)["kind"] for line in only_jan.splitlines()] == ["reversal"]


def test_export_plover_records(store: Store, corpus: Corpus) -> None:
    records = [
        json.loads(line) for line in _export(store, what="statements", fmt="plover").splitlines()
    ]
    by_id = {r["redline_id"]: r for r in records}
    # only statements with a PLOVER event: the plain claim is left out
    assert corpus.s_official.id not in by_id and len(records) == 6
    required = {"id", "date", "source", "recipient", "event", "mode", "context", "event_text"}
    for record in records:
        assert required <= record.keys()
        assert {"actor", "actor_name", "text", "doc", "cite_info", "quad_code"} <= record.keys()
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["date"])
    lavrov = by_id[corpus.s_lavrov.id]
    assert lavrov["event"] == ["REJECT"] and lavrov["mode"] == "ceasefire"
    assert lavrov["context"] == ["ceasefire"] and lavrov["quad_code"] == 3
    assert lavrov["date"] == "2025-04-11"
    assert lavrov["actor"] == "RUS" and lavrov["actor_name"] == "Sergey Lavrov"
    assert lavrov["source"][0]["code"] == "RUS"
    assert lavrov["source"][0]["office"] == "Minister of Foreign Affairs, Russia"
    assert lavrov["recipient"] == [{"code": "UKR", "actor_text": "Kyiv"}]
    assert lavrov["event_text"] == ["Moscow would not accept a ceasefire without guarantees"]
    assert lavrov["text"] == (
        "Russian Foreign Minister Sergey Lavrov said on Friday that Moscow would not accept a "
        "ceasefire without guarantees."
    )
    start, end = lavrov["text_info"]["start"], lavrov["text_info"]["end"]
    assert MOSCOW[start:end] == lavrov["text"]
    assert lavrov["doc"] == "https://example.org/reuters/lavrov-ceasefire"
    assert lavrov["cite_info"]["publication"] == "Reuters"
    sanctions = by_id[corpus.s_sanctions.id]
    assert sanctions["event"] == ["REQUEST"] and sanctions["mode"] == "ease_sanctions"
    assert sanctions["recipient"] == []  # an object with no known owner
    assert sanctions["text"].startswith('"Sanctions against Aeroflot') and sanctions[
        "text"
    ].endswith("told reporters.")
    zelensky = by_id[corpus.s_zelensky.id]
    assert zelensky["date"] == "2025-04-11"  # from the article: said_on unknown
    assert zelensky["actor"] == "UKR" and zelensky["event"] == ["AGREE"]
    assert zelensky["quad_code"] == 1 and zelensky["doc"] == "https://example.org/kyiv/truce"
    early = by_id[corpus.s_early.id]
    assert early["doc"] == "articles/tass-early.txt"  # no URL: the path


def test_plover_is_for_statements_only(store: Store) -> None:
    with pytest.raises(RedlineError, match="PLOVER"):
        _export(store, what="contradictions", fmt="plover")


def _registry() -> Registry:
    return Registry(
        [
            Actor(
                "sergey-lavrov",
                "Sergey Lavrov",
                "person",
                "russia",
                roles=[Role("Minister of Foreign Affairs", "Russia", date(2004, 3, 9))],
            ),
            Actor(
                "dmytro-kuleba",
                "Dmytro Kuleba",
                "person",
                "ukraine",
                roles=[
                    Role(
                        "Minister of Foreign Affairs", "Ukraine", date(2020, 3, 4), date(2024, 9, 5)
                    )
                ],
            ),
        ]
    )


def test_export_actors(store: Store) -> None:
    rows = [
        json.loads(line)
        for line in _export(store, what="actors", fmt="jsonl", registry=_registry()).splitlines()
    ]
    assert [r["id"] for r in rows] == ["sergey-lavrov", "dmytro-kuleba"]  # by side, then name
    assert rows[1]["roles"] == [
        {
            "title": "Minister of Foreign Affairs",
            "org": "Ukraine",
            "start": "2020-03-04",
            "end": "2024-09-05",
            "body": None,
        }
    ]
    table = list(
        csv.DictReader(io.StringIO(_export(store, what="actors", fmt="csv", registry=_registry())))
    )
    assert table[0]["name"] == "Sergey Lavrov" and "2004-03-09" in table[0]["roles"]
    bundled = _export(store, what="actors", fmt="jsonl")
    assert '"id": "sergey-lavrov"' in bundled


def test_parquet_without_pyarrow(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(RedlineError, match=r"redline\[parquet\]"):
        export(store, what="statements", fmt="parquet", out=tmp_path / "s.parquet")


def test_parquet_needs_a_file(store: Store) -> None:
    with pytest.raises(RedlineError, match="output file"):
        _export(store, what="statements", fmt="parquet")


def test_parquet_export(store: Store, corpus: Corpus, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "s.parquet"
    assert export(store, what="statements", fmt="parquet", out=path) == 7
    table = pq.read_table(path)
    rows = {r["id"]: r for r in table.to_pylist()}
    lavrov = rows[corpus.s_lavrov.id]
    assert lavrov["said_on"] == date(2025, 4, 11) and lavrov["issues"] == ["ceasefire"]
    assert lavrov["plover"]["event"] == "REJECT" and lavrov["targets"][0]["id"] == "UA-30"
    assert rows[corpus.s_official.id]["plover"] is None
    pairs = tmp_path / "c.parquet"
    assert export(store, what="contradictions", fmt="parquet", out=pairs) == 2
    assert pq.read_table(pairs).to_pylist()[1]["a"]["said_on"] == date(2025, 1, 15)
    actors = tmp_path / "a.parquet"
    export(store, what="actors", fmt="parquet", out=actors, registry=_registry())
    assert pq.read_table(actors).to_pylist()[1]["roles"][0]["end"] == date(2024, 9, 5)


# -- brief ---------------------------------------------------------------------------------------


def test_brief_sections_per_issue(store: Store, corpus: Corpus) -> None:
    brief = build_brief(store, day=date(2025, 4, 11))
    assert brief.since == brief.until == date(2025, 4, 11)
    titles = [s.title for s in brief.sections]
    assert titles == ["Ceasefire", "Sanctions", "Other", "Contradictions", "Position changes"]
    ceasefire = brief.sections[0]
    assert [t.actor for t in ceasefire.takeaways] == [
        "Sergey Lavrov",
        "Dmitry Peskov",
        "Volodymyr Zelensky",
    ]
    first = ceasefire.takeaways[0].sentences[0]
    # Lavrov rejected a ceasefire before the window too: he "reiterated"
    assert first.text == (
        "Russian Foreign Minister Sergey Lavrov reiterated on 11 April that Moscow would not "
        "accept a ceasefire without guarantees"
    )
    assert first.statement_ids == [corpus.s_lavrov.id]
    assert (
        ceasefire.takeaways[1]
        .sentences[0]
        .text.startswith(
            "Russian Presidential Press Secretary Dmitry Peskov proposed on 11 April that"
        )
    )
    assert (
        ceasefire.takeaways[2]
        .sentences[0]
        .text.startswith(
            "Ukrainian President Volodymyr Zelensky proposed, according to a report published on "
            "11 April, that Ukraine would agree"
        )
    )
    sanctions = brief.sections[1].takeaways[0].sentences[0]
    assert sanctions.text == (
        "Russian Foreign Minister Sergey Lavrov demanded on 11 April that "
        "“Sanctions against Aeroflot must be lifted before any deal”"
    )


def test_brief_every_sentence_cites(store: Store) -> None:
    brief = build_brief(store, day=date(2025, 4, 11))
    numbers = {r.number for r in brief.references}
    sentences = list(brief.sentences())
    assert sentences
    for sentence in sentences:
        assert sentence.citations, sentence.text
        assert {c.number for c in sentence.citations} <= numbers
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    md = to_markdown(brief)
    bullets = [line for line in md.splitlines() if line.startswith("- ")]
    assert len(bullets) == sum(len(s.takeaways) for s in brief.sections)
    for bullet in bullets:
        for part in re.split(r"(?<=\]\.) ", bullet[2:]):
            assert re.search(r"\[\d+\]\.$", part), part
    ref = next(r for r in brief.references if r.outlet == "Reuters")
    line = next(line for line in md.splitlines() if line.startswith(f"{ref.number}. "))
    assert "Reuters" in line and "“Lavrov rules out ceasefire”" in line
    assert "https://example.org/reuters/lavrov-ceasefire" in line and "said 2025-04-11" in line


def test_brief_contradictions_and_position_changes(store: Store, corpus: Corpus) -> None:
    brief = build_brief(store, day=date(2025, 4, 11))
    by_title = {s.title: s for s in brief.sections}
    conflict = by_title["Contradictions"].takeaways[0]
    assert conflict.sentences[0].statement_ids == [corpus.s_peskov.id]
    assert conflict.sentences[1].statement_ids == [corpus.s_lavrov.id]
    assert conflict.sentences[1].text.startswith(
        "This statement conflicts with earlier remarks by Russian Foreign Minister Sergey Lavrov"
    )
    change = by_title["Position changes"].takeaways[0]
    assert "changed position on ceasefire" in change.sentences[0].text
    assert change.sentences[1].text.startswith("Lavrov had said on 15 January that")
    assert change.sentences[1].statement_ids == [corpus.s_january.id]
    md = to_markdown(brief)
    assert "## Contradictions" in md and "## Position changes" in md


def test_brief_date_windows(store: Store, corpus: Corpus) -> None:
    march = build_brief(store, day=date(2025, 3, 1))
    assert [s.title for s in march.sections] == ["Ceasefire"]
    assert [c.statement_id for s in march.sentences() for c in s.citations] == [corpus.s_early.id]
    assert (
        march.sections[0]
        .takeaways[0]
        .sentences[0]
        .text.startswith("Russian Foreign Minister Sergey Lavrov insisted on 1 March that")
    )
    since = build_brief(store, since=date(2025, 3, 1))
    assert since.until is None and since.statements == 6
    assert "15 January" not in to_markdown(since).split("## Contradictions")[0]
    latest = build_brief(store)  # no date: the latest day with statements
    assert latest.since == latest.until == date(2025, 4, 11)
    empty = build_brief(store, day=date(2020, 1, 1))
    assert empty.sections == [] and "No statements" in to_markdown(empty)
    with pytest.raises(RedlineError):
        build_brief(store, day=date(2025, 4, 11), since=date(2025, 3, 1))


def test_brief_is_deterministic(store: Store) -> None:
    a = to_markdown(build_brief(store, since=date(2025, 1, 1)))
    b = to_markdown(build_brief(store, since=date(2025, 1, 1)))
    assert a == b


def test_brief_html_escapes_and_is_self_contained(store: Store) -> None:
    html = to_html(build_brief(store, day=date(2025, 4, 11)))
    assert html.startswith("<!doctype html>")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"<(link|img|script)\b", html)
    assert 'src="http' not in html
    assert "<h2>Ceasefire</h2>" in html and 'id="ref-1"' in html
    assert 'href="https://example.org/reuters/lavrov-ceasefire"' in html


def test_brief_markdown_escapes_html(store: Store) -> None:
    md = to_markdown(build_brief(store, day=date(2025, 4, 11)))
    assert "<script>" not in md and "\\<script\\>" in md


def test_brief_pdf_needs_the_extra(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(RedlineError, match=r"redline\[pdf\]"):
        to_pdf(build_brief(store, day=date(2025, 4, 11)), tmp_path / "b.pdf")


# -- CLI -----------------------------------------------------------------------------------------


def test_cli_export_plover_to_stdout(corpus: Corpus) -> None:
    result = runner.invoke(
        app,
        [
            "--db",
            corpus.path,
            "export",
            "--what",
            "statements",
            "--format",
            "plover",
            "--side",
            "ukraine",
        ],
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["redline_id"] for r in records] == [corpus.s_zelensky.id]


def test_cli_export_csv_to_file(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    result = runner.invoke(
        app,
        [
            "--db",
            corpus.path,
            "export",
            "--format",
            "csv",
            "--issue",
            "ceasefire",
            "--since",
            "2025-04-01",
            "--until",
            "2025-04-30",
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 3 and "wrote 3 statements" in result.output


def test_cli_export_parquet_needs_output(corpus: Corpus) -> None:
    result = runner.invoke(app, ["--db", corpus.path, "export", "--format", "parquet"])
    assert result.exit_code != 0 and "--output" in result.output


def test_cli_export_actors(corpus: Corpus) -> None:
    result = runner.invoke(app, ["--db", corpus.path, "export", "--what", "actors"])
    assert result.exit_code == 0, result.output
    assert any(json.loads(line)["id"] == "sergey-lavrov" for line in result.stdout.splitlines())


def test_cli_brief_markdown_and_html(corpus: Corpus, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", corpus.path, "brief", "--date", "2025-04-11"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Redline brief: 11 April 2025")
    assert "## Ceasefire" in result.stdout and "## References" in result.stdout
    out = tmp_path / "brief.html"
    result = runner.invoke(
        app,
        ["--db", corpus.path, "brief", "--since", "2025-03-01", "--format", "html", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "<h2>Position changes</h2>" in out.read_text(encoding="utf-8")


def test_cli_brief_rejects_bad_options(corpus: Corpus) -> None:
    both = runner.invoke(
        app, ["--db", corpus.path, "brief", "--date", "2025-04-11", "--since", "2025-04-01"]
    )
    assert both.exit_code != 0
    pdf = runner.invoke(app, ["--db", corpus.path, "brief", "--format", "pdf"])
    assert pdf.exit_code != 0 and "--output" in pdf.output
    bad = runner.invoke(app, ["--db", corpus.path, "brief", "--date", "11/04/2025"])
    assert bad.exit_code != 0


def _one_reversal() -> tuple[list[Doc], list[Statement], list[Contradiction]]:
    """Zelensky's refusal of a ceasefire in February against his offers in October: four pairs
    from two days, three of them one story, and a pair of another kind."""
    feb = Doc(
        source="feb.txt",
        published=date(2025, 2, 20),
        text="Zelensky said Ukraine would not agree to a ceasefire without guarantees. "
        "He said a pause is an invitation to rearm.",
    )
    oct_ = Doc(
        source="oct.txt",
        published=date(2025, 10, 9),
        text="Zelensky said Ukraine was ready for an unconditional ceasefire. "
        "He said the guns should fall silent tomorrow. "
        "Peskov said Russia was not interested in a truce.",
    )
    zel = {"speaker": "Volodymyr Zelensky", "side": "ukraine"}
    peskov = {"speaker": "Dmitry Peskov", "side": "russia"}
    no, pause, yes, guns, truce = (
        _stmt(
            doc, mention, "said", content, said_on=day, stance=stance, issues=["ceasefire"], **who
        )
        for doc, mention, content, day, stance, who in (
            (
                feb,
                "Zelensky",
                "Ukraine would not agree to a ceasefire without guarantees",
                date(2025, 2, 19),
                "reject",
                zel,
            ),
            (feb, "He", "a pause is an invitation to rearm", date(2025, 2, 19), "reject", zel),
            (
                oct_,
                "Zelensky",
                "Ukraine was ready for an unconditional ceasefire",
                date(2025, 10, 8),
                "propose",
                zel,
            ),
            (oct_, "He", "the guns should fall silent tomorrow", date(2025, 10, 8), "propose", zel),
            (
                oct_,
                "Peskov",
                "Russia was not interested in a truce",
                date(2025, 10, 8),
                "reject",
                peskov,
            ),
        )
    )
    pairs = [
        Contradiction(a=no, b=yes, kind="reversal", reason="Zelensky reversed: no vs yes"),
        Contradiction(a=no, b=guns, kind="reversal", reason="Zelensky reversed: no vs guns"),
        Contradiction(a=truce, b=yes, kind="same-side", reason="not one speaker"),
        Contradiction(a=pause, b=yes, kind="reversal", reason="Zelensky reversed: pause vs yes"),
    ]
    return [feb, oct_], [no, pause, yes, guns, truce], pairs


def test_the_contradictions_table_shows_one_story_once():
    from rich.console import Console

    from redline.link import stories
    from redline.report.tables import contradictions_table

    _, _, pairs = _one_reversal()
    groups = stories(pairs)
    assert [[c.reason for c in g] for g in groups] == [
        [
            "Zelensky reversed: no vs yes",
            "Zelensky reversed: no vs guns",
            "Zelensky reversed: pause vs yes",
        ],
        ["not one speaker"],
    ]
    console = Console(width=200, record=True)
    console.print(contradictions_table(pairs))
    shown = console.export_text()
    assert "Contradictions (4 pairs, 2 distinct)" in shown
    assert "and 2 more pairs of those days" in shown
    assert "a pause is an invitation to rearm" in shown
    assert shown.count("Zelensky reversed") == 1


def _brief_of(path: Path, docs: list[Doc], stmts: list[Statement], pairs: list[Contradiction]):
    with open_store(str(path)) as store:
        for doc in docs:
            store.add_doc(doc, [s for s in stmts if s.doc_id == doc.id])
        store.replace_contradictions(pairs)
        return build_brief(store, since=date(2025, 1, 1))


def test_the_brief_tells_one_story_once_and_cites_the_rest(tmp_path: Path):
    from dataclasses import replace

    docs, stmts, pairs = _one_reversal()
    brief = _brief_of(tmp_path / "b.db", docs, stmts, pairs)
    changes = next(s for s in brief.sections if s.title == "Position changes").takeaways
    assert len(changes) == 1
    *told, also = changes[0].sentences
    cited = {i for sentence in told for i in sentence.statement_ids}
    rest = {s.id for s in stmts[:4]} - cited  # the story's four remarks, less the two told
    assert len(cited) == 2 and sorted(also.statement_ids) == sorted(rest)
    assert also.text == "2 other remarks of those two days bear this out"
    # remarks of one day are "of that day"
    one_day = {s.id: replace(s, said_on=date(2025, 2, 19)) for s in stmts}
    same = [replace(c, a=one_day[c.a.id], b=one_day[c.b.id], kind="self") for c in pairs]
    brief = _brief_of(tmp_path / "c.db", docs, list(one_day.values()), same)
    conflicts = next(s for s in brief.sections if s.title == "Contradictions").takeaways
    assert any(t.sentences[-1].text.endswith("of that day bear this out") for t in conflicts)


def test_stories_keep_apart_what_points_apart():
    from dataclasses import replace

    from redline.link import stories

    _, (no, pause, yes, guns, _), pairs = _one_reversal()
    # the same two days the other way round: an offer in February, a refusal in October
    offer = replace(pause, id="offer", stance="propose")
    refusal = replace(guns, id="refusal", stance="reject")
    flip = Contradiction(a=offer, b=refusal, kind="reversal", reason="the other way")
    assert [len(g) for g in stories([pairs[0], flip, pairs[1]])] == [2, 1]
    # speakers no name was found for are one only within an article
    he_feb = replace(no, id="he1", speaker=None, speaker_mention="He")
    he_other = replace(no, id="he2", speaker=None, speaker_mention="He", doc_id="elsewhere")
    a = Contradiction(a=he_feb, b=yes, kind="reversal", reason="a")
    b = Contradiction(a=he_other, b=yes, kind="reversal", reason="b")
    assert len(stories([a, b])) == 2


def test_the_table_prints_markup_in_what_was_said_as_text():
    from dataclasses import replace

    from rich.console import Console

    from redline.report.tables import contradictions_table

    _, (no, pause, yes, guns, _), _ = _one_reversal()
    odd = [replace(s, content=f"[/b] {s.content} [bold]") for s in (no, pause, yes, guns)]
    # two pairs of one day: "of that day"
    same_day = [replace(s, said_on=date(2025, 2, 19)) for s in odd]
    pairs = [
        Contradiction(a=same_day[0], b=same_day[2], kind="self", reason="[/dim] one"),
        Contradiction(a=same_day[1], b=same_day[3], kind="self", reason="two"),
    ]
    console = Console(width=200, record=True)
    console.print(contradictions_table(pairs))
    shown = console.export_text()
    assert "[/b] Ukraine would not agree" in shown and "[/dim] one" in shown
    assert "and 1 more pair of that day" in shown
