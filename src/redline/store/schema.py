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

docs = Table(
    "docs",
    metadata,
    Column("id", ID, primary_key=True),
    Column("source", Text, nullable=False),
    Column("title", Text),
    Column("outlet", Text),
    Column("author", Text),
    Column("published", Date, index=True),
    Column("url", Text),
    Column("format", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("boilerplate", JSON, nullable=False),
    Column("notices", JSON, nullable=False),
    # The id of the first doc of its story (itself when it is the first).
    Column("story", ID, nullable=False, index=True),
    Column("ingested_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
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
    Column("said_on", Date, index=True),
    Column("venue", Text),
    Column("reported_by", Text),
    Column("speaker", Text),
    Column("speaker_id", String(128), index=True),
    Column("side", String(64), nullable=False, index=True),
    Column("role", Text),
    # In order, as coded; `statement_issues` holds the same set for lookups.
    Column("issues", JSON, nullable=False),
    Column("stance", String(32)),
    Column("negated", Boolean, nullable=False),
    Column("conditional", Boolean, nullable=False),
    Column("polarity", Integer, nullable=False),
    Column("plover", JSON(none_as_null=True)),
    Column("targets", JSON, nullable=False),
)

statement_issues = Table(
    "statement_issues",
    metadata,
    Column(
        "statement_id",
        ID,
        ForeignKey("statements.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("issue", String(128), primary_key=True),
    Index("ix_statement_issues_issue", "issue"),
)

# Who or what a statement targets (migration 0004), for "statements about this place": the
# same list as the `targets` JSON column, one row per target, looked up by target id.
statement_targets = Table(
    "statement_targets",
    metadata,
    Column(
        "statement_id",
        ID,
        ForeignKey("statements.id", ondelete="CASCADE"),
        primary_key=True,
    ),
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
    UniqueConstraint("a_id", "b_id"),
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

# The date a statement is filed under: when it was said, else when its doc was published.
filed_on = func.coalesce(statements.c.said_on, docs.c.published)

# Full-text search (SQLite FTS5, migration 0003): virtual tables kept in step with `statements`
# and `docs` by triggers. They are not part of `metadata`: SQLAlchemy cannot describe them, and
# PostgreSQL has none (search falls back to ILIKE there).
SEARCH_TABLES = ("search_statements", "search_docs")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """For Alembic's comparisons: leave the FTS tables and their shadow tables out."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLES))
