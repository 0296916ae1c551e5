"""Review queue: the category column holds every category a message matched.

One flagged message is one review item, with its categories comma-separated
("abuse_home,child_age,violence"); all ten categories need more than 64 characters.

Revision ID: 0004
Revises: 0007
Create Date: 2025-01-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
# 0005 (issue 7) and 0007 (issue 9) came first; 0004 follows them so there is one head.
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = 64
CATEGORIES = 255


def upgrade() -> None:
    with op.batch_alter_table("review_queue") as batch:
        batch.alter_column(
            "category",
            existing_type=sa.String(NAME),
            type_=sa.String(CATEGORIES),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("review_queue") as batch:
        batch.alter_column(
            "category",
            existing_type=sa.String(CATEGORIES),
            type_=sa.String(NAME),
            existing_nullable=False,
        )
