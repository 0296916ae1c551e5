"""SKIP and BACK: skip anything (a required question asks once), go back one question."""

from __future__ import annotations

from conversations.facts import AnswerRecorded, Subscribed, Unsubscribed
from tests.unit.conversations.engine.fixtures import Chat, facts_of


def started(keyword: str = "SAFE") -> Chat:
    chat = Chat()
    chat.send(keyword)
    chat.send("yes")
    return chat


def test_skip_skips_an_optional_question() -> None:
    chat = started()
    chat.send("1")
    chat.send("skip")
    [recorded] = facts_of(chat.facts, AnswerRecorded)
    assert recorded.question_id == "how_safe_school"
    assert recorded.value is None
    assert recorded.skipped
    assert chat.text.startswith("Can we message you later")


def test_next_and_pomin_skip_too() -> None:
    chat = started()
    chat.send("1")
    chat.send("next")
    chat.send("pomiń")
    skipped = [f.question_id for f in facts_of(chat.all_facts, AnswerRecorded) if f.skipped]
    assert skipped == ["how_safe_school", "hear_back"]


def test_a_required_question_asks_once_gently_before_skipping() -> None:
    chat = started()
    chat.send("SKIP")
    assert chat.text == "Are you sure? Text SKIP again to skip this one."
    assert facts_of(chat.facts, AnswerRecorded) == []
    chat.send("SKIP")
    [recorded] = facts_of(chat.facts, AnswerRecorded)
    assert recorded.question_id == "safe_after_dark"
    assert recorded.skipped


def test_answering_after_the_gentle_ask_records_the_answer() -> None:
    chat = started()
    chat.send("SKIP")
    chat.send("2")
    [recorded] = facts_of(chat.facts, AnswerRecorded)
    assert recorded.value == "fairly"


def test_a_skipped_question_does_not_trigger_its_follow_up() -> None:
    chat = started()
    chat.send("skip")
    chat.send("skip")
    assert chat.text.startswith("How safe do you feel at school")


def test_back_asks_the_previous_question_again() -> None:
    chat = started()
    chat.send("3")
    chat.send("BACK")
    assert chat.text.startswith("How safe do you feel in your area after dark?")


def test_a_new_answer_after_back_replaces_the_old_and_changes_the_path() -> None:
    chat = started()
    chat.send("3")  # not safe -> asked why
    chat.send("back")
    chat.send("1")  # very safe -> not asked why
    assert chat.text.startswith("How safe do you feel at school")
    assert chat.conversation is not None
    assert chat.conversation.answers["safe_after_dark"] == "very"


def test_back_on_the_first_question_repeats_it() -> None:
    chat = started()
    chat.send("back")
    assert chat.text.startswith("How safe do you feel in your area after dark?")
    assert facts_of(chat.facts, AnswerRecorded) == []


def test_back_skips_over_questions_that_were_not_asked() -> None:
    chat = started()
    chat.send("1")  # why_unsafe is not asked
    chat.send("back")
    assert chat.text.startswith("How safe do you feel in your area after dark?")


def test_no_after_going_back_to_an_earlier_yes_unsubscribes() -> None:
    chat = started()
    for answer in ("1", "3", "yes"):
        chat.send(answer)
    assert len(facts_of(chat.all_facts, Subscribed)) == 1
    chat.send("back")
    chat.send("no")
    [unsubscribed] = facts_of(chat.facts, Unsubscribed)
    assert unsubscribed.consultation_id == "feeling-safe"


def test_yes_again_after_going_back_does_not_subscribe_twice() -> None:
    chat = started()
    for answer in ("1", "3", "yes", "back", "yes"):
        chat.send(answer)
    assert len(facts_of(chat.all_facts, Subscribed)) == 1


def test_back_clears_the_count_of_tries() -> None:
    chat = started()
    chat.send("1")
    chat.send("purple")
    chat.send("back")
    assert chat.conversation is not None
    assert chat.conversation.reasks == 0
