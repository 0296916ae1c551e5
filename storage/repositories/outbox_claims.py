"""The push sender's claims: the push due next, locked, and what its call came to.

The outbox's records and queries (replies, queueing) are in `storage.repositories.outbox`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from conversations.messages import Channel, Outgoing
from conversations.model import UpdatesScope
from conversations.state import Phase
from storage.models import Conversation, OutboxMessage, Participant, Subscription
from storage.models_updates import UpdateRecord
from storage.repositories.outbox import REMINDER_PREFIX, OutboxKind, OutboxStatus, set_rows
from storage.sealing import Sealer, address_aad, outbox_aad
from storage.serialization import decode_replies

__all__ = ["DuePush", "PushClaimsRepository"]


@dataclass(frozen=True)
class DuePush:
    """A push due now, locked for this transaction, with what the sender checks first."""

    id: str
    pseudonym: str
    channel: Channel
    language: str | None
    message: Outgoing
    update_id: str | None
    attempts: int
    address: str | None  # namespaced (tel:+44..., tg:123); None when not kept
    opted_out: bool
    still_wanted: bool  # an update's push: the person is still subscribed to it
    last_message_at: datetime | None  # when they last wrote (WhatsApp's 24-hour window)


class PushClaimsRepository:
    """One push at a time for the sender: claim it, then record its outcome."""

    def __init__(self, session: Session, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    def next_push(self, channels: Sequence[Channel], now: datetime) -> DuePush | None:
        """The push due soonest on `channels`, locked with its recipient for this transaction.

        PostgreSQL: ``FOR UPDATE ... SKIP LOCKED`` on the row and its participant, so two
        senders never take one row, and a participant whose message is being handled (who
        may be saying STOP right now) is passed over until that commits. SQLite: the caller
        has begun as the one writer (`UnitOfWork.begin_write`).
        """
        statement = (
            select(OutboxMessage, Participant)
            .join(Participant, Participant.pseudonym == OutboxMessage.pseudonym)
            .where(
                OutboxMessage.kind == OutboxKind.PUSH.value,
                OutboxMessage.status == OutboxStatus.QUEUED.value,
                OutboxMessage.channel.in_([c.value for c in channels]),
                OutboxMessage.next_attempt_at <= now,
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True, of=[OutboxMessage, Participant])
        )
        found = self._session.execute(statement).first()
        if found is None:
            return None
        row, participant = found
        address = None
        if participant.address_enc is not None:
            sealed = participant.address_enc
            address = self._sealer.open(sealed, address_aad(participant.pseudonym)).decode()
        (message,) = decode_replies(self._sealer.open(row.payload_enc, outbox_aad(row.id)))
        return DuePush(
            id=row.id,
            pseudonym=row.pseudonym,
            channel=Channel(row.channel),
            language=row.language,
            message=message,
            update_id=row.update_id,
            attempts=row.attempts,
            address=address,
            opted_out=participant.opted_out,
            still_wanted=self._still_wanted(row),
            last_message_at=participant.updated_at,
        )

    def claim(self, message_id: str, now: datetime) -> None:
        """Mark a due push `sending` before the provider call; `next_attempt_at` keeps when."""
        set_rows(
            self._session,
            [message_id],
            status=OutboxStatus.SENDING.value,
            attempts=OutboxMessage.attempts + 1,
            next_attempt_at=now,
        )

    def push_sent(
        self, message_id: str, now: datetime, provider_ref: str | None, detail: str | None = None
    ) -> None:
        """The provider took the push (`detail`: e.g. sent by WhatsApp template)."""
        set_rows(
            self._session,
            [message_id],
            status=OutboxStatus.SENT.value,
            sent_at=now,
            provider_ref=provider_ref,
            detail=_short(detail) if detail is not None else None,
            next_attempt_at=None,
        )

    def push_retry(self, message_id: str, at: datetime, detail: str) -> None:
        """Nothing went: queue the push again for `at`."""
        set_rows(
            self._session,
            [message_id],
            status=OutboxStatus.QUEUED.value,
            next_attempt_at=at,
            detail=detail,
        )

    def push_ended(self, message_id: str, status: OutboxStatus, detail: str) -> None:
        """The push will never be sent (or may have been, for `unknown`): say why."""
        set_rows(
            self._session,
            [message_id],
            status=status.value,
            next_attempt_at=None,
            detail=_short(detail),
        )

    def recover_interrupted(self, now: datetime, older_than: timedelta) -> int:
        """Pushes left `sending` by a sender that stopped mid-call become `unknown`: they
        may have gone, and neither provider can say, so they are reported, never resent."""
        result = self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.kind == OutboxKind.PUSH.value,
                OutboxMessage.status == OutboxStatus.SENDING.value,
                OutboxMessage.next_attempt_at < now - older_than,
            )
            .values(
                status=OutboxStatus.UNKNOWN.value,
                next_attempt_at=None,
                detail="the sender stopped during the call",
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def give_up_on(self, pseudonym: str, detail: str) -> None:
        """The provider refused this person for good: no more pushes, no subscriptions, and
        no address kept unless a conversation still needs it. Lock the participant first."""
        self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.pseudonym == pseudonym,
                OutboxMessage.kind == OutboxKind.PUSH.value,
                OutboxMessage.status == OutboxStatus.QUEUED.value,
            )
            .values(
                status=OutboxStatus.UNREACHABLE.value, next_attempt_at=None, detail=_short(detail)
            )
        )
        self._session.execute(delete(Subscription).where(Subscription.pseudonym == pseudonym))
        participant = self._session.get(Participant, pseudonym)
        if participant is not None:
            participant.needs_address = False
            talking = self._session.scalar(
                select(exists().where(Conversation.pseudonym == pseudonym))
            )
            if not talking:
                participant.address_enc = None
        self._session.flush()

    def _still_wanted(self, row: OutboxMessage) -> bool:
        """An update only while subscribed; a reminder only while still part-way through."""
        if row.update_id is not None:
            return self._subscribed(row.pseudonym, row.update_id)
        if row.dedupe_key.startswith(REMINDER_PREFIX):
            # Finished, stopped or left between the queueing and now: no reminder.
            conversation_id = row.dedupe_key.removeprefix(REMINDER_PREFIX)
            return bool(
                self._session.scalar(
                    select(
                        exists().where(
                            Conversation.id == conversation_id,
                            Conversation.phase == Phase.QUESTION.value,
                        )
                    )
                )
            )
        return True

    def _subscribed(self, pseudonym: str, update_id: str) -> bool:
        consultation = select(UpdateRecord.consultation_id).where(UpdateRecord.id == update_id)
        return bool(
            self._session.scalar(
                select(
                    exists().where(
                        Subscription.pseudonym == pseudonym,
                        Subscription.scope == UpdatesScope.THIS.value,
                        Subscription.consultation_id == consultation.scalar_subquery(),
                    )
                )
            )
        )


def _short(detail: str) -> str:
    """Details are short reasons in our words; the column holds 64 characters."""
    return detail if len(detail) <= 64 else detail[:63] + "…"
