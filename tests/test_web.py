"""The web app: pages and their JSON twins, the API, filters, paging, errors, escaping, highlights."""

from __future__ import annotations

import html
import re
import socket
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from redline.models import Contradiction, Doc, Offsets, Plover, Statement, Target
from redline.settings import Settings
from redline.store import open_store
from redline.web.app import create_app
from redline.web.highlight import Window, highlight, paragraph_window, relative
from redline.web.timeline import timeline_svg

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# -- fixtures: three short articles written for these tests -----------------------------------

MOSCOW = (
    "Russia rules out truce while sanctions stay\n"
    "\n"
    "MOSCOW, March 10 — Russian Foreign Minister Sergey Lavrov said on Monday that Moscow would "
    "not accept a ceasefire while Western sanctions remained in place.\n"
    "\n"
    'He told reporters that any settlement must recognise "the new territorial realities" on the '
    "ground.\n"
)
KYIV = (
    "KYIV, April 2 — Ukrainian Foreign Minister Andrii Sybiha said Ukraine was ready for an "
    "immediate and full ceasefire. Posted under the story: <script>alert('owned')</script>\n"
    "\n"
    "A senior official in the presidential office said sanctions on Russia must stay until the "
    "last soldier leaves.\n"
)
SOCHI = (
    "SOCHI, June 20 — Kremlin spokesman Dmitry Peskov said Russia was ready for a ceasefire along "
    "the current line.\n"
    "\n"
    "Lavrov later said Moscow wanted a ceasefire now, without preconditions.\n"
)


def span(text: str, phrase: str, *, after: int = 0) -> tuple[int, int]:
    start = text.index(phrase, after)
    return (start, start + len(phrase))


def stmt(
    doc: Doc,
    *,
    source: str,
    cue: str,
    content: str,
    after: int = 0,
    **fields: Any,
) -> Statement:
    src, cue_at, content_at = (
        span(doc.text, source, after=after),
        span(doc.text, cue, after=after),
        span(doc.text, content, after=after),
    )
    return Statement(
        doc=doc.source,
        doc_id=doc.id,
        speaker_mention=source,
        cue=cue,
        content=content,
        quote=fields.pop("quote", "indirect"),
        offsets=Offsets(source=[src], cue=[cue_at], content=[content_at]),
        published=doc.published,
        **fields,
    )


# Peskov offering a ceasefire: the Sochi article's, and a second offer the same day in a test
PESKOV_OFFERS: dict[str, Any] = {
    "issues": ["ceasefire"],
    "stance": "propose",
    "speaker": "Dmitry Peskov",
    "speaker_id": "dmitry-peskov",
    "side": "russia",
}


