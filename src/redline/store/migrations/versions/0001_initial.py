"""Initial schema: docs, bands and signatures, statements and their issues, contradictions.

Revision ID: 0001_initial
Revises:
Create Date: 2026-05-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "docs",
        sa.Column("id", ID, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("title", sa.Text()),
        sa.Column("outlet", sa.Text()),
        sa.Column("author", sa.Text()),
        sa.Column("published", sa.Date()),
        sa.Column("url", sa.Text()),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("boilerplate", sa.JSON(), nullable=False),
        sa.Column("notices", sa.JSON(), nullable=False),
        sa.Column("story", ID, nullable=False),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.PrimaryKeyConstraint("id", name="pk_docs"),
    )
    op.create_index("ix_docs_story", "docs", ["story"])

    op.create_table(
        "doc_bands",
        sa.Column("doc_id", ID, nullable=False),
        sa.Column("band", sa.String(128), nullable=False),
        sa.ForeignKeyConstraint(
            ["doc_id"], ["docs.id"], name="fk_doc_bands_doc_id_docs", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("doc_id", "band", name="pk_doc_bands"),
    )
    op.create_index("ix_doc_bands_band", "doc_bands", ["band"])

    op.create_table(
        "doc_signatures",
        sa.Column("doc_id", ID, nullable=False),
        sa.Column("signature", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["doc_id"], ["docs.id"], name="fk_doc_signatures_doc_id_docs", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("doc_id", name="pk_doc_signatures"),
    )

    op.create_table(
        "statements",
        sa.Column("id", ID, nullable=False),
        sa.Column("doc_id", ID, nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.Column("speaker_mention", sa.Text(), nullable=False),
        sa.Column("cue", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("quote", sa.String(16), nullable=False),
        sa.Column("offsets", sa.JSON(), nullable=False),
        sa.Column("speaker_name", sa.Text()),
        sa.Column("cue_lemma", sa.Text(), nullable=False),
        sa.Column("said_on", sa.Date()),
        sa.Column("venue", sa.Text()),
        sa.Column("reported_by", sa.Text()),
        sa.Column("speaker", sa.Text()),
        sa.Column("speaker_id", sa.String(128)),
        sa.Column("side", sa.String(64), nullable=False),
        sa.Column("role", sa.Text()),
        sa.Column("issues", sa.JSON(), nullable=False),
        sa.Column("stance", sa.String(32)),
        sa.Column("negated", sa.Boolean(), nullable=False),
        sa.Column("conditional", sa.Boolean(), nullable=False),
        sa.Column("polarity", sa.Integer(), nullable=False),
        sa.Column("plover", sa.JSON(none_as_null=True)),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["doc_id"], ["docs.id"], name="fk_statements_doc_id_docs", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_statements"),
    )
    op.create_index("ix_statements_doc_id", "statements", ["doc_id"])
    op.create_index("ix_statements_said_on", "statements", ["said_on"])
    op.create_index("ix_statements_speaker_id", "statements", ["speaker_id"])
    op.create_index("ix_statements_side", "statements", ["side"])

    op.create_table(
        "statement_issues",
        sa.Column("statement_id", ID, nullable=False),
        sa.Column("issue", sa.String(128), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name="fk_statement_issues_statement_id_statements",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("statement_id", "issue", name="pk_statement_issues"),
    )
    op.create_index("ix_statement_issues_issue", "statement_issues", ["issue"])

    op.create_table(
        "contradictions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("a_id", ID, nullable=False),
        sa.Column("b_id", ID, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.ForeignKeyConstraint(
            ["a_id"],
            ["statements.id"],
            name="fk_contradictions_a_id_statements",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["b_id"],
            ["statements.id"],
            name="fk_contradictions_b_id_statements",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_contradictions"),
        sa.UniqueConstraint("a_id", "b_id", name="uq_contradictions_a_id_b_id"),
    )
    op.create_index("ix_contradictions_b_id", "contradictions", ["b_id"])
    op.create_index("ix_contradictions_kind", "contradictions", ["kind"])


def downgrade() -> None:
    op.drop_table("contradictions")
    op.drop_table("statement_issues")
    op.drop_table("statements")
    op.drop_table("doc_signatures")
    op.drop_table("doc_bands")
    op.drop_table("docs")
