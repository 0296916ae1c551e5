"""Why a review item was flagged: the safety screen's rule labels.

`review_queue.reason`: the rules that fired, as labels with no text of the message in them
("list:en.yaml:12;score:0.87": a word list's file and line, the classifier's score). NULL
for items flagged before this migration: their reason was not kept.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("review_queue", sa.Column("reason", sa.String(255), nullable=True))


def downgrade() -> None:
    op.drop_column("review_queue", "reason")
