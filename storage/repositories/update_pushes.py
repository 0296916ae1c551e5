"""An update's pushes in the outbox: who is covered, queueing again, how they stand, the last one.

The update rows themselves are in `storage.repositories.updates`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from storage.models import OutboxMessage
from storage.models_updates import UpdateRecord
from storage.repositories.outbox import OutboxKind, OutboxStatus
from storage.repositories.provider_messages import ProviderMessage
from storage.repositories.update_rows import TEMPLATE_DETAIL, PushCounts, RecentPush

__all__ = ["UpdatePushesRepository"]

DELIVERED = ("delivered", "read")  # provider callbacks that mean it reached the phone
CHUNK = 500  # pseudonyms per IN (...): well inside SQLite's and PostgreSQL's limits


class UpdatePushesRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

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

    def recent_push(self, pseudonym: str, since: datetime) -> RecentPush | None:
        """The last update sent to this person since `since`, with its texts."""
        # Asked on every inbound message: one statement built once, run on the connection
        # (nothing in this unit of work has written outbox rows yet when it is asked).
        found = (
            self._session.connection()
            .execute(_RECENT, {"pseudonym": pseudonym, "since": since})
            .first()
        )
        if found is None:
            return None
        assert found.sent_at is not None
        texts = found.texts if isinstance(found.texts, dict) else {}
        language = found.language if found.language in texts else None
        language = language or next(iter(texts), "")
        return RecentPush(
            update_id=found.id,
            consultation_id=found.consultation_id,
            sent_at=found.sent_at,
            language=language,
            by_template=found.detail == TEMPLATE_DETAIL,
            texts=texts.get(language, {}),
        )


_RECENT: Any = (
    select(
        OutboxMessage.sent_at,
        OutboxMessage.language,
        OutboxMessage.detail,
        UpdateRecord.id,
        UpdateRecord.consultation_id,
        UpdateRecord.texts,
    )
    .join(UpdateRecord, UpdateRecord.id == OutboxMessage.update_id)
    .where(
        OutboxMessage.pseudonym == bindparam("pseudonym"),
        OutboxMessage.kind == OutboxKind.PUSH.value,
        OutboxMessage.status == OutboxStatus.SENT.value,
        OutboxMessage.sent_at >= bindparam("since"),
    )
    .order_by(OutboxMessage.sent_at.desc())
    .limit(1)
)
"""The last update pushed to one person since a time, with its texts (see recent_push)."""
