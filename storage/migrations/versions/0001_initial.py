"""The first schema: the design's anonymity model.

Participants by pseudonym with encrypted state and address; answers on respondent keys with
random ids and the day only, never joined to a participant or a conversation.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PSEUDONYM = 64
ID = 32
NAME = 64
SHORT = 16


def _when(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _answer_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("respondent_key", sa.String(PSEUDONYM), nullable=False),
        sa.Column("round_id", sa.String(SHORT), nullable=False),
        sa.Column("consultation_id", sa.String(NAME), nullable=False),
        sa.Column("version", sa.String(NAME), nullable=False),
        sa.Column("question_id", sa.String(NAME), nullable=False),
        sa.Column("value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        sa.ForeignKeyConstraint(
            ["respondent_key"],
            ["responses.respondent_key"],
            name=f"fk_{name}_respondent_key_responses",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name=f"fk_{name}_round_id_rounds"),
        sa.UniqueConstraint(
            "respondent_key", "question_id", name=f"uq_{name}_respondent_key_question_id"
        ),
    )
    op.create_index(f"ix_{name}_consultation_id", name, ["consultation_id"])


def upgrade() -> None:
    meta = op.create_table(
        "meta",
        sa.Column("key", sa.String(NAME), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_meta"),
    )
    op.bulk_insert(meta, [{"key": "encryption_key_id", "value": "1"}])

    op.create_table(
        "participants",
        sa.Column("pseudonym", sa.String(PSEUDONYM), nullable=False),
        sa.Column("state_enc", sa.LargeBinary(), nullable=True),
        sa.Column("address_enc", sa.LargeBinary(), nullable=True),
        sa.Column("channel", sa.String(SHORT), nullable=True),
        sa.Column("language", sa.String(SHORT), nullable=True),
        sa.Column("opted_out", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("needs_address", sa.Boolean(), server_default=sa.false(), nullable=False),
        _when("updated_at", nullable=True),
        sa.PrimaryKeyConstraint("pseudonym", name="pk_participants"),
    )

    op.create_table(
        "consultations",
        sa.Column("id", sa.String(NAME), nullable=False),
        sa.Column("version", sa.String(NAME), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("keyword", sa.String(NAME), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        _when("loaded_at", nullable=True),
        sa.PrimaryKeyConstraint("id", "version", name="pk_consultations"),
        sa.UniqueConstraint("id", "seq", name="uq_consultations_id_seq"),
    )

    op.create_table(
        "rounds",
        sa.Column("id", sa.String(SHORT), nullable=False),
        sa.Column("consultation_id", sa.String(NAME), nullable=False),
        sa.Column("keyword", sa.String(NAME), nullable=True),
        _when("opens_at"),
        _when("closes_at", nullable=True),
        sa.Column("status", sa.String(SHORT), nullable=False),
        sa.Column("channels", sa.Text(), nullable=True),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_rounds"),
    )
    op.create_index("ix_rounds_consultation_id", "rounds", ["consultation_id"])

    op.create_table(
        "conversations",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("pseudonym", sa.String(PSEUDONYM), nullable=False),
        sa.Column("state_enc", sa.LargeBinary(), nullable=False),
        sa.Column("consultation_id", sa.String(NAME), nullable=False),
        sa.Column("version", sa.String(NAME), nullable=False),
        sa.Column("round_id", sa.String(SHORT), nullable=True),
        sa.Column("phase", sa.String(SHORT), nullable=False),
        _when("last_active"),
        _when("expires_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_conversations"),
        sa.ForeignKeyConstraint(
            ["pseudonym"],
            ["participants.pseudonym"],
            name="fk_conversations_pseudonym_participants",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_conversations_round_id_rounds"),
        sa.UniqueConstraint("pseudonym", name="uq_conversations_pseudonym"),
    )
    op.create_index("ix_conversations_expires_at", "conversations", ["expires_at"])

    op.create_table(
        "responses",
        sa.Column("respondent_key", sa.String(PSEUDONYM), nullable=False),
        sa.Column("round_id", sa.String(SHORT), nullable=False),
        sa.Column("consultation_id", sa.String(NAME), nullable=False),
        sa.Column("version", sa.String(NAME), nullable=False),
        sa.Column("channel", sa.String(SHORT), nullable=False),
        sa.Column("status", sa.String(SHORT), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("respondent_key", name="pk_responses"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_responses_round_id_rounds"),
    )
    op.create_index(
        "ix_responses_consultation_id_round_id", "responses", ["consultation_id", "round_id"]
    )

    _answer_table("pending_answers")
    _answer_table("answers")

    op.create_table(
        "subscriptions",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("pseudonym", sa.String(PSEUDONYM), nullable=False),
        sa.Column("consultation_id", sa.String(NAME), nullable=False),
        sa.Column("round_id", sa.String(SHORT), nullable=True),
        sa.Column("scope", sa.String(SHORT), nullable=False),
        sa.Column("language", sa.String(SHORT), nullable=False),
        sa.Column("channel", sa.String(SHORT), nullable=False),
        sa.Column("created_day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
        sa.ForeignKeyConstraint(
            ["pseudonym"],
            ["participants.pseudonym"],
            name="fk_subscriptions_pseudonym_participants",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_subscriptions_round_id_rounds"),
        sa.UniqueConstraint(
            "pseudonym", "consultation_id", "scope", name="uq_subscriptions_pseudonym_consultation_id_scope"
        ),
    )
    op.create_index("ix_subscriptions_consultation_id", "subscriptions", ["consultation_id"])

    op.create_table(
        "inbound_messages",
        sa.Column("digest", sa.String(PSEUDONYM), nullable=False),
        sa.Column("reply_enc", sa.LargeBinary(), nullable=False),
        _when("created_at"),
        sa.PrimaryKeyConstraint("digest", name="pk_inbound_messages"),
    )
    op.create_index("ix_inbound_messages_created_at", "inbound_messages", ["created_at"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("pseudonym", sa.String(PSEUDONYM), nullable=False),
        sa.Column("channel", sa.String(SHORT), nullable=False),
        sa.Column("kind", sa.String(SHORT), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("payload_enc", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(SHORT), nullable=False),
        sa.Column("dedupe_key", sa.String(128), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        _when("next_attempt_at", nullable=True),
        _when("created_at"),
        _when("sent_at", nullable=True),
        sa.Column("provider_ref", sa.String(NAME), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.ForeignKeyConstraint(
            ["pseudonym"],
            ["participants.pseudonym"],
            name="fk_outbox_pseudonym_participants",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("dedupe_key", name="uq_outbox_dedupe_key"),
    )
    op.create_index("ix_outbox_pseudonym", "outbox", ["pseudonym"])
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])

    op.create_table(
        "review_queue",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("category", sa.String(NAME), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("consultation_id", sa.String(NAME), nullable=True),
        sa.Column("round_id", sa.String(SHORT), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(SHORT), server_default="open", nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_review_queue"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_review_queue_round_id_rounds"),
    )


def downgrade() -> None:
    for table in (
        "review_queue",
        "outbox",
        "inbound_messages",
        "subscriptions",
        "answers",
        "pending_answers",
        "responses",
        "conversations",
        "rounds",
        "consultations",
        "participants",
        "meta",
    ):
        op.drop_table(table)
