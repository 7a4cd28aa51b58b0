"""The store: migrations, round trips, filters, transactions, story lookup, contradictions."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, inspect, text

from redline.errors import StoreError, StoreWriteFailed
from redline.models import Contradiction, Doc, Offsets, Plover, Statement, Target
from redline.store import Store, db, open_store
from redline.store.schema import include_name, metadata

KYIV_TEXT = (
    "KYIV, March 3 — Foreign Minister Dmytro Kuleba said on Monday that Ukraine would not cede "
    'any territory in exchange for a ceasefire. "There will be no deal on our land," he told '
    "reporters in Kyiv."
)
MOSCOW_TEXT = (
    "MOSCOW — Russian Foreign Minister Sergei Lavrov said Russia was ready for talks on a "
    'ceasefire, but only if Kyiv recognised "the new territorial realities".'
)
GENEVA_TEXT = (
    "GENEVA — Kremlin spokesman Dmitry Peskov denied that Moscow had asked for a prisoner "
    'exchange, calling the reports "pure invention".'
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(str(tmp_path / "redline.db")) as opened:
        yield opened


def make_doc(text: str, *, published: date | None = None, **fields: object) -> Doc:
    return Doc(source=f"tests/{uuid.uuid4().hex}.txt", text=text, published=published, **fields)  # type: ignore[arg-type]


def make_stmt(doc: Doc, cue_at: int, **fields: object) -> Statement:
    """A statement whose cue is the word at `cue_at` in `doc.text` (ids differ by offset)."""
    end = doc.text.index(" ", cue_at)
    base: dict[str, object] = {
        "doc": doc.text,
        "doc_id": doc.id,
        "speaker_mention": "he",
        "cue": doc.text[cue_at:end],
        "content": doc.text[end + 1 : end + 40],
        "quote": "indirect",
        "offsets": Offsets(cue=[(cue_at, end)], content=[(end + 1, end + 40)]),
        "published": doc.published,
    }
    base.update(fields)
    return Statement(**base)  # type: ignore[arg-type]


def full_stmt(doc: Doc) -> Statement:
    """A statement with every field set to something other than its default."""
    cue = doc.text.index("said")
    return Statement(
        doc=doc.text,
        doc_id=doc.id,
        speaker_mention="Foreign Minister Dmytro Kuleba",
        cue="said",
        content="Ukraine would not cede any territory in exchange for a ceasefire",
        quote="mixed",
        offsets=Offsets(
            source=[(15, 45)], cue=[(cue, cue + 4)], content=[(cue + 18, cue + 83), (140, 170)]
        ),
        speaker_name="Dmytro Kuleba",
        cue_lemma="say",
        said_on=date(2024, 3, 4),
        venue="Kyiv",
        reported_by="Reuters",
        speaker="Dmytro Kuleba",
        speaker_id="kuleba",
        side="ukraine",
        role="foreign minister",
        issues=["territory", "ceasefire", "territory"],
        stance="reject",
        negated=True,
        conditional=True,
        polarity=-1,
        plover=Plover(event="REJECT", mode="negotiation", context=["territory", "ceasefire"]),
        targets=[
            Target(kind="place", id="UA-43", name="Crimea"),
            Target(kind="object", id="ceasefire", name="ceasefire"),
        ],
        published=doc.published,
        id="kuleba-no-deal",
    )


# -- opening and migrations ----------------------------------------------------------------------


def test_open_twice_runs_the_migration_once(tmp_path: Path) -> None:
    path = tmp_path / "twice.db"
    with Store(str(path)) as first:
        doc = make_doc(KYIV_TEXT)
        assert first.add_doc(doc, [])
    with Store(str(path)) as second:
        assert second.count_docs() == 1
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("0007_institution",)
        ]
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        raw.close()


def test_migration_builds_the_schema_the_code_uses(tmp_path: Path) -> None:
    path = tmp_path / "schema.db"
    open_store(str(path)).close()
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": include_name})
            diff = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_schema_changes_roll_back_on_sqlite(tmp_path: Path) -> None:
    """pysqlite leaves DDL outside transactions unless the engine issues BEGIN itself."""
    engine = db.create(db.to_url(str(tmp_path / "ddl.db")), busy_timeout_ms=1000)
    try:
        with pytest.raises(RuntimeError), engine.begin() as conn:
            conn.execute(text("CREATE TABLE half_done (x INTEGER)"))
            raise RuntimeError("migration step failed")
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_plain_paths_become_sqlite_urls_and_urls_are_kept() -> None:
    assert db.to_url("/tmp/x.db").render_as_string() == "sqlite:////tmp/x.db"
    assert db.to_url("redline.db").render_as_string() == "sqlite:///redline.db"
    pg = db.to_url("postgresql+psycopg://me:secret@db.example/redline")
    assert pg.drivername == "postgresql+psycopg"
    assert pg.database == "redline"


def test_unopenable_database_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open or migrate"):
        Store(str(tmp_path / "no" / "such" / "folder" / "x.db"))


# -- docs and statements -------------------------------------------------------------------------


def test_statement_with_every_field_round_trips(store: Store) -> None:
    doc = make_doc(
        KYIV_TEXT,
        published=date(2024, 3, 5),
        title="Kuleba: no land for peace",
        outlet="Kyiv Independent",
        author="Olena Petrenko",
        url="https://example.org/kuleba",
        format="html",
        boilerplate=[(0, 5), (150, 160)],
        notices=["date taken from the dateline"],
        story="first-of-story",
    )
    stmt = full_stmt(doc)
    assert store.add_doc(doc, [stmt])
    assert store.get_statement(stmt.id) == stmt
    assert store.statements() == [stmt]
    assert store.get_doc(doc.id) == doc
    assert store.get_statement("missing") is None
    assert store.get_doc("missing") is None


def test_doc_without_story_starts_its_own(store: Store) -> None:
    doc = make_doc(MOSCOW_TEXT)
    store.add_doc(doc, [])
    stored = store.get_doc(doc.id)
    assert stored is not None
    assert stored.story == doc.id


def test_docs_lists_every_doc_with_or_without_text(store: Store) -> None:
    late = make_doc(KYIV_TEXT, published=date(2024, 3, 5))
    early = make_doc(MOSCOW_TEXT, published=date(2024, 2, 1))
    undated = make_doc(GENEVA_TEXT)
    for doc in (late, early, undated):
        store.add_doc(doc, [])
    assert [d.id for d in store.docs()] == [early.id, late.id, undated.id]
    assert store.docs()[0].text == MOSCOW_TEXT
    light = store.docs(with_text=False)
    assert [d.text for d in light] == ["", "", ""]
    assert [d.id for d in light] == [early.id, late.id, undated.id]


spans = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), max_size=3)
names = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))
maybe_names = st.none() | names
dates = st.none() | st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    speaker_name=maybe_names,
    content=names,
    said_on=dates,
    published=dates,
    issues=st.lists(st.sampled_from(["ceasefire", "territory", "prisoners", "grain"])),
    cue=spans,
    content_spans=spans,
    plover=st.none() | st.builds(Plover, event=names, mode=maybe_names, context=st.lists(names)),
    negated=st.booleans(),
    polarity=st.integers(-1, 1),
)
def test_statements_round_trip(
    tmp_path_factory: pytest.TempPathFactory,
    speaker_name: str | None,
    content: str,
    said_on: date | None,
    published: date | None,
    issues: list[str],
    cue: list[tuple[int, int]],
    content_spans: list[tuple[int, int]],
    plover: Plover | None,
    negated: bool,
    polarity: int,
) -> None:
    with Store(str(tmp_path_factory.mktemp("prop") / "redline.db")) as store:
        doc = make_doc(f"{KYIV_TEXT} {uuid.uuid4()}", published=published)
        stmt = Statement(
            doc=doc.text,
            doc_id=doc.id,
            speaker_mention="the minister",
            cue="said",
            content=content,
            quote="direct",
            offsets=Offsets(cue=cue, content=content_spans),
            speaker_name=speaker_name,
            said_on=said_on,
            issues=issues,
            plover=plover,
            negated=negated,
            polarity=polarity,
            published=published,
        )
        assert store.add_doc(doc, [stmt])
        assert store.get_statement(stmt.id) == stmt


@pytest.fixture
def filled(store: Store) -> Store:
    """Three docs, four statements; one undated statement falls back to its doc's date."""
    kyiv = make_doc(KYIV_TEXT, published=date(2024, 3, 5))
    moscow = make_doc(MOSCOW_TEXT, published=date(2024, 2, 10))
    geneva = make_doc(GENEVA_TEXT, published=date(2024, 4, 1))
    store.add_doc(
        kyiv,
        [
            make_stmt(
                kyiv,
                KYIV_TEXT.index("said"),
                id="kuleba-1",
                speaker="Dmytro Kuleba",
                speaker_name="Dmytro Kuleba",
                speaker_id="kuleba",
                side="ukraine",
                issues=["territory", "ceasefire"],
                said_on=date(2024, 3, 4),
            ),
            make_stmt(
                kyiv,
                KYIV_TEXT.index("told"),
                id="kuleba-2",
                speaker_name="Kuleba",
                speaker_id="kuleba",
                side="ukraine",
                issues=["territory"],
            ),
        ],
    )
    store.add_doc(
        moscow,
        [
            make_stmt(
                moscow,
                MOSCOW_TEXT.index("said"),
                id="lavrov-1",
                speaker="Sergei Lavrov",
                speaker_name="Sergei Lavrov",
                speaker_id="lavrov",
                side="russia",
                issues=["ceasefire"],
                said_on=date(2024, 2, 9),
            )
        ],
    )
    store.add_doc(
        geneva,
        [
            make_stmt(
                geneva,
                GENEVA_TEXT.index("denied"),
                id="peskov-1",
                speaker_name="Dmitry Peskov",
                speaker_id="peskov",
                side="russia",
                issues=["prisoners"],
            )
        ],
    )
    return store


