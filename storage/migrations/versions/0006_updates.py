"""Updates: "you said, we did" updates, the replies they get, and pushes in the outbox.

Each push of an update is an outbox row that names its update and language, and says in
our words why it ended as it did (`detail`).

Revision ID: 0006
Revises: 0004
Create Date: 2025-01-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = 32
NAME = 64
SHORT = 16


def upgrade() -> None:
    op.create_table(
        "updates",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("consultation_id", sa.String(NAME), nullable=False),
        sa.Column("digest", sa.String(NAME), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(SHORT), nullable=False),
        sa.Column("send_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_updates"),
        sa.UniqueConstraint(
            "consultation_id", "digest", name="uq_updates_consultation_id_digest"
        ),
    )
    op.create_table(
        "update_feedback",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("update_id", sa.String(ID), nullable=False),
        sa.Column("consultation_id", sa.String(NAME), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["update_id"],
            ["updates.id"],
            name="fk_update_feedback_update_id_updates",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_update_feedback"),
    )
    op.create_index("ix_update_feedback_update_id", "update_feedback", ["update_id"])
    op.create_index("ix_update_feedback_consultation_id", "update_feedback", ["consultation_id"])
    op.add_column("outbox", sa.Column("update_id", sa.String(ID), nullable=True))
    op.add_column("outbox", sa.Column("language", sa.String(SHORT), nullable=True))
    op.add_column("outbox", sa.Column("detail", sa.String(NAME), nullable=True))
    op.create_index("ix_outbox_update_id", "outbox", ["update_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_update_id", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("detail")
        batch.drop_column("language")
        batch.drop_column("update_id")
    op.drop_index("ix_update_feedback_consultation_id", table_name="update_feedback")
    op.drop_index("ix_update_feedback_update_id", table_name="update_feedback")
    op.drop_table("update_feedback")
    op.drop_table("updates")
