"""What the web app keeps: positions and claims from kept polarities, results held per data
version, warming. Each must give what a computation from scratch gives, before and after the
data changes (a correction in review, a new article, a write by another process).
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from redline.coding import Coder
from redline.link.positions import positions
from redline.models import Doc, Offsets, Statement
from redline.report.standing import territorial_claims
from redline.settings import Settings
from redline.store import Store, open_store
from redline.store.schema import polarities
from redline.web import actors, issues, standing, views, warm
from redline.web.app import create_app
from redline.web.pagecache import PageCache
from redline.web.views import Site

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder(Settings(), embeddings=False)


@pytest.fixture
def path(bench_db: Path, tmp_path: Path) -> str:
    copy = tmp_path / "site.db"
    copy.write_bytes(bench_db.read_bytes())
    return str(copy)


@pytest.fixture
def site(path: str, coder: Coder) -> Iterator[Site]:
    with open_store(path) as store:
        yield fresh_site(store, coder)


def fresh_site(store: Store, coder: Coder) -> Site:
    return Site(
        store=store,
        registry=coder.registry,
        taxonomy=coder.taxonomy,
        coder=coder,
        settings=Settings(db=str(store.url.database)),
    )


def from_scratch(store: Store, coder: Coder, issue: str) -> dict[str, tuple[Any, ...]]:
    """Each speaker's current position on `issue`, as computed before polarities were kept:
    every statement read whole, the coder asked for each."""
    by_actor: dict[str, list[Statement]] = {}
    for stmt in store.statements(issue=issue):
        if stmt.speaker_id:
            by_actor.setdefault(stmt.speaker_id, []).append(stmt)
    out = {}
    for actor, stmts in by_actor.items():
        runs = positions(stmts, polarity=coder.polarity_on, issue=issue).get(issue)
        if runs:
            now = runs[-1]
            out[actor] = (now.polarity, now.since, now.last, now.previous, len(now.statements))
    return out


def kept_way(site: Site, issue: str) -> dict[str, tuple[Any, ...]]:
    return {
        actor: (pos.polarity, pos.since, pos.last, pos.previous, len(pos.statements))
        for actor, (_, pos) in standing.issue_positions(site, issue).items()
    }


def claims_of(found: list[Any]) -> list[tuple[Any, ...]]:
    return [(c.side, c.place, c.since, c.last, [s.id for s in c.statements]) for c in found]


def kept_rows(store: Store) -> int:
    with store._engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(polarities)).scalar_one())


# -- the same answers as from scratch -----------------------------------------------------------


def test_positions_from_kept_polarities_match_the_coder(site: Site, coder: Coder) -> None:
    assert kept_rows(site.store) == 0
    for issue in ("ceasefire", "sanctions", "territory"):
        assert kept_way(site, issue) == from_scratch(site.store, coder, issue)
    kept = kept_rows(site.store)
    assert kept > 0
    # the second time, from what was kept: the same answer, nothing new kept
    for issue in ("ceasefire", "sanctions", "territory"):
        assert kept_way(site, issue) == from_scratch(site.store, coder, issue)
    assert kept_rows(site.store) == kept


def test_claims_from_kept_polarities_match_the_report(site: Site, coder: Coder) -> None:
    settings = Settings()
    expected = claims_of(territorial_claims(site.store, settings=settings, coder=coder))
    assert claims_of(standing.territorial_claims(site)) == expected


def test_corrected_statements_are_judged_as_corrected_and_never_kept(
    site: Site, coder: Coder
) -> None:
    corrected = {c.statement_id for c in site.store.corrections()}
    standing.stands_on(site, "ceasefire")
    with site.store._engine.connect() as conn:
        kept = {row[0] for row in conn.execute(select(polarities.c.statement_id))}
    assert kept and not kept & corrected
    # flip one speaker's latest statement: their position follows at once
    actor, (_, pos) = next(iter(standing.issue_positions(site, "ceasefire").items()))
    latest = pos.statements[-1]
    whole = site.store.get_statement(latest.id)
    assert whole is not None
    site.store.correct_many(latest.id, {"negated": not whole.negated}, author="ana")
    assert kept_way(site, "ceasefire") == from_scratch(site.store, coder, "ceasefire")
    assert kept_way(site, "ceasefire")[actor] != (
        pos.polarity,
        pos.since,
        pos.last,
        pos.previous,
        len(pos.statements),
    )


# -- held per version, and let go when the data changes -----------------------------------------


def issue_positions_json(client: TestClient, issue: str) -> dict[str, Any]:
    data = client.get(f"/issues/{issue}.json").json()
    return {p["actor"]: p for p in data["positions"]}


def test_issue_page_follows_corrections(path: str, coder: Coder) -> None:
    with TestClient(create_app(Settings(db=path))) as client, open_store(path) as other:
        before = issue_positions_json(client, "ceasefire")
        counts = client.get("/issues/ceasefire.json").json()["counts"]
        # another process corrects: the page, held by the app, must follow
        # (up to) the last three of one actor's statements on it
        victims = other.statements(issue="ceasefire", speaker_id=next(iter(before)))[-3:]
        assert victims
        for stmt in victims:
            other.correct(stmt.id, field="wrong", value=True, author="ana")
        after = issue_positions_json(client, "ceasefire")
        assert after != before
        expected = from_scratch(other, coder, "ceasefire")
        assert {a: p["polarity"] for a, p in after.items()} == {
            a: v[0] for a, v in expected.items()
        }
        assert client.get("/issues/ceasefire.json").json()["counts"]["statements"] == (
            counts["statements"] - len(victims)
        )


def test_dashboard_and_map_follow_a_new_article(path: str, coder: Coder) -> None:
    with TestClient(create_app(Settings(db=path))) as client, open_store(path) as other:
        board = client.get("/index.json").json()
        tiles = {t["code"]: t for t in client.get("/map.json").json()["tiles"]}
        # a new article repeating a stored claim on Kherson, said later than anything stored
        site = fresh_site(other, coder)
        claim = next(
            s
            for s in standing.stands_on(site, "territory", target_kind="place")
            if (s.polarity or 0) > 0 and s.side == "russia"
        )
        model = other.get_statement(claim.id)
        assert model is not None
        text = f"{model.content}."
        doc = Doc(source="tests/new.txt", text=text, published=date(2026, 12, 1))
        stmt = Statement(
            doc=doc.source,
            doc_id=doc.id,
            speaker_mention=model.speaker_mention,
            cue=model.cue,
            cue_lemma=model.cue_lemma,
            content=model.content,
            quote="indirect",
            offsets=Offsets(content=[(0, len(model.content))]),
            speaker=model.speaker,
            speaker_id=model.speaker_id,
            side="russia",
            issues=["territory"],
            stance=model.stance,
            negated=model.negated,
            targets=[t for t in model.targets if t.kind == "place"][:1],
        )
        place = stmt.targets[0].id
        assert coder.polarity_on(stmt, "territory") > 0
        other.add_doc(doc, [stmt])
        after = client.get("/index.json").json()
        assert after["counts"]["docs"] == board["counts"]["docs"] + 1
        assert after["counts"]["statements"] == board["counts"]["statements"] + 1
        assert after["latest_statements"][0]["id"] == stmt.id
        tile = {t["code"]: t for t in client.get("/map.json").json()["tiles"]}[place]
        claims = [c for c in tile["claims"] if c["side"] == "russia"]
        assert claims and claims[0]["last"] == "2026-12-01"
        assert stmt.id in claims[0]["statements"]
        assert tiles[place] != tile


def test_warming_fills_what_the_pages_then_read(site: Site) -> None:
    warm.warm(site, threading.Event())
    version = site.store.data_version()
    calls: list[str] = []
    real = standing.issue_positions

    def counting(s: Site, issue: str) -> Any:
        calls.append(issue)
        return real(s, issue)

    standing_positions = issues.issue_positions
    issues.issue_positions = counting  # type: ignore[assignment]
    try:
        for issue in site.taxonomy.issues:
            issues.issue_page(site, issue)
        assert calls == [] and site.store.data_version() == version
        site.store.correct(
            site.store.statements(limit=1)[0].id, field="stance", value="deny", author="ana"
        )
        issues.issue_page(site, "ceasefire")
        assert calls == ["ceasefire"]  # a new version: made again
    finally:
        issues.issue_positions = standing_positions  # type: ignore[assignment]


def test_warming_stops_when_asked(site: Site) -> None:
    stop = threading.Event()
    stop.set()
    warm.warm(site, stop)
    assert len(site.memo) == 0
    running = warm.start(fresh_site(site.store, site.coder))  # type: ignore[arg-type]
    running.stop()
    assert not running.thread.is_alive()


# -- the actor page lists statements a page at a time -------------------------------------------


def test_actor_page_pages_its_statements(path: str) -> None:
    with TestClient(create_app(Settings(db=path))) as client, open_store(path) as store:
        # the most prolific speaker, so that the list runs past what the summary keeps
        counts = Counter(s.speaker_id for s in store.statements() if s.speaker_id)
        actor = counts.most_common(1)[0][0]
        newest = [s.id for s in store.statements(speaker_id=actor, newest_first=True)]
        assert len(newest) > actors.ACTOR_HEAD + 3
        first = client.get(f"/actors/{actor}.json", params={"per_page": 3}).json()
        second = client.get(f"/api/actors/{actor}", params={"per_page": 3, "page": 2}).json()
        assert [s["id"] for s in first["statements"]] == newest[:3]
        assert [s["id"] for s in second["statements"]] == newest[3:6]
        assert first["paging"]["total"] == len(newest)
        assert first["timeline"] == second["timeline"] and first["positions"]
        page = client.get(f"/actors/{actor}", params={"per_page": 3, "page": 2})
        assert 'rel="prev"' in page.text
        # past the statements kept with the actor's summary, the list is read from the store
        deep = len(newest) // 3
        past = client.get(f"/actors/{actor}.json", params={"per_page": 3, "page": deep}).json()
        assert [s["id"] for s in past["statements"]] == newest[(deep - 1) * 3 : deep * 3]
        # a correction elsewhere: summary and list follow it
        store.correct(newest[0], field="wrong", value=True, author="ana")
        after = client.get(f"/actors/{actor}.json", params={"per_page": 3}).json()
        assert [s["id"] for s in after["statements"]] == newest[1:4]
        assert after["paging"]["total"] == len(newest) - 1
        points = {p["id"] for row in after["timeline"]["rows"] for p in row["points"]}
        assert newest[0] not in points


# -- whole pages, kept per URL and data version -------------------------------------------------


def counting_calls(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_page_is_kept_until_the_data_changes(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting_calls(monkeypatch, views, "dashboard")
    with TestClient(create_app(Settings(db=path))) as client, open_store(path) as other:
        first = client.get("/index.json")
        again = client.get("/index.json")
        assert first.content == again.content and len(calls) == 1
        assert again.headers["content-security-policy"]  # kept with its headers
        client.get("/index.json?since=2025-01-01")
        assert len(calls) == 2  # another URL, another page
        stmt = other.statements(limit=1)[0]
        other.correct(stmt.id, field="wrong", value=True, author="ana")  # another process
        after = client.get("/index.json")
        assert len(calls) == 3
        assert after.json()["counts"]["statements"] == first.json()["counts"]["statements"] - 1


def test_what_is_not_a_plain_page_is_never_kept(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(db=path, write_token="t0ken-for-tests")
    with TestClient(create_app(settings)) as client, open_store(path) as store:
        stmt = store.statements(limit=1)[0]
        calls = counting_calls(monkeypatch, views, "statement_page")
        for _ in range(2):  # a review form: a CSRF token and a cookie each time
            page = client.get(f"/statements/{stmt.id}")
            assert page.headers["cache-control"] == "no-store"
        assert len(calls) == 2
        for _ in range(2):
            assert client.get("/statements/0000000000000000.json").status_code == 404
        assert len(calls) == 4


def test_no_page_cache_when_its_size_is_zero(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting_calls(monkeypatch, views, "doc_list")
    with TestClient(create_app(Settings(db=path, page_cache_mb=0))) as client:
        client.get("/docs.json")
        client.get("/docs.json")
    assert len(calls) == 2


def test_page_cache_keeps_the_latest_within_its_size() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        size = 300 if scope["path"] == "/big" else 100
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"x" * size})

    cache = PageCache(app, version=lambda scope: 1, max_bytes=1600)

    async def send(message: Any) -> None:
        pass

    async def receive() -> Any:
        return {"type": "http.request"}

    def get(path: str) -> None:
        scope = {"type": "http", "method": "GET", "path": path, "query_string": b""}
        # In a thread of its own: another test may have left this one's event loop running.
        thread = threading.Thread(target=asyncio.run, args=(cache(scope, receive, send),))
        thread.start()
        thread.join()

    for n in range(20):
        get(f"/page/{n}")
    assert len(cache) == 16  # 100 bytes each in 1,600: the first four went
    assert cache._get(("/page/3", b""), 1) is None and cache._get(("/page/4", b""), 1)
    get("/big")  # over an eighth of the whole: served, never kept
    assert cache._get(("/big", b""), 1) is None
    assert cache._get(("/page/19", b""), 2) is None  # another version: gone
