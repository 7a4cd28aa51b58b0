"""The map, place, issue and ingest pages, and the store's paging and counting in SQL."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from redline import pipeline
from redline.coding import Coder
from redline.models import Contradiction, Doc, Offsets, Statement, Target
from redline.settings import Settings
from redline.store import Store, open_store
from redline.web import guard
from redline.web.app import create_app
from redline.web.places import tilegrid

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TOKEN = "s3cret-token-for-tests"

MOSCOW = (
    "MOSCOW, May 5 — Russian Foreign Minister Sergey Lavrov demanded that Ukraine must withdraw "
    "its troops from the Kherson and Zaporizhzhia regions before any talks.\n"
    "\n"
    "He later said Ukraine must withdraw its troops from the Mykolaiv region as well.\n"
)
KYIV = (
    "KYIV, May 6 — Ukrainian Foreign Minister Andrii Sybiha said Ukraine would never cede the "
    "Kherson region.\n"
    "\n"
    "A Kremlin aide said sanctions must go before any ceasefire.\n"
)


def make(doc: Doc, content: str, **fields: Any) -> Statement:
    start = doc.text.index(content)
    return Statement(
        doc=doc.source,
        doc_id=doc.id,
        speaker_mention=fields.pop("mention", "Lavrov"),
        cue=fields.pop("cue", "said"),
        content=content,
        quote="indirect",
        offsets=Offsets(content=[(start, start + len(content))]),
        published=doc.published,
        **fields,
    )


class World:
    def __init__(self, db: str) -> None:
        self.db = db
        self.moscow = Doc(
            source="tests/moscow-claims.txt",
            text=MOSCOW,
            title="Lavrov demands withdrawal",
            published=date(2025, 5, 5),
        )
        self.kyiv = Doc(
            source="tests/kyiv-claims.txt",
            text=KYIV,
            title="Kyiv will not cede Kherson",
            published=date(2025, 5, 6),
        )
        lavrov = {"speaker": "Sergey Lavrov", "speaker_id": "sergey-lavrov", "side": "russia"}
        south = [
            Target(kind="place", id="UA-65", name="Kherson Oblast"),
            Target(kind="place", id="UA-23", name="Zaporizhzhia Oblast"),
        ]
        self.demand = make(
            self.moscow,
            "Ukraine must withdraw its troops from the Kherson and Zaporizhzhia regions",
            cue="demanded",
            cue_lemma="demand",
            stance="demand",
            issues=["territory"],
            targets=south,
            said_on=date(2025, 5, 5),
            polarity=1,
            **lavrov,
        )
        self.mykolaiv = make(
            self.moscow,
            "Ukraine must withdraw its troops from the Mykolaiv region as well",
            cue_lemma="say",
            stance="demand",
            issues=["territory"],
            targets=[Target(kind="place", id="UA-48", name="Mykolaiv Oblast")],
            said_on=date(2025, 5, 5),
            polarity=1,
            **lavrov,
        )
        self.never = make(
            self.kyiv,
            "Ukraine would never cede the Kherson region",
            cue_lemma="say",
            stance="reject",
            negated=False,
            issues=["territory"],
            targets=[Target(kind="place", id="UA-65", name="Kherson Oblast")],
            speaker="Andrii Sybiha",
            speaker_id="andrii-sybiha",
            side="ukraine",
            polarity=-1,
        )
        self.aide = make(
            self.kyiv,
            "sanctions must go before any ceasefire",
            cue_lemma="say",
            stance="demand",
            issues=["sanctions", "ceasefire"],
            speaker="a Kremlin aide",
            side="russia",
        )
        self.pair = Contradiction(
            a=self.demand, b=self.never, kind="same-side", reason="test pair", confidence=0.5
        )

    def fill(self) -> None:
        with open_store(self.db) as store:
            store.add_doc(self.moscow, [self.demand, self.mykolaiv])
            store.add_doc(self.kyiv, [self.never, self.aide])
            store.replace_contradictions([self.pair])


@pytest.fixture
def world(tmp_path: Path) -> World:
    made = World(str(tmp_path / "pages.db"))
    made.fill()
    return made


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=world.db))) as opened:
        yield opened


@pytest.fixture
def writer(world: World, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(db=world.db, write_token=TOKEN, max_upload_mb=0.01)
    with TestClient(create_app(settings)) as opened:
        yield opened


# -- map --------------------------------------------------------------------------------------


def test_tilegrid_covers_every_oblast_once() -> None:
    from redline.coding.targets import Gazetteer

    places = Gazetteer.load().places
    wanted = {p.id for p in places.values() if p.kind == "oblast"} | {"UA-43", "UA-40", "UA-30"}
    codes = [t.code for t in tilegrid()]
    assert sorted(codes) == sorted(wanted)
    assert len({(t.col, t.row) for t in tilegrid()}) == len(codes)  # no two on one square


def test_map_colours_tiles_by_control_and_claims(client: TestClient, world: World) -> None:
    twin = client.get("/map.json")
    page = client.get("/map")
    assert twin.status_code == page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    tiles = {t["code"]: t for t in twin.json()["tiles"]}
    # JSON and HTML show the same tiles, each linking to its place page with a tooltip.
    assert re.findall(r'data-code="(UA-\d\d)" data-status', page.text) == list(tiles)
    for code in tiles:
        assert f'href="/places/{code}"' in page.text
    assert page.text.count("<title>") >= len(tiles)
    kherson, mykolaiv, lviv = tiles["UA-65"], tiles["UA-48"], tiles["UA-46"]
    assert kherson["control"]["status"] == "partly-russian"
    assert kherson["claimed_by_russia"] and not kherson["claimed_beyond_control"]
    claim = next(c for c in kherson["claims"] if c["side"] == "russia")
    assert claim["since"] == claim["last"] == "2025-05-05"
    assert claim["statements"] == [world.demand.id]
    assert mykolaiv["control"]["status"] == "ukrainian" and mykolaiv["claimed_beyond_control"]
    assert not lviv["claimed_by_russia"] and lviv["claims"] == []
    assert 'class="tile control-ukrainian claimed-russia claimed-beyond"' in page.text
    assert 'class="tile control-partly-russian claimed-russia"' in page.text
    assert "<script" not in page.text
    assert client.get("/api/map").json() == twin.json()


# -- places -----------------------------------------------------------------------------------


def test_place_page_lists_the_statements_targeting_it(client: TestClient, world: World) -> None:
    data = client.get("/places/UA-65.json").json()
    assert data["place"]["name"] == "Kherson Oblast"
    assert data["control"]["status"] == "partly-russian"
    # Moscow's demand and Kyiv's refusal to cede: each side claims the oblast
    assert [c["side"] for c in data["claims"]] == ["russia", "ukraine"]
    assert {s["id"] for s in data["statements"]} == {world.demand.id, world.never.id}
    assert data["statements"][0]["id"] == world.never.id  # newest first
    assert data["paging"]["total"] == 2
    page = client.get("/places/UA-65")
    assert page.status_code == 200
    assert set(re.findall(r'<tr data-id="([0-9a-f]+)"', page.text)) == {
        world.demand.id,
        world.never.id,
    }
    assert client.get("/places/UA-46.json").json()["statements"] == []
    assert client.get("/places/XX-99.json").status_code == 404
    assert client.get("/places/XX-99").status_code == 404


# -- issues -----------------------------------------------------------------------------------


def test_issue_index_and_issue_page(client: TestClient, world: World) -> None:
    index = client.get("/issues.json").json()
    counts = {i["id"]: i["statements"] for i in index["issues"]}
    assert counts["territory"] == 3 and counts["sanctions"] == 1
    page = client.get("/issues")
    assert 'href="/issues/territory"' in page.text
    data = client.get("/issues/territory.json").json()
    assert data["issue"]["label"] == "Territory" and data["issue"]["description"]
    assert data["counts"] == {"statements": 3, "contradictions": 1}
    assert {r["side"]: r["statements"] for r in data["by_side"]} == {"russia": 2, "ukraine": 1}
    assert {r["stance"]: r["statements"] for r in data["by_stance"]} == {
        "demand": 2,
        "reject": 1,
    }
    assert len(data["latest_statements"]) == 3
    assert len(data["latest_contradictions"]) == 1
    positions = {p["actor"]: p for p in data["positions"]}
    assert positions["sergey-lavrov"]["polarity"] == 1
    html = client.get("/issues/territory")
    assert html.status_code == 200 and 'data-actor="sergey-lavrov"' in html.text
    assert client.get("/issues/no-such-issue.json").status_code == 404
    nav = client.get("/").text
    assert 'href="/map"' in nav and 'href="/issues"' in nav


# -- ingest -----------------------------------------------------------------------------------


def test_ingest_read_only(client: TestClient) -> None:
    page = client.get("/ingest")
    assert page.status_code == 200
    assert "<fieldset disabled>" in page.text and "Read-only" in page.text
    response = client.post("/ingest", files={"files": ("a.txt", b"text")})
    assert response.status_code == 403


class FakeAnalyser:
    """No spaCy: every article has no statements."""

    def __init__(self, settings: Settings) -> None:
        self.coder = Coder(settings, embeddings=False)
        self.batch_size = settings.batch_size

    def __call__(self, docs: list[Doc]) -> list[pipeline.Analysed]:
        return [pipeline.Analysed(doc, []) for doc in docs]


ARTICLE = (
    "BRUSSELS, May 9 — European ministers met on Friday to discuss a new package of measures.\n"
    "\n"
    "The talks ended without agreement, diplomats said.\n"
)


def _csrf(client: TestClient) -> str:
    page = client.get("/ingest")
    assert page.status_code == 200 and "<fieldset>" in page.text
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert found is not None and client.cookies.get(guard.CSRF_COOKIE)
    return found.group(1)


def test_ingest_upload_runs_a_job(writer: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "Analyser", FakeAnalyser)
    csrf = _csrf(writer)
    form = {"token": TOKEN, "csrf": "wrong", "urls": ""}
    files = {"files": ("brussels.txt", ARTICLE.encode(), "text/plain")}
    assert writer.post("/ingest", data=form, files=files).status_code == 403
    form["csrf"] = csrf
    response = writer.post("/ingest", data=form, files=files, follow_redirects=False)
    assert response.status_code == 303, response.text
    job_url = response.headers["location"]
    assert job_url.startswith("/ingest/jobs/")
    page = writer.get(job_url)
    assert page.status_code == 200 and '<script src="/static/ingest.js"></script>' in page.text
    deadline = time.monotonic() + 30
    while True:
        job = writer.get(job_url + ".json").json()
        if job["done"] or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert job["state"] == "done", job
    assert (job["read"], job["new"], job["duplicates"], job["errors"]) == (1, 1, 0, [])
    assert writer.get("/index.json").json()["counts"]["docs"] == 3
    assert writer.get("/static/ingest.js").status_code == 200


def test_ingest_refuses_paths_and_oversize(writer: TestClient) -> None:
    csrf = _csrf(writer)
    form = {"token": TOKEN, "csrf": csrf, "urls": "/etc/passwd"}
    refused = writer.post("/ingest", data=form, files={"files": ("", b"", "text/plain")})
    assert refused.status_code == 422 and "http" in refused.text
    big = {"files": ("big.txt", b"x" * 20_000, "text/plain")}
    assert writer.post("/ingest", data={**form, "urls": ""}, files=big).status_code == 413
    assert writer.get("/ingest/jobs/nope.json").status_code == 404


# -- store: paging and counting in SQL equal the old Python-side results ----------------------


def test_paging_and_counts_equal_python_side(world: World) -> None:
    with Store(world.db) as store:
        store.correct(world.aide.id, field="side", value="unknown", author="t")
        store.correct(world.mykolaiv.id, field="wrong", value=True, author="t")
        everything = store.statements()
        assert world.mykolaiv.id not in [s.id for s in everything]
        for size in (1, 2, 3):
            pages = [
                store.statements(limit=size, offset=start)
                for start in range(0, len(everything), size)
            ]
            assert [s.id for page in pages for s in page] == [s.id for s in everything]
        for filters in ({}, {"side": "russia"}, {"side": "unknown"}, {"issue": "territory"}):
            found = store.statements(**filters)
            assert store.count_statements(**filters) == len(found)
            assert all(s.side == filters.get("side", s.side) for s in found)
        by_side = store.count_statements_by("side")
        assert by_side == {"russia": 1, "ukraine": 1, "unknown": 1}
        newest = store.statements(newest_first=True)
        assert [s.id for s in newest] == [s.id for s in reversed(everything)]
        assert store.count_contradictions(side="russia") == 1
        assert store.contradictions(issue="sanctions") == []
        assert len(store.contradictions(statement_id=world.never.id)) == 1
        assert store.count_statements_targeting("UA-48") == 0  # marked wrong
        assert store.count_statements_targeting("UA-48", include_wrong=True) == 1
