"""Review: corrections in the store (kept apart, latest wins, outlive re-ingest, `wrong` hides),
migration 0002 over an 0001 database, and the web's write protection, form and API."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from conftest import database_at
from redline.errors import BadCorrection, StatementNotFound
from redline.settings import Settings
from redline.store import Store, open_store
from redline.web.app import create_app
from test_web import World, is_html, is_json

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TOKEN = "s3cret-write-token"


@pytest.fixture
def world(tmp_path: Path) -> World:
    made = World(str(tmp_path / "review.db"))
    made.fill()
    return made


@pytest.fixture
def store(world: World) -> Iterator[Store]:
    with open_store(world.db) as opened:
        yield opened


# -- the store ---------------------------------------------------------------------------------


def test_a_correction_round_trips_and_wins_over_the_machine(store: Store, world: World) -> None:
    sid = world.lavrov_march.id
    made = store.correct(sid, field="stance", value="concede", author="ana", note="misread")
    assert made.statement_id == sid and made.field == "stance" and made.value == "concede"
    assert made.author == "ana" and made.note == "misread" and made.id > 0
    assert store.corrections(sid) == [made]
    assert store.corrections() == [made]
    stmt = store.get_statement(sid)
    assert stmt is not None and stmt.stance == "concede" and stmt.corrected == ["stance"]
    # The machine's output is untouched underneath.
    raw = sqlite3.connect(world.db)
    try:
        assert raw.execute("SELECT stance FROM statements WHERE id = ?", (sid,)).fetchone() == (
            "reject",
        )
    finally:
        raw.close()
    # Uncorrected statements say so.
    other = store.get_statement(world.peskov.id)
    assert other is not None and other.corrected == []


def test_a_corrected_speaker_drops_the_machines_role_and_body(store: Store, world: World) -> None:
    sid = world.lavrov_march.id
    # another field corrected keeps them
    store.correct(sid, field="stance", value="claim", author="ana")
    kept = store.get_statement(sid)
    assert kept is not None and (kept.role, kept.institution) == (
        "Minister of Foreign Affairs, Russia",
        "Russian Foreign Ministry",
    )
    store.correct(sid, field="speaker_id", value="dmitry-peskov", author="ana")
    stmt = store.get_statement(sid)
    # the Foreign Ministry was Lavrov's; what the corrected speaker spoke for is not known
    assert stmt is not None and (stmt.role, stmt.institution) == (None, None)
    # and the filter on the body sees the corrected statement as no longer the ministry's
    assert sid not in {s.id for s in store.statements(institution="Russian Foreign Ministry")}
    assert store.count_statements(institution="Russian Foreign Ministry") == 0


def test_the_latest_correction_of_a_field_wins(store: Store, world: World) -> None:
    sid = world.sybiha.id
    store.correct(sid, field="side", value="russia", author="ana")
    store.correct(sid, field="issues", value=["sanctions", "ceasefire"], author="ana")
    store.correct(sid, field="side", value="us", author="ben")
    stmt = store.get_statement(sid)
    assert stmt is not None
    assert stmt.side == "us" and stmt.issues == ["sanctions", "ceasefire"]
    assert stmt.corrected == ["side", "issues"]
    assert [c.value for c in store.corrections(sid)] == ["russia", ["sanctions", "ceasefire"], "us"]


def test_filters_and_lists_see_corrected_values(store: Store, world: World) -> None:
    sid = world.sybiha.id
    assert sid not in [s.id for s in store.statements(side="russia")]
    store.correct_many(
        sid,
        {"side": "russia", "issues": ["territory"], "speaker": "Someone Else"},
        author="ana",
    )
    assert sid in [s.id for s in store.statements(side="russia")]
    assert sid not in [s.id for s in store.statements(side="ukraine")]
    assert sid in [s.id for s in store.statements(issue="territory")]
    assert sid not in [s.id for s in store.statements(issue="ceasefire")]
    assert sid in [s.id for s in store.statements(actor="someone")]
    assert sid not in [s.id for s in store.statements(actor="sybiha")]
    # The limit counts what the filters keep.
    assert len(store.statements(side="russia", limit=2)) == 2


def test_wrong_hides_a_statement_until_taken_back(store: Store, world: World) -> None:
    sid = world.lavrov_march.id
    n = len(store.statements())
    store.correct(sid, field="wrong", value=True, author="ana", note="a headline, not a quote")
    assert sid not in [s.id for s in store.statements()]
    assert len(store.statements()) == n - 1
    assert sid in [s.id for s in store.statements(include_wrong=True)]
    stmt = store.get_statement(sid)
    assert stmt is not None and stmt.corrected == ["wrong"]
    # Both stored pairs have it on one side.
    assert store.contradictions() == []
    assert len(store.contradictions(include_wrong=True)) == 2
    store.correct(sid, field="wrong", value=False, author="ana")
    assert sid in [s.id for s in store.statements()]
    again = store.get_statement(sid)
    assert again is not None and again.corrected == []


def test_corrections_survive_reopening_and_re_ingest(world: World) -> None:
    sid = world.lavrov_june.id
    with open_store(world.db) as store:
        store.correct(sid, field="negated", value=False, author="ana")
    with open_store(world.db) as store:
        stmt = store.get_statement(sid)
        assert stmt is not None and stmt.negated is False and stmt.corrected == ["negated"]
    # The doc deleted and ingested again: same statement ids, the correction still applies.
    raw = sqlite3.connect(world.db)
    try:
        raw.execute("PRAGMA foreign_keys=ON")
        raw.execute("DELETE FROM docs WHERE id = ?", (world.sochi.id,))
        raw.commit()
    finally:
        raw.close()
    with open_store(world.db) as store:
        assert store.get_statement(sid) is None
        assert len(store.corrections(sid)) == 1
        assert store.add_doc(world.sochi, world.by_doc[world.sochi.id])
        stmt = store.get_statement(sid)
        assert stmt is not None and stmt.negated is False and stmt.corrected == ["negated"]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("polarity", 1, "cannot correct"),
        ("stance", "shrug", "stance must be"),
        ("negated", "yes", "true or false"),
        ("side", None, "non-empty"),
        ("issues", "sanctions", "list"),
    ],
)
def test_bad_corrections_are_refused(
    store: Store, world: World, field: str, value: Any, words: str
) -> None:
    with pytest.raises(BadCorrection, match=words):
        store.correct(world.sybiha.id, field=field, value=value, author="ana")
    assert store.corrections() == []


def test_corrections_need_an_author_and_a_stored_statement(store: Store, world: World) -> None:
    with pytest.raises(BadCorrection, match="author"):
        store.correct(world.sybiha.id, field="negated", value=True, author="  ")
    with pytest.raises(StatementNotFound):
        store.correct("0" * 16, field="negated", value=True, author="ana")
    with pytest.raises(BadCorrection, match="nothing to correct"):
        store.correct_many(world.sybiha.id, {}, author="ana")
    assert store.corrections() == []


def test_migration_0002_upgrades_a_database_made_at_0001(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    database_at(
        path,
        "0001_initial",
        "INSERT INTO docs (id, source, format, text, boilerplate, notices, story) "
        "VALUES ('d1', 'old.txt', 'text', 'An old ceasefire article.', '[]', '[]', 'd1')",
    )
    with Store(str(path)) as store:
        assert store.corrections() == []
        assert [h.id for h in store.search("ceasefire", kind="docs").hits] == ["d1"]
    check = create_engine(f"sqlite:///{path}")
    try:
        with check.connect() as conn:
            version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            tables = {row[0] for row in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    finally:
        check.dispose()
    assert version == "0007_institution"
    assert {"corrections", "search_statements", "search_docs"} <= tables


# -- the web: write protection ---------------------------------------------------------------


def app_client(world: World, **settings: Any) -> TestClient:
    return TestClient(create_app(Settings(db=world.db, **settings)))


@pytest.fixture
def reader(world: World) -> Iterator[TestClient]:
    with app_client(world) as opened:
        yield opened


@pytest.fixture
def writer(world: World) -> Iterator[TestClient]:
    with app_client(world, write_token=TOKEN) as opened:
        yield opened


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found, "no CSRF field on the page"
    return found.group(1)


def form(**fields: str) -> dict[str, str]:
    return {"author": "ana", "token": TOKEN, **fields}


def test_read_only_without_a_token(reader: TestClient, world: World) -> None:
    sid = world.sybiha.id
    page = reader.get(f"/statements/{sid}")
    assert 'name="csrf"' not in page.text and "read-only" in page.text
    assert "redline_csrf" not in page.cookies
    api = reader.post(
        f"/api/statements/{sid}/corrections",
        json={"author": "ana", "stance": "reject"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert api.status_code == 403 and is_json(api)
    assert api.json()["error"]["status"] == 403 and "read-only" in api.json()["error"]["message"]
    posted = reader.post(f"/statements/{sid}/corrections", data=form(stance="reject"))
    assert posted.status_code == 403 and is_html(posted)
    assert reader.get(f"/api/statements/{sid}").json()["statement"]["stance"] == "propose"


def test_form_needs_the_token_and_a_csrf_token(writer: TestClient, world: World) -> None:
    sid = world.sybiha.id
    page = writer.get(f"/statements/{sid}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    csrf = csrf_of(page.text)
    url = f"/statements/{sid}/corrections"
    for data in (
        form(stance="reject"),  # no CSRF token
        form(stance="reject", csrf="0" * 64),  # a made-up one
        form(stance="reject", csrf=csrf, token="guess"),  # wrong write token
        {"author": "ana", "stance": "reject", "csrf": csrf},  # no write token
    ):
        refused = writer.post(url, data=data, follow_redirects=False)
        assert refused.status_code == 403, data
    # A valid token without the cookie it signs (another browser) is refused too.
    with app_client(world, write_token=TOKEN) as cookieless:
        refused = cookieless.post(
            url, data=form(stance="reject", csrf=csrf), follow_redirects=False
        )
        assert refused.status_code == 403 and "CSRF" in refused.text
    assert writer.get(f"/api/statements/{sid}").json()["statement"]["stance"] == "propose"


def test_a_form_correction_shows_everywhere(writer: TestClient, world: World) -> None:
    sid = world.sybiha.id
    csrf = csrf_of(writer.get(f"/statements/{sid}").text)
    posted = writer.post(
        f"/statements/{sid}/corrections",
        data=form(
            stance="reject",
            negated="yes",
            issues="sanctions, ceasefire",
            note="<script>alert('x')</script> misread",
            csrf=csrf,
            speaker="",
            side="",
        ),
        follow_redirects=False,
    )
    assert posted.status_code == 303, posted.text
    assert posted.headers["location"] == f"/statements/{sid}"
    page = writer.get(f"/statements/{sid}")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; misread" in page.text
    coding = page.text[page.text.index('<dl class="coding">') :]
    coding = coding[: coding.index("</dl>")]
    assert "not reject" in coding and coding.count('class="corrected"') == 3
    twin = writer.get(f"/statements/{sid}.json").json()
    api = writer.get(f"/api/statements/{sid}").json()
    assert twin == api
    stmt = api["statement"]
    assert stmt["stance"] == "reject" and stmt["negated"] is True
    assert stmt["issues"] == ["sanctions", "ceasefire"]
    assert stmt["corrected"] == ["issues", "stance", "negated"] and stmt["wrong"] is False
    assert [c["field"] for c in api["corrections"]] == ["issues", "stance", "negated"]
    assert api["corrections"][0]["author"] == "ana"
    # Lists show it too.
    listed = writer.get("/api/statements?issue=sanctions").json()["statements"]
    assert sid in [s["id"] for s in listed]
    row = next(s for s in listed if s["id"] == sid)
    assert row["stance"] == "reject" and row["corrected"] == ["issues", "stance", "negated"]
    html_list = writer.get("/statements?issue=sanctions").text
    row_html = html_list[html_list.index(f'<tr data-id="{sid}"') :]
    assert 'class="corrected"' in row_html[: row_html.index("</tr>")]


def test_a_wrong_statement_leaves_the_lists(writer: TestClient, world: World) -> None:
    sid = world.lavrov_march.id
    csrf = csrf_of(writer.get(f"/statements/{sid}").text)
    posted = writer.post(
        f"/statements/{sid}/corrections", data=form(wrong="yes", csrf=csrf), follow_redirects=False
    )
    assert posted.status_code == 303
    assert sid not in [s["id"] for s in writer.get("/api/statements").json()["statements"]]
    assert writer.get("/api/contradictions").json()["contradictions"] == []
    page = writer.get(f"/statements/{sid}")
    assert page.status_code == 200 and "marked this statement as wrong" in page.text
    assert writer.get(f"/api/statements/{sid}").json()["statement"]["wrong"] is True


def test_a_bad_form_value_is_422(writer: TestClient, world: World) -> None:
    sid = world.sybiha.id
    csrf = csrf_of(writer.get(f"/statements/{sid}").text)
    for data in (form(side="atlantis", csrf=csrf), form(issues="weather", csrf=csrf)):
        response = writer.post(f"/statements/{sid}/corrections", data=data)
        assert response.status_code == 422 and is_html(response)
    bare = writer.post(f"/statements/{sid}/corrections", data=form(csrf=csrf))
    assert bare.status_code == 422 and "nothing to correct" in bare.text


# -- the web: the API ---------------------------------------------------------------------------


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_api_correction_with_a_bearer_token(writer: TestClient, world: World) -> None:
    sid = world.official.id
    url = f"/api/statements/{sid}/corrections"
    body = {"author": "ana", "speaker": "Andrii Sybiha", "stance": None, "note": "<b>hm</b>"}
    assert writer.post(url, json=body).status_code == 403
    assert writer.post(url, json=body, headers=bearer("nope")).status_code == 403
    response = writer.post(url, json=body, headers=bearer())
    assert response.status_code == 200 and is_json(response), response.text
    data = response.json()
    stmt = data["statement"]
    # A registry name becomes the actor: name, id and (not given) side.
    assert stmt["speaker"] == "Andrii Sybiha" and stmt["speaker_id"] == "andrii-sybiha"
    assert stmt["side"] == "ukraine" and stmt["stance"] is None
    assert stmt["corrected"] == ["speaker", "speaker_id", "side", "stance"]
    assert data["corrections"][0]["note"] == "<b>hm</b>"
    assert writer.get(f"/api/statements/{sid}").json() == data
    page = writer.get(f"/statements/{sid}").text
    assert "&lt;b&gt;hm&lt;/b&gt;" in page and "<b>hm</b>" not in page


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"stance": "reject"}, 422, "author"),
        ({"author": "ana", "stance": "shrug"}, 422, "stance"),
        ({"author": "ana", "mood": "grim"}, 422, "mood"),
        ({"author": "ana", "side": None}, 422, "side"),
        ({"author": "ana"}, 422, "nothing to correct"),
    ],
)
def test_api_refuses_bad_bodies(
    writer: TestClient, world: World, body: dict[str, Any], status: int, words: str
) -> None:
    response = writer.post(
        f"/api/statements/{world.sybiha.id}/corrections", json=body, headers=bearer()
    )
    assert response.status_code == status and is_json(response)
    assert words in response.json()["error"]["message"]


def test_api_unknown_statement_is_404(writer: TestClient) -> None:
    response = writer.post(
        "/api/statements/0000000000000000/corrections",
        json={"author": "ana", "negated": True},
        headers=bearer(),
    )
    assert response.status_code == 404 and response.json()["error"]["status"] == 404


def test_bodies_over_the_cap_are_413(world: World) -> None:
    with app_client(world, write_token=TOKEN, max_upload_mb=0.001) as small:
        big = {"author": "ana", "note": "x" * 5000, "negated": True}
        response = small.post(
            f"/api/statements/{world.sybiha.id}/corrections", json=big, headers=bearer()
        )
        assert response.status_code == 413 and is_json(response)

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield b'{"author": "ana", "note": "'
            for _ in range(10):
                yield b"y" * 500
            yield b'"}'

        streamed = small.post(
            f"/api/statements/{world.sybiha.id}/corrections",
            content=chunks(),
            headers={**bearer(), "Content-Type": "application/json"},
        )
        assert streamed.status_code == 413
        form_post = small.post(
            f"/statements/{world.sybiha.id}/corrections", data=form(note="z" * 5000)
        )
        assert form_post.status_code == 413


def test_openapi_documents_the_correction_body(writer: TestClient) -> None:
    schema = writer.get("/openapi.json").json()
    post = schema["paths"]["/api/statements/{stmt_id}/corrections"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert {"author", "stance", "wrong"} <= set(body["properties"])
    assert not any("/corrections" in p and not p.startswith("/api/") for p in schema["paths"])
