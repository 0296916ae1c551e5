"""Telegram: each chat's recent message ids (encrypted) and blocks; updates that failed.

No Telegram user id or chat id is stored: chats are keyed by participant pseudonym, their
message log is AES-GCM encrypted, and updates are keyed by a keyed hash of their id.

Revision ID: 0003
Revises: 0002
Create Date: 2025-01-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PSEUDONYM = 64


def upgrade() -> None:
    op.create_table(
        "telegram_chats",
        sa.Column("pseudonym", sa.String(PSEUDONYM), nullable=False),
        sa.Column("log_enc", sa.LargeBinary(), nullable=True),
        sa.Column("blocked", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["pseudonym"],
            ["participants.pseudonym"],
            name="fk_telegram_chats_pseudonym_participants",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pseudonym", name="pk_telegram_chats"),
    )
    op.create_index("ix_telegram_chats_updated_at", "telegram_chats", ["updated_at"])
    op.create_table(
        "telegram_updates",
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("outbox_ids", sa.Text(), server_default="", nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("gave_up", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest", name="pk_telegram_updates"),
    )
    op.create_index("ix_telegram_updates_created_at", "telegram_updates", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_telegram_updates_created_at", table_name="telegram_updates")
    op.drop_table("telegram_updates")
    op.drop_index("ix_telegram_chats_updated_at", table_name="telegram_chats")
    op.drop_table("telegram_chats")
