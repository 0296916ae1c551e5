"""Retention rules: what storage forgets, and when. Each rule is one function on a unit of work.

Rules that touch one participant take the pseudonym, and expect the caller to have locked it
first (`uow.lock_participant`) and to look again under the lock, as the pipeline may have
moved on since the candidates were listed. bot/services/retention.py runs them in that
order. The withdrawal window's end, the rule that makes answers anonymous, is
storage/withdrawal.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, exists, or_, select, update

from conversations.facts import ResponseStatus
from conversations.state import Phase
from storage.models import (
    Conversation,
    OutboxMessage,
    Participant,
    Response,
    Round,
    Subscription,
)
from storage.repositories.outbox import OutboxKind, OutboxStatus
from storage.repositories.provider_messages import ProviderMessage
from storage.uow import UnitOfWork

__all__ = [
    "KEEP_IDLE_PARTICIPANT",
    "KEEP_PROVIDER_IDS",
    "KEEP_REPLIES",
    "clear_address_if_unneeded",
    "expire_conversation",
    "expired_conversations",
    "forget_participant_if_empty",
    "forget_provider_ids",
    "forget_replies",
    "forgettable_participants",
    "unneeded_addresses",
]

KEEP_PROVIDER_IDS = timedelta(days=1)
"""Provider message ids (Twilio SIDs) are kept this long, then forgotten."""
KEEP_REPLIES = timedelta(days=1)
"""The bot's sent replies (encrypted) are kept this long, for delivery callbacks."""
KEEP_IDLE_PARTICIPANT = timedelta(days=2)
"""A participant with nothing left to keep is forgotten after this long without a message
(longer than Telegram's 48 hours for deleting a chat's messages on EXIT)."""

_ACTIVE = (Phase.INTRO.value, Phase.QUESTION.value)
_FINAL = (OutboxStatus.SENT.value, OutboxStatus.FAILED.value, OutboxStatus.UNKNOWN.value)
_CLOSED_ROUND = ("closed", "cancelled")


# --- conversations ---------------------------------------------------------------------


def expired_conversations(uow: UnitOfWork, now: datetime) -> list[str]:
    """Pseudonyms whose conversation has expired: idle for 7 days, or its round closed."""
    statement = (
        select(Conversation.pseudonym)
        .outerjoin(Round, Round.id == Conversation.round_id)
        .where(_expired(now))
        .order_by(Conversation.pseudonym)
    )
    return list(uow.session.scalars(statement))


def expire_conversation(uow: UnitOfWork, pseudonym: str, now: datetime) -> bool:
    """End and delete the participant's conversation if it has expired (a response under
    way ends as partial; its answers stay), and drop the address unless updates need it.
    Returns whether a conversation expired."""
    statement = (
        select(Conversation.pseudonym)
        .outerjoin(Round, Round.id == Conversation.round_id)
        .where(Conversation.pseudonym == pseudonym, _expired(now))
    )
    if uow.session.scalar(statement) is None:
        return False
    state = uow.conversations.current(pseudonym)
    if state is not None and state.phase is Phase.QUESTION and not state.preview:
        key = uow.keys.respondent_key(state.respondent_token)
        uow.session.execute(
            update(Response)
            .where(
                Response.respondent_key == key,
                Response.status == ResponseStatus.STARTED.value,
            )
            .values(status=ResponseStatus.PARTIAL.value)
        )
    uow.conversations.delete(pseudonym)
    clear_address_if_unneeded(uow, pseudonym)
    return True


# --- addresses and participants --------------------------------------------------------


def unneeded_addresses(uow: UnitOfWork) -> list[str]:
    """Pseudonyms whose encrypted address no running conversation or subscription needs."""
    statement = (
        select(Participant.pseudonym)
        .where(Participant.address_enc.is_not(None), ~_needs_address())
        .order_by(Participant.pseudonym)
    )
    return list(uow.session.scalars(statement))


