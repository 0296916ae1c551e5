"""The rows the updates repository hands back: an update, its pushes' counts, a push, a reply."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from storage.models_updates import UpdateRecord

__all__ = [
    "TEMPLATE_DETAIL",
    "FeedbackRow",
    "PushCounts",
    "RecentPush",
    "StoredUpdate",
    "UpdateStatus",
    "stored",
]

TEMPLATE_DETAIL = "whatsapp template"  # an outbox push's detail when sent by WhatsApp template


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


def stored(row: UpdateRecord) -> StoredUpdate:
    """An update row as the repository hands it back."""
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
