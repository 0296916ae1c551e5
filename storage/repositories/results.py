"""Rows for results: responses and answers (pending and released alike) of a consultation."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from conversations.facts import ResponseStatus
from conversations.messages import Channel
from conversations.results import AnswerRow, DayRow, ResponseRow
from conversations.state import AnswerValue
from storage.models import Answer, AnswerColumns, PendingAnswer, Response
from storage.serialization import decode_value

__all__ = ["ResultsRepository"]


class ResultsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def responses(self, consultation_id: str, round_id: str | None = None) -> list[ResponseRow]:
        """Every response to the consultation (one round's, when given)."""
        statement = select(Response).where(Response.consultation_id == consultation_id)
        if round_id is not None:
            statement = statement.where(Response.round_id == round_id)
        statement = statement.order_by(Response.respondent_key)
        return [
            ResponseRow(
                respondent_key=row.respondent_key,
                round_id=row.round_id,
                channel=Channel(row.channel),
                status=ResponseStatus(row.status),
            )
            for row in self._session.scalars(statement)
        ]

    def days(self, consultation_id: str) -> tuple[list[ResponseRow], list[DayRow]]:
        """Every response to the consultation, and how many started each day per round
        (the day is all a response keeps of when it was), from one read so they agree."""
        statement = select(Response).where(Response.consultation_id == consultation_id)
        responses, days = [], Counter[tuple[str, date]]()
        for row in self._session.scalars(statement.order_by(Response.respondent_key)):
            responses.append(
                ResponseRow(
                    respondent_key=row.respondent_key,
                    round_id=row.round_id,
                    channel=Channel(row.channel),
                    status=ResponseStatus(row.status),
                )
            )
            days[(row.round_id, row.day)] += 1
        return responses, [DayRow(r, day, n) for (r, day), n in sorted(days.items())]

    def answers_of(self, respondent_key: str) -> list[tuple[str, AnswerValue]]:
        """One response's answers, pending and released, as (question id, value); None is a
        skip. For a subject access request, while the response can still be found."""
        rows: list[AnswerColumns] = [
            *self._session.scalars(
                select(PendingAnswer).where(PendingAnswer.respondent_key == respondent_key)
            ),
            *self._session.scalars(select(Answer).where(Answer.respondent_key == respondent_key)),
        ]
        return [(row.question_id, None if row.skipped else decode_value(row.value)) for row in rows]

    def versions_in_round(self, round_id: str) -> set[str]:
        """The consultation versions the round's responses were answered on."""
        statement = select(Response.version).where(Response.round_id == round_id).distinct()
        return set(self._session.scalars(statement))

    def answers(self, consultation_id: str, round_id: str | None = None) -> list[AnswerRow]:
        """Every answer and skip, pending and released together, sorted by respondent key and
        question (so neither write order nor release batches show); pending rows are marked
        `released=False`, so their free text is counted but not listed."""
        pending = select(PendingAnswer).where(PendingAnswer.consultation_id == consultation_id)
        released = select(Answer).where(Answer.consultation_id == consultation_id)
        if round_id is not None:
            pending = pending.where(PendingAnswer.round_id == round_id)
            released = released.where(Answer.round_id == round_id)
        rows = [
            *(_answer_row(row, released=False) for row in self._session.scalars(pending)),
            *(_answer_row(row, released=True) for row in self._session.scalars(released)),
        ]
        rows.sort(key=lambda row: (row.respondent_key, row.question_id))
        return rows


def _answer_row(row: AnswerColumns, *, released: bool) -> AnswerRow:
    return AnswerRow(
        respondent_key=row.respondent_key,
        round_id=row.round_id,
        version=row.version,
        question_id=row.question_id,
        value=decode_value(row.value),
        skipped=row.skipped,
        released=released,
    )
