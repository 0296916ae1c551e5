"""When a round closed early, and when an update started going out.

`rounds.closed_at`: set when an officer closes a round before its scheduled close (which
stays as it was: the withdrawal window promised counts from it). `updates.started_at`:
when the update began going out; until then, everyone who asks to hear back joins it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("rounds", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("updates", sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
    # Updates sent before this migration had their recipients fixed when they were sent.
    op.execute("UPDATE updates SET started_at = send_after")


def downgrade() -> None:
    op.drop_column("updates", "started_at")
    op.drop_column("rounds", "closed_at")
