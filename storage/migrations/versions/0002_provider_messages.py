"""Provider messages: delivery status of outbound messages and deleting providers' copies.

One row per provider message SID (no number, no text): its last delivery status and when
the provider's own copy is due to be deleted.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = 32
NAME = 64
SHORT = 16


def upgrade() -> None:
    op.create_table(
        "provider_messages",
        sa.Column("provider", sa.String(SHORT), nullable=False),
        sa.Column("sid", sa.String(NAME), nullable=False),
        sa.Column("direction", sa.String(SHORT), nullable=False),
        sa.Column("outbox_id", sa.String(ID), nullable=True),
        sa.Column("status", sa.String(SHORT), nullable=True),
        sa.Column("error_code", sa.Integer(), nullable=True),
        sa.Column("media", sa.Text(), server_default="", nullable=False),
        sa.Column("erase_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("erase_attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("erased", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("provider", "sid", name="pk_provider_messages"),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["outbox.id"],
            name="fk_provider_messages_outbox_id_outbox",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_provider_messages_outbox_id", "provider_messages", ["outbox_id"])
    op.create_index("ix_provider_messages_erase_at", "provider_messages", ["erase_at"])


def downgrade() -> None:
    op.drop_index("ix_provider_messages_erase_at", table_name="provider_messages")
    op.drop_index("ix_provider_messages_outbox_id", table_name="provider_messages")
    op.drop_table("provider_messages")
