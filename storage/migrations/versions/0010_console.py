"""The officers' console: accounts, sessions, sign-in attempts; who did each audited act.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = 32
NAME = 64
SHORT = 16
EMAIL = 254
DIGEST = 64
HASH = 128


def upgrade() -> None:
    op.create_table(
        "officers",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("email", sa.String(EMAIL), nullable=False),
        sa.Column("role", sa.String(SHORT), nullable=False),
        sa.Column("password_hash", sa.String(HASH), nullable=True),
        sa.Column("setup_digest", sa.String(DIGEST), nullable=True),
        sa.Column("setup_expires", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_officers"),
        sa.UniqueConstraint("email", name="uq_officers_email"),
        sa.UniqueConstraint("setup_digest", name="uq_officers_setup_digest"),
    )
    op.create_table(
        "console_sessions",
        sa.Column("digest", sa.String(DIGEST), nullable=False),
        sa.Column("officer_id", sa.String(ID), nullable=False),
        sa.Column("csrf", sa.String(DIGEST), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name="fk_console_sessions_officer_id_officers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("digest", name="pk_console_sessions"),
    )
    op.create_index("ix_console_sessions_officer_id", "console_sessions", ["officer_id"])
    op.create_index("ix_console_sessions_last_seen", "console_sessions", ["last_seen"])
    op.create_table(
        "signin_attempts",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("kind", sa.String(SHORT), nullable=False),
        sa.Column("key", sa.String(NAME), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_signin_attempts"),
    )
    op.create_index("ix_signin_attempts_key_at", "signin_attempts", ["key", "at"])
    op.create_index("ix_signin_attempts_at", "signin_attempts", ["at"])
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(
            sa.Column("actor", sa.String(EMAIL), server_default="system", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("actor")
    op.drop_index("ix_signin_attempts_at", table_name="signin_attempts")
    op.drop_index("ix_signin_attempts_key_at", table_name="signin_attempts")
    op.drop_table("signin_attempts")
    op.drop_index("ix_console_sessions_last_seen", table_name="console_sessions")
    op.drop_index("ix_console_sessions_officer_id", table_name="console_sessions")
    op.drop_table("console_sessions")
    op.drop_table("officers")
