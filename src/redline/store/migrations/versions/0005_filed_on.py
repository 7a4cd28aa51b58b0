"""Speed at scale: stored sort dates, indexes that follow them, a data version, kept polarities.

- `statements.filed_on`: the date a statement is filed under (said, else its doc's published
  date), stored once so lists sort and filter by an index instead of a join and a sort.
  Neither input ever changes (`said_on` is not correctable, a doc is never rewritten).
- Indexes on (filed_on, id), (side, filed_on, id) and (speaker_id, filed_on, id): a page of a
  list, filtered by side or speaker or not at all, is read in order from one of them. They
  replace the single-column ones on side, speaker_id and said_on.
- `contradictions.day`: the later of the pair's two dates, so the newest pairs come first
  from an index (the dates of stored statements never change; pairs are replaced whole).
- `data_version`: one row, bumped by every write of the store, so a cache over everything
  stored is checked with a key lookup rather than counts of the big tables.
- `polarities`: each statement's polarity toward each of its issues as the machine coded it,
  computed by the web app when first needed (see `redline.web.standing`) and kept here.
- The FTS update trigger of 0003 now fires only when a searched column changes, so writing
  `filed_on` (here, for the rows stored before) does not rewrite the search index.

Revision ID: 0005_filed_on
Revises: 0004_targets
Create Date: 2026-05-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_filed_on"
down_revision = "0004_targets"
branch_labels = None
depends_on = None

SEARCHED = "content, speaker, speaker_mention, cue, venue"


def _update_trigger(when: str) -> list[str]:
    values = ", ".join(f"new.{c.strip()}" for c in SEARCHED.split(","))
    return [
        "DROP TRIGGER IF EXISTS search_statements_update",
        f"""CREATE TRIGGER search_statements_update AFTER UPDATE {when}ON statements BEGIN
            DELETE FROM search_statements WHERE statement_id = old.id;
            INSERT INTO search_statements (statement_id, {SEARCHED}) VALUES (new.id, {values});
        END""",
    ]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for sql in _update_trigger(f"OF {SEARCHED} "):
            op.execute(sql)
    op.add_column("statements", sa.Column("filed_on", sa.Date(), nullable=True))
    op.execute(
        "UPDATE statements SET filed_on = COALESCE(said_on, "
        "(SELECT published FROM docs WHERE docs.id = statements.doc_id))"
    )
    op.drop_index("ix_statements_said_on", table_name="statements")
    op.drop_index("ix_statements_side", table_name="statements")
    op.drop_index("ix_statements_speaker_id", table_name="statements")
    op.create_index("ix_statements_filed_on", "statements", ["filed_on", "id"])
    op.create_index("ix_statements_side_filed_on", "statements", ["side", "filed_on", "id"])
    op.create_index(
        "ix_statements_speaker_id_filed_on", "statements", ["speaker_id", "filed_on", "id"]
    )

    op.add_column("contradictions", sa.Column("day", sa.Date(), nullable=True))
    op.execute(
        "UPDATE contradictions SET day = (SELECT CASE WHEN a.filed_on >= b.filed_on "
        "THEN a.filed_on ELSE COALESCE(b.filed_on, a.filed_on) END "
        "FROM statements AS a, statements AS b "
        "WHERE a.id = contradictions.a_id AND b.id = contradictions.b_id)"
    )
    op.create_index("ix_contradictions_day", "contradictions", ["day"])

    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_data_version"),
    )
    op.execute("INSERT INTO data_version (id, version) VALUES (1, 1)")

    op.create_table(
        "polarities",
        sa.Column("statement_id", sa.String(64), nullable=False),
        sa.Column("issue", sa.String(128), nullable=False),
        sa.Column("basis", sa.String(32), nullable=False),
        sa.Column("polarity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name="fk_polarities_statement_id_statements",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("statement_id", "issue", name="pk_polarities"),
    )


def downgrade() -> None:
    op.drop_table("polarities")
    op.drop_table("data_version")
    op.drop_index("ix_contradictions_day", table_name="contradictions")
    op.drop_column("contradictions", "day")
    op.drop_index("ix_statements_speaker_id_filed_on", table_name="statements")
    op.drop_index("ix_statements_side_filed_on", table_name="statements")
    op.drop_index("ix_statements_filed_on", table_name="statements")
    op.create_index("ix_statements_speaker_id", "statements", ["speaker_id"])
    op.create_index("ix_statements_side", "statements", ["side"])
    op.create_index("ix_statements_said_on", "statements", ["said_on"])
    op.drop_column("statements", "filed_on")
    if op.get_bind().dialect.name == "sqlite":
        for sql in _update_trigger(""):
            op.execute(sql)
