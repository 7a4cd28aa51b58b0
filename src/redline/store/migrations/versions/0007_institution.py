"""The body a speaker speaks for: a side finer than a country.

- `statements.institution`: the body the speaker speaks for on the day, by the registry's
  dated roles (Peskov the Kremlin, Zakharova the Russian Foreign Ministry, Yermak the Office
  of the President of Ukraine); a body speaking is its own. Statements stored before are
  filled here from the bundled registry (an actor from your own registry files is filled when
  its article is ingested into a new database). An index on (institution, filed_on, id)
  serves a page of one body's statements in order, as the side's does.

Revision ID: 0007_institution
Revises: 0006_covering_indexes
Create Date: 2026-11-27
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0007_institution"
down_revision = "0006_covering_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from redline.coding.actors import Registry

    op.add_column("statements", sa.Column("institution", sa.Text(), nullable=True))
    registry = Registry.load()
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, speaker_id, filed_on FROM statements WHERE speaker_id IS NOT NULL")
    ).fetchall()
    update = sa.text("UPDATE statements SET institution = :body WHERE id = :id")
    for stmt_id, speaker_id, day in rows:
        actor = registry.get(speaker_id)
        if isinstance(day, str):  # SQLite hands a date back as text
            day = date.fromisoformat(day)
        body = registry.institution(actor, day) if actor is not None else None
        if body is not None:
            bind.execute(update, {"body": body, "id": stmt_id})
    op.create_index(
        "ix_statements_institution_filed_on", "statements", ["institution", "filed_on", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_statements_institution_filed_on", table_name="statements")
    op.drop_column("statements", "institution")
