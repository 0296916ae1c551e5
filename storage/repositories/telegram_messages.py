"""What the Telegram channel remembers per participant and per update.

`telegram_chats`: one row per participant pseudonym. Its encrypted blob holds the ids and
dates of the chat's recent messages (both ways: EXIT deletes them while the Bot API still
allows it, 48 hours) and the question message whose buttons are live. No chat id is kept:
in a private chat it equals the user id, which the participant's encrypted address holds.
`blocked` is set when the person blocked the bot, so nothing is pushed to them.

`telegram_updates`: one row per update whose handling did not simply succeed at once, keyed
by a keyed hash of its update_id: the outbox rows of its replies (so a resent update can
deliver what a crash left queued) and how often it failed (it is acknowledged after a few).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    bindparam,
    delete,
    false,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.crypto import Keys
from storage.db import SQLITE_BEGIN
from storage.keys import current_key_id
from storage.models import PSEUDONYM, Base, OutboxMessage, UTCDateTime
from storage.repositories.outbox import OutboxStatus
from storage.repositories.participants import ensure_row
from storage.repositories.telegram_log import (
    DELETE_WINDOW,
    ChatLog,
    LiveQuestion,
    decode_log,
    encode_log,
    telegram_log_aad,
)
from storage.sealing import Sealer
from storage.upsert import insert_ignore, upsert

__all__ = [
    "DELETE_WINDOW",
    "KEEP_UPDATES",
    "ChatLog",
    "LiveQuestion",
    "TelegramChat",
    "TelegramRepository",
    "TelegramUpdate",
    "begin_write",
    "telegram_log_aad",
]

KEEP_UPDATES = timedelta(days=1)


class TelegramChat(Base):
    """One participant's Telegram chat, by pseudonym; everything but `blocked` encrypted."""

    __tablename__ = "telegram_chats"

    pseudonym: Mapped[str] = mapped_column(
        String(PSEUDONYM),
        ForeignKey("participants.pseudonym", ondelete="CASCADE"),
        primary_key=True,
    )
    log_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class TelegramUpdate(Base):
    """An update by keyed hash of its id: its replies' outbox rows and its failures."""

    __tablename__ = "telegram_updates"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    outbox_ids: Mapped[str] = mapped_column(Text, default="", server_default="")
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    gave_up: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


def begin_write(session: Session) -> None:
    """Start the transaction as a writer on SQLite (BEGIN IMMEDIATE); call it first."""
    if session.get_bind().dialect.name == "sqlite" and not session.in_transaction():
        session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})


