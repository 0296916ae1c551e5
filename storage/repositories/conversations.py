"""Each participant's current conversation (at most one), its state encrypted."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
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
    def __init__(self, session: Session, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    def current(self, pseudonym: str) -> ConversationState | None:
        """The participant's current conversation, if any."""
        row = self._row(pseudonym)
        if row is None:
            return None
        return decode_conversation(self._sealer.open(row.state_enc, conversation_aad(pseudonym)))

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
        row = self._row(pseudonym)
        if row is not None and not self._token_changed(row, pseudonym, state):
            for name, value in values.items():
                setattr(row, name, value)
            return
        if row is not None:
            self._session.delete(row)
            self._session.flush()
        # A new run gets a new random id, so ids don't chain one person's conversations.
        self._session.add(Conversation(id=new_id(), pseudonym=pseudonym, **values))

    def delete(self, pseudonym: str) -> None:
        """Forget the participant's current conversation (and so its respondent token)."""
        self._session.execute(delete(Conversation).where(Conversation.pseudonym == pseudonym))

    def expired(self, now: datetime) -> list[str]:
        """Pseudonyms whose conversation has expired (idle too long, or its round closed)."""
        statement = select(Conversation.pseudonym).where(Conversation.expires_at <= now)
        return list(self._session.scalars(statement))

    def _row(self, pseudonym: str) -> Conversation | None:
        statement = select(Conversation).where(Conversation.pseudonym == pseudonym)
        return self._session.scalars(statement).one_or_none()

    def _token_changed(self, row: Conversation, pseudonym: str, state: ConversationState) -> bool:
        old = decode_conversation(self._sealer.open(row.state_enc, conversation_aad(pseudonym)))
        return old.respondent_token != state.respondent_token

    def _expiry(self, state: ConversationState) -> datetime:
        expires = state.last_active + IDLE_EXPIRY
        closes = (
            self._session.scalar(select(Round.closes_at).where(Round.id == state.round_id))
            if state.round_id
            else None
        )
        return min(expires, closes) if closes is not None else expires
