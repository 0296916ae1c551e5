"""Inbound dedupe: a handled provider message id and the replies it got, kept a day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from conversations.messages import Outgoing
from storage.models import InboundMessage
from storage.sealing import Sealer, replies_aad
from storage.serialization import decode_replies, encode_replies
from storage.upsert import insert_ignore

__all__ = ["KEEP_INBOUND", "InboundRepository"]

KEEP_INBOUND = timedelta(days=1)


class InboundRepository:
    def __init__(self, session: Session, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    def seen(self, provider: str, provider_id: str) -> list[Outgoing] | None:
        """The replies a message already got, or None if it is new. Call it after
        lock_participant, so a provider's concurrent retry waits for the first attempt."""
        digest = self._sealer.keys.message_digest(provider, provider_id)
        # Core, on the connection: nothing else in the unit of work writes these rows.
        sealed = self._session.connection().scalar(_SEEN, {"digest": digest})
        if sealed is None:
            return None
        return decode_replies(self._sealer.open(sealed, replies_aad(digest)))

    def remember(
        self, provider: str, provider_id: str, replies: Sequence[Outgoing], now: datetime
    ) -> None:
        """Record that a message was handled, with the replies it got."""
        digest = self._sealer.keys.message_digest(provider, provider_id)
        sealed = self._sealer.seal(encode_replies(replies), replies_aad(digest))
        insert_ignore(
            self._session,
            InboundMessage,
            {"digest": digest, "reply_enc": sealed, "created_at": now},
        )

    def purge(self, now: datetime) -> int:
        """Forget messages handled more than a day ago; returns how many."""
        result = self._session.execute(
            delete(InboundMessage).where(InboundMessage.created_at < now - KEEP_INBOUND)
        )
        return int(getattr(result, "rowcount", 0))


_SEEN = select(InboundMessage.reply_enc).where(InboundMessage.digest == bindparam("digest"))
