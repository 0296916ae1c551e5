"""Retention rules: what storage forgets, and when. Each rule is one function on a unit of work.

Rules that touch one participant take the pseudonym, and expect the caller to have locked it
first (`uow.lock_participant`) and to look again under the lock, as the pipeline may have
moved on since the candidates were listed. bot/privacy.py runs them in that order.

The withdrawal window's end is the one rule that makes answers anonymous rather than
pseudonymous: `unlink_participant` drops the participant's respondent tokens for the round,
and `close_round_books` then gives every response of the round a new random key, in one
transaction and a shuffled order, so that nothing (a token kept elsewhere, a write order,
a PostgreSQL transaction id shared with a subscription or a participant's row) still leads
from a person to an answer.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, exists, insert, or_, select, update
from sqlalchemy.orm import Session

from conversations.facts import ResponseStatus
from conversations.state import Phase
from storage.models import (
    Answer,
    Conversation,
    OutboxMessage,
    Participant,
    Response,
    ReviewItem,
    Round,
    Subscription,
    new_id,
)
from storage.release import release_pending
from storage.repositories.outbox import OutboxKind, OutboxStatus
from storage.repositories.provider_messages import ProviderMessage
from storage.uow import UnitOfWork

__all__ = [
    "KEEP_IDLE_PARTICIPANT",
    "KEEP_PROVIDER_IDS",
    "KEEP_REPLIES",
    "clear_address_if_unneeded",
    "close_round_books",
    "expire_conversation",
    "expired_conversations",
    "forget_participant_if_empty",
    "forget_provider_ids",
    "forget_replies",
    "forgettable_participants",
    "linked_participants",
    "unlink_participant",
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


# --- the withdrawal window -------------------------------------------------------------


def linked_participants(uow: UnitOfWork, round_ids: Iterable[str]) -> list[str]:
    """Pseudonyms still linked to a response in one of `round_ids`: by a respondent token
    in their (encrypted) state, or by a conversation in that round."""
    wanted = set(round_ids)
    if not wanted:
        return []
    found = set(
        uow.session.scalars(select(Conversation.pseudonym).where(Conversation.round_id.in_(wanted)))
    )
    candidates = uow.session.scalars(
        select(Participant.pseudonym).where(Participant.state_enc.is_not(None))
    )
    for pseudonym in candidates:
        state = uow.participants.get_state(pseudonym)
        if state is not None and wanted & set(state.responses):
            found.add(pseudonym)
    return sorted(found)


def unlink_participant(uow: UnitOfWork, pseudonym: str, round_ids: Iterable[str]) -> int:
    """Drop the participant's respondent tokens for `round_ids` and any conversation in
    those rounds: DELETE can no longer find those answers. Returns the tokens dropped."""
    wanted = set(round_ids)
    uow.session.execute(
        delete(Conversation).where(
            Conversation.pseudonym == pseudonym, Conversation.round_id.in_(wanted)
        )
    )
    state = uow.participants.get_state(pseudonym)
    if state is None:
        return 0
    kept = {r: token for r, token in state.responses.items() if r not in wanted}
    dropped = len(state.responses) - len(kept)
    if dropped:
        # No `now`: the row's updated_at says when the person last wrote, not when we tidied.
        uow.participants.save_state(pseudonym, replace(state, responses=kept))
    return dropped


def close_round_books(uow: UnitOfWork, round_id: str, now: datetime, rng: random.Random) -> int:
    """Unlink a round for good, in this one transaction: responses still under way end as
    partial, every pending answer is released, review items lose their respondent key, and
    every response and answer gets a new random key, written in a shuffled order. Call it
    after `unlink_participant` has run for every linked participant. Returns the responses
    re-keyed."""
    session = uow.session
    session.execute(
        update(Response)
        .where(Response.round_id == round_id, Response.status == ResponseStatus.STARTED.value)
        .values(status=ResponseStatus.PARTIAL.value)
    )
    release_pending(session, now, rng, round_id)
    session.execute(
        update(ReviewItem).where(ReviewItem.round_id == round_id).values(respondent_key=None)
    )
    count = _rekey(session, round_id, rng)
    session.execute(update(Round).where(Round.id == round_id).values(unlinked=True))
    session.flush()
    session.expire_all()
    return count


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


def _rekey(session: Session, round_id: str, rng: random.Random) -> int:
    responses = list(session.scalars(select(Response).where(Response.round_id == round_id)))
    if not responses:
        return 0
    answers = list(session.scalars(select(Answer).where(Answer.round_id == round_id)))
    # Random, not derived from anything: no token, key or order leads to these.
    new_keys = {row.respondent_key: secrets.token_hex(32) for row in responses}
    response_rows = [
        {
            "respondent_key": new_keys[row.respondent_key],
            "round_id": row.round_id,
            "consultation_id": row.consultation_id,
            "version": row.version,
            "channel": row.channel,
            "status": row.status,
            "day": row.day,
        }
        for row in responses
    ]
    answer_rows = [
        {
            "id": new_id(),
            "respondent_key": new_keys[row.respondent_key],
            "round_id": row.round_id,
            "consultation_id": row.consultation_id,
            "version": row.version,
            "question_id": row.question_id,
            "value": row.value,
            "skipped": row.skipped,
            "day": row.day,
        }
        for row in answers
        if row.respondent_key in new_keys
    ]
    rng.shuffle(response_rows)
    rng.shuffle(answer_rows)
    session.execute(delete(Answer).where(Answer.round_id == round_id))
    session.execute(delete(Response).where(Response.round_id == round_id))
    session.execute(insert(Response), response_rows)
    if answer_rows:
        session.execute(insert(Answer), answer_rows)
    return len(response_rows)


def _rowcount(result: object) -> int:
    count = getattr(result, "rowcount", 0)
    return max(int(count), 0) if count is not None else 0