def clear_address_if_unneeded(uow: UnitOfWork, pseudonym: str) -> bool:
    """Forget the participant's address unless a conversation or subscription needs it."""
    statement = select(Participant.pseudonym).where(
        Participant.pseudonym == pseudonym,
        Participant.address_enc.is_not(None),
        ~_needs_address(),
    )
    if uow.session.scalar(statement) is None:
        return False
    uow.participants.clear_address(pseudonym)
    return True


def forgettable_participants(uow: UnitOfWork, now: datetime) -> list[str]:
    """Pseudonyms that may hold nothing worth keeping (check each with
    `forget_participant_if_empty`, which also reads the encrypted state)."""
    statement = (
        select(Participant.pseudonym).where(_forgettable(now)).order_by(Participant.pseudonym)
    )
    return list(uow.session.scalars(statement))


def forget_participant_if_empty(uow: UnitOfWork, pseudonym: str, now: datetime) -> bool:
    """Delete the participant's row when nothing about them needs keeping: no opt-out to
    honour, no address, conversation, subscription, message to send, nor answers they could
    still withdraw. Their pseudonym then no longer says that this address ever wrote."""
    statement = select(Participant.pseudonym).where(
        Participant.pseudonym == pseudonym, _forgettable(now)
    )
    if uow.session.scalar(statement) is None:
        return False
    state = uow.participants.get_state(pseudonym)
    if state is not None and state.responses:
        return False
    uow.participants.delete(pseudonym)
    return True


# --- provider ids and stored replies ---------------------------------------------------


def forget_replies(uow: UnitOfWork, now: datetime) -> int:
    """Delete the bot's replies (encrypted text, provider id) sent more than a day ago."""
    result = uow.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.kind == OutboxKind.REPLY.value,
            OutboxMessage.status.in_(_FINAL),
            OutboxMessage.created_at < now - KEEP_REPLIES,
        )
    )
    return _rowcount(result)


def forget_provider_ids(uow: UnitOfWork, now: datetime) -> int:
    """Forget provider message ids older than a day: delivery records whose provider copy
    needs no more deleting, and the provider id on sent pushes. Records of copies still to
    delete stay until they are deleted. Returns the ids forgotten."""
    old_outbox = select(OutboxMessage.id).where(OutboxMessage.created_at < now - KEEP_PROVIDER_IDS)
    records = uow.session.execute(
        delete(ProviderMessage).where(
            ProviderMessage.erase_at.is_(None),
            or_(
                ProviderMessage.erased.is_(True),
                ProviderMessage.outbox_id.is_(None),
                ProviderMessage.outbox_id.in_(old_outbox),
            ),
        )
    )
    refs = uow.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.provider_ref.is_not(None),
            OutboxMessage.status.in_(_FINAL),
            OutboxMessage.created_at < now - KEEP_PROVIDER_IDS,
        )
        .values(provider_ref=None)
    )
    return _rowcount(records) + _rowcount(refs)


# --- helpers -----------------------------------------------------------------------------


def _expired(now: datetime) -> ColumnElement[bool]:
    return or_(
        Conversation.expires_at <= now,
        Round.closes_at <= now,
        Round.status.in_(_CLOSED_ROUND),
    )


def _needs_address() -> ColumnElement[bool]:
    return or_(
        exists().where(Subscription.pseudonym == Participant.pseudonym),
        exists().where(
            Conversation.pseudonym == Participant.pseudonym, Conversation.phase.in_(_ACTIVE)
        ),
    )


def _forgettable(now: datetime) -> ColumnElement[bool]:
    return and_(
        Participant.opted_out.is_(False),
        Participant.address_enc.is_(None),
        or_(Participant.updated_at.is_(None), Participant.updated_at < now - KEEP_IDLE_PARTICIPANT),
        ~exists().where(Conversation.pseudonym == Participant.pseudonym),
        ~exists().where(Subscription.pseudonym == Participant.pseudonym),
        ~exists().where(
            OutboxMessage.pseudonym == Participant.pseudonym,
            OutboxMessage.status.not_in(_FINAL),
        ),
    )


def _rowcount(result: object) -> int:
    count = getattr(result, "rowcount", 0)
    return max(int(count), 0) if count is not None else 0