class TelegramRepository:
    """Chat logs and update records; write methods expect `begin_write` to have run."""

    def __init__(self, session: Session, keys: Keys) -> None:
        self._session = session
        self._sealer = Sealer(keys, lambda: current_key_id(session))
        self._keys = keys
        # Chat rows read locked in this transaction: a handled update reads one chat three
        # or four times (blocked?, the log, the save), and the lock holds it meanwhile.
        self._locked: dict[str, TelegramChat] = {}

    # --- chats -----------------------------------------------------------------------

    def log(self, pseudonym: str) -> ChatLog:
        """The chat's log, locked until the transaction ends (empty if none)."""
        row = self._chat(pseudonym, lock=True)
        if row is None or row.log_enc is None:
            return ChatLog()
        return decode_log(self._sealer.open(row.log_enc, telegram_log_aad(pseudonym)))

    def save_log(self, pseudonym: str, log: ChatLog, now: datetime) -> None:
        row = self._ensure(pseudonym)
        row.log_enc = self._sealer.seal(encode_log(log), telegram_log_aad(pseudonym))
        row.updated_at = now
        self._session.flush()

    def is_blocked(self, pseudonym: str) -> bool:
        row = self._chat(pseudonym, lock=False)
        return row is not None and row.blocked

    def set_blocked(self, pseudonym: str, blocked: bool, now: datetime) -> None:
        """Record that the person blocked the bot (or came back)."""
        if not blocked and self._chat(pseudonym, lock=True) is None:
            return
        row = self._ensure(pseudonym)
        row.blocked = blocked
        row.updated_at = now
        self._session.flush()

    def erase(self, pseudonym: str) -> None:
        """Forget the chat entirely (DELETE)."""
        self._locked.pop(pseudonym, None)
        self._session.execute(delete(TelegramChat).where(TelegramChat.pseudonym == pseudonym))

    def purge_logs(self, now: datetime) -> int:
        """Drop the logs of chats quiet for 48 hours (their ids can't be deleted any more)."""
        result = self._session.execute(
            update(TelegramChat)
            .where(
                TelegramChat.updated_at < now - DELETE_WINDOW,
                TelegramChat.log_enc.is_not(None),
            )
            .values(log_enc=None)
        )
        self._session.execute(
            delete(TelegramChat).where(
                TelegramChat.log_enc.is_(None), TelegramChat.blocked.is_(False)
            )
        )
        return int(getattr(result, "rowcount", 0))

    # --- updates ---------------------------------------------------------------------

    def remember_replies(self, update_id: int, outbox_ids: Sequence[str], now: datetime) -> None:
        """Record which outbox rows hold the replies to `update_id` (one upsert: every
        update that is handled comes here; its failures and first day are kept)."""
        values = {"outbox_ids": " ".join(outbox_ids), "failures": 0, "created_at": now}
        key, kept = ("digest",), ("failures", "created_at")
        upsert(
            self._session,
            TelegramUpdate,
            {"digest": self._digest(update_id), **values},
            key,
            keep=kept,
        )

    def reply_ids(self, update_id: int) -> tuple[str, ...]:
        row = self._session.get(TelegramUpdate, self._digest(update_id))
        return tuple(row.outbox_ids.split()) if row is not None else ()

    def note_failure(self, update_id: int, now: datetime, give_up_after: int) -> int:
        """Count one failed attempt at `update_id`; returns the failures so far."""
        row = self._update(update_id, now)
        row.failures += 1
        row.gave_up = row.failures >= give_up_after
        self._session.flush()
        return row.failures

    def gave_up(self, update_id: int) -> bool:
        row = self._session.get(TelegramUpdate, self._digest(update_id))
        return row is not None and row.gave_up

    def purge_updates(self, now: datetime) -> int:
        """Forget updates older than a day (Telegram stops resending long before)."""
        result = self._session.execute(
            delete(TelegramUpdate).where(TelegramUpdate.created_at < now - KEEP_UPDATES)
        )
        return int(getattr(result, "rowcount", 0))

    # --- the outbox rows of replies ------------------------------------------------------

    def claim(self, outbox_id: str) -> bool:
        """Mark a queued reply `sending` before the call; False if it is not queued."""
        result = self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == outbox_id,
                OutboxMessage.status == OutboxStatus.QUEUED.value,
            )
            .values(status=OutboxStatus.SENDING.value, attempts=OutboxMessage.attempts + 1)
        )
        return bool(getattr(result, "rowcount", 0))

    def settle(
        self,
        outbox_id: str,
        status: OutboxStatus,
        now: datetime,
        provider_ref: str | None = None,
    ) -> None:
        """Record how sending a claimed reply ended (queued again: nothing went out)."""
        values: dict[str, object] = {"status": status.value}
        if status is OutboxStatus.SENT:
            values.update(sent_at=now, provider_ref=provider_ref)
        if status in (OutboxStatus.FAILED, OutboxStatus.UNKNOWN):
            values["next_attempt_at"] = None
        self._session.execute(
            update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(**values)
        )

    # --- helpers -----------------------------------------------------------------------

    def _chat(self, pseudonym: str, *, lock: bool) -> TelegramChat | None:
        if pseudonym in self._locked:
            return self._locked[pseudonym]
        found = self._session.scalars(_LOCKED if lock else _CHAT, {"who": pseudonym}).first()
        if lock and found is not None:
            self._locked[pseudonym] = found
        return found

    def _ensure(self, pseudonym: str) -> TelegramChat:
        row = self._chat(pseudonym, lock=True)
        if row is not None:
            return row
        ensure_row(self._session, pseudonym)
        insert_ignore(self._session, TelegramChat, {"pseudonym": pseudonym, "blocked": False})
        row = self._chat(pseudonym, lock=True)
        assert row is not None
        return row

    def _update(self, update_id: int, now: datetime) -> TelegramUpdate:
        digest = self._digest(update_id)
        insert_ignore(
            self._session,
            TelegramUpdate,
            {"digest": digest, "outbox_ids": "", "failures": 0, "created_at": now},
        )
        statement = select(TelegramUpdate).where(TelegramUpdate.digest == digest)
        row = self._session.scalars(statement.with_for_update()).first()
        assert row is not None
        return row

    def _digest(self, update_id: int) -> str:
        return self._keys.message_digest("telegram-update", str(update_id))


_CHAT = select(TelegramChat).where(TelegramChat.pseudonym == bindparam("who"))
_LOCKED = _CHAT.with_for_update()
