"""Two messages from one participant at once are handled one after the other."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from conversations.facts import AnswerRecorded
from conversations.messages import Channel
from conversations.state import ConversationState, Phase
from storage.crypto import Keys
from storage.uow import Database

KEYS = Keys(bytes(range(32)))
NOW = datetime(2025, 3, 1, 18, 30, tzinfo=UTC)
ALICE = KEYS.pseudonym("tel:+447700900123")
TOKEN = "resp-tok-concurrent"
# How long the first message holds the lock while watching for the second to get past it.
# With a working lock the second can't, so this wait always runs out: the test's one pause.
WATCH = 0.3


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.open(database_url, KEYS)
    yield database
    database.close()


def test_two_messages_at_once_give_two_answers_in_order(db: Database) -> None:
    with db.unit_of_work() as uow:
        round_id = uow.rounds.open_now("feeling-safe", NOW - timedelta(days=1))
        uow.conversations.save(
            ALICE,
            ConversationState(
                "feeling-safe", "v1", round_id, TOKEN, "en", Phase.QUESTION, NOW, NOW
            ),
        )
    first_holds_lock = threading.Event()
    second_read_state = threading.Event()
    second_got_in_early: list[bool] = []
    errors: list[BaseException] = []

    def handle(question: str, value: str, first: bool) -> None:
        try:
            if not first:
                first_holds_lock.wait(timeout=10)
            with db.unit_of_work() as uow:
                uow.lock_participant(ALICE)
                state = uow.conversations.current(ALICE)
                assert state is not None
                if first:
                    first_holds_lock.set()
                    second_got_in_early.append(second_read_state.wait(timeout=WATCH))
                else:
                    second_read_state.set()
                uow.conversations.save(
                    ALICE,
                    replace(
                        state,
                        answers={**state.answers, question: value},
                        history=(*state.history, question),
                    ),
                )
                uow.decisions.record_facts(
                    [AnswerRecorded(TOKEN, "feeling-safe", "v1", round_id, question, value)],
                    Channel.SMS,
                    ALICE,
                    NOW,
                )
        except BaseException as error:  # surfaced below, in the test's own thread
            errors.append(error)
            first_holds_lock.set()

    threads = [
        threading.Thread(target=handle, args=("safe", "unsafe", True)),
        threading.Thread(target=handle, args=("why", "dark streets", False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert second_got_in_early == [False]  # the second message waited for the first
    with db.unit_of_work() as uow:
        state = uow.conversations.current(ALICE)
        answers = {a.question_id: a.value for a in uow.results.answers("feeling-safe")}
    assert state is not None
    assert state.history == ("safe", "why")
    assert state.answers == {"safe": "unsafe", "why": "dark streets"}
    assert answers == {"safe": "unsafe", "why": "dark streets"}
