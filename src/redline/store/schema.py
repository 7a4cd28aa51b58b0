"""The tables, as SQLAlchemy Core metadata.

This is the schema the code reads and writes. The migrations in `migrations/versions/` build it
step by step and are frozen once released; `tests/test_store.py` checks that the two agree.

Lists and small objects (offsets, targets, plover, boilerplate spans) are JSON columns: they are
always read whole with their row. Anything a query filters on has its own column and index;
issues get a table of their own so `--issue` is an indexed lookup rather than a JSON scan.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

# Named constraints, so a later migration can drop or alter them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

ID = String(64)


def _statement_key() -> Column[str]:
    """The statement a row of a side table belongs to: part of its key, gone with it."""
    return Column(
        "statement_id", ID, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True
    )


docs = Table(
    "docs",
    metadata,
    Column("id", ID, primary_key=True),
    Column("source", Text, nullable=False),
    Column("title", Text),
    Column("outlet", Text),
    Column("author", Text),
    Column("published", Date),
    Column("url", Text),
    Column("format", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("boilerplate", JSON, nullable=False),
    Column("notices", JSON, nullable=False),
    # The id of the first doc of its story (itself when it is the first).
    Column("story", ID, nullable=False, index=True),
    Column("ingested_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # the article list's order, so a page comes from the index (migration 0006)
    Index("ix_docs_published_id", "published", "id"),
)

doc_bands = Table(
    "doc_bands",
    metadata,
    Column("doc_id", ID, ForeignKey("docs.id", ondelete="CASCADE"), primary_key=True),
    Column("band", String(128), primary_key=True),
    Index("ix_doc_bands_band", "band"),
)

doc_signatures = Table(
    "doc_signatures",
    metadata,
    Column("doc_id", ID, ForeignKey("docs.id", ondelete="CASCADE"), primary_key=True),
    Column("signature", JSON, nullable=False),
)

statements = Table(
    "statements",
    metadata,
    Column("id", ID, primary_key=True),
    Column("doc_id", ID, ForeignKey("docs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("doc", Text, nullable=False),
    Column("speaker_mention", Text, nullable=False),
    Column("cue", Text, nullable=False),
    Column("content", Text, nullable=False),
    Column("quote", String(16), nullable=False),
    Column("offsets", JSON, nullable=False),
    Column("speaker_name", Text),
    Column("cue_lemma", Text, nullable=False),
    Column("said_on", Date),
    Column("venue", Text),
    Column("reported_by", Text),
    Column("speaker", Text),
    Column("speaker_id", String(128)),
    Column("side", String(64), nullable=False),
    Column("role", Text),
    Column("institution", Text),
    # In order, as coded; `statement_issues` holds the same set for lookups.
    Column("issues", JSON, nullable=False),
    Column("stance", String(32)),
    Column("negated", Boolean, nullable=False),
    Column("conditional", Boolean, nullable=False),
    Column("polarity", Integer, nullable=False),
    Column("plover", JSON(none_as_null=True)),
    Column("targets", JSON, nullable=False),
    # The date it is filed under: `said_on`, else its doc's `published` (migration 0005).
    # Lists page in this order, filtered by side or speaker or not at all, from an index.
    Column("filed_on", Date),
    Index("ix_statements_filed_on", "filed_on", "id"),
    Index("ix_statements_side_filed_on", "side", "filed_on", "id"),
    Index("ix_statements_institution_filed_on", "institution", "filed_on", "id"),
    Index("ix_statements_speaker_id_filed_on", "speaker_id", "filed_on", "id"),
)

statement_issues = Table(
    "statement_issues",
    metadata,
    _statement_key(),
    Column("issue", String(128), primary_key=True),
    # covering: an issue's statement ids without reading the rows (migration 0006)
    Index("ix_statement_issues_issue_statement", "issue", "statement_id"),
)

# Who or what a statement targets (migration 0004), for "statements about this place": the
# same list as the `targets` JSON column, one row per target, looked up by target id.
statement_targets = Table(
    "statement_targets",
    metadata,
    _statement_key(),
    Column("kind", String(32), primary_key=True),
    Column("target_id", String(128), primary_key=True),
    Index("ix_statement_targets_target_id", "target_id", "kind"),
)

contradictions = Table(
    "contradictions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("a_id", ID, ForeignKey("statements.id", ondelete="CASCADE"), nullable=False),
    Column("b_id", ID, ForeignKey("statements.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False, index=True),
    Column("reason", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # The later of the two statements' dates (migration 0005), set when the pairs are stored:
    # the newest pairs are read first from its index.
    Column("day", Date),
    UniqueConstraint("a_id", "b_id"),
    Index("ix_contradictions_day", "day"),
)

# An analyst's correction of one field of a statement. Kept apart from the machine's output,
# which is never rewritten, and keyed by statement id only (no foreign key): ids are hashes of
# the doc id and offsets, so a correction outlives its statement being deleted and stored again.
corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("statement_id", ID, nullable=False, index=True),
    Column("field", String(32), nullable=False),
    # JSON null (not SQL NULL) for "no stance", "no speaker".
    Column("value", JSON, nullable=False),
    Column("author", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("note", Text),
)

# One row (id 1): a number every write of the store raises (migration 0005). Caches of what is
# computed over everything stored are keyed by it.
data_version = Table(
    "data_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
)

# A statement's polarity toward one of its issues as the machine coded it (+1, -1, 0), kept
# once computed: it depends only on the statement's words and machine stance, which never
# change, and on the coder, named by `basis` (a row of another basis counts as missing).
# Corrected statements are not read from here: their polarity follows their corrections.
polarities = Table(
    "polarities",
    metadata,
    _statement_key(),
    Column("issue", String(128), primary_key=True),
    Column("basis", String(32), nullable=False),
    Column("polarity", Integer, nullable=False),
)

# The date a statement is filed under: when it was said, else when its doc was published.
filed_on = statements.c.filed_on

# Full-text search (SQLite FTS5, migration 0003): virtual tables kept in step with `statements`
# and `docs` by triggers. They are not part of `metadata`: SQLAlchemy cannot describe them, and
# PostgreSQL has none (search falls back to ILIKE there).
SEARCH_TABLES = ("search_statements", "search_docs")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """For Alembic's comparisons: leave the FTS tables and their shadow tables out."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLES))
