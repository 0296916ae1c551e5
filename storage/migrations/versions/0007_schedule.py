"""Scheduling: rounds' reminder delay, invite flag and results date; reminders sent,
invitations due, and when each scheduled job last ran.

Revision ID: 0007
Revises: 0005
Create Date: 2025-01-07
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = 32
NAME = 64
SHORT = 16


def _when(name: str, nullable: bool = True) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column("rounds", sa.Column("reminder_seconds", sa.Integer(), nullable=True))
    op.add_column(
        "rounds", sa.Column("invite", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column("rounds", _when("results_at"))

    op.create_table(
        "reminders",
        sa.Column("conversation_id", sa.String(ID), nullable=False),
        sa.Column("round_id", sa.String(SHORT), nullable=False),
        _when("queued_at", nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", name="pk_reminders"),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_reminders_conversation_id_conversations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_reminders_round_id_rounds"
        ),
    )
    op.create_index("ix_reminders_round_id", "reminders", ["round_id"])

    op.create_table(
        "invitations",
        sa.Column("round_id", sa.String(SHORT), nullable=False),
        sa.Column("status", sa.String(SHORT), nullable=False),
        _when("queued_at"),
        sa.Column("recipients", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("round_id", name="pk_invitations"),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_invitations_round_id_rounds"
        ),
    )

    op.create_table(
        "job_runs",
        sa.Column("name", sa.String(NAME), nullable=False),
        _when("last_started_at"),
        _when("last_ok_at"),
        sa.Column("last_error", sa.String(NAME), nullable=True),
        sa.PrimaryKeyConstraint("name", name="pk_job_runs"),
    )


def downgrade() -> None:
    op.drop_table("job_runs")
    op.drop_table("invitations")
    op.drop_index("ix_reminders_round_id", table_name="reminders")
    op.drop_table("reminders")
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("results_at")
        batch.drop_column("invite")
        batch.drop_column("reminder_seconds")
