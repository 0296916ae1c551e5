"""The outbox: every message to send, written in the same transaction as the state.

The records and queries live here (replies, queued pushes, their marks); the push
sender's claims and their outcomes in `storage.repositories.outbox_claims`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from conversations.messages import Channel, Outgoing
from storage.models import OutboxMessage, new_id
from storage.repositories.participants import ensure_row
from storage.sealing import Sealer, outbox_aad
from storage.serialization import decode_replies, encode_replies

__all__ = [
    "NewPush",
    "OutboxItem",
    "OutboxKind",
    "OutboxRepository",
    "OutboxStatus",
    "set_rows",
]

INSERT_CHUNK = 500  # rows per INSERT when queueing pushes

REMINDER_PREFIX = "remind:"  # a reminder push's dedupe key: this + the conversation id


class OutboxKind(StrEnum):
    REPLY = "reply"
    PUSH = "push"


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"  # marked before the provider call: after a crash it becomes unknown
    SENT = "sent"
    FAILED = "failed"  # refused for good (pushes: the person is then unreachable)
    UNKNOWN = "unknown"
    UNREACHABLE = "unreachable"  # a push that could not be sent to this person
    CANCELLED = "cancelled"  # a push not sent: cancelled, or they stopped first


@dataclass(frozen=True)
class NewPush:
    """A push to queue: one message to one person, once per `dedupe_key`."""

    pseudonym: str
    channel: Channel
    language: str
    message: Outgoing
    dedupe_key: str  # e.g. update:<update id>:<pseudonym>; a second push with it is ignored
    update_id: str | None = None


@dataclass(frozen=True)
class OutboxItem:
    id: str
    pseudonym: str
    channel: Channel
    kind: OutboxKind
    message: Outgoing
    status: OutboxStatus
    attempts: int
    provider_ref: str | None


class OutboxRepository:
    def __init__(self, session: Session, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    def add_replies(
        self,
        pseudonym: str,
        channel: Channel,
        replies: Sequence[Outgoing],
        now: datetime,
        *,
        delivered: bool = False,
    ) -> list[str]:
        """Queue replies to one inbound message, in order; returns their ids. `delivered`:
        they go back in the webhook's own response, so they are stored as sent already.

        One executemany INSERT, Core on the session's connection (not the ORM's bulk insert,
        whose preparation cost more than the statement: this is the hot path)."""
        if not replies:
            return []
        ensure_row(self._session, pseudonym)
        status = OutboxStatus.SENT.value if delivered else OutboxStatus.QUEUED.value
        ids, rows = [], []
        for position, reply in enumerate(replies):
            message_id = new_id()
            ids.append(message_id)
            rows.append(
                {
                    "id": message_id,
                    "pseudonym": pseudonym,
                    "channel": channel.value,
                    "kind": OutboxKind.REPLY.value,
                    "position": position,
                    "payload_enc": self._sealer.seal(
                        encode_replies([reply]), outbox_aad(message_id)
                    ),
                    "status": status,
                    "dedupe_key": f"reply:{message_id}",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                    "sent_at": now if delivered else None,
                }
            )
        self._session.flush()
        self._session.connection().execute(_INSERT, rows)
        return ids

    def get(self, ids: Sequence[str]) -> list[OutboxItem]:
        """The messages with these ids, in the order they are to be sent."""
        if not ids:
            return []
        statement = (
            select(OutboxMessage)
            .where(OutboxMessage.id.in_(list(ids)))
            .order_by(OutboxMessage.created_at, OutboxMessage.position)
        )
        return [self._item(row) for row in self._session.scalars(statement)]

    def mark_sending(self, ids: Sequence[str]) -> None:
        """Mark before the provider call: a crash then leaves `sending`, never a resend."""
        set_rows(
            self._session,
            ids,
            status=OutboxStatus.SENDING.value,
            attempts=OutboxMessage.attempts + 1,
        )

    def mark_sent(self, ids: Sequence[str], now: datetime, provider_ref: str | None = None) -> None:
        """Record that these messages reached the provider."""
        values: dict[str, object] = {"status": OutboxStatus.SENT.value, "sent_at": now}
        if provider_ref is not None:
            values["provider_ref"] = provider_ref
        set_rows(self._session, ids, **values)

    def mark_failed(self, ids: Sequence[str]) -> None:
        """Record a permanent failure (blocked, opted out at the provider, invalid number)."""
        set_rows(
            self._session, ids, status=OutboxStatus.FAILED.value, next_attempt_at=None, sent_at=None
        )

    def _item(self, row: OutboxMessage) -> OutboxItem:
        (message,) = decode_replies(self._sealer.open(row.payload_enc, outbox_aad(row.id)))
        return OutboxItem(
            id=row.id,
            pseudonym=row.pseudonym,
            channel=Channel(row.channel),
            kind=OutboxKind(row.kind),
            message=message,
            status=OutboxStatus(row.status),
            attempts=row.attempts,
            provider_ref=row.provider_ref,
        )

    # --- pushes (updates, reminders, invitations) ------------------------------------------

    def queue_pushes(self, pushes: Sequence[NewPush], not_before: datetime, now: datetime) -> None:
        """Queue pushes in this transaction, due from `not_before`; a dedupe key already
        queued is left as it is (so queueing twice never sends twice)."""
        rows = []
        for push in pushes:
            message_id = new_id()
            payload = encode_replies([push.message])
            rows.append(
                {
                    "id": message_id,
                    "pseudonym": push.pseudonym,
                    "channel": push.channel.value,
                    "kind": OutboxKind.PUSH.value,
                    "position": 0,
                    "payload_enc": self._sealer.seal(payload, outbox_aad(message_id)),
                    "status": OutboxStatus.QUEUED.value,
                    "dedupe_key": push.dedupe_key,
                    "attempts": 0,
                    "next_attempt_at": not_before,
                    "created_at": now,
                    "update_id": push.update_id,
                    "language": push.language,
                }
            )
        dialect = self._session.get_bind().dialect.name
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            statement: Any
            if dialect == "postgresql":
                statement = postgresql.insert(OutboxMessage).on_conflict_do_nothing()
            else:
                statement = sqlite.insert(OutboxMessage).on_conflict_do_nothing()
            self._session.execute(statement, chunk)


def set_rows(session: Session, ids: Sequence[str], **values: object) -> None:
    """Set `values` on the outbox rows `ids` (none: nothing)."""
    if ids:
        session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(list(ids))).values(**values)
        )


_INSERT: Any = insert(OutboxMessage.__table__)  # type: ignore[arg-type]
