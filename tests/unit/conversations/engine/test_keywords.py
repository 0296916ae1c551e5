"""STOP, START, HELP, DELETE, EXIT, JOIN, MORE: they win over any answer, at every step."""

from __future__ import annotations

import pytest

from conversations.facts import (
    AnswerRecorded,
    EraseRequested,
    OptedIn,
    OptedOut,
    ResponseEnded,
    ResponseStatus,
    Subscribed,
)
from conversations.messages import Channel, Inbound
from conversations.model import UpdatesScope
from conversations.state import ParticipantState, Phase
from tests.unit.conversations.engine.fixtures import Chat, facts_of, make_world

STOP_CONFIRMATION = "You won't get any more messages from us. Text START to start again."
STOP_NOTICE = "You've stopped messages. Text START to start again."


def at_step(step: str) -> Chat:
    """A participant at the welcome, the intro, a question or after the end."""
    chat = Chat()
    script = {
        "welcome": ["hi"],
        "intro": ["SAFE"],
        "question": ["SAFE", "yes"],
        "free text": ["SAFE", "yes", "3"],
        "finished": ["HEARD", "yes", "no", "fine"],
    }[step]
    for message in script:
        chat.send(message)
    return chat


STEPS = ["welcome", "intro", "question", "free text", "finished"]


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("word", ["STOP", "stop", "Stop.", "unsubscribe", "KONIEC"])
def test_stop_stops_at_every_step_with_one_confirmation(step: str, word: str) -> None:
    chat = at_step(step)
    chat.send(word)
    assert [r.text for r in chat.replies] == [STOP_CONFIRMATION]
    assert chat.participant.opted_out
    assert OptedOut() in chat.facts
    assert facts_of(chat.facts, AnswerRecorded) == []


def test_stop_mid_way_keeps_the_answers_as_a_partial_response() -> None:
    chat = at_step("question")
    chat.send("1")
    chat.send("STOP")
    [ended] = facts_of(chat.facts, ResponseEnded)
    assert ended.status is ResponseStatus.PARTIAL
    assert chat.conversation is not None
    assert chat.conversation.phase is Phase.STOPPED


def test_stop_at_the_intro_leaves_no_response() -> None:
    chat = at_step("intro")
    chat.send("STOP")
    assert facts_of(chat.facts, ResponseEnded) == []
    assert chat.conversation is None


def test_after_stop_one_notice_then_silence() -> None:
    chat = at_step("question")
    chat.send("STOP")
    chat.send("hello?")
    assert chat.text == STOP_NOTICE
    chat.send("2")
    assert chat.replies == ()
    chat.send("anyone there")
    assert chat.replies == ()


def test_a_second_stop_gets_no_second_confirmation() -> None:
    chat = at_step("welcome")
    chat.send("STOP")
    chat.send("STOP")
    assert chat.replies == ()


def test_start_after_stop_says_welcome_back_and_opts_in() -> None:
    chat = at_step("welcome")
    chat.send("STOP")
    chat.send("hello")
    chat.send("START")
    assert chat.replies[0].text == "You're back. Welcome!"
    assert "Text SAFE" in chat.text
    assert not chat.participant.opted_out
    assert OptedIn() in chat.facts


def test_after_start_a_later_stop_gets_its_notice_again() -> None:
    chat = at_step("welcome")
    chat.send("STOP")
    chat.send("hi")
    chat.send("START")
    chat.send("STOP")
    chat.send("hi")
    assert chat.text == STOP_NOTICE


def test_help_after_stop_still_lists_who_can_help() -> None:
    chat = at_step("welcome")
    chat.send("STOP")
    chat.send("HELP")
    assert "999" in chat.text
    assert chat.participant.opted_out


def test_a_keyword_after_stop_opts_back_in_and_starts_it() -> None:
    chat = at_step("welcome")
    chat.send("STOP")
    chat.send("HEARD")
    assert chat.replies[0].text.startswith("Hi. A few questions about the support")
    assert not chat.participant.opted_out
    assert OptedIn() in chat.facts


@pytest.mark.parametrize("step", STEPS)
def test_help_lists_who_can_help_at_every_step(step: str) -> None:
    chat = at_step(step)
    chat.send("help")
    first = chat.replies[0].text
    assert "999" in first
    assert "Childline 0800 1111" in first
    assert "Samaritans 116 123" in first
    assert "can't send help" in first