def ids(stmts: list[Statement]) -> list[str]:
    return [s.id for s in stmts]


def test_statements_come_in_date_order(filled: Store) -> None:
    assert ids(filled.statements()) == ["lavrov-1", "kuleba-1", "kuleba-2", "peskov-1"]
    assert ids(filled.statements(limit=2)) == ["lavrov-1", "kuleba-1"]
    assert filled.count_statements() == 4
    assert filled.count_docs() == 3


def test_actor_matches_id_exactly_or_name_in_any_case(filled: Store) -> None:
    assert ids(filled.statements(actor="kuleba")) == ["kuleba-1", "kuleba-2"]
    assert ids(filled.statements(actor="LAVROV")) == ["lavrov-1"]
    assert ids(filled.statements(actor="sergei")) == ["lavrov-1"]
    assert ids(filled.statements(actor="Dmitry Pes")) == ["peskov-1"]
    assert filled.statements(actor="%") == []
    assert filled.statements(actor="zelensky") == []
    # one of an id's statements names the speaker in another way: only that one matches
    assert ids(filled.statements(actor="dmytro")) == ["kuleba-1"]
    assert filled.count_statements(actor="dmytro") == 1
    assert filled.count_statements(actor="kuleba") == 2


def test_side_issue_and_doc_filters(filled: Store) -> None:
    assert ids(filled.statements(side="russia")) == ["lavrov-1", "peskov-1"]
    assert ids(filled.statements(issue="ceasefire")) == ["lavrov-1", "kuleba-1"]
    assert ids(filled.statements(issue="territory", side="ukraine")) == ["kuleba-1", "kuleba-2"]
    assert filled.statements(issue="grain") == []
    kyiv_id = filled.statements(actor="kuleba")[0].doc_id
    assert ids(filled.statements(doc_id=kyiv_id)) == ["kuleba-1", "kuleba-2"]


