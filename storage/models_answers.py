"""The answers' side: responses, pending and released answers, review items, linked to nobody.

They carry a respondent key (an HMAC of a random token), a round and a day; no column or
foreign key leads from them to a participant or a conversation, and none holds an exact time.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models_base import ID, NAME, PSEUDONYM, SHORT, Base

__all__ = ["Answer", "AnswerColumns", "PendingAnswer", "Response", "ReviewItem"]


class Response(Base):
    """One run through one round. Keyed by Keys.respondent_key(token); no exact time."""

    __tablename__ = "responses"
    __table_args__ = (Index(None, "consultation_id", "round_id"),)

    respondent_key: Mapped[str] = mapped_column(String(PSEUDONYM), primary_key=True)
    round_id: Mapped[str] = mapped_column(String(SHORT), ForeignKey("rounds.id"))
    consultation_id: Mapped[str] = mapped_column(String(NAME))
    version: Mapped[str] = mapped_column(String(NAME))
    channel: Mapped[str] = mapped_column(String(SHORT))
    status: Mapped[str] = mapped_column(String(SHORT))  # started/finished/partial
    day: Mapped[date] = mapped_column(Date)


class AnswerColumns:
    """Shared by pending_answers and answers: a random id, the respondent key, round, day."""

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    respondent_key: Mapped[str] = mapped_column(
        String(PSEUDONYM), ForeignKey("responses.respondent_key", ondelete="CASCADE")
    )
    round_id: Mapped[str] = mapped_column(String(SHORT), ForeignKey("rounds.id"))
    consultation_id: Mapped[str] = mapped_column(String(NAME), index=True)
    version: Mapped[str] = mapped_column(String(NAME))
    question_id: Mapped[str] = mapped_column(String(NAME))
    value: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    skipped: Mapped[bool] = mapped_column(Boolean)
    day: Mapped[date] = mapped_column(Date)


class PendingAnswer(AnswerColumns, Base):
    """Answers of responses under way; released into `answers` in mixed, shuffled batches."""

    __tablename__ = "pending_answers"
    __table_args__ = (UniqueConstraint("respondent_key", "question_id"),)


class Answer(AnswerColumns, Base):
    """Released answers."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("respondent_key", "question_id"),)


class ReviewItem(Base):
    """A safeguarding match for officers to review. Redacted text, linked to nobody."""

    __tablename__ = "review_queue"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    # Every category the message matched, comma-separated: all ten fit in 255.
    category: Mapped[str] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)
    consultation_id: Mapped[str | None] = mapped_column(String(NAME))
    round_id: Mapped[str | None] = mapped_column(String(SHORT), ForeignKey("rounds.id"))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(SHORT), default="open", server_default="open")
    note: Mapped[str | None] = mapped_column(Text)
    # The response it came up in, so DELETE can erase it; set to NULL when the window ends.
    respondent_key: Mapped[str | None] = mapped_column(String(PSEUDONYM), index=True)
    # Which rules fired (word list file:line, classifier score): labels only, never text.
    reason: Mapped[str | None] = mapped_column(String(255))
