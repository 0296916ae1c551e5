"""The end of a round's withdrawal window: the one rule that makes answers anonymous rather
than pseudonymous. `unlink_participant` drops the participant's respondent tokens for the
round, and `close_round_books` then gives every response of the round a new random key, in
one transaction and a shuffled order, so that nothing (a token kept elsewhere, a write
order, a PostgreSQL transaction id shared with a subscription or a participant's row) still
leads from a person to an answer. Run by bot/services/retention.py, each participant under
their lock.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from conversations.facts import ResponseStatus
from storage.models import (
    Answer,
    Conversation,
    Participant,
    Response,
    ReviewItem,
    Round,
    new_id,
)
from storage.release import release_pending
from storage.uow import UnitOfWork

__all__ = ["close_round_books", "linked_participants", "unlink_participant"]


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


# --- helpers -----------------------------------------------------------------------------


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
