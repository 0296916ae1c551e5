"""The rounds' due work, found in the database each time: open, close, invite, remind.

Every function is idempotent and safe to run from two processes at once (the leader lock
should prevent that, and these don't rely on it): status changes are conditional updates,
every push has a dedupe key, and a reminder is recorded in the same transaction that
queues it. Unprompted messages (invitations, reminders) wait while quiet hours last.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.library import Library
from bot.runtime import Runtime
from conversations import nudges
from conversations.quiet_hours import is_quiet
from storage.repositories.outbox import REMINDER_PREFIX, NewPush
from storage.repositories.round_rows import RoundStatus
from storage.repositories.schedule import InvitationStatus, ReminderCandidate

__all__ = ["close_due", "in_quiet_hours", "open_due", "send_invitations", "send_reminders"]

log = logging.getLogger(__name__)


def in_quiet_hours(runtime: Runtime, now: datetime) -> bool:
    """Whether `now` falls in YOUSAID_QUIET_HOURS on the council's local clock."""
    settings = runtime.settings
    return is_quiet(now.astimezone(settings.zone), settings.quiet_window)


def close_due(runtime: Runtime, now: datetime) -> list[str]:
    """Close every round whose close time has passed (during downtime too); their ids."""
    closed = []
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        for row in uow.rounds.due_to_close(now):
            before = (RoundStatus.SCHEDULED, RoundStatus.OPEN)
            if uow.rounds.move(row.id, before, RoundStatus.CLOSED):
                assert row.closes_at is not None
                uow.schedule.end_round(row.id, row.closes_at)
                closed.append(row.id)
    for round_id in closed:
        log.info("round %s closed", round_id)
    return closed


def open_due(runtime: Runtime, now: datetime) -> list[str]:
    """Mark every round whose open time has come (and close has not) as open; their ids.

    A round takes answers from its open time whatever this says (the engine goes by the
    times); the status is what officers see and what invitations wait for.
    """
    opened = []
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        for row in uow.rounds.due_to_open(now):
            if uow.rounds.move(row.id, [RoundStatus.SCHEDULED], RoundStatus.OPEN):
                opened.append(row.id)
    for round_id in opened:
        log.info("round %s opened", round_id)
    return opened


def send_invitations(runtime: Runtime, library: Library, now: datetime) -> int:
    """Queue the invitations of rounds that have opened (not in quiet hours); how many."""
    if in_quiet_hours(runtime, now):
        return 0
    with runtime.db.unit_of_work() as uow:
        pending = uow.schedule.pending_invitations()
    return sum(_invite(runtime, library, round_id, now) for round_id in pending)


def send_reminders(runtime: Runtime, library: Library, now: datetime) -> int:
    """Queue the one reminder each unfinished conversation is due (not in quiet hours)."""
    if in_quiet_hours(runtime, now):
        return 0
    with runtime.db.unit_of_work() as uow:
        due = uow.schedule.reminder_candidates(now)
    return sum(_remind(runtime, library, candidate, now) for candidate in due)


# --- one round's invitations, one person's reminder -------------------------------------


def _invite(runtime: Runtime, library: Library, round_id: str, now: datetime) -> int:
    zone = runtime.settings.zone
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        row = uow.rounds.get(round_id)
        if row is None or row.status is RoundStatus.CANCELLED:
            uow.schedule.settle_invitations(round_id, InvitationStatus.CANCELLED, now)
            return 0
        ended = row.closes_at is not None and row.closes_at <= now
        if row.status is RoundStatus.CLOSED or ended:
            uow.schedule.settle_invitations(round_id, InvitationStatus.SKIPPED, now)
            return 0
        if not row.open_at(now):
            return 0  # not open yet: still pending
        stored = uow.consultations.latest(row.consultation_id)
        consultation = None if stored is None else library.version(uow, stored.id, stored.version)
        if consultation is None or not consultation.listed:
            # Unlisted since it was scheduled: no message may name it.
            uow.schedule.settle_invitations(round_id, InvitationStatus.SKIPPED, now)
            return 0
        recipients = uow.schedule.future_subscribers(row.channels)
        # Conditional: if another scheduler got here first, this one queues nothing.
        if not uow.schedule.settle_invitations(
            round_id, InvitationStatus.QUEUED, now, len(recipients)
        ):
            return 0
        keyword = (row.keyword or consultation.keyword).upper()
        closes = row.closes_at.astimezone(zone) if row.closes_at is not None else None
        pushes = [
            NewPush(
                pseudonym=recipient.pseudonym,
                channel=recipient.channel,
                language=recipient.language,
                message=nudges.invitation(
                    consultation, keyword, recipient.language, runtime.catalogue, closes
                ),
                dedupe_key=f"invite:{round_id}:{recipient.pseudonym}",
            )
            for recipient in recipients
        ]
        uow.outbox.queue_pushes(pushes, not_before=now, now=now)
    log.info("round %s: %d invitations queued", round_id, len(pushes))
    return len(pushes)


def _remind(runtime: Runtime, library: Library, candidate: ReminderCandidate, now: datetime) -> int:
    with runtime.db.unit_of_work() as uow:
        # Under the participant's lock, so a message they are sending right now (finishing,
        # STOP, EXIT, DELETE) is either in before this looks again, or waits for it.
        uow.lock_participant(candidate.pseudonym)
        if not uow.schedule.still_due(candidate, now):
            return 0
        state = uow.conversations.current(candidate.pseudonym)
        uow.schedule.mark_reminded(candidate.conversation_id, candidate.round_id, now)
        if state is None or state.preview or state.round_id != candidate.round_id:
            return 0
        consultation = library.version(uow, state.consultation_id, state.version)
        message = (
            None
            if consultation is None
            else nudges.reminder(consultation, state, runtime.catalogue)
        )
        if message is None:
            return 0
        push = NewPush(
            pseudonym=candidate.pseudonym,
            channel=candidate.channel,
            language=state.language,
            message=message,
            dedupe_key=f"{REMINDER_PREFIX}{candidate.conversation_id}",
        )
        uow.outbox.queue_pushes([push], not_before=now, now=now)
    log.info("reminder queued actor=%s", candidate.pseudonym[:8])
    return 1
