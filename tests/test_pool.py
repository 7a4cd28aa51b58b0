"""Extraction in worker processes gives what one process gives, in input order; a document
that trips a defect is reported and the rest of its batch kept."""

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


def test_a_document_that_trips_a_defect_is_reported_and_the_rest_are_kept(
    tmp_path, analyser, monkeypatch
):
    from redline.pipeline import analyse_sources, ingest
    from redline.settings import Settings
    from redline.store import Store

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Peskov said the talks would resume in Istanbul on Monday.\n")
    (folder / "b.txt").write_text("Lavrov said the sanctions would have to go first. BOOM\n")
    (folder / "c.txt").write_text("Sybiha said Ukraine would not give up any land.\n")
    real = analyser.coder.__call__

    def defective(stmts, *, text=None, **kw):
        if text and "BOOM" in text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(stmts, text=text, **kw)

    monkeypatch.setattr(analyser, "coder", type("C", (), {"__call__": staticmethod(defective)})())
    settings = Settings()
    with Store(str(tmp_path / "x.db")) as store:
        monkeypatch.setattr("redline.pipeline.relink", lambda *a, **k: [])
        report = ingest([str(folder)], store=store, settings=settings, analyser=analyser)
        kept = sorted(d.source.split("/")[-1] for d in store.docs(with_text=False))
    assert kept == ["a.txt", "c.txt"] and report.new == 2
    assert len(report.errors) == 1 and "b.txt" in report.errors[0]
    assert "analysis failed (RecursionError" in report.errors[0]
    # the same for `redline extract`, which stores nothing
    out = list(analyse_sources([str(folder)], settings=settings, analyser=analyser))
    assert [type(o).__name__ for o in out] == ["Analysed", "AnalysisFailed", "Analysed"]


def test_a_closed_analyser_is_raised_not_reported_as_the_documents_fault(settings):
    import pytest

    from redline.errors import AnalyserClosed
    from redline.pipeline import _analysed

    closed = Analyser(settings, workers=2)
    closed.close()

    docs = [
        Doc(source=f"t{n}.txt", text=t, published=date(2025, 3, 1)) for n, t in enumerate(TEXTS)
    ]
    with pytest.raises(AnalyserClosed):
        _analysed(closed, docs)


class Picky(Exception):
    """An exception pickle cannot rebuild: its class needs two arguments, it keeps one."""

    def __init__(self, what: str, why: str) -> None:
        super().__init__(f"{what}: {why}")


def test_what_a_worker_raises_can_always_cross_back(monkeypatch):
    import pickle

    import pytest

    from redline import pipeline
    from redline.errors import WorkerFailed

    class Tripping:
        def __call__(self, docs: list[Doc]) -> list[object]:
            raise Picky("b.txt", "deep recursion")

    with pytest.raises(TypeError):
        pickle.loads(pickle.dumps(Picky("b.txt", "deep recursion")))
    monkeypatch.setattr(pipeline, "_worker", Tripping())
    with pytest.raises(WorkerFailed) as caught:
        pipeline._analyse_in_worker([])
    back = pickle.loads(pickle.dumps(caught.value))
    assert str(back) == "Picky: b.txt: deep recursion"
