"""A conversation over time: rounds closing, going idle, new versions, previews."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from conversations.engine import World
from conversations.facts import (
    AnswerRecorded,
    OptedOut,
    ResponseEnded,
    ResponseStarted,
    ResponseStatus,
    Subscribed,
)
from conversations.model import Question, QuestionType
from tests.unit.conversations.engine.fixtures import (
    FEELING_SAFE,
    KINDS,
    Chat,
    facts_of,
    make_world,
    open_round,
)


def started() -> Chat:
    chat = Chat()
    chat.send("SAFE")
    chat.send("yes")
    return chat


def without_round(world: World, round_id: str) -> World:
    return replace(world, open_rounds=tuple(r for r in world.open_rounds if r.round_id != round_id))


def test_a_message_after_the_round_closed_ends_the_response_and_says_so() -> None:
    chat = started()
    chat.world = without_round(chat.world, "feeling-safe-r1")
    chat.send("2")
    assert chat.replies[0].text == "That has now closed. Thank you."
    assert "Text KINDS" in chat.replies[1].text  # then the welcome, as to a first contact
    [ended] = facts_of(chat.facts, ResponseEnded)
    assert ended.status is ResponseStatus.PARTIAL
    assert facts_of(chat.facts, AnswerRecorded) == []
    assert chat.conversation is None


def test_a_keyword_after_the_round_closed_starts_the_new_one() -> None:
    chat = started()
    chat.world = without_round(chat.world, "feeling-safe-r1")
    chat.send("KINDS")
    assert chat.replies[0].text == "That has now closed. Thank you."
    assert chat.replies[1].text == KINDS.intro["en"]


def test_a_conversation_idle_for_over_a_week_ends_and_starts_over() -> None:
    chat = started()
    chat.later(timedelta(days=7, minutes=1))
    chat.send("2")
    [ended] = facts_of(chat.facts, ResponseEnded)
    assert ended.status is ResponseStatus.PARTIAL
    assert "That has now closed" not in chat.text
    assert chat.text.startswith("Hi!")


def test_a_conversation_idle_for_six_days_carries_on() -> None:
    chat = started()
    chat.later(timedelta(days=6))
    chat.send("2")
    assert [f.value for f in facts_of(chat.facts, AnswerRecorded)] == ["fairly"]


def test_every_message_keeps_the_conversation_alive() -> None:
    chat = started()
    for _ in range(3):
        chat.later(timedelta(days=5))
        chat.send("help")
    chat.send("2")
    assert [f.value for f in facts_of(chat.facts, AnswerRecorded)] == ["fairly"]


def test_a_conversation_under_way_keeps_its_version() -> None:
    chat = started()
    changed = replace(
        FEELING_SAFE,
        version="v2",
        questions=(Question("new", QuestionType.TEXT, {"en": "A new question?", "pl": "?"}),),
    )
    chat.world = replace(
        make_world(open_round(changed)), versions={("feeling-safe", "v1"): FEELING_SAFE}
    )
    chat.send("1")
    [recorded] = facts_of(chat.facts, AnswerRecorded)
    assert recorded.version == "v1"
    assert recorded.question_id == "safe_after_dark"
    assert chat.text.startswith("How safe do you feel at school")


def test_a_conversation_whose_version_is_gone_ends_partial() -> None:
    chat = started()
    changed = replace(FEELING_SAFE, version="v2")
    chat.world = make_world(open_round(changed))
    chat.send("1")
    [ended] = facts_of(chat.facts, ResponseEnded)
    assert ended.status is ResponseStatus.PARTIAL
    assert facts_of(chat.facts, AnswerRecorded) == []


def test_a_preview_records_nothing_for_results() -> None:
    chat = Chat(world=make_world(preview=True))
    for message in ("SAFE", "yes", "1", "3", "yes", "yes"):
        chat.send(message)
    assert chat.text == FEELING_SAFE.closing["en"]
    for kind in (ResponseStarted, AnswerRecorded, ResponseEnded, Subscribed):
        assert facts_of(chat.all_facts, kind) == []
    assert chat.conversation is not None
    assert chat.conversation.preview


def test_a_preview_still_records_stop() -> None:
    chat = Chat(world=make_world(preview=True))
    chat.send("SAFE")
    chat.send("STOP")
    assert OptedOut() in chat.facts


def test_a_preview_conversation_stays_out_of_results_in_a_live_world() -> None:
    chat = Chat(world=make_world(preview=True))
    chat.send("SAFE")
    chat.world = replace(chat.world, preview=False)
    chat.send("yes")
    chat.send("1")
    assert facts_of(chat.all_facts, AnswerRecorded) == []


def test_stop_start_and_the_keyword_carry_on_where_it_stopped() -> None:
    chat = started()
    chat.send("1")
    chat.send("STOP")
    chat.send("START")
    chat.send("SAFE")
    assert chat.text.startswith(
        "Welcome back. Here's where you were:\nHow safe do you feel at school"
    )


def test_a_stopped_conversation_cannot_be_resumed_after_a_week() -> None:
    chat = started()
    chat.send("EXIT")
    chat.later(timedelta(days=8))
    chat.send("SAFE")
    assert chat.text == "You've already taken part in this one. Thank you!"


def test_replies_are_the_same_for_the_same_input() -> None:
    first, second = started(), started()
    for chat in (first, second):
        chat.send("the lights")
    assert first.last == second.last
