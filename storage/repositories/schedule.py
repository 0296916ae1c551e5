"""What the scheduler finds due: invitations, reminders, and its daily jobs' last runs.

No address, phone number or text is read or written here: people are their pseudonyms,
found through their subscriptions (invitations) or their conversation (reminders).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import false, func, or_, select, update
from sqlalchemy.orm import Session

from conversations.facts import ResponseStatus
from conversations.messages import Channel
from conversations.model import UpdatesScope
from conversations.state import Phase
from storage.models import Conversation, Participant, Response, Round, Subscription
from storage.models_schedule import Invitation, JobRun, Reminder
from storage.repositories.round_rows import RoundStatus
from storage.upsert import insert_ignore

__all__ = [
    "InvitationStatus",
    "JobRunRow",
    "Recipient",
    "ReminderCandidate",
    "ScheduleRepository",
]

PUSH_CHANNELS = frozenset({Channel.SMS, Channel.WHATSAPP, Channel.TELEGRAM})
"""Channels a message can be pushed on; a terminal session only ever gets replies."""


class InvitationStatus(StrEnum):
    PENDING = "pending"  # due when the round opens
    QUEUED = "queued"  # in the outbox
    SKIPPED = "skipped"  # the round closed before they could go out
    CANCELLED = "cancelled"  # the round was cancelled


@dataclass(frozen=True)
class Recipient:
    """Someone to push to: their pseudonym, the channel and the language they asked in."""

    pseudonym: str
    channel: Channel
    language: str


@dataclass(frozen=True)
class ReminderCandidate:
    """An unfinished conversation whose round reminds, idle since `last_active`."""

    conversation_id: str
    pseudonym: str
    round_id: str
    channel: Channel
    last_active: datetime
    due_at: datetime


@dataclass(frozen=True)
class JobRunRow:
    name: str
    last_started_at: datetime | None
    last_ok_at: datetime | None
    last_error: str | None


class ScheduleRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # --- rounds ------------------------------------------------------------------------

    def end_round(self, round_id: str, closed_at: datetime) -> None:
        """What closing a round means beyond its status: its conversations end then (so the
        addresses kept for them go with the next purge), responses still under way become
        partial (so their answers join the next release), and invitations not yet sent
        never go."""
        self._session.execute(
            update(Conversation)
            .where(Conversation.round_id == round_id)
            .where(or_(Conversation.expires_at.is_(None), Conversation.expires_at > closed_at))
            .values(expires_at=closed_at)
            .execution_options(synchronize_session=False)
        )
        self._session.execute(
            update(Response)
            .where(Response.round_id == round_id)
            .where(Response.status == ResponseStatus.STARTED.value)
            .values(status=ResponseStatus.PARTIAL.value)
            .execution_options(synchronize_session=False)
        )
        self.settle_invitations(round_id, InvitationStatus.SKIPPED, closed_at)

    # --- invitations -------------------------------------------------------------------

    def add_invitation(self, round_id: str) -> None:
        """Invitations for the round, due when it opens."""
        insert_ignore(
            self._session,
            Invitation,
            {"round_id": round_id, "status": InvitationStatus.PENDING.value, "recipients": 0},
        )

    def invitation(self, round_id: str) -> tuple[InvitationStatus, int] | None:
        """The round's invitations: their status and how many were queued (None: none)."""
        row = self._session.get(Invitation, round_id)
        return None if row is None else (InvitationStatus(row.status), row.recipients)

    def pending_invitations(self) -> list[str]:
        """Round ids whose invitations have not gone out yet."""
        statement = (
            select(Invitation.round_id)
            .where(Invitation.status == InvitationStatus.PENDING.value)
            .order_by(Invitation.round_id)
        )
        return list(self._session.scalars(statement))

    def settle_invitations(
        self, round_id: str, status: InvitationStatus, now: datetime, recipients: int = 0
    ) -> bool:
        """Move pending invitations to `status`; False if they were no longer pending."""
        result = self._session.execute(
            update(Invitation)
            .where(
                Invitation.round_id == round_id,
                Invitation.status == InvitationStatus.PENDING.value,
            )
            .values(status=status.value, queued_at=now, recipients=recipients)
            .execution_options(synchronize_session="fetch")
        )
        return bool(getattr(result, "rowcount", 0))

    def future_subscribers(self, channels: Iterable[Channel] | None) -> list[Recipient]:
        """Everyone who opted in to future consultations (an updates question with scope
        future, or JOIN), not stopped, reachable on one of `channels` (None: any), once each,
        on the channel and in the language of their latest opt-in."""
        allowed = PUSH_CHANNELS if channels is None else PUSH_CHANNELS & set(channels)
        statement = (
            select(Subscription.pseudonym, Subscription.channel, Subscription.language)
            .join(Participant, Participant.pseudonym == Subscription.pseudonym)
            .where(Subscription.scope == UpdatesScope.FUTURE.value)
            .where(Participant.opted_out == false(), Participant.address_enc.is_not(None))
            .order_by(Subscription.pseudonym, Subscription.created_day.desc(), Subscription.id)
        )
        found: dict[str, Recipient] = {}
        for pseudonym, channel, language in self._session.execute(statement):
            if pseudonym in found or channel not in {c.value for c in allowed}:
                continue
            found[pseudonym] = Recipient(pseudonym, Channel(channel), language)
        return list(found.values())

    # --- reminders ---------------------------------------------------------------------

    def reminder_candidates(
        self, now: datetime, pseudonym: str | None = None
    ) -> list[ReminderCandidate]:
        """Unfinished conversations due a reminder at `now`: mid-questions, idle for their
        round's reminder delay, the round still open, the person not stopped and reachable,
        and no reminder sent for this conversation yet. `pseudonym`: only theirs."""
        statement = (
            select(
                Conversation.id,
                Conversation.pseudonym,
                Conversation.round_id,
                Conversation.last_active,
                Round.reminder_seconds,
                Participant.channel,
            )
            .join(Round, Round.id == Conversation.round_id)
            .join(Participant, Participant.pseudonym == Conversation.pseudonym)
            .outerjoin(Reminder, Reminder.conversation_id == Conversation.id)
            .where(Reminder.conversation_id.is_(None))
            .where(Round.reminder_seconds.is_not(None))
            .where(Round.status.in_([RoundStatus.SCHEDULED.value, RoundStatus.OPEN.value]))
            .where(Round.opens_at <= now, or_(Round.closes_at.is_(None), Round.closes_at > now))
            .where(Conversation.phase == Phase.QUESTION.value)
            .where(or_(Conversation.expires_at.is_(None), Conversation.expires_at > now))
            .where(Participant.opted_out == false(), Participant.address_enc.is_not(None))
            .order_by(Conversation.last_active, Conversation.id)
        )
        if pseudonym is not None:
            statement = statement.where(Conversation.pseudonym == pseudonym)
        due = []
        for (
            conversation_id,
            pseudonym,
            round_id,
            last_active,
            seconds,
            channel,
        ) in self._session.execute(statement):
            if channel is None or Channel(channel) not in PUSH_CHANNELS:
                continue
            if seconds is None or round_id is None:  # the query excludes both
                continue
            due_at = last_active + timedelta(seconds=seconds)
            if due_at <= now:
                due.append(
                    ReminderCandidate(
                        conversation_id, pseudonym, round_id, Channel(channel), last_active, due_at
                    )
                )
        return due

    def still_due(self, candidate: ReminderCandidate, now: datetime) -> bool:
        """Whether `candidate` is due still (check again under the participant's lock)."""
        return any(
            c.conversation_id == candidate.conversation_id
            and c.last_active == candidate.last_active
            for c in self.reminder_candidates(now, candidate.pseudonym)
        )

    def mark_reminded(self, conversation_id: str, round_id: str, now: datetime) -> bool:
        """Record that the conversation got its one reminder; False if it already had."""
        return insert_ignore(
            self._session,
            Reminder,
            {"conversation_id": conversation_id, "round_id": round_id, "queued_at": now},
        )

    def reminders_sent(self, round_id: str) -> int:
        """How many reminders went out for the round (of conversations still stored)."""
        statement = select(func.count()).select_from(Reminder).where(Reminder.round_id == round_id)
        return int(self._session.scalar(statement) or 0)

    # --- job runs ----------------------------------------------------------------------

    def job(self, name: str) -> JobRunRow | None:
        row = self._session.get(JobRun, name)
        if row is None:
            return None
        return JobRunRow(row.name, row.last_started_at, row.last_ok_at, row.last_error)

    def job_started(self, name: str, now: datetime) -> None:
        self._job_row(name).last_started_at = now

    def job_finished(self, name: str, now: datetime, error: str | None = None) -> None:
        """Record the end of a run: its success time, or the error's class name."""
        row = self._job_row(name)
        if error is None:
            row.last_ok_at = now
        row.last_error = error[:64] if error else None

    def _job_row(self, name: str) -> JobRun:
        row = self._session.get(JobRun, name)
        if row is None:
            insert_ignore(self._session, JobRun, {"name": name})
            row = self._session.get(JobRun, name)
            assert row is not None
        return row
