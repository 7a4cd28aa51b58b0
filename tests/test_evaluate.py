"""The PolNeAR harness: brat reading, span scoring, the run over real texts, the eval command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.errors import RedlineError
from redline.evaluate import Attribution, evaluate_dir, parse_ann, read_ann, score, tokens, trim
from redline.evaluate.cli import eval_app
from redline.pipeline import Analyser

POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear"
ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

TEXT = (
    "Talks stall in Geneva\n\n"
    '"We will not sign this," the deputy minister said on Monday, '
    '"unless the grain corridor reopens."\n'
    "Officials in Brussels said the proposal was dead.\n"
)
# T4 is discontinuous: both halves of the split quotation; T7 is a Discuss span in no event.
ANN = """\
T1\tSource 48 67\tthe deputy minister
T2\tCue 68 72\tsaid
T3\tContent 23 47;84 120\t"We will not sign this," "unless the grain corridor reopens."
T4\tAttribution 68 72\tsaid
E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3
T5\tSource 121 142\tOfficials in Brussels
T6\tContent 148 169\tthe proposal was dead
T7\tDiscuss 0 21\tTalks stall in Geneva
T8\tAttribution-no-source 143 147\tsaid
E2\tAttribution-no-source:T8 Source:T5 Content:T6
#1\tAnnotatorNotes T3\tsplit quote
"""


def _span(sub: str, *, after: int = 0) -> tuple[int, int]:
    start = TEXT.index(sub, after)
    return start, start + len(sub)


def test_fixture_offsets_are_right():
    # the offsets in ANN were written by hand: check them against the text they point into
    for line in ANN.splitlines():
        if line.startswith("T"):
            _, label_spans, words = line.split("\t")
            pieces = [tuple(map(int, p.split())) for p in label_spans.split(" ", 1)[1].split(";")]
            assert " ".join(TEXT[a:b] for a, b in pieces) == words


def test_parse_ann_reads_events_discontinuous_spans_and_trigger_cues(tmp_path):
    path = tmp_path / "talks_abcd.ann"
    path.write_text(ANN, encoding="utf-8")
    first, second = read_ann(path)
    assert first.id == "E1"
    assert first.source == [(48, 67)] and first.cue == [(68, 72)]
    assert first.content == [(23, 47), (84, 120)]  # the pieces, in order
    # no Cue argument: the trigger's span is the cue; the Discuss span joins no attribution
    assert second.cue == [(143, 147)] and second.source == [(121, 142)]
    assert all((0, 21) not in a.source + a.cue + a.content for a in (first, second))


def test_parse_ann_skips_continuation_lines_and_numbered_roles():
    ann = (
        "T1\tContent 0 5;10 12\tab\ncd\n"  # a span text with a line break
        "T2\tCue 6 9\tsaid\n"
        "T3\tContent 13 20\tmore\n"
        "E1\tAttribution:T2 Cue:T2 Content:T1 Content2:T3\n"
    )
    (att,) = parse_ann(ann)
    assert att.content == [(0, 5), (10, 12), (13, 20)] and att.source == []


def test_parse_ann_refuses_a_dangling_reference():
    with pytest.raises(RedlineError, match="T9"):
        parse_ann("T1\tCue 0 4\tsaid\nE1\tAttribution:T1 Source:T9\n")


def test_trim_strips_quotes_and_punctuation_only_at_the_edges():
    text = '  "We will not sign this," he said.'
    assert text[slice(*trim((0, 26), text))] == "We will not sign this"  # type: ignore[misc]
    assert trim((0, 3), text) is None  # only spaces and a quotation mark
    assert tokens("U.S.-backed talks, again") == [(0, 1), (2, 3), (5, 11), (12, 17), (19, 24)]


def test_trimmed_punctuation_still_counts_as_exact():
    gold = [Attribution("E1", source=[_span("the deputy minister")], content=[(23, 47)])]
    # content without the quotation marks and the comma; source with a trailing space
    pred = [Attribution("p", source=[(48, 68)], content=[_span("We will not sign this")])]
    s = score(pred, gold, text=TEXT)
    assert (s.content.exact.tp, s.content.exact.precision, s.content.exact.recall) == (1, 1.0, 1.0)
    assert s.source.exact.f1 == 1.0 and s.content.token.f1 == 1.0


def test_partial_overlap_is_not_exact_but_counts_in_token_f1():
    gold = [Attribution("E1", content=[_span("the proposal was dead")])]
    pred = [Attribution("p", content=[_span("proposal was dead")])]
    s = score(pred, gold, text=TEXT)
    assert s.content.exact.tp == 0 and s.content.exact.f1 == 0.0
    assert s.content.token.precision == 1.0
    assert s.content.token.recall == pytest.approx(3 / 4)
    assert s.content.token.f1 == pytest.approx(2 * 0.75 / 1.75)


def test_discontinuous_gold_counts_as_its_pieces():
    gold = parse_ann(ANN)
    pred = [Attribution("p", content=[_span('"We will not sign this,"')])]
    s = score(pred, gold, text=TEXT)
    assert (s.content.exact.tp, s.content.exact.pred, s.content.exact.gold) == (1, 1, 3)


def test_empty_predictions_and_empty_gold_give_zeros_without_errors():
    s = score([], parse_ann(ANN), text=TEXT)
    for role in (s.source, s.cue, s.content):
        assert role.exact.precision == role.exact.recall == role.exact.f1 == 0.0
        assert role.token.precision == role.token.recall == role.token.f1 == 0.0
    assert score([], [], text="").content.exact.f1 == 0.0
    total = s + score(parse_ann(ANN), parse_ann(ANN), text=TEXT)
    assert total.cue.exact.precision == 1.0 and total.cue.exact.recall == 0.5


def _tiny_polnear(root: Path) -> Path:
    (root / "dev" / "text").mkdir(parents=True)
    (root / "dev" / "attributions").mkdir()
    (root / "dev" / "text" / "talks.txt").write_text(TEXT, encoding="utf-8")
    (root / "dev" / "attributions" / "talks_ffff.ann").write_text("", encoding="utf-8")
    (root / "dev" / "attributions" / "talks_abcd.ann").write_text(ANN, encoding="utf-8")
    return root


def test_evaluate_dir_on_a_written_corpus_takes_the_first_annotator(tmp_path, analyser: Analyser):
    report = evaluate_dir(_tiny_polnear(tmp_path), analyser=analyser, peers=False)
    assert report.articles == 1 and report.gold_attributions == 2  # abcd, not the empty ffff
    (redline,) = report.systems
    assert redline.name == "redline" and redline.scores is not None
    assert redline.scores.content.token.recall > 0
    assert "redline.content.exact.f1" in report.figures()


def test_evaluate_dir_refuses_a_folder_without_the_split(tmp_path, analyser: Analyser):
    with pytest.raises(RedlineError, match="dev/text"):
        evaluate_dir(tmp_path, analyser=analyser)


def test_eval_command_prints_json_and_a_table(tmp_path):
    root = _tiny_polnear(tmp_path)
    result = runner.invoke(eval_app, ["polnear", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [s["name"] for s in data["systems"]] == ["redline", "textacy"]
    result = runner.invoke(eval_app, ["polnear", str(root), "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert "redline" in result.output and "art/s" in result.output
    bad = runner.invoke(eval_app, ["polnear", str(tmp_path / "dev")])
    assert bad.exit_code == 1 and "no dev/text" in bad.output


def test_eval_gate_skips_cleanly_without_the_data(tmp_path):
    gate = ROOT / "scripts" / "eval_gate.py"
    done = subprocess.run(
        [sys.executable, str(gate), "--data", str(tmp_path / "polnear")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("skipped:") and "not found" in done.stdout


@pytest.mark.skipif(
    not POLNEAR.is_dir(), reason="../shared/eval/polnear is not beside this checkout"
)
def test_evaluate_dir_on_three_real_dev_texts(analyser: Analyser):
    report = evaluate_dir(POLNEAR, "dev", limit=3, analyser=analyser)
    assert report.articles == 3 and report.gold_attributions > 0
    redline = report.systems[0]
    assert redline.scores is not None and redline.articles == 3
    assert redline.statements > 0 and redline.seconds > 0
    assert redline.scores.content.token.f1 > 0.2  # far below the measured figure: a smoke test
    assert {s.name for s in report.systems} == {"redline", "textacy"}


def test_a_missing_textacy_is_a_row_that_says_so(tmp_path, analyser: Analyser, monkeypatch):
    monkeypatch.setitem(sys.modules, "textacy.extract.triples", None)  # import fails
    report = evaluate_dir(_tiny_polnear(tmp_path), analyser=analyser)
    peer = report.systems[1]
    assert peer.name == "textacy" and peer.scores is None
    assert peer.note == "textacy not installed"
    assert "textacy." not in " ".join(report.figures())
