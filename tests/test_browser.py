"""The web app in a real browser: headless Chromium (Debian's `chromium`) driven by Playwright.

One uvicorn server runs for the session on 127.0.0.1 over a store filled by hand, with a write
token set, so the review form works end to end: the page's CSRF token, the cookie it sets and
the redirect after the post. Every test also checks that the page asked nothing of another
origin and opened no dialog.

Skipped when the `chromium` binary or the `playwright` package is missing; `playwright install`
is never needed, the system browser is used.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from redline.models import Contradiction, Doc, Offsets, Statement
from redline.settings import Settings
from redline.store import open_store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TOKEN = "browser-test-write-token"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# -- two articles written for these tests ------------------------------------------------------

GENEVA = (
    "Moscow rejects Geneva truce plan\n"
    "\n"
    "GENEVA, May 14 — Russian Foreign Minister Sergey Lavrov said on Wednesday that Moscow would "
    "not sign a ceasefire until Western sanctions were lifted.\n"
    "\n"
    "Kremlin spokesman Dmitry Peskov told reporters the talks in Geneva had been useful.\n"
)
KHARKIV = (
    "KHARKIV, May 16 — Ukrainian Foreign Minister Andrii Sybiha said Kyiv would accept a "
    "monitored ceasefire from the first day of June. A comment posted under the story read: "
    "<script>alert('owned')</script> <img src=x onerror=alert(2)>\n"
    "\n"
    "Sybiha added that sanctions on Russia must stay until the occupied land is returned.\n"
)


def _at(text: str, phrase: str, *, after: int = 0) -> tuple[int, int]:
    start = text.index(phrase, after)
    return (start, start + len(phrase))


def _stmt(
    doc: Doc, *, source: str, cue: str, content: str, after: int = 0, **fields: Any
) -> Statement:
    return Statement(
        doc=doc.source,
        doc_id=doc.id,
        speaker_mention=source,
        cue=cue,
        content=content,
        quote="indirect",
        offsets=Offsets(
            source=[_at(doc.text, source, after=after)],
            cue=[_at(doc.text, cue, after=after)],
            content=[_at(doc.text, content, after=after)],
        ),
        published=doc.published,
        **fields,
    )


@dataclass
class World:
    """What the store holds, by name, and where the server answers."""

    geneva: Doc
    kharkiv: Doc
    lavrov: Statement
    peskov: Statement
    sybiha: Statement
    sybiha_sanctions: Statement
    base: str = ""
    stmts: list[Statement] = field(default_factory=list)


def _world() -> World:
    geneva = Doc(
        source="tests/geneva.txt",
        text=GENEVA,
        title="Moscow rejects Geneva truce plan",
        outlet="Alpine Courier",
        published=date(2025, 5, 14),
        url="https://example.org/geneva",  # a link only: the browser must never fetch it
    )
    kharkiv = Doc(
        source="tests/kharkiv.txt",
        text=KHARKIV,
        title="Kyiv <em>open</em> to a monitored truce",
        outlet="Slobozhanshchyna Post",
        published=date(2025, 5, 16),
    )
    lavrov = _stmt(
        geneva,
        source="Sergey Lavrov",
        cue="said",
        content="Moscow would not sign a ceasefire until Western sanctions were lifted",
        said_on=date(2025, 5, 14),
        said_on_text="on Wednesday",
        speaker="Sergey Lavrov",
        speaker_id="sergey-lavrov",
        side="russia",
        issues=["ceasefire", "sanctions"],
        stance="reject",
    )
    peskov = _stmt(
        geneva,
        source="Dmitry Peskov",
        cue="told",
        content="the talks in Geneva had been useful",
        speaker="Dmitry Peskov",
        speaker_id="dmitry-peskov",
        side="russia",
        issues=["negotiations_process"],
        stance="claim",
        venue="reporters",
    )
    sybiha = _stmt(
        kharkiv,
        source="Andrii Sybiha",
        cue="said",
        content="Kyiv would accept a monitored ceasefire from the first day of June",
        speaker="Andrii Sybiha",
        speaker_id="andrii-sybiha",
        side="ukraine",
        issues=["ceasefire"],
        stance="propose",
    )
    sybiha_sanctions = _stmt(
        kharkiv,
        source="Sybiha",
        cue="added",
        content="sanctions on Russia must stay until the occupied land is returned",
        after=KHARKIV.index("Sybiha added"),
        speaker="Andrii Sybiha",
        speaker_id="andrii-sybiha",
        side="ukraine",
        issues=["sanctions"],
        stance="demand",
    )
    return World(geneva, kharkiv, lavrov, peskov, sybiha, sybiha_sanctions)


# -- the server and the browser ----------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("no `chromium` on PATH (Debian: apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    return path


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[World]:
    """The store filled by hand and served by uvicorn on a free loopback port."""
    import uvicorn

    from redline.web.app import create_app

    made = _world()
    db = str(tmp_path_factory.mktemp("browser") / "browser.db")
    with open_store(db) as store:
        store.add_doc(made.geneva, [made.lavrov, made.peskov])
        store.add_doc(made.kharkiv, [made.sybiha, made.sybiha_sanctions])
        store.replace_contradictions(
            [
                Contradiction(
                    a=made.lavrov,
                    b=made.sybiha,
                    kind="same-side",
                    reason="one side ties a truce to sanctions, the other offers one outright",
                    confidence=0.4,
                )
            ]
        )
    app = create_app(Settings(db=db, write_token=TOKEN))
    # The socket is bound here, so the port cannot be taken between choosing and serving.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the uvicorn server did not start")
        time.sleep(0.05)
    made.base = f"http://127.0.0.1:{port}"
    try:
        yield made
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def browser_context(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=chromium_path,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        context.set_default_timeout(10_000)
        try:
            yield context
        finally:
            context.close()


@dataclass
class Watched:
    """A page with what it requested and the dialogs it opened."""

    page: Any
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def tab(browser_context: Any, world: World) -> Iterator[Watched]:
    page = browser_context.new_page()
    watched = Watched(page)

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("request", lambda request: watched.requests.append(request.url))
    page.on("dialog", on_dialog)
    try:
        yield watched
        # Every page of every test: nothing from another origin, no script ran a dialog.
        foreign = [u for u in watched.requests if not u.startswith(world.base + "/")]
        assert watched.requests and not foreign, foreign
        assert watched.dialogs == []
    finally:
        page.close()


def _goto(tab: Watched, url: str) -> Any:
    response = tab.page.goto(url)
    assert response is not None and response.ok, (url, response and response.status)
    return response


# -- the tests ----------------------------------------------------------------------------------


def test_dashboard_leads_to_a_statement_with_its_marks(tab: Watched, world: World) -> None:
    page = tab.page
    _goto(tab, world.base + "/")
    assert page.locator("h1").inner_text() == "Dashboard"
    assert page.locator('[data-count="statements"] .n').inner_text() == "4"
    page.locator(f'a[href="/statements/{world.lavrov.id}"]').first.click()
    page.wait_for_url(f"{world.base}/statements/{world.lavrov.id}")
    excerpt = page.locator("figure.excerpt .text")
    assert excerpt.locator("mark.source").inner_text() == "Sergey Lavrov"
    assert excerpt.locator("mark.cue").inner_text() == "said"
    assert excerpt.locator("mark.content").inner_text() == world.lavrov.content
    assert "Alpine Courier" in page.locator("p.citation").inner_text()
    assert page.locator("form.review").is_visible()


def test_a_correction_shows_everywhere(tab: Watched, world: World) -> None:
    page = tab.page
    sid = world.peskov.id
    _goto(tab, f"{world.base}/statements/{sid}")
    assert page.locator("p.empty", has_text="No corrections").is_visible()
    form = page.locator("form.review")
    form.locator('select[name="stance"]').select_option("deny")
    form.locator('input[name="author"]').fill("Olena, desk editor")
    form.locator('input[name="note"]').fill("he denied the talks were useful")
    form.locator('input[name="token"]').fill(TOKEN)
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    assert page.url == f"{world.base}/statements/{sid}"

    # The statement page: the coding, its mark and the record of the correction.
    stance = page.locator("dl.coding dt:has-text('Stance') + dd")
    assert stance.locator(".stance").inner_text() == "deny"
    assert stance.locator(".corrected").is_visible()
    row = page.locator("table.corrections tbody tr")
    assert row.count() == 1
    assert "Olena, desk editor" in row.inner_text() and "stance" in row.inner_text()

    # The list of statements.
    _goto(tab, world.base + "/statements")
    listed = page.locator(f'tr[data-id="{sid}"]')
    assert listed.locator(".stance").inner_text() == "deny"
    assert listed.locator(".corrected").count() >= 1

    # The JSON twin.
    data = _goto(tab, f"{world.base}/statements/{sid}.json").json()
    assert data["statement"]["stance"] == "deny"
    assert "stance" in data["statement"]["corrected"]
    assert [c["value"] for c in data["corrections"]] == ["deny"]


def test_a_wrong_token_is_refused_and_changes_nothing(tab: Watched, world: World) -> None:
    page = tab.page
    sid = world.sybiha_sanctions.id
    _goto(tab, f"{world.base}/statements/{sid}")
    form = page.locator("form.review")
    form.locator('select[name="stance"]').select_option("concede")
    form.locator('input[name="author"]').fill("someone")
    form.locator('input[name="token"]').fill("not-the-token")
    with page.expect_navigation() as nav:
        form.locator('button[type="submit"]').click()
    assert nav.value is not None and nav.value.status == 403
    data = _goto(tab, f"{world.base}/statements/{sid}.json").json()
    assert data["statement"]["stance"] == "demand" and data["corrections"] == []


def test_script_in_an_article_is_shown_as_text(tab: Watched, world: World) -> None:
    page = tab.page
    for url in (
        f"/docs/{world.kharkiv.id}",
        f"/statements/{world.sybiha.id}",
        "/docs",
        "/search?q=monitored+ceasefire",
    ):
        _goto(tab, world.base + url)
        assert page.locator("main script").count() == 0, url
        assert page.locator("main img").count() == 0, url
        assert page.locator("main em").count() == 0, url
    _goto(tab, f"{world.base}/docs/{world.kharkiv.id}")
    text = page.locator("main").inner_text()
    assert "<script>alert('owned')</script>" in text
    assert "<img src=x onerror=alert(2)>" in text
    assert "Kyiv <em>open</em> to a monitored truce" in text
    page.wait_for_timeout(200)  # give a stray handler the time to fire; the fixture checks


def test_pages_load_nothing_from_elsewhere(tab: Watched, world: World) -> None:
    for url in (
        "/",
        "/statements",
        "/statements?side=russia&issue=ceasefire",
        f"/statements/{world.lavrov.id}",
        f"/docs/{world.geneva.id}",
        "/actors/sergey-lavrov",
        "/contradictions",
        "/search?q=sanctions",
    ):
        _goto(tab, world.base + url)
    # The stylesheet was loaded and applied, from this server.
    assert any(u.endswith("/static/style.css") for u in tab.requests)