def test_dates_fall_back_to_the_published_date(filled: Store) -> None:
    undated = filled.get_statement("kuleba-2")
    assert undated is not None
    assert undated.said_on is None
    assert undated.when == date(2024, 3, 5)
    assert ids(filled.statements(since=date(2024, 3, 5))) == ["kuleba-2", "peskov-1"]
    assert ids(filled.statements(until=date(2024, 3, 4))) == ["lavrov-1", "kuleba-1"]
    assert ids(filled.statements(since=date(2024, 3, 1), until=date(2024, 3, 31))) == [
        "kuleba-1",
        "kuleba-2",
    ]


# -- writes are all or nothing -------------------------------------------------------------------


def test_adding_a_doc_twice_changes_nothing(store: Store) -> None:
    doc = make_doc(KYIV_TEXT, published=date(2024, 3, 5))
    stmt = make_stmt(doc, KYIV_TEXT.index("said"))
    assert store.add_doc(doc, [stmt], bands=["b1"], signature=[1, 2, 3])
    again = make_stmt(doc, KYIV_TEXT.index("told"))
    assert store.add_doc(doc, [again], bands=["b2"], signature=[4, 5, 6]) is False
    assert store.count_docs() == 1
    assert ids(store.statements()) == [stmt.id]


def test_a_failed_statement_leaves_nothing_behind(store: Store) -> None:
    doc = make_doc(KYIV_TEXT, published=date(2024, 3, 5))
    stmt = make_stmt(doc, KYIV_TEXT.index("said"), issues=["territory"])
    with pytest.raises(StoreWriteFailed):
        store.add_doc(doc, [stmt, stmt], bands=["b1"], signature=[1, 2, 3])
    assert not store.has_doc(doc.id)
    assert store.count_statements() == 0
    assert store.statements(issue="territory") == []
    assert store.find_story(["b1"], [1, 2, 3], threshold=0.0, similarity=overlap) is None
    # The same doc, sent again correctly, goes in.
    assert store.add_doc(doc, [stmt], bands=["b1"], signature=[1, 2, 3])
    assert store.has_doc(doc.id)


