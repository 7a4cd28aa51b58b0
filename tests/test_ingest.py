"""Ingest: files, folders, feeds and URLs to docs; boilerplate spans; syndication fingerprints."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from redline.errors import (
    BadRecord,
    BinaryInput,
    EmptyInput,
    FetchRefused,
    IngestError,
    NoMainText,
    SourceNotFound,
    TooLarge,
    UnsupportedFormat,
)
from redline.ingest import (
    doc_from_html,
    doc_from_text,
    fetch,
    find_boilerplate,
    iter_docs,
    read_file,
)
from redline.ingest import urls as urls_module
from redline.ingest.syndication import fingerprint, similarity
from redline.ingest.urls import check_url
from redline.models import Doc
from redline.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PASTED = FIXTURES / "harbourpost-2025-03-14-kyiv-rejects-ceasefire-terms.txt"
SEED_DIR = Path(__file__).parents[2] / "shared" / "seed"
PUBLIC_IP = "93.184.216.34"


@pytest.fixture
def settings() -> Settings:
    return Settings(max_file_mb=20.0, max_chars=1_000_000)


def covered(doc: Doc, needle: str) -> bool:
    """Whether every character of the first `needle` in the text lies in a boilerplate span."""
    start = doc.text.index(needle)
    return all(
        any(s <= i < e for s, e in doc.boilerplate) for i in range(start, start + len(needle))
    )


def touched(doc: Doc, needle: str) -> bool:
    """Whether any occurrence of `needle` overlaps a boilerplate span."""
    start = doc.text.find(needle)
    while start != -1:
        end = start + len(needle)
        if any(s < end and start < e for s, e in doc.boilerplate):
            return True
        start = doc.text.find(needle, start + 1)
    return False


def assert_offsets_hold(doc: Doc) -> None:
    previous_end = 0
    for start, end in doc.boilerplate:
        assert previous_end <= start < end <= len(doc.text)
        previous_end = end
    body = doc.body_text()
    assert len(body) == len(doc.text)
    assert body.count("\n") == doc.text.count("\n")


# --- plain text and boilerplate ---------------------------------------------------------------


def test_txt_title_date_and_boilerplate(settings: Settings) -> None:
    [doc] = read_file(PASTED, settings=settings)
    assert doc.title == "Kyiv rejects ceasefire terms floated in Riyadh"
    assert doc.published == date(2025, 3, 14)
    assert doc.outlet is None
    assert doc.format == "text"
    assert doc.text == PASTED.read_text(encoding="utf-8")
    assert_offsets_hold(doc)

    assert doc.text.count(doc.title) == 2
    assert all(start >= len(doc.title) for start, _ in doc.boilerplate)  # the top headline stays
    second = doc.text.index(doc.title, 1)
    assert all(any(s <= i < e for s, e in doc.boilerplate) for i in range(second, second + 10))
    for junk in (
        "By Marta Kovalenko",
        "14 March 2025, 18:40",
        "World | Diplomacy",
        "Photo: mfa.gov.ua",
        "Read more:",
        "Envoys meet in Riyadh as talks stall",
        "Support independent journalism",
        "Share this",
        "press Ctrl + Enter",
        "disable your ad blocker",
        "Related Posts",
        "EU drafts its next sanctions package",
    ):
        assert covered(doc, junk), junk
    for body in (
        "Ukraine's foreign minister said on Friday",
        "We will not trade land",
        "Kremlin spokesman Dmitry Peskov said",
        "A senior European diplomat",
        "Peskov added that Russia expected",
    ):
        assert not touched(doc, body), body


def test_both_captions_covered(settings: Settings) -> None:
    [doc] = read_file(PASTED, settings=settings)
    caption = "Foreign Minister Andrii Sybiha at a briefing in Kyiv. Photo: mfa.gov.ua"
    first = doc.text.index(caption)
    second = doc.text.index(caption, first + 1)
    for start in (first, second):
        assert any(s <= start and start + len(caption) <= e for s, e in doc.boilerplate)


@pytest.mark.skipif(not SEED_DIR.is_dir(), reason="../shared/seed is not beside the checkout")
def test_seed_boilerplate(settings: Settings) -> None:
    [path] = sorted(SEED_DIR.glob("*.txt"))
    [doc] = read_file(path, settings=settings)
    assert doc.published == date(2025, 4, 12)
    assert doc.title and doc.title.startswith("ISW:")
    assert_offsets_hold(doc)
    for junk in (
        "join our community",
        "Become a Patron",
        "disabling your ad blocker",
        "Related Posts",
    ):
        assert covered(doc, junk), junk
    caption = next(line for line in doc.text.splitlines() if line.endswith("Photo: mid.ru"))
    first = doc.text.index(caption)
    second = doc.text.index(caption, first + 1)
    assert covered(doc, caption)
    assert any(s <= second and second + len(caption) <= e for s, e in doc.boilerplate)
    repeat = doc.text.index(doc.title, 1)
    assert any(s <= repeat and repeat + len(doc.title) <= e for s, e in doc.boilerplate)
    assert all(start >= len(doc.title) for start, _ in doc.boilerplate)
    for sentence in doc.text.replace("\n", " ").split(". "):
        if any(key in sentence for key in ("Lavrov reiterated", "Dmitriev", "Putin has demanded")):
            assert not touched(doc, sentence), sentence


def test_published_argument_overrides_file_name(settings: Settings) -> None:
    [doc] = read_file(PASTED, settings=settings, published=date(2025, 3, 15))
    assert doc.published == date(2025, 3, 15)


def test_first_line_with_full_stop_is_not_a_title(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Kyiv said on Monday that talks would resume.\n\nMoscow did not comment.\n")
    [doc] = read_file(path, settings=settings)
    assert doc.title is None
    assert doc.published is None
    assert doc.boilerplate == []


def test_doc_from_text_keeps_text_and_finds_boilerplate() -> None:
    text = (
        "Talks resume\r\n\r\nThe envoy said talks would resume.\r\nRelated Posts\r\nOther story\r\n"
    )
    doc = doc_from_text(text, source="pasted", title="Talks resume", outlet="Steppe Wire")
    assert doc.text == text
    assert doc.outlet == "Steppe Wire"
    assert [doc.text[s:e] for s, e in doc.boilerplate] == ["Related Posts\r\nOther story"]
    assert_offsets_hold(doc)


def test_find_boilerplate_leaves_a_clean_article_alone() -> None:
    text = (FIXTURES / "wire-original.txt").read_text(encoding="utf-8")
    assert find_boilerplate(text) == []


def test_diplomatic_vocabulary_is_not_boilerplate() -> None:
    text = (
        "Kyiv presses membership bid\n\n"
        "Ukraine will become a member of NATO sooner or later, the foreign minister said.\n\n"
        "He urged allies to donate now to rebuild the power grid and to support our soldiers.\n\n"
        "Moscow said it would share its proposals with Washington before the summit.\n"
    )
    assert find_boilerplate(text) == []


_LINES = st.sampled_from(
    [
        "Envoys met in Istanbul on Friday.",
        "Related Posts",
        "Share this",
        "Photo: mid.ru",
        "Become a Patron!",
        "The minister said talks would go on.",
        "By a staff reporter",
        "Read more:",
        "",
        "   ",
        "Talks resume",
    ]
)


@hsettings(max_examples=200, deadline=None)
@given(
    lines=st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=25),
    newline=st.sampled_from(["\n", "\r\n", "\n\n"]),
    title=st.one_of(st.none(), st.just("Talks resume")),
)
def test_boilerplate_offsets_always_inside_text(
    lines: list[str], newline: str, title: str | None
) -> None:
    text = newline.join(lines)
    spans = find_boilerplate(text, title=title)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        previous_end = end
    if text.strip():
        doc = doc_from_text(text, source="generated", title=title)
        assert len(doc.body_text()) == len(text)


# --- HTML ---------------------------------------------------------------------------------------


def test_html_metadata_and_main_text(settings: Settings) -> None:
    [doc] = read_file(FIXTURES / "harbourpost-article.html", settings=settings)
    assert doc.format == "html"
    assert doc.title == "Kyiv rejects ceasefire terms floated in Riyadh"
    assert doc.outlet == "Harbour Post"
    assert doc.author == "Marta Kovalenko"
    assert doc.published == date(2025, 3, 14)
    assert doc.url == "https://harbourpost.example/world/kyiv-rejects-ceasefire-terms"
    assert "We will not trade land for a pause in the fighting" in doc.text
    assert "\n\n" in doc.text
    for chrome in ("Home", "Economy", "morning briefing", "Privacy policy", "newsroom footer"):
        assert chrome not in doc.text, chrome
    assert_offsets_hold(doc)


def test_html_published_argument_overrides_page_date() -> None:
    html = (FIXTURES / "harbourpost-article.html").read_bytes()
    doc = doc_from_html(html, source="page.html", published=date(2025, 3, 20))
    assert doc.published == date(2025, 3, 20)


def test_html_declared_charset_is_honoured() -> None:
    html = (FIXTURES / "harbourpost-article.html").read_text(encoding="utf-8")
    html = html.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    html = html.replace("Kremlin spokesman", "Kremlin spokesman (Kreml’s voice)")
    doc = doc_from_html(html.encode("cp1252"), source="page.html")
    assert "Kreml’s voice" in doc.text
    assert doc.notices == []


@pytest.mark.parametrize(
    "html",
    [
        b"<html><body><div><p>",
        b"<html><body><div><p><<<>>> &&& </div",
        b"<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body>",
    ],
)
def test_broken_html_has_no_main_text(tmp_path: Path, settings: Settings, html: bytes) -> None:
    path = tmp_path / "broken.html"
    path.write_bytes(html)
    with pytest.raises(NoMainText, match="no article text found"):
        read_file(path, settings=settings)


# --- JSON, JSON Lines, feeds --------------------------------------------------------------------


def test_json_list_numbers_records(settings: Settings) -> None:
    first, second = read_file(FIXTURES / "records.json", settings=settings)
    assert first.source.endswith("records.json#1")
    assert first.title == "Moscow signals openness to prisoner exchange"
    assert first.outlet == "Steppe Wire"
    assert first.author == "Oleh Brovko"
    assert first.published == date(2025, 5, 6)
    assert first.url == "https://steppewire.example/prisoner-exchange"
    assert first.format == "json"
    assert second.source.endswith("records.json#2")
    assert second.format == "html"
    assert second.outlet == "Danube Daily"
    assert second.published == date(2025, 5, 7)
    assert "quiet round of consultations" in second.text


def test_json_single_object_source_is_the_path(settings: Settings) -> None:
    [doc] = read_file(FIXTURES / "single.json", settings=settings)
    assert doc.source == str(FIXTURES / "single.json")
    assert doc.published == date(2025, 4, 28)
    assert doc.title == "Ankara offers to host technical talks"


def test_jsonl_bad_line_is_reported_and_the_rest_go_on(settings: Settings) -> None:
    items = list(iter_docs([str(FIXTURES / "records.jsonl")], settings=settings))
    assert [type(item).__name__ for item in items] == ["Doc", "BadRecord", "Doc"]
    bad = items[1]
    assert isinstance(bad, BadRecord)
    assert bad.source.endswith("records.jsonl#2")
    assert "line 2" in str(bad)
    last = items[2]
    assert isinstance(last, Doc)
    assert last.published == date(2025, 2, 21)
    with pytest.raises(BadRecord):
        read_file(FIXTURES / "records.jsonl", settings=settings)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2", "invalid JSON"),
        (json.dumps({"title": "no text"}), "no 'text' or 'html'"),
        (json.dumps(["just a string"]), "expected a JSON object"),
        (json.dumps({"text": "Body.", "title": 5}), "'title' must be a string"),
    ],
)
def test_json_bad_records(tmp_path: Path, settings: Settings, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(BadRecord, match=message):
        read_file(path, settings=settings)


def test_rss_file_entries_become_docs(settings: Settings) -> None:
    items = list(iter_docs([str(FIXTURES / "newsroom-feed.rss")], settings=settings))
    first, second, third = items
    assert isinstance(first, Doc) and isinstance(second, Doc)
    assert first.source.endswith("newsroom-feed.rss#1")
    assert first.title == "Kremlin rules out summit before May"
    assert first.outlet == "Steppe Wire"
    assert first.published == date(2025, 3, 10)
    assert first.url == "https://steppewire.example/kremlin-summit"
    assert first.text == (
        "The Kremlin said on Monday that a summit between the Russian and Ukrainian presidents "
        "was not possible before May.\n\nKyiv said it had never asked for one."
    )
    assert second.text.startswith("Poland's prime minister said on Tuesday")
    assert isinstance(third, BadRecord)
    assert "https://steppewire.example/link-only" in str(third)


def test_atom_file_entries_become_docs(settings: Settings) -> None:
    [doc] = read_file(FIXTURES / "newsroom-feed.atom", settings=settings)
    assert doc.source.endswith("newsroom-feed.atom#1")
    assert doc.title == "Bratislava urges gas transit deal"
    assert doc.outlet == "Danube Daily"
    assert doc.author == "Eva Horakova"
    assert doc.published == date(2025, 3, 12)
    assert doc.text.startswith("Slovakia's prime minister said on Wednesday")


def test_xml_that_is_not_a_feed(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "data.xml"
    path.write_text("<?xml version='1.0'?><inventory><item>bolts</item></inventory>")
    with pytest.raises(BadRecord, match="not an RSS or Atom feed"):
        read_file(path, settings=settings)


# --- decoding and refusals ----------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n  "])
def test_empty_input(tmp_path: Path, settings: Settings, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(EmptyInput, match="empty"):
        read_file(path, settings=settings)


def test_png_bytes_are_binary(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)))
    with pytest.raises(BinaryInput, match="binary data"):
        read_file(path, settings=settings)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encodings_decoded_with_notice(
    tmp_path: Path, settings: Settings, encoding: str
) -> None:
    text = (
        "Talks in Genève stall\n\n"
        "The Swiss foreign minister said on Friday that the café meeting between envoys "
        "had ended early, and that Genève stood ready to host another round.\n"
    )
    if encoding == "cp1252":
        text = text.replace("said on Friday", "said on Friday – “regrettably” –")
    path = tmp_path / "geneva.txt"
    path.write_bytes(text.encode(encoding))
    [doc] = read_file(path, settings=settings)
    assert doc.text == text
    assert len(doc.notices) == 1
    assert "not UTF-8" in doc.notices[0]


def test_utf8_bom_is_stripped(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfKyiv talks\n\nThe envoy said talks went well.\n")
    [doc] = read_file(path, settings=settings)
    assert doc.text.startswith("Kyiv talks")
    assert doc.title == "Kyiv talks"
    assert doc.notices == []


def test_huge_file_refused_before_reading(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written to disk
    with pytest.raises(TooLarge) as info:
        read_file(path, settings=settings)
    message = str(info.value)
    assert "\n" not in message
    assert "50.0 MB" in message and "20 MB" in message and "REDLINE_MAX_FILE_MB" in message


def test_text_longer_than_max_chars(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Kyiv said talks would resume. " * 100)
    with pytest.raises(TooLarge, match="text too long: 3,000 characters, limit is 500"):
        read_file(path, settings=Settings(max_chars=500))


def test_explicit_unknown_extension_is_unsupported(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "article.docx"
    path.write_bytes(b"PK\x03\x04")
    [error] = list(iter_docs([str(path)], settings=settings))
    assert isinstance(error, UnsupportedFormat)
    assert ".docx" in str(error)


def test_missing_path(tmp_path: Path, settings: Settings) -> None:
    [error] = list(iter_docs([str(tmp_path / "nowhere.txt")], settings=settings))
    assert isinstance(error, SourceNotFound)


def test_folder_with_a_bad_file_goes_on(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "a-2025-01-02-good.txt").write_text("Good one\n\nThe envoy said talks went well.\n")
    (tmp_path / "b-broken.html").write_bytes(b"<html><body><div><p>")
    (tmp_path / "c-empty.txt").write_text("")
    (tmp_path / "d-picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")  # unknown type: skipped
    (tmp_path / ".hidden.txt").write_text("Hidden\n\nNot to be read.\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("Not to be read either.\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "e.json").write_text(json.dumps({"text": "Moscow said no.", "title": "No"}))
    items = list(iter_docs([str(tmp_path)], settings=settings))
    kinds = [(type(item).__name__, Path(item.source).name) for item in items]
    assert kinds == [
        ("Doc", "a-2025-01-02-good.txt"),
        ("NoMainText", "b-broken.html"),
        ("EmptyInput", "c-empty.txt"),
        ("Doc", "e.json"),
    ]
    good = items[0]
    assert isinstance(good, Doc) and good.published == date(2025, 1, 2)


# --- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/admin", "loopback"),
        ("http://10.0.0.1/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]:8080/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("file:///etc/passwd", "only http:// and https://"),
        ("ftp://example.org/file.txt", "only http:// and https://"),
    ],
)
def test_address_guard_refuses(url: str, reason: str) -> None:
    with pytest.raises(FetchRefused) as info:
        check_url(url)
    assert reason in str(info.value)
    assert str(info.value).startswith(url)


def test_address_guard_checks_what_a_name_resolves_to(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(urls_module, "resolve", lambda host, port: ["192.168.1.20"])
    with pytest.raises(FetchRefused, match=r"intranet\.example resolves to 192\.168\.1\.20"):
        check_url("https://intranet.example/report")


def test_iter_docs_reports_a_refused_url(settings: Settings) -> None:
    [error] = list(iter_docs(["file:///etc/passwd"], settings=settings))
    assert isinstance(error, FetchRefused)


def _client(routes: dict[str, httpx.Response], seen: list[str]) -> httpx.Client:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return routes.get(str(request.url), httpx.Response(404))

    return httpx.Client(transport=httpx.MockTransport(handle))


@pytest.fixture
def public_dns(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[str]]:
    def resolve(host: str, port: int) -> list[str]:
        return [PUBLIC_IP]

    monkeypatch.setattr(urls_module, "resolve", resolve)
    return resolve


ARTICLE_HTML = (FIXTURES / "harbourpost-article.html").read_bytes()


@pytest.mark.usefixtures("public_dns")
def test_fetch_with_a_mock_transport(settings: Settings) -> None:
    url = "https://harbourpost.example/world/kyiv"
    page = httpx.Response(200, content=ARTICLE_HTML, headers={"content-type": "text/html"})
    seen: list[str] = []
    doc = fetch(url, settings=settings, client=_client({url: page}, seen))
    assert seen == [url]
    assert doc.source == url
    assert doc.url == url
    assert doc.outlet == "Harbour Post"
    assert "We will not trade land" in doc.text


@pytest.mark.usefixtures("public_dns")
def test_fetch_follows_a_redirect_and_checks_it(settings: Settings) -> None:
    start, final = "http://harbourpost.example/a", "https://harbourpost.example/b"
    routes = {
        start: httpx.Response(301, headers={"location": "https://harbourpost.example/b"}),
        final: httpx.Response(200, content=ARTICLE_HTML, headers={"content-type": "text/html"}),
    }
    seen: list[str] = []
    doc = fetch(start, settings=settings, client=_client(routes, seen))
    assert seen == [start, final]
    assert doc.source == start and doc.url == final


@pytest.mark.usefixtures("public_dns")
def test_redirect_to_metadata_address_is_refused(settings: Settings) -> None:
    start = "https://harbourpost.example/go"
    metadata = "http://169.254.169.254/latest/meta-data/"
    routes = {start: httpx.Response(302, headers={"location": metadata})}
    seen: list[str] = []
    with pytest.raises(FetchRefused, match="link-local"):
        fetch(start, settings=settings, client=_client(routes, seen))
    assert seen == [start]


@pytest.mark.usefixtures("public_dns")
def test_redirect_loop_stops(settings: Settings) -> None:
    url = "https://harbourpost.example/loop"
    routes = {url: httpx.Response(302, headers={"location": url})}
    with pytest.raises(IngestError, match="more than 5 redirects"):
        fetch(url, settings=settings, client=_client(routes, []))


@pytest.mark.usefixtures("public_dns")
def test_fetch_caps_the_size_while_streaming(settings: Settings) -> None:
    url = "https://harbourpost.example/big"

    def handle(request: httpx.Request) -> httpx.Response:
        chunks = (b"<p>" + b"x" * 1024 + b"</p>" for _ in range(2048))  # no content-length
        return httpx.Response(200, content=chunks, headers={"content-type": "text/html"})

    client = httpx.Client(transport=httpx.MockTransport(handle))
    with pytest.raises(TooLarge, match="limit is 1 MB"):
        fetch(url, settings=Settings(max_file_mb=1), client=client)


@pytest.mark.usefixtures("public_dns")
def test_feed_url_fetches_each_entry(settings: Settings) -> None:
    feed_url = "https://steppewire.example/feed"
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Steppe Wire</title>'
        b"<item><title>One</title><link>https://steppewire.example/one</link></item>"
        b"<item><title>Two</title><link>https://steppewire.example/two</link></item>"
        b"</channel></rss>"
    )
    page = httpx.Response(200, content=ARTICLE_HTML, headers={"content-type": "text/html"})
    routes = {
        feed_url: httpx.Response(200, content=rss, headers={"content-type": "application/rss+xml"}),
        "https://steppewire.example/one": page,
    }
    seen: list[str] = []
    items = list(iter_docs([feed_url], settings=settings, client=_client(routes, seen)))
    assert seen == [feed_url, "https://steppewire.example/one", "https://steppewire.example/two"]
    doc, error = items
    assert isinstance(doc, Doc) and doc.url == "https://steppewire.example/one"
    assert isinstance(error, IngestError) and "HTTP 404" in str(error)


@pytest.mark.usefixtures("public_dns")
def test_fetch_refuses_a_feed(settings: Settings) -> None:
    url = "https://steppewire.example/feed.xml"
    rss = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    routes = {url: httpx.Response(200, content=rss, headers={"content-type": "text/xml"})}
    with pytest.raises(UnsupportedFormat, match="feed"):
        fetch(url, settings=settings, client=_client(routes, []))


# --- syndication --------------------------------------------------------------------------------


def _lightly_edited(text: str) -> str:
    lines = text.splitlines()
    lines[0] = "Istanbul talks end without ceasefire as sides agree on prisoner swap"
    text = "\n".join(lines)
    text = text.replace(
        "Both delegations agreed on an exchange of one thousand prisoners of war on each side,",
        "The two sides did agree to swap a thousand prisoners of war each,",
    )
    return text + "\nThis article was updated with comment from the French foreign ministry.\n"


def test_syndicated_copy_is_similar_and_shares_a_band() -> None:
    original = (FIXTURES / "wire-original.txt").read_text(encoding="utf-8")
    copy = _lightly_edited(original)
    assert copy != original
    a, b = fingerprint(original), fingerprint(copy)
    assert len(a.signature) == 64 and len(a.bands) == 16
    assert a.bands[3].startswith("b03:")
    assert similarity(a, b) >= 0.6
    assert set(a.bands) & set(b.bands)


def test_unrelated_article_is_not_similar() -> None:
    original = fingerprint((FIXTURES / "wire-original.txt").read_text(encoding="utf-8"))
    other = fingerprint((FIXTURES / "unrelated.txt").read_text(encoding="utf-8"))
    assert similarity(original, other) < 0.2


def test_fingerprint_ignores_boilerplate_and_case() -> None:
    body = (FIXTURES / "wire-original.txt").read_text(encoding="utf-8")
    pasted = body + "\nBecome a Patron! Support independent journalism today.\nRelated Posts\n"
    assert similarity(fingerprint(body), fingerprint(pasted.upper())) == 1.0


def test_fingerprint_is_stable_and_handles_empty_text() -> None:
    text = (FIXTURES / "unrelated.txt").read_text(encoding="utf-8")
    assert fingerprint(text) == fingerprint(text)
    empty = fingerprint("   ")
    assert empty.signature == [] and empty.bands == []
    assert similarity(empty, empty) == 0.0
    with pytest.raises(ValueError, match="different sizes"):
        similarity(fingerprint(text), fingerprint(text, num_perm=128))
