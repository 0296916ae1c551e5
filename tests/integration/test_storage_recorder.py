"""Recording the engine's facts: answers, subscriptions, opt-outs, erasure, release, results."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from conversations.facts import (
    AnswerRecorded,
    EraseRequested,
    Fact,
    Flagged,
    OptedIn,
    OptedOut,
    ResponseEnded,
    ResponseStarted,
    ResponseStatus,
    Subscribed,
    Unsubscribed,
)
from conversations.messages import Channel
from conversations.model import UpdatesScope
from conversations.state import AnswerValue
from storage.crypto import Keys
from storage.models import Answer, Participant, PendingAnswer, Response, Subscription
from storage.uow import Database

KEYS = Keys(bytes(range(32)))
NOW = datetime(2025, 3, 1, 23, 30, tzinfo=UTC)
ALICE = KEYS.pseudonym("tel:+447700900123")
BOB = KEYS.pseudonym("tg:987654321")


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.open(database_url, KEYS)
    yield database
    database.close()


@pytest.fixture
def round_id(db: Database) -> str:
    with db.unit_of_work() as uow:
        return uow.rounds.open_now("feeling-safe", NOW - timedelta(days=1))


def answer(token: str, round_id: str, question: str, value: AnswerValue) -> AnswerRecorded:
    return AnswerRecorded(token, "feeling-safe", "v1", round_id, question, value, value is None)


def response(token: str, round_id: str, status: ResponseStatus | None) -> list[Fact]:
    facts: list[Fact] = [
        ResponseStarted(token, "feeling-safe", "v1", round_id, Channel.SMS),
        answer(token, round_id, "safe", "unsafe"),
        answer(token, round_id, "where", ("park", "bus")),
        answer(token, round_id, "age", None),
        answer(token, round_id, "school", 4),
    ]
    if status is not None:
        facts.append(ResponseEnded(token, round_id, status))
    return facts


def record(db: Database, facts: Sequence[Fact], pseudonym: str = ALICE, **kw: bool) -> None:
    with db.unit_of_work() as uow:
        uow.lock_participant(pseudonym)
        uow.decisions.record_facts(facts, Channel.SMS, pseudonym, NOW, **kw)


def test_a_response_and_its_answers_are_recorded_by_respondent_key(
    db: Database, round_id: str
) -> None:
    record(db, response("tok-a", round_id, ResponseStatus.FINISHED))
    with db.unit_of_work() as uow:
        (row,) = uow.results.responses("feeling-safe")
        answers = {a.question_id: a for a in uow.results.answers("feeling-safe", round_id)}
    assert row.respondent_key == KEYS.respondent_key("tok-a") != "tok-a"
    assert (row.channel, row.status) == (Channel.SMS, ResponseStatus.FINISHED)
    assert {q: (a.value, a.skipped) for q, a in answers.items()} == {
        "safe": ("unsafe", False),
        "where": (("park", "bus"), False),
        "age": (None, True),
        "school": (4, False),
    }
    assert {a.respondent_key for a in answers.values()} == {row.respondent_key}


def test_answers_carry_the_utc_day_only(db: Database, round_id: str) -> None:
    record(db, response("tok-a", round_id, None))
    with db.unit_of_work() as uow:
        days = set(uow.session.scalars(select(PendingAnswer.day)))
        assert days == {date(2025, 3, 1)}
        assert uow.session.scalars(select(Response.day)).all() == [date(2025, 3, 1)]


def test_a_later_answer_to_the_same_question_replaces_the_earlier(
    db: Database, round_id: str
) -> None:
    record(db, response("tok-a", round_id, None))
    record(db, [answer("tok-a", round_id, "safe", "very")])
    with db.unit_of_work() as uow:
        safe = [a for a in uow.results.answers("feeling-safe") if a.question_id == "safe"]
    assert [a.value for a in safe] == ["very"]


def test_a_stopped_response_is_kept_as_partial(db: Database, round_id: str) -> None:
    record(db, response("tok-a", round_id, None))
    record(db, [ResponseEnded("tok-a", round_id, ResponseStatus.PARTIAL)])
    with db.unit_of_work() as uow:
        (row,) = uow.results.responses("feeling-safe", round_id)
        assert row.status is ResponseStatus.PARTIAL
        assert len(uow.results.answers("feeling-safe")) == 4


def test_a_preview_records_no_answers_but_keeps_an_opt_out(db: Database, round_id: str) -> None:
    record(db, [*response("tok-a", round_id, None), OptedOut()], preview=True)
    with db.unit_of_work() as uow:
        assert uow.results.responses("feeling-safe") == []
        assert uow.results.answers("feeling-safe") == []
        assert uow.participants.is_opted_out(ALICE) is True


def test_release_moves_ended_responses_in_a_shuffled_batch_with_new_ids(
    db: Database, round_id: str
) -> None:
    record(db, response("tok-a", round_id, ResponseStatus.FINISHED))
    record(db, response("tok-b", round_id, ResponseStatus.PARTIAL), BOB)
    record(db, response("tok-c", round_id, None), KEYS.pseudonym("term:carol"))
    with db.unit_of_work() as uow:
        before = uow.results.answers("feeling-safe")
        pending_ids = set(uow.session.scalars(select(PendingAnswer.id)))
        assert uow.release_pending(NOW, random.Random(4)) == 8
    with db.unit_of_work() as uow:
        after = uow.results.answers("feeling-safe")
        # Results count both tables; only the released mark changes.
        unmarked = [dataclasses.replace(row, released=True) for row in after]
        assert unmarked == [dataclasses.replace(row, released=True) for row in before]
        assert not any(row.released for row in before)
        assert sum(row.released for row in after) == 8
        released = uow.session.execute(select(Answer.id, Answer.respondent_key)).all()
        still_pending = set(uow.session.scalars(select(PendingAnswer.respondent_key)))
    assert still_pending == {KEYS.respondent_key("tok-c")}
    assert len(released) == 8
    assert not {r.id for r in released} & pending_ids
    keys_in_order = [r.respondent_key for r in released]
    # Shuffled: the two responses are interleaved, not one block after the other.
    assert keys_in_order != sorted(keys_in_order, key=keys_in_order.index)


def test_subscribing_marks_the_address_as_needed_until_the_last_unsubscribe(
    db: Database, round_id: str
) -> None:
    record(
        db,
        [
            Subscribed("feeling-safe", round_id, UpdatesScope.THIS, "pl", Channel.WHATSAPP),
            Subscribed("feeling-safe", round_id, UpdatesScope.FUTURE, "pl", Channel.WHATSAPP),
        ],
    )
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(Subscription)).all()
        assert {(r.scope, r.language, r.channel) for r in rows} == {
            ("this", "pl", "whatsapp"),
            ("future", "pl", "whatsapp"),
        }
        assert _participant(uow.session, ALICE).needs_address is True
        assert uow.participants.has_subscriptions(ALICE) is True
        assert uow.participants.has_subscriptions(BOB) is False
    record(db, [Unsubscribed("feeling-safe", UpdatesScope.THIS)])
    with db.unit_of_work() as uow:
        assert _participant(uow.session, ALICE).needs_address is True
    record(db, [Unsubscribed("feeling-safe", UpdatesScope.FUTURE)])
    with db.unit_of_work() as uow:
        assert _participant(uow.session, ALICE).needs_address is False
        assert uow.session.scalar(select(func.count()).select_from(Subscription)) == 0


def test_stop_ends_every_subscription_asked_for_before_it(db: Database, round_id: str) -> None:
    record(
        db,
        [
            Subscribed("feeling-safe", round_id, UpdatesScope.THIS, "en", Channel.SMS),
            Subscribed("feeling-safe", round_id, UpdatesScope.FUTURE, "en", Channel.SMS),
        ],
    )
    record(db, [OptedOut()])
    record(db, [OptedIn()])  # START later: updates come again only if asked for again

    with db.unit_of_work() as uow:
        assert uow.participants.has_subscriptions(ALICE) is False
        assert _participant(uow.session, ALICE).needs_address is False


def test_stop_and_start_set_the_opt_out(db: Database) -> None:
    record(db, [OptedOut()])
    with db.unit_of_work() as uow:
        assert uow.participants.is_opted_out(ALICE) is True
    record(db, [OptedIn()])
    with db.unit_of_work() as uow:
        assert uow.participants.is_opted_out(ALICE) is False


def test_a_flagged_text_joins_the_review_queue_linked_to_nobody(
    db: Database, round_id: str
) -> None:
    record(db, [Flagged("violence", "he hits me", "feeling-safe", round_id)])
    with db.unit_of_work() as uow:
        (item,) = uow.reviews.open_items()
        assert (item.category, item.text, item.round_id, item.day) == (
            "violence",
            "he hits me",
            round_id,
            date(2025, 3, 1),
        )
        assert uow.reviews.done(item.id, "passed to the safeguarding lead") is True
    with db.unit_of_work() as uow:
        assert uow.reviews.open_items() == []


def test_delete_erases_answers_within_the_window_and_the_contact_details(
    db: Database, round_id: str
) -> None:
    record(db, response("tok-a", round_id, ResponseStatus.FINISHED))
    record(db, response("tok-old", round_id, ResponseStatus.FINISHED))
    record(db, response("tok-b", round_id, ResponseStatus.FINISHED), BOB)
    with db.unit_of_work() as uow:
        uow.release_pending(NOW, random.Random(1))  # some answers released ...
    record(db, response("tok-a2", round_id, None))  # ... and some still pending
    with db.unit_of_work() as uow:
        uow.participants.set_address(ALICE, "+447700900123")
    record(db, [Subscribed("feeling-safe", round_id, UpdatesScope.THIS, "en", Channel.SMS)])

    # tok-old is past its window: the engine no longer holds it, so DELETE can't reach it.
    record(db, [EraseRequested(("tok-a", "tok-a2"))])

    erased = {KEYS.respondent_key("tok-a"), KEYS.respondent_key("tok-a2")}
    with db.unit_of_work() as uow:
        left = {row.respondent_key for row in uow.results.responses("feeling-safe")}
        answered = {row.respondent_key for row in uow.results.answers("feeling-safe")}
        assert left == answered == {KEYS.respondent_key("tok-old"), KEYS.respondent_key("tok-b")}
        assert not erased & set(uow.session.scalars(select(Answer.respondent_key)))
        assert not erased & set(uow.session.scalars(select(PendingAnswer.respondent_key)))
        assert uow.participants.get_address(ALICE) is None
        assert uow.session.scalars(select(Subscription)).all() == []
        assert _participant(uow.session, ALICE).needs_address is False


def _participant(session: Session, pseudonym: str) -> Participant:
    row = session.get(Participant, pseudonym)
    assert row is not None
    return row
