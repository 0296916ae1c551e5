"""The outbox: every message to send, written in the same transaction as the state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from conversations.messages import Channel, Outgoing
from storage.models import OutboxMessage, Participant, new_id
from storage.sealing import Sealer, outbox_aad
from storage.serialization import decode_replies, encode_replies
from storage.upsert import insert_ignore

__all__ = ["OutboxItem", "OutboxKind", "OutboxRepository", "OutboxStatus"]


class OutboxKind(StrEnum):
    REPLY = "reply"
    PUSH = "push"


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"  # marked before the provider call: after a crash it becomes unknown
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"


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
        self, pseudonym: str, channel: Channel, replies: Sequence[Outgoing], now: datetime
    ) -> list[str]:
        """Queue replies to one inbound message, in order; returns their ids."""
        insert_ignore(self._session, Participant, {"pseudonym": pseudonym})
        ids = []
        for position, reply in enumerate(replies):
            message_id = new_id()
            self._session.add(
                OutboxMessage(
                    id=message_id,
                    pseudonym=pseudonym,
                    channel=channel.value,
                    kind=OutboxKind.REPLY.value,
                    position=position,
                    payload_enc=self._sealer.seal(encode_replies([reply]), outbox_aad(message_id)),
                    status=OutboxStatus.QUEUED.value,
                    dedupe_key=f"reply:{message_id}",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            ids.append(message_id)
        self._session.flush()
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
        self._set(ids, status=OutboxStatus.SENDING.value, attempts=OutboxMessage.attempts + 1)

    def mark_sent(self, ids: Sequence[str], now: datetime, provider_ref: str | None = None) -> None:
        """Record that these messages reached the provider."""
        values: dict[str, object] = {"status": OutboxStatus.SENT.value, "sent_at": now}
        if provider_ref is not None:
            values["provider_ref"] = provider_ref
        self._set(ids, **values)

    def mark_failed(self, ids: Sequence[str]) -> None:
        """Record a permanent failure (blocked, opted out at the provider, invalid number)."""
        self._set(ids, status=OutboxStatus.FAILED.value, next_attempt_at=None, sent_at=None)

    def _set(self, ids: Sequence[str], **values: object) -> None:
        if ids:
            self._session.execute(
                update(OutboxMessage).where(OutboxMessage.id.in_(list(ids))).values(**values)
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
