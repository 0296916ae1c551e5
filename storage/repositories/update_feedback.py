"""Replies to updates: stored already redacted and screened, linked to nobody."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import new_id
from storage.models_updates import UpdateFeedback
from storage.repositories.update_rows import FeedbackRow

__all__ = ["UpdateFeedbackRepository"]


class UpdateFeedbackRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_feedback(self, update_id: str, consultation_id: str, text: str, day: date) -> None:
        """A reply to an update, already redacted and screened; linked to nobody."""
        self._session.add(
            UpdateFeedback(
                id=new_id(),
                update_id=update_id,
                consultation_id=consultation_id,
                text=text,
                day=day,
            )
        )
        self._session.flush()

    def feedback(
        self, consultation_id: str | None = None, update_id: str | None = None
    ) -> list[FeedbackRow]:
        """Replies, by day then in no meaningful order (ids are random)."""
        statement = select(UpdateFeedback)
        if consultation_id is not None:
            statement = statement.where(UpdateFeedback.consultation_id == consultation_id)
        if update_id is not None:
            statement = statement.where(UpdateFeedback.update_id == update_id)
        statement = statement.order_by(UpdateFeedback.day, UpdateFeedback.id)
        return [
            FeedbackRow(row.id, row.update_id, row.consultation_id, row.text, row.day)
            for row in self._session.scalars(statement)
        ]
