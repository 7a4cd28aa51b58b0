"""Full-text search: FTS5 tables over statements and docs, kept in step by triggers (SQLite).

PostgreSQL gets nothing here: the store searches it with ILIKE instead.

The FTS tables keep their own copy of the text (not `content=`): an external-content table
would point at the implicit rowids of `statements` and `docs`, which VACUUM may renumber.

Revision ID: 0003_search
Revises: 0002_corrections
Create Date: 2026-05-10
"""

from __future__ import annotations

from alembic import op

revision = "0003_search"
down_revision = "0002_corrections"
branch_labels = None
depends_on = None

# Stemmed ("sanction" finds "sanctions"), case- and accent-blind.
TOKENIZE = "porter unicode61 remove_diacritics 2"

STATEMENT_COLUMNS = "content, speaker, speaker_mention, cue, venue"
DOC_COLUMNS = "title, text"


def _new(columns: str) -> str:
    return ", ".join(f"new.{c.strip()}" for c in columns.split(","))


UPGRADE = [
    f"CREATE VIRTUAL TABLE search_statements USING fts5("
    f"statement_id UNINDEXED, {STATEMENT_COLUMNS}, tokenize='{TOKENIZE}')",
    f"CREATE VIRTUAL TABLE search_docs USING fts5("
    f"doc_id UNINDEXED, {DOC_COLUMNS}, tokenize='{TOKENIZE}')",
    f"""CREATE TRIGGER search_statements_insert AFTER INSERT ON statements BEGIN
        INSERT INTO search_statements (statement_id, {STATEMENT_COLUMNS})
        VALUES (new.id, {_new(STATEMENT_COLUMNS)});
    END""",
    """CREATE TRIGGER search_statements_delete AFTER DELETE ON statements BEGIN
        DELETE FROM search_statements WHERE statement_id = old.id;
    END""",
    f"""CREATE TRIGGER search_statements_update AFTER UPDATE ON statements BEGIN
        DELETE FROM search_statements WHERE statement_id = old.id;
        INSERT INTO search_statements (statement_id, {STATEMENT_COLUMNS})
        VALUES (new.id, {_new(STATEMENT_COLUMNS)});
    END""",
    f"""CREATE TRIGGER search_docs_insert AFTER INSERT ON docs BEGIN
        INSERT INTO search_docs (doc_id, {DOC_COLUMNS}) VALUES (new.id, {_new(DOC_COLUMNS)});
    END""",
    """CREATE TRIGGER search_docs_delete AFTER DELETE ON docs BEGIN
        DELETE FROM search_docs WHERE doc_id = old.id;
    END""",
    f"""CREATE TRIGGER search_docs_update AFTER UPDATE ON docs BEGIN
        DELETE FROM search_docs WHERE doc_id = old.id;
        INSERT INTO search_docs (doc_id, {DOC_COLUMNS}) VALUES (new.id, {_new(DOC_COLUMNS)});
    END""",
    # What was stored before this revision.
    f"INSERT INTO search_statements (statement_id, {STATEMENT_COLUMNS}) "
    f"SELECT id, {STATEMENT_COLUMNS} FROM statements",
    f"INSERT INTO search_docs (doc_id, {DOC_COLUMNS}) SELECT id, {DOC_COLUMNS} FROM docs",
]

DOWNGRADE = [
    *(
        f"DROP TRIGGER IF EXISTS search_{table}_{event}"
        for table in ("statements", "docs")
        for event in ("insert", "delete", "update")
    ),
    "DROP TABLE IF EXISTS search_statements",
    "DROP TABLE IF EXISTS search_docs",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for sql in UPGRADE:
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for sql in DOWNGRADE:
        op.execute(sql)
