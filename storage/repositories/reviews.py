"""The anonymous safeguarding review queue: redacted text, linked to no participant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import ReviewItem, new_id

__all__ = ["ReviewRepository", "ReviewRow"]

OPEN = "open"
DONE = "done"


@dataclass(frozen=True)
class ReviewRow:
    id: str
    category: str
    text: str
    consultation_id: str | None
    round_id: str | None
    day: date
    status: str
    note: str | None
    reason: str | None = None  # the screen's rule labels; None: flagged before they were kept


class ReviewRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        category: str,
        text: str,
        consultation_id: str | None,
        round_id: str | None,
        day: date,
        respondent_key: str | None = None,
        reason: str | None = None,
    ) -> str:
        """Queue already-redacted flagged text for review; returns its id. The respondent
        key lets DELETE erase it within the withdrawal window; `reason` names the rules that
        fired (labels, no text)."""
        item_id = new_id()
        self._session.add(
            ReviewItem(
                id=item_id,
                category=category,
                text=text,
                consultation_id=consultation_id,
                round_id=round_id,
                day=day,
                status=OPEN,
                respondent_key=respondent_key,
                reason=reason,
            )
        )
        return item_id

    def open_items(self) -> list[ReviewRow]:
        """Items still to review, oldest day first."""
        statement = (
            select(ReviewItem)
            .where(ReviewItem.status == OPEN)
            .order_by(ReviewItem.day, ReviewItem.id)
        )
        return [_row(item) for item in self._session.scalars(statement)]

    def texts_of(self, respondent_key: str) -> list[str]:
        """The (redacted) texts one response put in the queue, for a subject access request."""
        statement = select(ReviewItem.text).where(ReviewItem.respondent_key == respondent_key)
        return list(self._session.scalars(statement))

    def purge(self, flagged_before: date) -> int:
        """Delete reviewed items flagged before that day; open ones wait for a reviewer."""
        statement = delete(ReviewItem).where(
            ReviewItem.status == DONE, ReviewItem.day < flagged_before
        )
        result = self._session.execute(statement)
        return int(getattr(result, "rowcount", 0) or 0)

    def done(self, item_id: str, note: str | None = None) -> bool:
        """Mark an item reviewed; False if there is no such item."""
        item = self._session.get(ReviewItem, item_id)
        if item is None:
            return False
        item.status = DONE
        item.note = note
        return True


def _row(item: ReviewItem) -> ReviewRow:
    return ReviewRow(
        id=item.id,
        category=item.category,
        text=item.text,
        consultation_id=item.consultation_id,
        round_id=item.round_id,
        day=item.day,
        status=item.status,
        note=item.note,
        reason=item.reason,
    )