class World:
    """The stored docs and statements, by name, for assertions."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.moscow = Doc(
            source="tests/moscow.txt",
            text=MOSCOW,
            title="Russia rules out truce while sanctions stay",
            outlet="Northern Wire",
            published=date(2025, 3, 10),
            url="https://example.org/moscow",
        )
        self.kyiv = Doc(
            source="tests/kyiv.txt",
            text=KYIV,
            title="Kyiv <b>ready</b> for a ceasefire",
            outlet="Dnipro Daily",
            published=date(2025, 4, 2),
        )
        self.sochi = Doc(
            source="tests/sochi.txt",
            text=SOCHI,
            title="Kremlin softens on truce",
            outlet="Northern Wire",
            published=date(2025, 6, 20),
        )
        m, k, s = self.moscow, self.kyiv, self.sochi
        lavrov = {"speaker": "Sergey Lavrov", "speaker_id": "sergey-lavrov", "side": "russia"}
        self.lavrov_march = stmt(
            m,
            source="Sergey Lavrov",
            cue="said",
            content="Moscow would not accept a ceasefire while Western sanctions remained in place",
            said_on=date(2025, 3, 10),
            said_on_text="on Monday",
            issues=["ceasefire", "sanctions"],
            stance="reject",
            role="Minister of Foreign Affairs, Russia",
            institution="Russian Foreign Ministry",
            polarity=-1,
            plover=Plover(event="REJECT", mode="yield", context=["ceasefire"]),
            **lavrov,
        )
        self.lavrov_land = stmt(
            m,
            source="He",
            cue="told",
            content='any settlement must recognise "the new territorial realities" on the ground',
            quote="mixed",
            said_on=date(2025, 3, 10),
            issues=["territory"],
            stance="demand",
            venue="reporters",
            targets=[Target(kind="place", id="UA", name="Ukraine")],
            **lavrov,
        )
        self.sybiha = stmt(
            k,
            source="Andrii Sybiha",
            cue="said",
            content="Ukraine was ready for an immediate and full ceasefire",
            issues=["ceasefire"],
            stance="propose",
            speaker="Andrii Sybiha",
            speaker_id="andrii-sybiha",
            side="ukraine",
        )
        self.official = stmt(
            k,
            source="A senior official in the presidential office",
            cue="said",
            content="sanctions on Russia must stay until the last soldier leaves",
            issues=["sanctions"],
            stance="demand",
            negated=False,
            speaker="a senior official",
        )
        self.peskov = stmt(
            s,
            source="Dmitry Peskov",
            cue="said",
            content="Russia was ready for a ceasefire along the current line",
            **PESKOV_OFFERS,
        )
        self.lavrov_june = stmt(
            s,
            source="Lavrov",
            cue="said",
            content="Moscow wanted a ceasefire now, without preconditions",
            after=SOCHI.index("Lavrov later"),
            issues=["ceasefire"],
            stance="demand",
            negated=True,
            said_on=date(2025, 6, 20),
            **lavrov,
        )
        self.reversal = Contradiction(
            a=self.lavrov_march,
            b=self.lavrov_june,
            kind="reversal",
            reason="Lavrov rejected a ceasefire in March and wanted one in June",
            confidence=0.8,
        )
        self.same_side = Contradiction(
            a=self.lavrov_march,
            b=self.peskov,
            kind="same-side",
            reason="Russia's side both rejects and proposes a ceasefire",
            confidence=0.6,
        )
        self.by_doc = {
            m.id: [self.lavrov_march, self.lavrov_land],
            k.id: [self.sybiha, self.official],
            s.id: [self.peskov, self.lavrov_june],
        }

    @property
    def statements(self) -> list[Statement]:
        return [x for stmts in self.by_doc.values() for x in stmts]

    def fill(self) -> None:
        with open_store(self.db) as store:
            for doc in (self.moscow, self.kyiv, self.sochi):
                store.add_doc(doc, self.by_doc[doc.id])
            store.replace_contradictions([self.reversal, self.same_side])


@pytest.fixture
def world(tmp_path: Path) -> World:
    made = World(str(tmp_path / "web.db"))
    made.fill()
    return made


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=world.db))) as opened:
        yield opened


def html_ids(page: str) -> list[str]:
    """The statement ids a statements table shows, in order."""
    return re.findall(r'<tr data-id="([0-9a-f]+)"', page)


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["id"] for row in rows]


def is_html(response: Any) -> bool:
    return bool(response.headers["content-type"].startswith("text/html"))


def is_json(response: Any) -> bool:
    return bool(response.headers["content-type"].startswith("application/json"))


# -- highlight --------------------------------------------------------------------------------


def test_highlight_marks_each_kind_by_offsets() -> None:
    text = "Lavrov said talks were over."
    out = highlight(text, {"source": [(0, 6)], "cue": [(7, 11)], "content": [(12, 27)]})
    assert out == (
        '<mark class="source">Lavrov</mark> <mark class="cue">said</mark> '
        '<mark class="content">talks were over</mark>.'
    )


def test_highlight_escapes_every_piece() -> None:
    text = "He said <script>alert(1)</script> & left"
    out = highlight(text, {"content": [(8, 33)]})
    assert "<script>" not in out
    assert '<mark class="content">&lt;script&gt;alert(1)&lt;/script&gt;</mark>' in out
    assert out.endswith(" &amp; left")


def test_highlight_nests_overlapping_spans() -> None:
    text = "abcdefghij"
    out = highlight(text, {"content": [(2, 8)], "cue": [(0, 4)]})
    # cue is outside content in KINDS order; the overlap is cut so tags always nest
    assert out == (
        '<mark class="cue">ab</mark>'
        '<mark class="cue"><mark class="content">cd</mark></mark>'
        '<mark class="content">efgh</mark>ij'
    )


def test_highlight_keeps_adjacent_spans_apart() -> None:
    out = highlight("onetwo", {"content": [(0, 3), (3, 6)]})
    assert out == '<mark class="content">one</mark><mark class="content">two</mark>'


def test_highlight_clips_and_drops_bad_spans() -> None:
    out = highlight("short", {"content": [(3, 99), (4, 2), (-5, 1)]})
    assert out == '<mark class="content">s</mark>ho<mark class="content">rt</mark>'
    assert highlight("", {"content": [(0, 3)]}) == ""


def test_highlight_escapes_kind_names() -> None:
    out = highlight("ab", {'x" onclick="y': [(0, 1)]})
    assert 'onclick="' not in out
    assert "&#34;" in out


@given(
    st.text(alphabet="ab<>&\"' \n", max_size=40),
    st.lists(st.tuples(st.integers(-3, 45), st.integers(-3, 45)), max_size=6),
    st.lists(st.tuples(st.integers(-3, 45), st.integers(-3, 45)), max_size=6),
)
def test_highlight_round_trips_the_text(
    text: str, content: list[tuple[int, int]], cue: list[tuple[int, int]]
) -> None:
    out = str(highlight(text, {"content": content, "cue": cue}))
    assert "<" not in re.sub(r'</?mark( class="(cue|content)")?>', "", out)
    assert html.unescape(re.sub(r"</?mark[^>]*>", "", out)) == text
    assert out.count("<mark") == out.count("</mark>")


def test_paragraph_window_takes_whole_paragraphs() -> None:
    text = 'Headline\n\nFirst para here.\nSecond para, "quoted\n\ncontinued" here.\n\nLast.'
    first = paragraph_window(text, [span(text, "para here")])
    assert text[first.start : first.end] == "First para here."
    across = paragraph_window(text, [span(text, '"quoted\n\ncontinued"')])
    assert text[across.start : across.end] == 'Second para, "quoted\n\ncontinued" here.'
    last = paragraph_window(text, [span(text, "Last")])
    assert text[last.start : last.end] == "Last."
    assert paragraph_window(text, []) == Window(0, len(text))


def test_relative_clips_to_the_window() -> None:
    assert relative([(5, 12), (0, 3), (18, 30)], Window(4, 20)) == [(1, 8), (14, 16)]


def test_timeline_svg_escapes_and_places_dots() -> None:
    svg = timeline_svg(
        {
            "start": "2025-01-01",
            "end": "2025-12-31",
            "rows": [
                {
                    "issue": "ceasefire",
                    "label": "<Ceasefire>",
                    "points": [
                        {
                            "id": "a1",
                            "date": "2025-01-01",
                            "stance": "reject",
                            "negated": False,
                            "content": "<script>x</script>",
                        },
                        {
                            "id": "b2",
                            "date": "2025-12-31",
                            "stance": None,
                            "negated": True,
                            "content": "y",
                        },
                    ],
                }
            ],
        }
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script>" not in svg and "&lt;Ceasefire&gt;" in svg
    assert svg.count('<circle class="dot') == 2
    assert 'class="dot stance-none negated"' in svg
    assert timeline_svg({"start": None, "end": None, "rows": []}) == ""


# -- pages and twins ---------------------------------------------------------------------------


def test_dashboard_and_its_twin(client: TestClient, world: World) -> None:
    page = client.get("/")
    twin = client.get("/index.json")
    api = client.get("/api/dashboard")
    assert page.status_code == twin.status_code == api.status_code == 200
    assert is_html(page) and is_json(twin) and is_json(api)
    data = twin.json()
    assert data == api.json()
    assert data["counts"] == {"docs": 3, "statements": 6, "contradictions": 2}
    assert {row["side"]: row["statements"] for row in data["by_side"]} == {
        "russia": 4,
        "ukraine": 1,
        "unknown": 1,
    }
    assert {row["issue"]: row["statements"] for row in data["by_issue"]}["ceasefire"] == 4
    latest = ids(data["latest_statements"])
    assert html_ids(page.text) == latest
    assert set(latest[:2]) == {world.lavrov_june.id, world.peskov.id}  # newest first
    assert latest[-1] in {world.lavrov_march.id, world.lavrov_land.id}
    assert '<span class="n">6</span> statements' in page.text
    assert len(data["latest_contradictions"]) == 2


def test_dashboard_since(client: TestClient, world: World) -> None:
    data = client.get("/index.json", params={"since": "2025-04-01"}).json()
    assert data["since"] == "2025-04-01"
    assert data["counts"] == {"docs": 2, "statements": 4, "contradictions": 2}
    assert world.lavrov_march.id not in ids(data["latest_statements"])
    assert client.get("/", params={"since": ""}).status_code == 200


def test_statements_page_matches_twin_and_api(client: TestClient, world: World) -> None:
    page = client.get("/statements")
    twin = client.get("/statements.json")
    assert page.status_code == 200 and is_html(page) and is_json(twin)
    data = twin.json()
    assert data == client.get("/api/statements").json()
    assert html_ids(page.text) == ids(data["statements"])
    assert set(ids(data["statements"])) == {s.id for s in world.statements}
    for row in data["statements"]:
        assert f'href="/statements/{row["id"]}"' in page.text
    assert data["paging"] == {
        "page": 1,
        "per_page": 50,
        "total": 6,
        "pages": 1,
        "has_prev": False,
        "has_next": False,
    }
    assert 'href="/actors/sergey-lavrov"' in page.text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "sergey-lavrov"}, ["lavrov_march", "lavrov_land", "lavrov_june"]),
        ({"actor": "peskov"}, ["peskov"]),
        ({"side": "ukraine"}, ["sybiha"]),
        ({"side": "unknown"}, ["official"]),
        ({"institution": "Russian Foreign Ministry"}, ["lavrov_march"]),
        ({"institution": "Kremlin"}, []),
        ({"issue": "sanctions"}, ["lavrov_march", "official"]),
        ({"since": "2025-04-01", "until": "2025-04-30"}, ["sybiha", "official"]),
        (
            {"side": "russia", "issue": "ceasefire", "since": "2025-06-01"},
            ["peskov", "lavrov_june"],
        ),
        ({"actor": "", "side": "", "issue": "", "since": "", "until": ""}, None),
    ],
)
def test_statement_filters(
    client: TestClient, world: World, params: dict[str, str], expected: list[str] | None
) -> None:
    data = client.get("/statements.json", params=params).json()
    want = (
        {getattr(world, name).id for name in expected}
        if expected is not None
        else {s.id for s in world.statements}
    )
    assert set(ids(data["statements"])) == want
    assert data["paging"]["total"] == len(want)
    page = client.get("/statements", params=params)
    assert set(html_ids(page.text)) == want


def test_statement_paging(client: TestClient) -> None:
    everything = ids(client.get("/statements.json").json()["statements"])
    seen: list[str] = []
    for n in (1, 2, 3):
        data = client.get("/statements.json", params={"per_page": 2, "page": n}).json()
        assert data["paging"]["pages"] == 3 and data["paging"]["page"] == n
        assert data["paging"]["has_prev"] is (n > 1)
        assert data["paging"]["has_next"] is (n < 3)
        seen += ids(data["statements"])
    assert seen == everything
    page = client.get("/statements", params={"per_page": 2, "page": 2})
    assert 'rel="next"' in page.text and "page=3" in page.text and "page 2 of 3" in page.text
    beyond = client.get("/statements.json", params={"per_page": 2, "page": 9}).json()
    assert beyond["statements"] == [] and beyond["paging"]["total"] == 6
    capped = client.get("/api/statements", params={"per_page": 5000}).json()
    assert capped["paging"]["per_page"] == 200


def test_statement_page_highlights_in_paragraph(client: TestClient, world: World) -> None:
    s = world.lavrov_march
    page = client.get(f"/statements/{s.id}")
    assert page.status_code == 200 and is_html(page)
    assert '<mark class="source">Sergey Lavrov</mark>' in page.text
    assert '<mark class="cue">said</mark>' in page.text
    assert f'<mark class="content">{s.content}</mark>' in page.text
    data = client.get(f"/statements/{s.id}.json").json()
    assert data == client.get(f"/api/statements/{s.id}").json()
    assert data["statement"]["id"] == s.id
    excerpt = data["excerpt"]
    # just the paragraph holding the statement, not the headline or the next paragraph
    assert excerpt["text"].startswith("MOSCOW, March 10")
    assert excerpt["text"].endswith("remained in place.")
    assert MOSCOW[excerpt["start"] : excerpt["end"]] == excerpt["text"]
    start, end = excerpt["marks"]["content"][0]
    assert excerpt["text"][start:end] == s.content
    assert data["doc"]["id"] == world.moscow.id
    assert f'href="/docs/{world.moscow.id}"' in page.text
    pairs = data["contradictions"]
    assert {c["kind"] for c in pairs} == {"reversal", "same-side"}
    for c in pairs:
        assert f'data-a="{c["a"]["id"]}" data-b="{c["b"]["id"]}"' in page.text
    for shown in ("Minister of Foreign Affairs, Russia", "REJECT", "on Monday", "reject"):
        assert shown in page.text
    # the body he speaks for, a side finer than Russia's
    assert data["statement"]["institution"] == "Russian Foreign Ministry"
    assert "<dt>Speaks for</dt><dd>Russian Foreign Ministry</dd>" in page.text


def test_statement_page_shows_the_coding(client: TestClient, world: World) -> None:
    s = world.lavrov_land
    page = client.get(f"/statements/{s.id}").text
    data = client.get(f"/statements/{s.id}.json").json()["statement"]
    assert data["venue"] == "reporters" and "reporters" in page
    assert data["targets"] == [{"kind": "place", "id": "UA", "name": "Ukraine"}]
    assert 'title="UA">Ukraine</span>' in page
    # the quotation marks inside the content are escaped text, inside the content mark
    assert '<mark class="content">any settlement must recognise &#34;the new' in page
    assert '<mark class="source">He</mark>' in page


def test_doc_page_escapes_article_text(client: TestClient, world: World) -> None:
    page = client.get(f"/docs/{world.kyiv.id}")
    assert page.status_code == 200 and is_html(page)
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;" in page.text
    assert "<b>ready</b>" not in page.text and "&lt;b&gt;ready&lt;/b&gt;" in page.text
    data = client.get(f"/docs/{world.kyiv.id}.json").json()
    assert data == client.get(f"/api/docs/{world.kyiv.id}").json()
    assert "<script>alert('owned')</script>" in data["doc"]["text"]
    assert data["doc"]["outlet"] == "Dnipro Daily" and data["doc"]["published"] == "2025-04-02"
    assert ids(data["statements"]) == [world.sybiha.id, world.official.id]
    assert html_ids(page.text) == ids(data["statements"])
    assert f'<mark class="content">{world.sybiha.content}</mark>' in page.text


def test_docs_list(client: TestClient, world: World) -> None:
    data = client.get("/docs.json").json()
    assert ids(data["docs"]) == [world.sochi.id, world.kyiv.id, world.moscow.id]
    assert "text" not in data["docs"][0]
    page = client.get("/docs")
    assert re.findall(r'<tr data-id="([0-9a-f]+)"', page.text) == ids(data["docs"])


def test_actor_page_timeline(client: TestClient, world: World) -> None:
    page = client.get("/actors/sergey-lavrov")
    assert page.status_code == 200 and is_html(page)
    data = client.get("/actors/sergey-lavrov.json").json()
    assert data == client.get("/api/actors/sergey-lavrov").json()
    assert data["actor"]["name"] == "Sergey Lavrov" and data["actor"]["known"] is True
    assert data["actor"]["roles"] and all(r["label"] in page.text for r in data["actor"]["roles"])
    rows = {row["issue"]: [p["id"] for p in row["points"]] for row in data["timeline"]["rows"]}
    assert rows == {
        "ceasefire": [world.lavrov_march.id, world.lavrov_june.id],
        "sanctions": [world.lavrov_march.id],
        "territory": [world.lavrov_land.id],
    }
    assert data["timeline"]["start"] == "2025-03-10" and data["timeline"]["end"] == "2025-06-20"
    assert '<svg class="timeline"' in page.text
    dots = re.findall(r'<circle class="dot [^"]*"[^>]*data-id="([0-9a-f]+)"', page.text)
    assert sorted(dots) == sorted(p for pts in rows.values() for p in pts)
    assert 'class="dot stance-demand negated"' in page.text
    assert html_ids(page.text) == ids(data["statements"])
    # positions held: one per issue with a direction, each shown on the page
    held = {p["issue"]: p for p in data["positions"]}
    assert held and all(
        p["since"] and p["summary"] in page.text.replace("&#39;", "'") for p in held.values()
    )


def test_actor_by_surname_redirects(client: TestClient) -> None:
    page = client.get("/actors/lavrov", follow_redirects=False)
    assert page.status_code == 307 and page.headers["location"] == "/actors/sergey-lavrov"
    twin = client.get("/actors/lavrov.json", follow_redirects=False)
    assert twin.headers["location"] == "/actors/sergey-lavrov.json"
    api = client.get("/api/actors/lavrov", follow_redirects=False)
    assert api.headers["location"] == "/api/actors/sergey-lavrov"


def test_actor_without_statements_still_has_a_page(client: TestClient) -> None:
    data = client.get("/actors/vladimir-putin.json").json()
    assert data["statements"] == [] and data["timeline"]["rows"] == []
    assert "No dated statements" in client.get("/actors/vladimir-putin").text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"reversal", "same-side"}),
        ({"kind": "reversal"}, {"reversal"}),
        ({"kind": ""}, {"reversal", "same-side"}),
        ({"side": "russia"}, {"reversal", "same-side"}),
        ({"side": "ukraine"}, set()),
        ({"issue": "sanctions"}, {"reversal", "same-side"}),
        ({"issue": "territory"}, set()),
        ({"since": "2025-06-20", "kind": "same-side"}, {"same-side"}),
    ],
)
def test_contradiction_filters(
    client: TestClient, params: dict[str, str], expected: set[str]
) -> None:
    twin = client.get("/contradictions.json", params=params)
    page = client.get("/contradictions", params=params)
    assert twin.status_code == page.status_code == 200
    data = twin.json()
    assert data == client.get("/api/contradictions", params=params).json()
    assert {c["kind"] for c in data["contradictions"]} == expected
    shown = re.findall(r'data-a="([0-9a-f]+)" data-b="([0-9a-f]+)"', page.text)
    pairs = [data["contradictions"][n] for story in data["stories"] for n in story]
    assert shown == [(c["a"]["id"], c["b"]["id"]) for c in pairs]


def test_pairs_of_one_story_fold_under_its_first(world: World, client: TestClient) -> None:
    """Peskov's two offers of a truce on one day, each set against Lavrov's March refusal, are
    one story: the page shows the first pair and folds the second under it."""
    text = "MOSCOW, June 20 — Dmitry Peskov said Russia was ready for a truce on the whole front.\n"
    wire = Doc(source="tests/wire.txt", text=text, title="t", published=date(2025, 6, 20))
    again = stmt(
        wire,
        source="Dmitry Peskov",
        cue="said",
        content="Russia was ready for a truce on the whole front",
        **PESKOV_OFFERS,
    )
    twin = Contradiction(
        a=world.lavrov_march, b=again, kind="same-side", reason="the truce again", confidence=0.5
    )
    with open_store(world.db) as store:
        store.add_doc(wire, [again])
        store.replace_contradictions([world.reversal, world.same_side, twin])
    data = client.get("/api/contradictions").json()
    assert [c["reason"] for c in data["contradictions"]] == [
        world.reversal.reason,
        world.same_side.reason,
        "the truce again",
    ]
    assert data["stories"] == [[0], [1, 2]]
    page = client.get("/contradictions").text
    folded = page.split('<details class="story-more">')[1].split("</details>")[0]
    assert "and 1 more pair of those days" in folded
    assert f'data-a="{world.lavrov_march.id}" data-b="{again.id}"' in folded
    assert page.count('<li class="pair ') == 3
    # and so on every page that lists pairs: the dashboard, the issue's, the statement's
    for shown, api, key in [
        ("/", "/api/dashboard", "latest_stories"),
        ("/issues/ceasefire", "/api/issues/ceasefire", "latest_stories"),
        (
            f"/statements/{world.lavrov_march.id}",
            f"/api/statements/{world.lavrov_march.id}",
            "stories",
        ),
    ]:
        assert sorted(len(story) for story in client.get(api).json()[key]) == [1, 2], api
        assert client.get(shown).text.count('<details class="story-more">') == 1, shown


# -- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/statements/0000000000000000.json",
        "/api/statements/0000000000000000",
        "/docs/nope.json",
        "/api/docs/nope",
        "/actors/nobody-at-all.json",
        "/api/nothing-here",
    ],
)
def test_not_found_is_json_error(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and is_json(response)
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == 404 and body["error"]["message"]


def test_not_found_page_is_html(client: TestClient) -> None:
    response = client.get("/statements/0000000000000000")
    assert response.status_code == 404 and is_html(response)
    assert "Error 404" in response.text and "no statement" in response.text


@pytest.mark.parametrize(
    ("path", "word"),
    [
        ("/api/statements?since=last-week", "since"),
        ("/statements.json?page=0", "page"),
        ("/api/contradictions?kind=betrayal", "kind"),
        ("/index.json?since=2025-13-01", "since"),
    ],
)
def test_bad_query_is_json_422(client: TestClient, path: str, word: str) -> None:
    response = client.get(path)
    assert response.status_code == 422 and is_json(response)
    error = response.json()["error"]
    assert error["status"] == 422 and word in error["message"]
    page = client.get(path.replace("/api", "").replace("/index.json", "/").replace(".json", ""))
    assert page.status_code == 422 and is_html(page)


def test_read_only(client: TestClient) -> None:
    response = client.post("/api/statements", json={})
    assert response.status_code == 405
    assert response.json()["error"]["status"] == 405


# -- the shell: assets, headers, schema, CLI ---------------------------------------------------


def test_static_css_and_no_external_assets(client: TestClient, world: World) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    twins = {
        "/": "/index.json",
        "/statements?side=russia": "/statements.json?side=russia",
        f"/statements/{world.lavrov_march.id}": f"/statements/{world.lavrov_march.id}.json",
        "/actors/dmitry-peskov": "/actors/dmitry-peskov.json",
    }
    for path, twin in twins.items():
        page = client.get(path)
        # links to the original article are fine; assets from elsewhere are not
        assert not re.search(r'(src="|<link[^>]*href=")(https?:)?//', page.text), path
        assert "<script" not in page.text
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert f'<a class="twin" href="{twin}">JSON</a>' in page.text
        assert client.get(twin).status_code == 200


def test_openapi_lists_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/dashboard",
        "/api/statements",
        "/api/statements/{stmt_id}",
        "/api/docs",
        "/api/docs/{doc_id}",
        "/api/actors/{actor_id}",
        "/api/contradictions",
    } <= paths
    assert not any(p.endswith(".json") or not p.startswith("/api/") for p in paths)
    assert client.get("/docs").status_code == 200  # the article list, not Swagger UI


def test_serve_command_runs_uvicorn_on_localhost(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn

    from redline.web.cli import serve

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = Settings(db=str(tmp_path / "serve.db"))

    app.command()(serve)
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8000
    result = CliRunner().invoke(app, ["serve", "--port", "8765", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert calls[1]["port"] == 8765 and calls[1]["host"] == "0.0.0.0"
    with TestClient(calls[1]["app"]) as opened:
        assert opened.get("/index.json").json()["counts"]["statements"] == 0


def test_serve_with_workers_hands_the_database_to_each_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn
    import uvicorn.supervisors

    from redline.web.app import create_app_from_env
    from redline.web.cli import serve

    calls: list[dict[str, Any]] = []

    class Supervisor:
        def __init__(self, config: uvicorn.Config, sockets: list[socket.socket]) -> None:
            self.config, self.sockets = config, sockets

        def run(self) -> None:
            c = self.config
            calls.append({"app": c.app, "factory": c.factory, "workers": c.workers, "host": c.host})
            calls[-1]["proto"] = self.sockets[0].proto
            for sock in self.sockets:
                sock.close()

    monkeypatch.setattr(uvicorn.supervisors, "Multiprocess", Supervisor)
    monkeypatch.setenv("REDLINE_DB", "overwritten-by-serve")  # restored after the test
    db = str(tmp_path / "workers.db")
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = Settings(db=db)

    app.command()(serve)
    with socket.socket() as probe:  # a free port: the socket is bound for real
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(app, ["serve", "--workers", "2", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert calls[0]["app"] == "redline.web.app:create_app_from_env" and calls[0]["factory"]
    assert calls[0]["workers"] == 2 and calls[0]["host"] == "127.0.0.1"
    assert calls[0]["proto"] == socket.IPPROTO_TCP  # or asyncio leaves Nagle's algorithm on
    import os

    assert os.environ["REDLINE_DB"] == db
    with TestClient(create_app_from_env()) as opened:
        assert opened.get("/index.json").status_code == 200
