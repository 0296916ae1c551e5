"""States, addresses, consultations, rounds, dedupe and the outbox, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from conversations.messages import Button, Channel, Outgoing
from conversations.model import Choice, Consultation, Question, QuestionType
from conversations.state import ConversationState, ParticipantState, Phase
from storage.crypto import Keys, blob_key_id
from storage.models import OutboxMessage, Participant
from storage.rotation import rotate_encryption_key
from storage.uow import Database

KEYS = Keys(bytes(range(32)))
NOW = datetime(2025, 3, 1, 18, 30, tzinfo=UTC)
ALICE = KEYS.pseudonym("tel:+447700900123")


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.open(database_url, KEYS)
    yield database
    database.close()


def consultation(version: str, keyword: str = "SAFE") -> Consultation:
    return Consultation(
        id="feeling-safe",
        title="Feeling safe",
        languages=("en",),
        keyword=keyword,
        listed=True,
        withdrawal_days=14,
        intro={"en": "Hi"},
        closing={"en": "Thanks"},
        questions=(
            Question(
                id="safe",
                type=QuestionType.CHOICE,
                text={"en": "Safe?"},
                choices=(Choice("yes", {"en": "Yes"}), Choice("no", {"en": "No"})),
            ),
        ),
        version=version,
    )


def conversation_state(round_id: str, **changes: object) -> ConversationState:
    state = ConversationState(
        consultation_id="feeling-safe",
        version="v1",
        round_id=round_id,
        respondent_token="token-8f14e45fceea167a",
        language="pl",
        phase=Phase.QUESTION,
        started_at=NOW,
        last_active=NOW.astimezone(timezone(timedelta(hours=1))),
        question_id="where",
        answers={"safe": "no", "where": ("park", "bus"), "age": 15, "skipped": None},
        history=("safe", "where"),
        reasks=1,
        skip_pending=True,
    )
    return replace(state, **changes)  # type: ignore[arg-type]


def open_round(db: Database, closes_at: datetime | None = None) -> str:
    with db.unit_of_work() as uow:
        return uow.rounds.open_now("feeling-safe", NOW - timedelta(days=1), closes_at)


def test_participant_state_round_trips_encrypted(db: Database) -> None:
    state = ParticipantState(
        language="pl",
        opted_out=True,
        stop_notice_sent=True,
        responses={"r1": "token-a", "r2": "token-b"},
        helplines_shown=True,
    )
    with db.unit_of_work() as uow:
        assert uow.participants.get_state(ALICE) is None
        uow.participants.save_state(ALICE, state, NOW)
    with db.unit_of_work() as uow:
        assert uow.participants.get_state(ALICE) == state
        row = uow.session.get(Participant, ALICE)
        assert row is not None
        assert row.state_enc is not None
        assert b"token-a" not in row.state_enc
        assert (row.opted_out, row.language, row.updated_at) == (True, "pl", NOW)


def test_conversation_state_round_trips_with_times_and_multi_answers(db: Database) -> None:
    state = conversation_state(open_round(db))
    with db.unit_of_work() as uow:
        assert uow.conversations.current(ALICE) is None
        uow.conversations.save(ALICE, state)
    with db.unit_of_work() as uow:
        stored = uow.conversations.current(ALICE)
    assert stored == state
    assert stored is not None
    assert stored.answers["where"] == ("park", "bus")
    assert stored.last_active.utcoffset() == timedelta(hours=1)


def test_one_current_conversation_per_participant(db: Database) -> None:
    round_id = open_round(db)
    with db.unit_of_work() as uow:
        uow.conversations.save(ALICE, conversation_state(round_id))
        uow.conversations.save(ALICE, conversation_state(round_id, respondent_token="t2"))
    with db.unit_of_work() as uow:
        current = uow.conversations.current(ALICE)
        assert current is not None
        assert current.respondent_token == "t2"
        uow.conversations.delete(ALICE)
    with db.unit_of_work() as uow:
        assert uow.conversations.current(ALICE) is None


def test_a_conversation_expires_at_round_close_or_after_a_week_idle(db: Database) -> None:
    closing_soon = open_round(db, closes_at=NOW + timedelta(days=2))
    endless = open_round(db)
    bob = KEYS.pseudonym("tg:987654321")
    with db.unit_of_work() as uow:
        uow.conversations.save(ALICE, conversation_state(closing_soon))
        uow.conversations.save(bob, conversation_state(endless))
    with db.unit_of_work() as uow:
        assert uow.conversations.expired(NOW + timedelta(days=1)) == []
        assert uow.conversations.expired(NOW + timedelta(days=2)) == [ALICE]
        assert sorted(uow.conversations.expired(NOW + timedelta(days=7))) == sorted([ALICE, bob])


def test_the_address_is_stored_encrypted_and_can_be_forgotten(db: Database) -> None:
    with db.unit_of_work() as uow:
        uow.participants.set_address(ALICE, "+447700900123")
        uow.participants.set_channel(ALICE, Channel.WHATSAPP)
    with db.unit_of_work() as uow:
        assert uow.participants.get_address(ALICE) == "+447700900123"
        assert uow.participants.get_channel(ALICE) is Channel.WHATSAPP
        row = uow.session.get(Participant, ALICE)
        assert row is not None
        assert row.address_enc is not None
        assert b"447700900123" not in row.address_enc
        uow.participants.clear_address(ALICE)
    with db.unit_of_work() as uow:
        assert uow.participants.get_address(ALICE) is None


def test_encrypted_values_carry_the_current_key_id_and_survive_rotation(db: Database) -> None:
    with db.unit_of_work() as uow:
        assert uow.key_id == 1
        uow.participants.set_address(ALICE, "+447700900123")
        uow.participants.save_state(ALICE, ParticipantState(language="en"))
        uow.outbox.add_replies(ALICE, Channel.SMS, [Outgoing("Hi")], NOW)
        uow.inbound.remember("twilio", "SM1", [Outgoing("Hi")], NOW)
    with db.unit_of_work() as uow:
        row = uow.session.get(Participant, ALICE)
        assert row is not None
        assert row.address_enc is not None
        assert blob_key_id(row.address_enc) == 1
        new_id, resealed = rotate_encryption_key(uow)
    assert (new_id, resealed) == (2, 4)
    with db.unit_of_work() as uow:
        assert uow.key_id == 2
        row = uow.session.get(Participant, ALICE)
        assert row is not None
        assert row.address_enc is not None
        assert row.state_enc is not None
        assert blob_key_id(row.address_enc) == blob_key_id(row.state_enc) == 2
        assert uow.participants.get_address(ALICE) == "+447700900123"
        assert uow.inbound.seen("twilio", "SM1") == [Outgoing("Hi")]
        bob = KEYS.pseudonym("tg:987654321")
        uow.participants.set_address(bob, "987654321")
    with db.unit_of_work() as uow:
        row = uow.session.get(Participant, bob)
        assert row is not None
        assert row.address_enc is not None
        assert blob_key_id(row.address_enc) == 2


def test_a_retried_message_gets_the_stored_reply(db: Database) -> None:
    replies = [Outgoing("How safe do you feel?", (Button("Very safe", "q:safe:very"),), "safe")]
    with db.unit_of_work() as uow:
        assert uow.inbound.seen("twilio", "SM123") is None
        uow.inbound.remember("twilio", "SM123", replies, NOW)
    with db.unit_of_work() as uow:
        assert uow.inbound.seen("twilio", "SM123") == replies
        assert uow.inbound.seen("telegram", "SM123") is None
        uow.inbound.remember("twilio", "SM123", [Outgoing("other")], NOW)  # harmless
    with db.unit_of_work() as uow:
        assert uow.inbound.seen("twilio", "SM123") == replies
        assert uow.inbound.purge(NOW + timedelta(hours=23)) == 0
        assert uow.inbound.purge(NOW + timedelta(days=1, seconds=1)) == 1
        assert uow.inbound.seen("twilio", "SM123") is None


def test_replies_wait_in_the_outbox_in_order_until_sent(db: Database) -> None:
    with db.unit_of_work() as uow:
        ids = uow.outbox.add_replies(ALICE, Channel.SMS, [Outgoing("one"), Outgoing("two")], NOW)
    with db.unit_of_work() as uow:
        items = uow.outbox.get(list(reversed(ids)))
        assert [item.message.text for item in items] == ["one", "two"]
        assert {item.status.value for item in items} == {"queued"}
        uow.outbox.mark_sending(ids)
        uow.outbox.mark_sent(ids, NOW, provider_ref="SM9")
    with db.unit_of_work() as uow:
        items = uow.outbox.get(ids)
        assert [(i.status.value, i.attempts, i.provider_ref) for i in items] == [
            ("sent", 1, "SM9")
        ] * 2


def test_forgetting_a_participant_takes_their_queued_messages(db: Database) -> None:
    round_id = open_round(db)
    with db.unit_of_work() as uow:
        uow.outbox.add_replies(ALICE, Channel.SMS, [Outgoing("one")], NOW)
        uow.conversations.save(ALICE, conversation_state(round_id))
    with db.unit_of_work() as uow:
        uow.participants.delete(ALICE)
    with db.unit_of_work() as uow:
        assert uow.session.scalars(select(OutboxMessage)).all() == []
        assert uow.conversations.current(ALICE) is None
        assert uow.participants.get_state(ALICE) is None


def test_a_changed_consultation_is_a_new_version_and_old_ones_stay(db: Database) -> None:
    with db.unit_of_work() as uow:
        assert uow.consultations.save(consultation("v1"), "source one", NOW) is True
        assert uow.consultations.save(consultation("v1"), "source one", NOW) is False
        assert uow.consultations.save(consultation("v2", "SAFER"), "source two", NOW) is True
    with db.unit_of_work() as uow:
        latest = uow.consultations.latest("feeling-safe")
        assert latest is not None
        assert (latest.version, latest.keyword) == ("v2", "SAFER")
        assert uow.consultations.get("feeling-safe", "v1") == "source one"
        assert uow.consultations.get("feeling-safe", "v9") is None
        assert uow.consultations.versions("feeling-safe") == ["v1", "v2"]
        assert uow.consultations.versions("nope") == []
        assert uow.consultations.latest("nope") is None
        # Loading the old file again makes it the latest again.
        assert uow.consultations.save(consultation("v1"), "source one", NOW) is True
        assert [c.version for c in uow.consultations.all_latest()] == ["v1"]


def test_open_rounds_are_those_open_now(db: Database) -> None:
    with db.unit_of_work() as uow:
        endless = uow.rounds.open_now("feeling-safe", NOW, keyword="safe2")
        ending = uow.rounds.open_now("heard", NOW, closes_at=NOW + timedelta(days=7))
        later = uow.rounds.schedule("other", NOW + timedelta(days=1), None, now=NOW)
        closed = uow.rounds.open_now("closed", NOW - timedelta(days=2))
        uow.rounds.close(closed, NOW - timedelta(days=1))
    with db.unit_of_work() as uow:
        assert sorted(uow.rounds.open_rounds(NOW)) == sorted(
            [
                (endless, "feeling-safe", "SAFE2", None),
                (ending, "heard", None, NOW + timedelta(days=7)),
            ]
        )
        # Oldest first: the endless round opened before the scheduled one.
        assert [r.round_id for r in uow.rounds.open_rounds(NOW + timedelta(days=8))] == [
            endless,
            later,
        ]
        got = uow.rounds.get(closed)
        assert got is not None
        assert got.status.value == "closed"
        assert uow.rounds.get("nope") is None


def test_insert_ignore_says_whether_it_inserted(database_url: str) -> None:
    from storage.crypto import Keys
    from storage.models import Participant
    from storage.uow import Database
    from storage.upsert import insert_ignore

    db = Database.open(database_url, Keys(b"k" * 32))
    try:
        with db.unit_of_work() as uow:
            session = uow.session
            assert insert_ignore(session, Participant, {"pseudonym": "ab" * 32}) is True
            assert insert_ignore(session, Participant, {"pseudonym": "ab" * 32}) is False
    finally:
        db.close()
