"""The push sender's claims: the pushes due next, locked, and what their calls came to.

The outbox's records and queries (replies, queueing) are in `storage.repositories.outbox`;
the batched writes of outcomes in `storage.repositories.outbox_marks`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, Table, delete, exists, select, update
from sqlalchemy.orm import Session

from conversations.messages import Channel, Outgoing
from conversations.model import UpdatesScope
from conversations.state import Phase
from storage.models import Conversation, OutboxMessage, Participant, Subscription
from storage.models_updates import UpdateRecord
from storage.repositories.outbox import REMINDER_PREFIX, OutboxKind, OutboxStatus
from storage.repositories.outbox_marks import PushMark, apply_marks, short
from storage.sealing import Sealer, address_aad, outbox_aad
from storage.serialization import decode_replies

__all__ = ["DuePush", "PushClaimsRepository"]

_DueRow = Row[*tuple[Any, ...]]  # a row of `_DUE_COLUMNS`
_OUTBOX: Table = OutboxMessage.__table__  # type: ignore[assignment]


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
    due_at: datetime  # when it fell due (a claim let go is queued again for then)


class PushClaimsRepository:
    """Pushes for the sender, a batch at a time: claim them, then record their outcomes."""

    def __init__(self, session: Session, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    def next_push(self, channels: Sequence[Channel], now: datetime) -> DuePush | None:
        """The push due soonest on `channels`, locked with its recipient (`due_pushes`)."""
        found = self.due_pushes(channels, now, 1)
        return found[0] if found else None

    def due_pushes(self, channels: Sequence[Channel], now: datetime, limit: int) -> list[DuePush]:
        """Up to `limit` pushes due on `channels`, soonest first, each locked with its
        recipient for this transaction; their STOP and subscription as they are now.

        PostgreSQL: ``FOR UPDATE ... SKIP LOCKED`` on the rows and their participants, so
        two senders never take one row, and a participant whose message is being handled
        (who may be saying STOP right now) is passed over until that commits. SQLite: the
        caller has begun as the one writer (`UnitOfWork.begin_write`).
        """
        statement = (
            select(*_DUE_COLUMNS)
            .join(Participant, Participant.pseudonym == OutboxMessage.pseudonym)
            .where(
                OutboxMessage.kind == OutboxKind.PUSH.value,
                OutboxMessage.status == OutboxStatus.QUEUED.value,
                OutboxMessage.channel.in_([c.value for c in channels]),
                OutboxMessage.next_attempt_at <= now,
            )
            # The index's order (status, next_attempt_at): ties come in the order they were
            # queued (by pseudonym), and a batch reads only its own rows. A tie-break on
            # `id` made SQLite sort every row due at that moment for each batch.
            .order_by(OutboxMessage.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True, of=[OutboxMessage, Participant])
        )
        # Columns, not entities: the ORM's identity map cost more than the query itself.
        found = self._session.execute(statement).all()
        wanted = self._still_wanted(found)
        messages: dict[bytes, Outgoing] = {}  # an update's text is the same for many people
        return [self._due(row, row.id in wanted, messages) for row in found]

    def claim(self, message_ids: Sequence[str], now: datetime) -> None:
        """Mark due pushes `sending` before the provider calls; `next_attempt_at` keeps when
        (a sender that stops mid-batch leaves them for `recover_interrupted`)."""
        if message_ids:  # Core: no ORM objects of these rows to keep in step
            table = _OUTBOX
            self._session.connection().execute(
                update(table)
                .where(table.c.id.in_(list(message_ids)))
                .values(
                    status=OutboxStatus.SENDING.value,
                    attempts=table.c.attempts + 1,
                    next_attempt_at=now,
                )
            )

    def mark(self, marks: Sequence[PushMark]) -> None:
        """Record what a batch's claims came to (`storage.repositories.outbox_marks`)."""
        apply_marks(self._session, marks)

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
                status=OutboxStatus.UNREACHABLE.value, next_attempt_at=None, detail=short(detail)
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

    def _due(self, row: _DueRow, wanted: bool, messages: dict[bytes, Outgoing]) -> DuePush:
        address = None
        if row.address_enc is not None:
            address = self._sealer.open(row.address_enc, address_aad(row.pseudonym)).decode()
        payload = self._sealer.open(row.payload_enc, outbox_aad(row.id))
        if payload not in messages:  # frozen: one decoded message can serve them all
            (messages[payload],) = decode_replies(payload)
        return DuePush(
            id=row.id,
            pseudonym=row.pseudonym,
            channel=Channel(row.channel),
            language=row.language,
            message=messages[payload],
            update_id=row.update_id,
            attempts=row.attempts,
            address=address,
            opted_out=row.opted_out,
            still_wanted=wanted,
            last_message_at=row.updated_at,
            due_at=row.next_attempt_at,
        )

    def _still_wanted(self, rows: Sequence[_DueRow]) -> set[str]:
        """The ids of `rows` still wanted: an update's only while its recipient is still
        subscribed to it, a reminder's only while still part-way through (finished,
        stopped or left between the queueing and now: no reminder); others always.
        Two queries for the whole batch, whatever its size."""
        updates = [r for r in rows if r.update_id is not None]
        reminders = [
            r for r in rows if r.update_id is None and r.dedupe_key.startswith(REMINDER_PREFIX)
        ]
        checked = {r.id for r in updates} | {r.id for r in reminders}
        wanted = {r.id for r in rows if r.id not in checked}
        subscribed = self._subscribed(updates)
        wanted.update(r.id for r in updates if (r.pseudonym, r.update_id) in subscribed)
        going = self._part_way([r.dedupe_key.removeprefix(REMINDER_PREFIX) for r in reminders])
        wanted.update(
            r.id for r in reminders if r.dedupe_key.removeprefix(REMINDER_PREFIX) in going
        )
        return wanted

    def _subscribed(self, rows: Iterable[_DueRow]) -> set[tuple[str, str | None]]:
        """(pseudonym, update id) of `rows` whose recipient is subscribed to that update."""
        pseudonyms = {r.pseudonym for r in rows}
        update_ids = {r.update_id for r in rows}
        if not pseudonyms:
            return set()
        statement = (
            select(Subscription.pseudonym, UpdateRecord.id)
            .join(UpdateRecord, UpdateRecord.consultation_id == Subscription.consultation_id)
            .where(
                UpdateRecord.id.in_(update_ids),
                Subscription.pseudonym.in_(pseudonyms),
                Subscription.scope == UpdatesScope.THIS.value,
            )
        )
        return {(p, u) for p, u in self._session.execute(statement)}

    def _part_way(self, conversation_ids: Sequence[str]) -> set[str]:
        """Those of `conversation_ids` still at a question."""
        if not conversation_ids:
            return set()
        statement = select(Conversation.id).where(
            Conversation.id.in_(conversation_ids), Conversation.phase == Phase.QUESTION.value
        )
        return set(self._session.scalars(statement))


_DUE_COLUMNS = (
    OutboxMessage.id,
    OutboxMessage.pseudonym,
    OutboxMessage.channel,
    OutboxMessage.language,
    OutboxMessage.payload_enc,
    OutboxMessage.update_id,
    OutboxMessage.attempts,
    OutboxMessage.dedupe_key,
    OutboxMessage.next_attempt_at,
    Participant.address_enc,
    Participant.opted_out,
    Participant.updated_at,
)
