"""Apply the engine's facts to the database, in the caller's transaction.

Answers go to pending_answers keyed by the respondent key (an HMAC of the token, never the
token), with the day only. Nothing written here names the participant next to an answer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, delete
from sqlalchemy.orm import Session

from conversations.facts import (
    AnswerRecorded,
    EraseRequested,
    Fact,
    FeedbackGiven,
    Flagged,
    OptedIn,
    OptedOut,
    ResponseEnded,
    ResponseStarted,
    ResponseStatus,
    Subscribed,
    Unsubscribed,
)
from conversations.messages import Channel
from storage.crypto import Keys
from storage.models import Answer, PendingAnswer, Response, ReviewItem, Subscription, new_id
from storage.repositories.conversations import ConversationsRepository
from storage.repositories.participants import ParticipantsRepository, ensure_row
from storage.repositories.reviews import ReviewRepository
from storage.repositories.updates import UpdatesRepository
from storage.serialization import encode_value
from storage.upsert import insert_ignore, upsert

__all__ = ["PREVIEW_FACTS", "Recorder", "utc_day"]

PREVIEW_FACTS = (
    ResponseStarted,
    AnswerRecorded,
    ResponseEnded,
    Subscribed,
    Unsubscribed,
    Flagged,
    FeedbackGiven,
)
"""Facts a preview (`yousaid chat` without --live) leaves out: nothing reaches results,
subscriptions, feedback or the review queue."""


class Recorder:
    """Writes facts; used only by storage.decisions.DecisionWriter, the one writer."""

    def __init__(
        self,
        session: Session,
        keys: Keys,
        participants: ParticipantsRepository,
        conversations: ConversationsRepository,
        reviews: ReviewRepository,
        updates: UpdatesRepository,
    ) -> None:
        self._session = session
        self._keys = keys
        self._participants = participants
        self._conversations = conversations
        self._reviews = reviews
        self._updates = updates

    def apply(self, fact: Fact, channel: Channel, pseudonym: str, day: date) -> None:
        """Write one fact; the day (UTC) is the only time an answer row carries."""
        match fact:
            case ResponseStarted():
                self._start(fact, fact.channel, day)
            case AnswerRecorded():
                self._answer(fact, channel, day)
            case ResponseEnded():
                row = self._session.get(Response, self._keys.respondent_key(fact.respondent_token))
                if row is not None:
                    row.status = fact.status.value
            case Subscribed():
                self._subscribe(fact, pseudonym, day)
            case Unsubscribed():
                self._session.execute(
                    delete(Subscription).where(
                        Subscription.pseudonym == pseudonym,
                        Subscription.consultation_id == fact.consultation_id,
                        Subscription.scope == fact.scope.value,
                    )
                )
                self._participants.refresh_needs_address(pseudonym)
            case OptedOut():
                # STOP ends every update and invitation asked for before it: after a later
                # START the person opts in again if they want them.
                self._participants.set_opted_out(pseudonym, True)
                self._session.execute(
                    delete(Subscription).where(Subscription.pseudonym == pseudonym)
                )
                self._participants.refresh_needs_address(pseudonym)
            case OptedIn():
                self._participants.set_opted_out(pseudonym, False)
            case EraseRequested():
                self._erase(fact, pseudonym)
            case FeedbackGiven():
                self._updates.add_feedback(fact.update_id, fact.consultation_id, fact.text, day)
            case Flagged():
                token = fact.respondent_token or self._token_in_hand(pseudonym, fact.round_id)
                key = self._keys.respondent_key(token) if token else None
                self._reviews.add(
                    fact.category,
                    fact.text,
                    fact.consultation_id,
                    fact.round_id,
                    day,
                    key,
                    reason=fact.reason,
                )

    def _start(self, fact: ResponseStarted | AnswerRecorded, channel: Channel, day: date) -> str:
        key = self._keys.respondent_key(fact.respondent_token)
        insert_ignore(
            self._session,
            Response,
            {
                "respondent_key": key,
                "round_id": fact.round_id,
                "consultation_id": fact.consultation_id,
                "version": fact.version,
                "channel": channel.value,
                "status": ResponseStatus.STARTED.value,
                "day": day,
            },
        )
        return key

    def _answer(self, fact: AnswerRecorded, channel: Channel, day: date) -> None:
        key = self._start(fact, channel, day)  # a response row exists before its answers
        # A later answer replaces the earlier one, wherever it sits now. Core on the
        # connection, built once: every answer runs it, and no ORM object holds answers.
        self._session.connection().execute(
            _DELETE_RELEASED, {"key": key, "question_id": fact.question_id}
        )
        upsert(
            self._session,
            PendingAnswer,
            {
                "id": new_id(),  # kept by a row that is there already
                "respondent_key": key,
                "question_id": fact.question_id,
                "round_id": fact.round_id,
                "consultation_id": fact.consultation_id,
                "version": fact.version,
                "value": None if fact.skipped else encode_value(fact.value),
                "skipped": fact.skipped,
                "day": day,
            },
            key=("respondent_key", "question_id"),
        )

    def _subscribe(self, fact: Subscribed, pseudonym: str, day: date) -> None:
        ensure_row(self._session, pseudonym)
        # Asking again keeps the first day asked; the round, language and channel move on.
        upsert(
            self._session,
            Subscription,
            {
                "id": new_id(),  # kept by a row that is there already
                "pseudonym": pseudonym,
                "consultation_id": fact.consultation_id,
                "scope": fact.scope.value,
                "round_id": fact.round_id or None,
                "language": fact.language,
                "channel": fact.channel.value,
                "created_day": day,
            },
            key=("pseudonym", "consultation_id", "scope"),
            keep=("created_day",),
        )
        self._participants.need_address(pseudonym)

    def _erase(self, fact: EraseRequested, pseudonym: str) -> None:
        self._participants.clear_address(pseudonym)
        self._session.execute(delete(Subscription).where(Subscription.pseudonym == pseudonym))
        self._conversations.delete(pseudonym)
        keys = [self._keys.respondent_key(token) for token in fact.respondent_tokens]
        if keys:
            # Explicit deletes rather than trusting the cascade alone: erased must mean erased.
            for model in (PendingAnswer, Answer, ReviewItem):
                self._session.execute(delete(model).where(model.respondent_key.in_(keys)))
            self._session.execute(delete(Response).where(Response.respondent_key.in_(keys)))
        self._session.expire_all()

    def _token_in_hand(self, pseudonym: str, round_id: str | None) -> str | None:
        """The token of the stored conversation in `round_id`, for a Flagged fact that came
        without one: flagged text is then erasable by DELETE like that response's answers."""
        conversation = self._conversations.current(pseudonym) if round_id else None
        if conversation is None or conversation.round_id != round_id:
            return None
        return conversation.respondent_token


def utc_day(now: datetime) -> date:
    """The UTC day of an aware `now`."""
    if now.tzinfo is None:
        raise ValueError("storage takes timezone-aware datetimes only")
    return now.astimezone(UTC).date()


_DELETE_RELEASED: Any = delete(Answer).where(
    Answer.respondent_key == bindparam("key"), Answer.question_id == bindparam("question_id")
)
"""A released answer to one question of one response (replaced by a later answer)."""
