"""Encrypting one column of one row: the current key id and associated data per column.

The associated data names the table, column and row, so an encrypted value copied into
another row (another person's state, say) refuses to open.
"""

from __future__ import annotations

from collections.abc import Callable

from storage.crypto import Keys

__all__ = [
    "Sealer",
    "address_aad",
    "conversation_aad",
    "outbox_aad",
    "participant_state_aad",
    "replies_aad",
    "totp_aad",
]


def participant_state_aad(pseudonym: str) -> bytes:
    return b"participants.state_enc|" + pseudonym.encode()


def address_aad(pseudonym: str) -> bytes:
    return b"participants.address_enc|" + pseudonym.encode()


def conversation_aad(pseudonym: str) -> bytes:
    return b"conversations.state_enc|" + pseudonym.encode()


def replies_aad(digest: str) -> bytes:
    return b"inbound_messages.reply_enc|" + digest.encode()


def outbox_aad(message_id: str) -> bytes:
    return b"outbox.payload_enc|" + message_id.encode()


def totp_aad(officer_id: str) -> bytes:
    return b"officers.totp_secret_enc|" + officer_id.encode()


class Sealer:
    """Keys plus the current key id of one unit of work (read once, when first needed)."""

    def __init__(self, keys: Keys, key_id: Callable[[], int]) -> None:
        self.keys = keys
        self._key_id_source = key_id
        self._key_id: int | None = None

    @property
    def key_id(self) -> int:
        if self._key_id is None:
            self._key_id = self._key_id_source()
        return self._key_id

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        """Encrypt with the current key."""
        return self.keys.encrypt(plaintext, self.key_id, aad)

    def open(self, blob: bytes, aad: bytes) -> bytes:
        """Decrypt with whichever key id the blob names."""
        return self.keys.decrypt(blob, aad)
