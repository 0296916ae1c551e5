"""Updates: the update rows, who asked to hear back, how each push went, and the replies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from conversations.messages import Channel
from conversations.model import UpdatesScope
from conversations.updates import Recipient
from storage.models import OutboxMessage, Participant, Subscription, new_id
from storage.models_updates import UpdateFeedback, UpdateRecord
from storage.repositories.outbox import OutboxKind, OutboxStatus
from storage.repositories.provider_messages import ProviderMessage

__all__ = [
    "TEMPLATE_DETAIL",
    "FeedbackRow",
    "PushCounts",
    "RecentPush",
    "StoredUpdate",
    "UpdateStatus",
    "UpdatesRepository",
]

DELIVERED = ("delivered", "read")  # provider callbacks that mean it reached the phone
CHUNK = 500  # pseudonyms per IN (...): well inside SQLite's and PostgreSQL's limits


class UpdateStatus(StrEnum):
    SENDING = "sending"  # decided: its pushes are queued, going, or gone
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class StoredUpdate:
    id: str
    consultation_id: str
    digest: str
    source_text: str
    status: UpdateStatus
    send_after: datetime
    created_at: datetime
    cancelled_at: datetime | None
    texts: Mapping[str, Mapping[str, Any]]  # language -> message, full, shortened, thanks
    record: Mapping[str, Any]
    recipients: int
    cost: int
    started_at: datetime | None = None  # None: not gone out yet; who asks meanwhile joins


@dataclass(frozen=True)
class PushCounts:
    """How an update's pushes stand; `sent` includes those `delivered`."""

    queued: int = 0
    sending: int = 0
    sent: int = 0
    delivered: int = 0
    failed: int = 0
    unreachable: int = 0
    unknown: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        return (
            self.queued
            + self.sending
            + self.sent
            + self.failed
            + self.unreachable
            + self.unknown
            + self.cancelled
        )

    @property
    def finished(self) -> int:
        """Pushes that will not change any more (apart from delivery reports)."""
        return self.total - self.queued - self.sending


@dataclass(frozen=True)
class RecentPush:
    """The last update a person was sent, for the engine (replies and MORE)."""

    update_id: str
    consultation_id: str
    sent_at: datetime
    language: str
    by_template: bool
    texts: Mapping[str, Any]  # that language's texts


@dataclass(frozen=True)
class FeedbackRow:
    id: str
    update_id: str
    consultation_id: str
    text: str
    day: date


TEMPLATE_DETAIL = "whatsapp template"


class UpdatesRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        consultation_id: str,
        digest: str,
        source_text: str,
        *,
        send_after: datetime,
        now: datetime,
        texts: Mapping[str, Mapping[str, Any]],
        record: Mapping[str, Any],
        recipients: int,
        cost: int,
        started_at: datetime | None = None,
    ) -> str:
        """Store a decided update; returns its id. Queue its pushes in the same transaction.
        `started_at` None: it goes out later (`--at`), and is topped up then."""
        update_id = new_id()
        self._session.add(
            UpdateRecord(
                id=update_id,
                consultation_id=consultation_id,
                digest=digest,
                source_text=source_text,
                status=UpdateStatus.SENDING.value,
                send_after=send_after,
                created_at=now,
                texts={k: dict(v) for k, v in texts.items()},
                record=dict(record),
                recipients=recipients,
                cost=cost,
                started_at=started_at,
            )
        )
        self._session.flush()
        return update_id

    def get_by_prefix(self, consultation_id: str, prefix: str) -> list[StoredUpdate]:
        """The consultation's updates whose id starts with `prefix` (officers type 8)."""
        wanted = prefix.strip().lower()
        if not wanted:
            return []
        return [u for u in self.for_consultation(consultation_id) if u.id.startswith(wanted)]

    def covered(self, update_id: str) -> set[str]:
        """Pseudonyms the update has reached or will: every push of it not cancelled."""
        statement = select(OutboxMessage.pseudonym).where(
            OutboxMessage.update_id == update_id,
            OutboxMessage.status != OutboxStatus.CANCELLED.value,
        )
        return set(self._session.scalars(statement))

    def requeue(self, update_id: str, pseudonyms: Sequence[str], not_before: datetime) -> int:
        """Queue again the cancelled pushes of these people (cancelled by an officer, or
        by a STOP since taken back); how many. Pushes that went, failed or may have gone
        (unknown) are never touched: at most once."""
        if not pseudonyms:
            return 0
        done = 0
        for start in range(0, len(pseudonyms), CHUNK):
            result = self._session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.update_id == update_id,
                    OutboxMessage.status == OutboxStatus.CANCELLED.value,
                    OutboxMessage.pseudonym.in_(pseudonyms[start : start + CHUNK]),
                )
                .values(
                    status=OutboxStatus.QUEUED.value,
                    next_attempt_at=not_before,
                    attempts=0,
                    detail=None,
                )
                .execution_options(synchronize_session=False)
            )
            done += int(getattr(result, "rowcount", 0) or 0)
        return done

    def reopen(self, update_id: str, send_after: datetime, started_at: datetime | None) -> None:
        """A cancelled update going out again (`update send --again`)."""
        row = self._session.get(UpdateRecord, update_id)
        if row is None:
            raise KeyError(update_id)
        row.status = UpdateStatus.SENDING.value
        row.cancelled_at = None
        row.send_after = send_after
        row.started_at = started_at
        self._session.flush()

    def set_reach(self, update_id: str, recipients: int, cost: int) -> None:
        """How many people the update reaches in all, and what it costs, after a top-up."""
        row = self._session.get(UpdateRecord, update_id)
        if row is not None:
            row.recipients, row.cost = recipients, cost
            self._session.flush()

    def mark_started(self, update_id: str, at: datetime) -> None:
        row = self._session.get(UpdateRecord, update_id)
        if row is not None and row.started_at is None:
            row.started_at = at
            self._session.flush()

    def due_to_start(self, now: datetime) -> list[StoredUpdate]:
        """Updates due to go out by `now` that have not started: topped up, then started."""
        rows = self._session.scalars(
            select(UpdateRecord)
            .where(
                UpdateRecord.status == UpdateStatus.SENDING.value,
                UpdateRecord.started_at.is_(None),
                UpdateRecord.send_after <= now,
            )
            .order_by(UpdateRecord.send_after, UpdateRecord.id)
        )
        return [_stored(row) for row in rows]

    def find(self, consultation_id: str, digest: str) -> StoredUpdate | None:
        """The update of this consultation made from this file, if it was sent before."""
        row = self._session.scalars(
            select(UpdateRecord).where(
                UpdateRecord.consultation_id == consultation_id, UpdateRecord.digest == digest
            )
        ).first()
        return _stored(row) if row is not None else None

    def get(self, update_id: str) -> StoredUpdate | None:
        row = self._session.get(UpdateRecord, update_id)
        return _stored(row) if row is not None else None

    def for_consultation(self, consultation_id: str) -> list[StoredUpdate]:
        """The consultation's updates, oldest first."""
        rows = self._session.scalars(
            select(UpdateRecord)
            .where(UpdateRecord.consultation_id == consultation_id)
            .order_by(UpdateRecord.created_at, UpdateRecord.id)
        )
        return [_stored(row) for row in rows]

    def recipients(self, consultation_id: str) -> list[Recipient]:
        """Everyone subscribed to the consultation's updates who has not said STOP since.

        DELETE removes the participant and, by cascade, their subscriptions; STOP leaves
        the subscription but sets `opted_out`, which START clears again.
        """
        statement = (
            select(Subscription, Participant)
            .join(Participant, Participant.pseudonym == Subscription.pseudonym)
            .where(
                Subscription.consultation_id == consultation_id,
                Subscription.scope == UpdatesScope.THIS.value,
                Participant.opted_out.is_(False),
            )
            .order_by(Subscription.pseudonym)
        )
        found = []
        for subscription, participant in self._session.execute(statement):
            channel = participant.channel or subscription.channel
            found.append(
                Recipient(
                    pseudonym=participant.pseudonym,
                    channel=Channel(channel) if channel else None,
                    language=subscription.language,
                    has_address=participant.address_enc is not None,
                    last_message_at=participant.updated_at,
                )
            )
        return found

    def counts(self, update_id: str) -> PushCounts:
        """The update's pushes by status (delivered: a delivery report said so)."""
        by_status: dict[str, int] = {}
        rows = self._session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.update_id == update_id)
            .group_by(OutboxMessage.status)
        )
        for status, count in rows:
            by_status[str(status)] = int(count)
        delivered = self._session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .join(ProviderMessage, ProviderMessage.sid == OutboxMessage.provider_ref)
            .where(
                OutboxMessage.update_id == update_id,
                OutboxMessage.status == OutboxStatus.SENT.value,
                ProviderMessage.status.in_(DELIVERED),
            )
        )
        return PushCounts(
            queued=by_status.get(OutboxStatus.QUEUED.value, 0),
            sending=by_status.get(OutboxStatus.SENDING.value, 0),
            sent=by_status.get(OutboxStatus.SENT.value, 0),
            delivered=int(delivered or 0),
            failed=by_status.get(OutboxStatus.FAILED.value, 0),
            unreachable=by_status.get(OutboxStatus.UNREACHABLE.value, 0),
            unknown=by_status.get(OutboxStatus.UNKNOWN.value, 0),
            cancelled=by_status.get(OutboxStatus.CANCELLED.value, 0),
        )

    def reasons(self, update_id: str) -> dict[tuple[str, str], int]:
        """(status, detail) -> count, for pushes that did not simply go."""
        rows = self._session.execute(
            select(OutboxMessage.status, OutboxMessage.detail, func.count())
            .where(
                OutboxMessage.update_id == update_id,
                OutboxMessage.status.in_(
                    [
                        OutboxStatus.FAILED.value,
                        OutboxStatus.UNREACHABLE.value,
                        OutboxStatus.UNKNOWN.value,
                        OutboxStatus.CANCELLED.value,
                    ]
                ),
            )
            .group_by(OutboxMessage.status, OutboxMessage.detail)
        )
        return {(str(status), str(detail or "")): int(count) for status, detail, count in rows}

    def cancel(self, update_id: str, now: datetime) -> int:
        """Stop what has not gone yet; returns how many pushes were cancelled. A push being
        sent at this moment finishes."""
        result = self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.update_id == update_id,
                OutboxMessage.status == OutboxStatus.QUEUED.value,
            )
            .values(
                status=OutboxStatus.CANCELLED.value,
                next_attempt_at=None,
                detail="cancelled by an officer",
            )
        )
        row = self._session.get(UpdateRecord, update_id)
        if row is not None and row.status != UpdateStatus.CANCELLED.value:
            row.status = UpdateStatus.CANCELLED.value
            row.cancelled_at = now
        self._session.flush()
        return int(getattr(result, "rowcount", 0) or 0)

    def recent_push(self, pseudonym: str, since: datetime) -> RecentPush | None:
        """The last update sent to this person since `since`, with its texts."""
        statement = (
            select(OutboxMessage, UpdateRecord)
            .join(UpdateRecord, UpdateRecord.id == OutboxMessage.update_id)
            .where(
                OutboxMessage.pseudonym == pseudonym,
                OutboxMessage.kind == OutboxKind.PUSH.value,
                OutboxMessage.status == OutboxStatus.SENT.value,
                OutboxMessage.sent_at >= since,
            )
            .order_by(OutboxMessage.sent_at.desc())
            .limit(1)
        )
        found = self._session.execute(statement).first()
        if found is None:
            return None
        push, record = found
        assert push.sent_at is not None
        texts = record.texts if isinstance(record.texts, dict) else {}
        language = push.language if push.language in texts else None
        language = language or next(iter(texts), "")
        return RecentPush(
            update_id=record.id,
            consultation_id=record.consultation_id,
            sent_at=push.sent_at,
            language=language,
            by_template=push.detail == TEMPLATE_DETAIL,
            texts=texts.get(language, {}),
        )

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


def _stored(row: UpdateRecord) -> StoredUpdate:
    return StoredUpdate(
        id=row.id,
        consultation_id=row.consultation_id,
        digest=row.digest,
        source_text=row.source_text,
        status=UpdateStatus(row.status),
        send_after=row.send_after,
        created_at=row.created_at,
        cancelled_at=row.cancelled_at,
        texts=row.texts if isinstance(row.texts, dict) else {},
        record=row.record if isinstance(row.record, dict) else {},
        recipients=row.recipients,
        cost=row.cost,
        started_at=row.started_at,
    )
