"""Corrections: an analyst's fixes to statements, kept apart from the machine's output.

Revision ID: 0002_corrections
Revises: 0001_initial
Create Date: 2026-05-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_corrections"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No foreign key to statements: a correction must outlive its statement being deleted and
    # stored again (ids are stable hashes of doc id and offsets).
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("statement_id", sa.String(64), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_corrections"),
    )
    op.create_index("ix_corrections_statement_id", "corrections", ["statement_id"])


def downgrade() -> None:
    op.drop_table("corrections")
