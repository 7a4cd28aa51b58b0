"""Statement targets as rows, and an index for the newest-first article list.

`statement_targets` holds each statement's targets (the `targets` JSON column, which stays the
record) one per row, so the web app's place pages find "statements about Donetsk" by an index
rather than a scan of every statement's JSON. Rows stored before this revision are copied in.

Revision ID: 0004_targets
Revises: 0003_search
Create Date: 2026-05-11
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_targets"
down_revision = "0003_search"
branch_labels = None
depends_on = None

_statements = sa.table("statements", sa.column("id", sa.String(64)), sa.column("targets", sa.JSON))


def upgrade() -> None:
    op.create_table(
        "statement_targets",
        sa.Column("statement_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("target_id", sa.String(128), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name="fk_statement_targets_statement_id_statements",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("statement_id", "kind", "target_id", name="pk_statement_targets"),
    )
    op.create_index("ix_statement_targets_target_id", "statement_targets", ["target_id", "kind"])
    op.create_index("ix_docs_published", "docs", ["published"])

    bind = op.get_bind()
    table = sa.table(
        "statement_targets",
        sa.column("statement_id", sa.String(64)),
        sa.column("kind", sa.String(32)),
        sa.column("target_id", sa.String(128)),
    )
    batch: list[dict[str, str]] = []
    for stmt_id, targets in bind.execute(sa.select(_statements.c.id, _statements.c.targets)):
        seen: set[tuple[str, str]] = set()
        for t in targets or ():
            key = (str(t.get("kind", "")), str(t.get("id", "")))
            if key[1] and key not in seen:
                seen.add(key)
                batch.append({"statement_id": stmt_id, "kind": key[0], "target_id": key[1]})
        if len(batch) >= 5000:
            bind.execute(sa.insert(table), batch)
            batch = []
    if batch:
        bind.execute(sa.insert(table), batch)


def downgrade() -> None:
    op.drop_index("ix_docs_published", table_name="docs")
    op.drop_table("statement_targets")
