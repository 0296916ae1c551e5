"""Updates: the update rows, and who asked to hear back.

How each push went is in `storage.repositories.update_pushes`, the replies in
`storage.repositories.update_feedback`; `UpdatesRepository` holds all three, so the unit of
work's `updates` answers for each.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from conversations.messages import Channel
from conversations.model import UpdatesScope
from conversations.updates import Recipient
from storage.models import OutboxMessage, Participant, Subscription, new_id
from storage.models_updates import UpdateRecord
from storage.repositories.outbox import OutboxStatus
from storage.repositories.update_feedback import UpdateFeedbackRepository
from storage.repositories.update_pushes import UpdatePushesRepository
from storage.repositories.update_rows import StoredUpdate, UpdateStatus, stored

__all__ = ["UpdatesRepository"]


class UpdatesRepository(UpdatePushesRepository, UpdateFeedbackRepository):
    """The update rows; with the pushes' and the replies' queries of the two bases."""

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
        return [stored(row) for row in rows]

    def find(self, consultation_id: str, digest: str) -> StoredUpdate | None:
        """The update of this consultation made from this file, if it was sent before."""
        row = self._session.scalars(
            select(UpdateRecord).where(
                UpdateRecord.consultation_id == consultation_id, UpdateRecord.digest == digest
            )
        ).first()
        return stored(row) if row is not None else None

    def get(self, update_id: str) -> StoredUpdate | None:
        row = self._session.get(UpdateRecord, update_id)
        return stored(row) if row is not None else None

    def for_consultation(self, consultation_id: str) -> list[StoredUpdate]:
        """The consultation's updates, oldest first."""
        rows = self._session.scalars(
            select(UpdateRecord)
            .where(UpdateRecord.consultation_id == consultation_id)
            .order_by(UpdateRecord.created_at, UpdateRecord.id)
        )
        return [stored(row) for row in rows]

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
