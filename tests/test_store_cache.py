"""What the store keeps between reads, and that it follows every change: the data version, the
counts and corrected statements kept per version, the stored sort dates and kept polarities.

A synthetic database (`scripts/make_bench_db.py`, small) with analysts' corrections: lists and
counts read in SQL are checked against the same filters applied in Python to every statement.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import database_at
from redline.models import Doc, Offsets, Statement
from redline.store import Store, open_store, reads
from redline.store.cache import VersionCache
from redline.store.review import is_wrong


@pytest.fixture
def bench(bench_db: Path, tmp_path: Path) -> Iterator[Store]:
    """A copy of the synthetic database, free to change."""
    copy = tmp_path / "copy.db"
    copy.write_bytes(bench_db.read_bytes())
    with open_store(str(copy)) as store:
        yield store


def everything(store: Store) -> list[Statement]:
    return store.statements(include_wrong=True)


def day_key(s: Statement) -> tuple[date, str]:
    return (s.when or date.max, s.id)


# -- the data version ---------------------------------------------------------------------------


def doc_with(text: str, published: date | None = date(2025, 5, 1)) -> tuple[Doc, Statement]:
    doc = Doc(source=f"tests/{abs(hash(text))}.txt", text=text, published=published)
    end = len(text) - 1
    stmt = Statement(
        doc=doc.source,
        doc_id=doc.id,
        speaker_mention="Lavrov",
        cue="said",
        content=text[:end],
        quote="indirect",
        offsets=Offsets(content=[(0, end)]),
        speaker="Sergey Lavrov",
        speaker_id="sergey-lavrov",
        side="russia",
        issues=["ceasefire"],
        stance="reject",
    )
    return doc, stmt


def test_every_write_raises_the_data_version_and_keeping_polarities_does_not(
    tmp_path: Path,
) -> None:
    with open_store(str(tmp_path / "v.db")) as store:
        seen = [store.data_version()]
        doc, stmt = doc_with("Lavrov said no truce would hold.")
        store.add_doc(doc, [stmt])
        seen.append(store.data_version())
        store.correct(stmt.id, field="stance", value="deny", author="ana")
        seen.append(store.data_version())
        store.replace_contradictions([])
        seen.append(store.data_version())
        store.keep_polarities({(stmt.id, "ceasefire"): -1}, basis={"ceasefire": "b1"})
        assert store.data_version() == seen[-1]
        assert not store.add_doc(doc, [stmt])  # already stored: nothing written
        assert store.data_version() == seen[-1]
    assert seen == sorted(set(seen)), seen


def test_a_write_through_another_store_is_seen_at_once(tmp_path: Path) -> None:
    path = str(tmp_path / "two.db")
    with open_store(path) as reader, open_store(path) as writer:
        doc, stmt = doc_with("Lavrov said the talks were over.")
        assert reader.count_statements(side="russia") == 0  # counted, and kept
        writer.add_doc(doc, [stmt])
        assert reader.count_statements(side="russia") == 1
        assert reader.count_statements_by("issue") == {"ceasefire": 1}
        writer.correct(stmt.id, field="side", value="ukraine", author="ana")
        assert reader.count_statements(side="russia") == 0
        assert reader.count_statements_by("side") == {"ukraine": 1}
        assert reader.count_docs() == 1


# -- lists and counts against Python ------------------------------------------------------------


FILTERS: list[dict[str, Any]] = [
    {},
    {"side": "russia"},
    {"side": "ukraine", "issue": "sanctions"},
    {"issue": "ceasefire", "since": date(2024, 1, 1)},
    {"side": "us", "until": date(2023, 6, 30)},
    # dates alone are counted from kept counts per day
    {"since": date(2024, 3, 1)},
    {"until": date(2023, 2, 1)},
    {"since": date(2023, 1, 1), "until": date(2024, 12, 31)},
    {"actor": "lavrov"},
    {"actor": "an", "side": "russia"},
    {"actor": "volodymyr-zelenskyy"},
    {"speaker_id": "volodymyr-zelenskyy"},
]


def keeps(stmt: Statement, f: dict[str, Any]) -> bool:
    if is_wrong(stmt):
        return False
    when = stmt.when
    name = f.get("actor")
    return (
        (f.get("side") is None or stmt.side == f["side"])
        and (f.get("issue") is None or f["issue"] in stmt.issues)
        and (f.get("since") is None or (when is not None and when >= f["since"]))
        and (f.get("until") is None or (when is not None and when <= f["until"]))
        and (f.get("speaker_id") is None or stmt.speaker_id == f["speaker_id"])
        and (
            name is None
            or stmt.speaker_id == name
            or any(name in (n or "").casefold() for n in (stmt.speaker, stmt.speaker_name))
        )
    )


@pytest.mark.parametrize("filters", FILTERS)
def test_pages_and_counts_match_python_over_every_statement(
    bench: Store, filters: dict[str, Any]
) -> None:
    assert bench.corrections(), "the synthetic database has corrections"
    expected = sorted((s for s in everything(bench) if keeps(s, filters)), key=day_key)
    assert bench.count_statements(**filters) == len(expected)
    assert [s.id for s in bench.statements(**filters)] == [s.id for s in expected]
    newest = bench.statements(**filters, newest_first=True, limit=7, offset=3)
    assert [s.id for s in newest] == [s.id for s in expected[::-1][3:10]]
    for offset in (0, 5, len(expected) - 2):
        page = bench.statements(**filters, limit=4, offset=max(0, offset))
        assert [s.id for s in page] == [s.id for s in expected[max(0, offset) : offset + 4]]
    grouped = {k: v for k, v in filters.items() if k not in ("actor",)}
    for field in ("side", "stance", "issue"):
        counted: Counter[str | None] = Counter()
        for s in expected:
            if field == "issue":
                counted.update(list(dict.fromkeys(s.issues)) or [None])
            else:
                counted[getattr(s, field)] += 1
        if "actor" not in filters:
            assert bench.count_statements_by(field, **grouped) == dict(counted)


def test_counts_follow_corrections(bench: Store) -> None:
    stmt = next(s for s in bench.statements(side="russia") if s.stance and s.issues)
    sides = bench.count_statements_by("side")
    issues = bench.count_statements_by("issue")
    pairs = bench.count_contradictions(side="russia")
    bench.correct_many(stmt.id, {"side": "ukraine", "issues": ["elections"]}, author="ana")
    assert bench.count_statements_by("side")["russia"] == sides["russia"] - 1
    assert bench.count_statements_by("side")["ukraine"] == sides["ukraine"] + 1
    after = bench.count_statements_by("issue")
    assert after["elections"] == issues["elections"] + (0 if "elections" in stmt.issues else 1)
    assert bench.count_statements(side="russia") == sides["russia"] - 1
    bench.correct(stmt.id, field="wrong", value=True, author="ana")
    assert bench.count_statements_by("side")["ukraine"] == sides["ukraine"]
    assert bench.count_contradictions(side="russia") <= pairs
    assert stmt.id not in {s.id for s in bench.statements(side="ukraine")}


def test_newest_pairs_come_by_their_later_date(bench: Store) -> None:
    found = bench.contradictions(newest_first=True)
    days = [max(c.a.when or date.min, c.b.when or date.min) for c in found]
    assert days == sorted(days, reverse=True)
    since = days[len(days) // 2]
    assert bench.count_contradictions(since=since) == sum(d >= since for d in days)


@pytest.mark.parametrize(
    "filters",
    [
        {"side": "russia"},
        {"issue": "sanctions"},
        {"side": "ukraine", "issue": "ceasefire"},
        {"side": "us", "since": date(2024, 1, 1)},
    ],
)
def test_pairs_by_side_or_issue_are_counted_as_listed(
    bench: Store, filters: dict[str, Any]
) -> None:
    every = bench.contradictions(include_wrong=False)
    since = filters.get("since")
    expected = [
        c
        for c in every
        if any(
            (filters.get("side") is None or s.side == filters["side"])
            and (filters.get("issue") is None or filters["issue"] in s.issues)
            for s in (c.a, c.b)
        )
        and (since is None or max(c.a.when or date.min, c.b.when or date.min) >= since)
    ]
    assert expected, "the synthetic pairs cover the filter"
    listed = bench.contradictions(**filters, newest_first=True)
    assert bench.count_contradictions(**filters) == len(listed) == len(expected)
    assert {(c.a.id, c.b.id) for c in listed} == {(c.a.id, c.b.id) for c in expected}


def test_search_leaves_out_wrong_statements_and_pages_in_sql(bench: Store) -> None:
    every = bench.search("ceasefire", limit=500)
    ids = [h.id for h in every.hits]
    assert every.total == len(ids) == len(set(ids))
    wrong = ids[3]
    bench.correct(wrong, field="wrong", value=True, author="ana")
    after = bench.search("ceasefire", limit=500)
    assert after.total == every.total - 1 and wrong not in {h.id for h in after.hits}
    pages = [
        h.id
        for n in range(0, after.total, 40)
        for h in bench.search("ceasefire", limit=40, offset=n).hits
    ]
    assert pages == [h.id for h in after.hits]
    assert wrong in {h.id for h in bench.search("ceasefire", limit=500, include_wrong=True).hits}


def test_search_pages_past_the_kept_ranking_come_from_sql(
    bench: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = bench.search("ceasefire", limit=500)
    assert every.total > 12
    monkeypatch.setattr(reads, "RANKED", 7)
    bench._cache.clear()
    pages = [bench.search("ceasefire", limit=5, offset=n) for n in range(0, every.total, 5)]
    assert {p.total for p in pages} == {every.total}
    assert [h.id for p in pages for h in p.hits] == [h.id for h in every.hits]


# -- stored dates and kept polarities -----------------------------------------------------------


def test_filed_on_is_said_else_published_and_the_undated_come_last(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "d.db")) as store:
        said, a = doc_with("Lavrov said first.", published=date(2025, 1, 5))
        a.said_on = date(2025, 1, 3)
        late, b = doc_with("Lavrov said second.", published=date(2025, 2, 1))
        none, c = doc_with("Lavrov said nothing dated.", published=None)
        for doc, stmt in ((none, c), (late, b), (said, a)):
            store.add_doc(doc, [stmt])
        assert [s.id for s in store.statements()] == [a.id, b.id, c.id]
        assert [s.id for s in store.statements(newest_first=True)] == [b.id, a.id, c.id]
        assert [s.id for s in store.statements(since=date(2025, 1, 4))] == [b.id]
    raw = sqlite3.connect(tmp_path / "d.db")
    try:
        filed = dict(raw.execute("SELECT id, filed_on FROM statements").fetchall())
    finally:
        raw.close()
    assert filed == {a.id: "2025-01-03", b.id: "2025-02-01", c.id: None}


def test_stands_hand_back_corrected_statements_whole(bench: Store) -> None:
    found, corrected = bench.stands("ceasefire", basis="b")
    assert found and all(s.polarity is None and s.issue == "ceasefire" for s in found)
    fixed = {c.statement_id for c in bench.corrections()}
    assert not fixed & {s.id for s in found}
    assert all("ceasefire" in s.issues and not is_wrong(s) for s in corrected)
    bench.keep_polarities({(s.id, "ceasefire"): 0 for s in found[:5]}, basis={"ceasefire": "b"})
    bench.keep_polarities({(s.id, "ceasefire"): 1 for s in found[5:9]}, basis={"ceasefire": "b"})
    again, _ = bench.stands("ceasefire", basis="b")
    held = {s.id: s.polarity for s in again}
    assert not {s.id for s in found[:5]} & set(held), "a kept 0 takes no side: left out"
    assert all(held[s.id] == 1 for s in found[5:9])
    other, _ = bench.stands("ceasefire", basis="another coder")
    assert all(s.polarity is None for s in other) and len(other) == len(found)
    kept = bench.kept_polarities([s.id for s in found[5:9]])
    assert kept == {(s.id, "ceasefire"): ("b", 1) for s in found[5:9]}


def test_migration_0005_fills_the_dates_of_what_was_stored(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old_rows = [
        "INSERT INTO docs (id, source, format, text, boilerplate, notices, story, published) "
        "VALUES ('d1', 'old.txt', 'text', 'Old text.', '[]', '[]', 'd1', '2024-02-02')",
        *(
            "INSERT INTO statements (id, doc_id, doc, speaker_mention, cue, content, quote, "
            "offsets, cue_lemma, said_on, side, issues, negated, conditional, polarity, targets) "
            f"VALUES ('{sid}', 'd1', 'old.txt', 'he', 'said', 'a ceasefire', 'indirect', '{{}}', "
            f"'say', {said}, 'russia', '[\"ceasefire\"]', 0, 0, 0, '[]')"
            for sid, said in (("s1", "'2024-01-30'"), ("s2", "NULL"))
        ),
        "INSERT INTO contradictions (a_id, b_id, kind, reason, confidence) "
        "VALUES ('s1', 's2', 'self', 'old pair', 0.5)",
    ]
    database_at(path, "0004_targets", *old_rows)
    with Store(str(path)) as store:
        assert [s.id for s in store.statements()] == ["s1", "s2"]
        assert store.data_version() >= 1
        assert store.contradictions(since=date(2024, 2, 2))[0].reason == "old pair"
        assert store.contradictions(since=date(2024, 2, 3)) == []


def test_migration_0007_fills_the_body_each_stored_speaker_spoke_for(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old_rows = [
        "INSERT INTO docs (id, source, format, text, boilerplate, notices, story, published) "
        "VALUES ('d1', 'old.txt', 'text', 'Old text.', '[]', '[]', 'd1', '2025-03-02')",
        *(
            "INSERT INTO statements (id, doc_id, doc, speaker_mention, cue, content, quote, "
            "offsets, cue_lemma, said_on, side, issues, negated, conditional, polarity, targets, "
            f"speaker_id, filed_on) VALUES ('{sid}', 'd1', 'old.txt', 'he', 'said', 'talks', "
            "'indirect', '{}', 'say', NULL, 'russia', '[]', 0, 0, 0, '[]', "
            f"{speaker}, '{day}')"
            for sid, speaker, day in (
                ("s1", "'dmitry-peskov'", "2025-03-02"),
                ("s2", "'sergei-shoigu'", "2023-03-02"),
                ("s3", "'sergei-shoigu'", "2025-03-02"),
                ("s4", "NULL", "2025-03-02"),
            )
        ),
    ]
    database_at(path, "0006_covering_indexes", *old_rows)
    with Store(str(path)) as store:
        got = {s.id: s.institution for s in store.statements()}
    assert got == {
        "s1": "Kremlin",
        "s2": "Russian Defence Ministry",  # defence minister until May 2024
        "s3": "Security Council of Russia",
        "s4": None,
    }


# -- the cache itself ---------------------------------------------------------------------------


def test_version_cache_makes_a_result_once_for_many_threads() -> None:
    cache = VersionCache(size=2)
    made: list[int] = []

    def slow() -> str:
        made.append(1)
        time.sleep(0.05)
        return "made"

    got: list[str] = []
    threads = [
        threading.Thread(target=lambda: got.append(cache.get("k", 1, slow))) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["made"] * 8 and len(made) == 1
    assert cache.get("k", 2, lambda: "new") == "new"  # another version: made again
    cache.get("a", 2, lambda: 1)
    cache.get("b", 2, lambda: 2)
    assert len(cache) == 2  # the least recently used went


def test_a_failed_make_is_not_kept(tmp_path: Path) -> None:
    cache = VersionCache()

    def fail() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError):
        cache.get("k", 1, fail)
    again: Callable[[], int] = lambda: 3  # noqa: E731
    assert cache.get("k", 1, again) == 3