def test_a_statement_of_another_doc_is_refused(store: Store) -> None:
    kyiv = make_doc(KYIV_TEXT)
    moscow = make_doc(MOSCOW_TEXT)
    with pytest.raises(StoreWriteFailed, match="belongs to doc"):
        store.add_doc(kyiv, [make_stmt(moscow, MOSCOW_TEXT.index("said"))])
    assert store.count_docs() == 0


# -- syndication ---------------------------------------------------------------------------------


def overlap(a: list[int], b: list[int]) -> float:
    """The share of equal slots, as a MinHash estimate of Jaccard similarity would be."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def test_find_story_picks_the_most_similar_candidate(store: Store) -> None:
    first = make_doc(KYIV_TEXT)
    copy = make_doc(KYIV_TEXT + " (Reuters)", story=first.id)
    other = make_doc(MOSCOW_TEXT)
    store.add_doc(first, [], bands=["a", "b"], signature=[1, 2, 3, 4])
    store.add_doc(copy, [], bands=["b", "c"], signature=[1, 2, 3, 9])
    store.add_doc(other, [], bands=["x"], signature=[5, 6, 7, 8])

    # Shares band "c" only with the copy, which points to the first doc of the story.
    assert store.find_story(["c"], [1, 2, 3, 9], threshold=0.5, similarity=overlap) == first.id
    assert store.find_story(["a", "x"], [5, 6, 7, 0], threshold=0.5, similarity=overlap) == (
        other.id
    )
    # A shared band is not enough: the signatures must agree.
    assert store.find_story(["x"], [1, 2, 3, 4], threshold=0.5, similarity=overlap) is None
    assert store.find_story(["zzz"], [1, 2, 3, 4], threshold=0.0, similarity=overlap) is None
    assert store.find_story([], [1, 2, 3, 4], threshold=0.0, similarity=overlap) is None


# -- contradictions ------------------------------------------------------------------------------


def test_contradictions_round_trip_with_their_statements(filled: Store) -> None:
    kuleba_1 = filled.get_statement("kuleba-1")
    kuleba_2 = filled.get_statement("kuleba-2")
    lavrov = filled.get_statement("lavrov-1")
    peskov = filled.get_statement("peskov-1")
    assert kuleba_1 and kuleba_2 and lavrov and peskov
    items = [
        Contradiction(kuleba_1, kuleba_2, "self", "same speaker, opposite stance", 0.8),
        Contradiction(lavrov, peskov, "same-side", "talks offered, exchange denied", 0.4),
    ]
    filled.replace_contradictions(items)
    assert filled.contradictions() == items
    assert filled.contradictions(kind="same-side") == [items[1]]
    assert filled.contradictions(kind="reversal") == []

    filled.replace_contradictions(items[:1])
    assert filled.contradictions() == items[:1]


def test_contradictions_need_stored_statements(filled: Store) -> None:
    lavrov = filled.get_statement("lavrov-1")
    assert lavrov is not None
    kept = [Contradiction(lavrov, lavrov, "self", "kept")]
    filled.replace_contradictions(kept)
    stranger = make_stmt(make_doc(GENEVA_TEXT), GENEVA_TEXT.index("denied"), id="not-stored")
    with pytest.raises(StoreWriteFailed):
        filled.replace_contradictions([Contradiction(lavrov, stranger, "self", "unknown b")])
    assert filled.contradictions() == kept
