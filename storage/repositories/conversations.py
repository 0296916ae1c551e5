"""Each participant's current conversation (at most one), its state encrypted."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from conversations.state import ConversationState
from storage.models import Conversation, Round, new_id
from storage.repositories.participants import ensure_row
from storage.sealing import Sealer, conversation_aad
from storage.serialization import decode_conversation, encode_conversation

__all__ = ["IDLE_EXPIRY", "ConversationsRepository"]

IDLE_EXPIRY = timedelta(days=7)
"""A conversation (and the address kept for it) expires after this long without a message."""


class ConversationsRepository:
    """Core statements on the session's connection (the hot path reads and writes one
    conversation a message; no ORM object stands for one anywhere)."""

    def __init__(self, session: Session, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer
        # What this unit of work read or wrote: the row's id and its respondent token, so
        # a save needs neither a second SELECT nor a second decryption to compare tokens.
        # The participant lock keeps anyone else from changing it meanwhile.
        self._known: dict[str, _Known | None] = {}
        self._closes: Mapping[str, datetime | None] = {}

    def know_closes(self, closes: Mapping[str, datetime | None]) -> None:
        """Rounds' close times as the caller holds them, read in this transaction (the
        library's rounds, checked against the catalogue version): the expiry then needs no
        query. A round missing from `closes` is looked up."""
        self._closes = closes

    def current(self, pseudonym: str) -> ConversationState | None:
        """The participant's current conversation, if any."""
        found = self._session.connection().execute(_CURRENT, {"pseudonym": pseudonym}).first()
        if found is None:
            self._known[pseudonym] = None
            return None
        state = decode_conversation(self._sealer.open(found[1], conversation_aad(pseudonym)))
        self._known[pseudonym] = _Known(found[0], state.respondent_token)
        return state

    def save(self, pseudonym: str, state: ConversationState) -> None:
        """Store `state` as the participant's current conversation, replacing any other."""
        ensure_row(self._session, pseudonym)
        values = {
            "state_enc": self._sealer.seal(encode_conversation(state), conversation_aad(pseudonym)),
            "consultation_id": state.consultation_id,
            "version": state.version,
            "round_id": state.round_id or None,
            "phase": state.phase.value,
            "last_active": state.last_active,
            "expires_at": self._expiry(state),
        }
        connection = self._session.connection()
        known = self._known[pseudonym] if pseudonym in self._known else self._read(pseudonym)
        if known is not None and known.token == state.respondent_token:
            changed = connection.execute(_UPDATE, {"row_id": known.id, **values}).rowcount
            if changed == 1:
                return
        elif known is not None:
            connection.execute(_DELETE, {"pseudonym": pseudonym})
        # A new run gets a new random id, so ids don't chain one person's conversations.
        row_id = new_id()
        connection.execute(_INSERT, {"id": row_id, "pseudonym": pseudonym, **values})
        self._known[pseudonym] = _Known(row_id, state.respondent_token)

    def delete(self, pseudonym: str) -> None:
        """Forget the participant's current conversation (and so its respondent token)."""
        self._session.execute(delete(Conversation).where(Conversation.pseudonym == pseudonym))
        self._known[pseudonym] = None

    def expired(self, now: datetime) -> list[str]:
        """Pseudonyms whose conversation has expired (idle too long, or its round closed)."""
        statement = select(Conversation.pseudonym).where(Conversation.expires_at <= now)
        return list(self._session.scalars(statement))

    def _read(self, pseudonym: str) -> _Known | None:
        self.current(pseudonym)
        return self._known[pseudonym]

    def _expiry(self, state: ConversationState) -> datetime:
        expires = state.last_active + IDLE_EXPIRY
        if not state.round_id:
            return expires
        if state.round_id in self._closes:
            closes = self._closes[state.round_id]
        else:
            closes = self._session.scalar(select(Round.closes_at).where(Round.id == state.round_id))
        return min(expires, closes) if closes is not None else expires


class _Known(NamedTuple):
    id: str
    token: str


def _table() -> Table:
    table = Conversation.__table__
    assert isinstance(table, Table)
    return table


_T = _table()
_CURRENT: Any = select(_T.c.id, _T.c.state_enc).where(_T.c.pseudonym == bindparam("pseudonym"))
_UPDATE: Any = update(_T).where(_T.c.id == bindparam("row_id"))
_DELETE: Any = delete(_T).where(_T.c.pseudonym == bindparam("pseudonym"))
_INSERT: Any = insert(_T)
