"""The console's optional second factor: an officer's encrypted TOTP secret, when it was
turned on and the last code's time-step; a session's stage (half-signed-in until the
code, or until a second factor is set up).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHORT = 16


def upgrade() -> None:
    with op.batch_alter_table("officers") as batch:
        batch.add_column(sa.Column("totp_secret_enc", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("totp_enabled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
    with op.batch_alter_table("console_sessions") as batch:
        batch.add_column(
            sa.Column("stage", sa.String(SHORT), server_default="full", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("console_sessions") as batch:
        batch.drop_column("stage")
    with op.batch_alter_table("officers") as batch:
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_enabled_at")
        batch.drop_column("totp_secret_enc")