def test_help_during_a_question_asks_the_question_again() -> None:
    chat = at_step("question")
    chat.send("INFO")
    assert len(chat.replies) == 2
    assert chat.replies[1].text.startswith("How safe do you feel in your area after dark?")
    assert facts_of(chat.facts, AnswerRecorded) == []


def test_configured_helplines_replace_the_catalogue_help() -> None:
    world = make_world(help_text={"en": "Call 999. Childline 0800 1111. NSPCC 0808 800 5000."})
    chat = Chat(world=world)
    chat.send("HELP")
    assert chat.replies[0].text == "Call 999. Childline 0800 1111. NSPCC 0808 800 5000."


@pytest.mark.parametrize("step", STEPS)
def test_delete_erases_everything_and_says_so(step: str) -> None:
    chat = at_step(step)
    chat.send("DELETE")
    assert chat.text == "Done. We've deleted your number and your answers."
    assert chat.participant == ParticipantState()
    assert chat.conversation is None
    assert len(facts_of(chat.facts, EraseRequested)) == 1


def test_delete_names_every_response_the_participant_can_still_withdraw() -> None:
    chat = Chat(participant=ParticipantState(responses={"older-round": "old-token"}))
    chat.send("SAFE")
    chat.send("yes")
    chat.send("DELETE")
    [erase] = facts_of(chat.facts, EraseRequested)
    assert set(erase.respondent_tokens) == {"old-token", "token-1"}


def test_delete_works_after_stop() -> None:
    chat = at_step("question")
    chat.send("STOP")
    chat.send("DELETE")
    [erase] = facts_of(chat.facts, EraseRequested)
    assert erase.respondent_tokens == ("token-1",)
    assert chat.text == "Done. We've deleted your number and your answers."


def test_exit_mid_way_ends_the_response_but_is_not_an_opt_out() -> None:
    chat = at_step("question")
    chat.send("exit")
    assert chat.text.startswith("OK, we've stopped here. Text SAFE to carry on later.")
    [ended] = facts_of(chat.facts, ResponseEnded)
    assert ended.status is ResponseStatus.PARTIAL
    assert not chat.participant.opted_out
    assert OptedOut() not in chat.facts


def test_exit_by_text_says_how_to_delete_the_texts_from_the_phone() -> None:
    chat = at_step("question")
    chat.send("exit")
    assert "We can't remove our texts from your phone" in chat.text


def test_exit_on_telegram_is_one_neutral_line() -> None:
    chat = at_step("question")
    chat.receive(Inbound(channel=Channel.TELEGRAM, text="exit"))
    assert chat.text == "OK, we've stopped here. Text SAFE to carry on later."


def test_after_exit_the_keyword_carries_on_where_it_stopped() -> None:
    chat = at_step("question")
    chat.send("1")
    chat.send("EXIT")
    chat.send("SAFE")
    assert chat.text.startswith(
        "Welcome back. Here's where you were:\nHow safe do you feel at school"
    )
    chat.send("5")
    assert [f.question_id for f in facts_of(chat.facts, AnswerRecorded)] == ["how_safe_school"]


def test_exit_at_the_intro_just_ends_it() -> None:
    chat = at_step("intro")
    chat.send("EXIT")
    assert chat.conversation is None
    assert chat.all_facts == []


def test_join_asks_for_invitations_to_future_consultations() -> None:
    chat = at_step("welcome")
    chat.send("JOIN")
    [subscribed] = facts_of(chat.facts, Subscribed)
    assert subscribed.scope is UpdatesScope.FUTURE
    assert subscribed.language == "en"
    assert chat.text.startswith("Thanks! We'll text you when there are new questions.")


def test_more_gets_a_kind_line_and_the_question_again() -> None:
    chat = at_step("question")
    chat.send("MORE")
    assert chat.replies[0].text.startswith("There's no news yet.")
    assert chat.replies[1].text.startswith("How safe do you feel")


def test_a_keyword_wins_over_a_free_text_answer() -> None:
    chat = at_step("free text")
    chat.send("Stop!")
    assert facts_of(chat.facts, AnswerRecorded) == []
    assert chat.participant.opted_out
