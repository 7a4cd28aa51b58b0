"""The store and the web app on a real PostgreSQL server: what a team's shared database runs.

The server is started by the `postgres_server` fixture (Debian's `postgresql` package) on
127.0.0.1 for the session, one database per test; the tests skip where it or psycopg is
missing. The same world of docs, statements, pairs and corrections as the SQLite tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect

from conftest import database_at
from redline.settings import Settings
from redline.store import Store, open_store
from redline.web.app import create_app
from test_web import World

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def world(postgres_url: str) -> World:
    made = World(postgres_url)
    made.fill()
    return made


@pytest.fixture
def store(world: World) -> Iterator[Store]:
    with open_store(world.db) as opened:
        yield opened


def test_migrations_build_the_schema_on_postgres(postgres_url: str) -> None:
    open_store(postgres_url).close()
    engine = create_engine(postgres_url)
    try:
        tables = set(inspect(engine).get_table_names())
        columns = {c["name"] for c in inspect(engine).get_columns("statements")}
        with engine.connect() as conn:
            version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    finally:
        engine.dispose()
    assert {"docs", "statements", "contradictions", "corrections", "polarities"} <= tables
    assert {"institution", "filed_on", "speaker_id"} <= columns
    assert version == "0007_institution"


def test_statements_round_trip_and_filter(store: Store, world: World) -> None:
    everything = store.statements()
    assert {s.id for s in everything} == {s.id for s in world.statements}
    march = store.get_statement(world.lavrov_march.id)
    assert march is not None
    assert (march.content, march.said_on, march.institution) == (
        world.lavrov_march.content,
        date(2025, 3, 10),
        "Russian Foreign Ministry",
    )
    assert march.offsets == world.lavrov_march.offsets and march.plover == world.lavrov_march.plover
    russia = store.statements(side="russia", issue="ceasefire", since=date(2025, 6, 1))
    assert {s.id for s in russia} == {world.peskov.id, world.lavrov_june.id}
    assert store.count_statements(actor="lavrov") == 3
    assert [s.id for s in store.statements(institution="Russian Foreign Ministry")] == [
        world.lavrov_march.id
    ]


def test_search_contradictions_and_corrections(store: Store, world: World) -> None:
    # PostgreSQL searches with ILIKE where SQLite has FTS5: the same hits
    found = store.search("sanctions")
    assert {h.id for h in found.hits} == {world.lavrov_march.id, world.official.id}
    pairs = store.contradictions()
    assert {(c.a.id, c.b.id) for c in pairs} == {
        (world.reversal.a.id, world.reversal.b.id),
        (world.same_side.a.id, world.same_side.b.id),
    }
    store.correct(world.lavrov_march.id, field="stance", value="concede", author="ana")
    fixed = store.get_statement(world.lavrov_march.id)
    assert fixed is not None and fixed.stance == "concede" and fixed.corrected == ["stance"]
    assert world.lavrov_march.id in {s.id for s in store.statements(side="russia")}


def test_the_web_app_serves_from_postgres(world: World) -> None:
    with TestClient(create_app(Settings(db=world.db))) as client:
        listed = client.get("/statements.json", params={"side": "russia"}).json()
        assert listed["paging"]["total"] == 4
        page = client.get(f"/statements/{world.lavrov_march.id}")
        assert page.status_code == 200 and "Russian Foreign Ministry" in page.text
        assert client.get("/contradictions.json").json()["paging"]["total"] == 2
        assert client.get("/search.json", params={"q": "Peskov"}).status_code == 200


def test_migration_0007_fills_bodies_on_postgres(postgres_url: str) -> None:
    database_at(
        postgres_url,
        "0006_covering_indexes",
        "INSERT INTO docs (id, source, format, text, boilerplate, notices, story, published) "
        "VALUES ('d1', 'old.txt', 'text', 'Old text.', '[]', '[]', 'd1', '2025-03-02')",
        "INSERT INTO statements (id, doc_id, doc, speaker_mention, cue, content, quote, "
        "offsets, cue_lemma, side, issues, negated, conditional, polarity, targets, "
        "speaker_id, filed_on) VALUES ('s1', 'd1', 'old.txt', 'he', 'said', 'talks', "
        "'indirect', '{}', 'say', 'russia', '[]', false, false, 0, '[]', 'dmitry-peskov', "
        "'2025-03-02')",
    )
    with open_store(postgres_url) as store:
        [stmt] = store.statements()
    assert stmt.institution == "Kremlin"
