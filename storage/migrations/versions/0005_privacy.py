"""Privacy: review items know their response (so DELETE can erase them) until the window
ends; rounds remember that their answers were unlinked for good.

Revision ID: 0005
Revises: 0003
Create Date: 2025-01-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PSEUDONYM = 64


def upgrade() -> None:
    op.add_column("review_queue", sa.Column("respondent_key", sa.String(PSEUDONYM), nullable=True))
    op.create_index("ix_review_queue_respondent_key", "review_queue", ["respondent_key"])
    op.add_column(
        "rounds",
        sa.Column("unlinked", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("unlinked")
    op.drop_index("ix_review_queue_respondent_key", table_name="review_queue")
    with op.batch_alter_table("review_queue") as batch:
        batch.drop_column("respondent_key")
