"""Rotate the encryption key: a new key id, and every encrypted value sealed again with it.

Old ids stay readable (the keyring derives any id), so values a running process writes with
the previous id during a rotation still open; the next rotation re-seals them too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute

from storage.crypto import blob_key_id
from storage.keys import current_key_id, set_current_key_id
from storage.models import Conversation, InboundMessage, OutboxMessage, Participant
from storage.models_console import Officer
from storage.repositories.telegram_messages import TelegramChat, telegram_log_aad
from storage.sealing import (
    address_aad,
    conversation_aad,
    outbox_aad,
    participant_state_aad,
    replies_aad,
    totp_aad,
)
from storage.uow import UnitOfWork

__all__ = ["rotate_encryption_key"]

_Column = InstrumentedAttribute[Any]
_SEALED: tuple[tuple[_Column, _Column, Callable[[str], bytes]], ...] = (
    (Participant.pseudonym, Participant.state_enc, participant_state_aad),
    (Participant.pseudonym, Participant.address_enc, address_aad),
    (Conversation.pseudonym, Conversation.state_enc, conversation_aad),
    (InboundMessage.digest, InboundMessage.reply_enc, replies_aad),
    (OutboxMessage.id, OutboxMessage.payload_enc, outbox_aad),
    (TelegramChat.pseudonym, TelegramChat.log_enc, telegram_log_aad),
    (Officer.id, Officer.totp_secret_enc, totp_aad),
)


def rotate_encryption_key(uow: UnitOfWork) -> tuple[int, int]:
    """Make a new key id current and re-seal every value; returns (new id, values re-sealed)."""
    session = uow.session
    new_id = current_key_id(session) + 1
    resealed = 0
    for key_column, blob_column, aad in _SEALED:
        rows = session.execute(
            select(key_column, blob_column).where(blob_column.is_not(None))
        ).all()
        for row_key, blob in rows:
            if blob_key_id(blob) == new_id:
                continue
            plaintext = uow.keys.decrypt(blob, aad(row_key))
            sealed = uow.keys.encrypt(plaintext, new_id, aad(row_key))
            session.execute(
                update(blob_column.class_)
                .where(key_column == row_key)
                .values({blob_column.key: sealed})
            )
            resealed += 1
    set_current_key_id(session, new_id)
    return new_id, resealed
