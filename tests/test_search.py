"""Search: the query syntax, FTS5 and the ILIKE fallback, filters, and safe highlighting."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from redline.errors import BadSearch
from redline.settings import Settings
from redline.store import SearchResults, Store, open_store
from redline.store.search import CLOSE, OPEN, Term, parse, unmark
from redline.web.app import create_app
from test_web import World, is_html, is_json

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def world(tmp_path: Path) -> World:
    made = World(str(tmp_path / "search.db"))
    made.fill()
    return made


@pytest.fixture(params=["fts", "like"])
def store(world: World, request: pytest.FixtureRequest) -> Iterator[Store]:
    """The store, searching with FTS5 and again with the portable ILIKE fallback."""
    with open_store(world.db) as opened:
        opened._fts = request.param == "fts"
        yield opened


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=world.db))) as opened:
        yield opened


def hit_ids(found: SearchResults) -> set[str]:
    return {h.id for h in found.hits}


# -- the query syntax ----------------------------------------------------------------------------


def test_parse_reads_words_phrases_prefixes_and_or() -> None:
    query = parse('ceasefire "new territorial" sanc* OR truce')
    assert query.any_of == (
        (Term("ceasefire"), Term("new territorial"), Term("sanc", prefix=True)),
        (Term("truce"),),
    )
    assert query.fts() == '("ceasefire" "new territorial" "sanc"*) OR ("truce")'


@pytest.mark.parametrize(
    "text",
    ['"unbalanced', 'say "it', "NEAR(a b", "content:moscow", "a AND", "^start", "x -y", "((moscow"],
)
def test_parse_never_passes_syntax_through(text: str) -> None:
    fts = parse(text).fts()
    # Every term is quoted: nothing of the user's text is an operator.
    assert fts.startswith('("') and fts.endswith(('")', '"*)'))


@pytest.mark.parametrize("text", ["", "   ", "AND OR", "OR", '""', "- * ( )", "_"])
def test_parse_refuses_a_query_without_words(text: str) -> None:
    with pytest.raises(BadSearch, match="nothing to search for"):
        parse(text)


def test_unmark_turns_markers_into_spans() -> None:
    marked = f"Moscow {OPEN}ceasefire{CLOSE} talks {OPEN}now{CLOSE}"
    excerpt = unmark(marked, "Moscow ceasefire talks now")
    assert excerpt.text == "Moscow ceasefire talks now"
    assert [excerpt.text[s:e] for s, e in excerpt.marks] == ["ceasefire", "now"]
    # Markers in the article itself: no marks rather than wrong ones.
    assert unmark(f"a {OPEN}b{CLOSE}", f"a {OPEN}b").marks == []


# -- the store -------------------------------------------------------------------------------


def test_statements_by_their_words(store: Store, world: World) -> None:
    found = store.search("sanctions")
    assert hit_ids(found) == {world.lavrov_march.id, world.official.id}
    assert found.kind == "statements" and found.total == 2
    for hit in found.hits:
        assert hit.statement is not None and hit.statement.id == hit.id
        content = hit.excerpts["content"]
        assert content.marks
        assert all(content.text[s:e].lower().startswith("sanction") for s, e in content.marks)


def test_phrases_prefixes_or_and_speaker(store: Store, world: World) -> None:
    assert hit_ids(store.search('"without preconditions"')) == {world.lavrov_june.id}
    assert world.lavrov_june.id in hit_ids(store.search("precond*"))
    either = store.search("preconditions OR soldier")
    assert hit_ids(either) == {world.lavrov_june.id, world.official.id}
    by_speaker = store.search("Peskov")
    assert hit_ids(by_speaker) == {world.peskov.id}
    assert "speaker" in by_speaker.hits[0].excerpts or "speaker_mention" in (
        by_speaker.hits[0].excerpts
    )


def test_search_filters(store: Store, world: World) -> None:
    assert hit_ids(store.search("ceasefire", side="ukraine")) == {world.sybiha.id}
    assert hit_ids(store.search("sanctions", issue="ceasefire")) == {world.lavrov_march.id}
    assert hit_ids(store.search("ceasefire", since=date(2025, 6, 1))) == {
        world.peskov.id,
        world.lavrov_june.id,
    }
    assert hit_ids(store.search("ceasefire", until=date(2025, 3, 31))) == {world.lavrov_march.id}
    page = store.search("ceasefire", limit=2, offset=1)
    assert page.total == 4 and len(page.hits) == 2


def test_search_sees_corrections(store: Store, world: World) -> None:
    store.correct(world.sybiha.id, field="side", value="russia", author="ana")
    assert hit_ids(store.search("ceasefire", side="ukraine")) == set()
    assert world.sybiha.id in hit_ids(store.search("ceasefire", side="russia"))
    store.correct(world.peskov.id, field="wrong", value=True, author="ana")
    assert world.peskov.id not in hit_ids(store.search("ceasefire"))
    assert world.peskov.id in hit_ids(store.search("ceasefire", include_wrong=True))


def test_docs_by_title_and_text(store: Store, world: World) -> None:
    found = store.search("truce", kind="docs")
    assert hit_ids(found) == {world.moscow.id, world.sochi.id}
    assert found.kind == "docs"
    for hit in found.hits:
        assert hit.doc is not None and hit.doc.text == "" and hit.doc.title
        title = hit.excerpts["title"]
        assert [title.text[s:e].lower() for s, e in title.marks] == ["truce"]
    assert hit_ids(store.search("truce", kind="docs", since=date(2025, 6, 1))) == {world.sochi.id}
    # For docs, side and issue keep the docs with such a statement.
    assert hit_ids(store.search("ceasefire", kind="docs", side="ukraine")) == {world.kyiv.id}
    text = store.search("soldier", kind="docs").hits[0].excerpts["text"]
    assert [text.text[s:e] for s, e in text.marks] == ["soldier"]


def test_new_docs_are_searchable_at_once(store: Store, world: World) -> None:
    from redline.models import Doc

    doc = Doc(source="tests/minsk.txt", text="MINSK — Talks on grain corridors resumed.")
    assert store.add_doc(doc, [])
    assert hit_ids(store.search("corridors", kind="docs")) == {doc.id}


def test_odd_queries_never_crash(store: Store) -> None:
    for text in ['"unbalanced', "NEAR(x", "content:moscow", "sanctions AND", "x*y*", "'; DROP"]:
        store.search(text)
        store.search(text, kind="docs")
    with pytest.raises(BadSearch):
        store.search("AND OR")


# -- the web -----------------------------------------------------------------------------------


def test_search_page_twin_and_api_agree(client: TestClient, world: World) -> None:
    api = client.get("/api/search?q=sanctions")
    twin = client.get("/search.json?q=sanctions")
    assert api.status_code == 200 and is_json(api) and api.json() == twin.json()
    data = api.json()
    assert data["paging"]["total"] == 2 and data["filters"]["q"] == "sanctions"
    assert {r["id"] for r in data["results"]} == {world.lavrov_march.id, world.official.id}
    first = data["results"][0]
    assert first["excerpts"]["content"]["marks"] and "corrected" in first
    page = client.get("/search?q=sanctions&side=russia")
    assert page.status_code == 200 and is_html(page)
    assert '<mark class="match">sanctions</mark>' in page.text
    assert f'data-id="{world.lavrov_march.id}"' in page.text
    assert f'data-id="{world.official.id}"' not in page.text


def test_search_page_without_a_query_is_the_form(client: TestClient) -> None:
    page = client.get("/search")
    assert page.status_code == 200 and '<input type="search" name="q"' in page.text
    assert client.get("/api/search").json()["results"] == []


def test_search_highlights_escape_the_article(client: TestClient, world: World) -> None:
    page = client.get("/search?q=owned&kind=docs")
    assert page.status_code == 200
    assert "<script>" not in page.text
    assert '&lt;script&gt;alert(&#39;<mark class="match">owned</mark>&#39;)' in page.text
    title = client.get("/search?q=ready&kind=docs").text
    assert 'Kyiv &lt;b&gt;<mark class="match">ready</mark>&lt;/b&gt;' in title


@pytest.mark.parametrize("q", ["AND OR", "OR", '"', "((", "*"])
def test_a_query_without_words_is_422_not_500(client: TestClient, q: str) -> None:
    api = client.get("/api/search", params={"q": q})
    assert api.status_code == 422 and is_json(api)
    assert "nothing to search for" in api.json()["error"]["message"]
    page = client.get("/search", params={"q": q})
    assert page.status_code == 422 and is_html(page)


@pytest.mark.parametrize("q", ['"unbalanced', "NEAR(a", "content:kyiv", 'x" OR "'])
def test_fts_syntax_in_user_input_is_harmless(client: TestClient, q: str) -> None:
    for kind in ("statements", "docs"):
        response = client.get("/api/search", params={"q": q, "kind": kind})
        assert response.status_code == 200, response.text


def test_search_query_is_validated(client: TestClient) -> None:
    assert client.get("/api/search?q=x&kind=everything").status_code == 422
    assert client.get("/api/search", params={"q": "x" * 501}).status_code == 422
    assert "/api/search" in client.get("/openapi.json").json()["paths"]
