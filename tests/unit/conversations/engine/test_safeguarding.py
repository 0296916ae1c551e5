"""A disclosure gets the helplines at once, before anything else, in any language the bot speaks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conversations.facts import AnswerRecorded, Flagged
from conversations.helplines import full_message, parse_helplines, reminder
from conversations.safeguarding import parse_lists
from conversations.safety_replies import WITHHELD, Safety
from tests.unit.conversations.engine.fixtures import (
    FEELING_SAFE,
    HEARD,
    Chat,
    facts_of,
    make_world,
    open_round,
)

CONFIG = Path(__file__).resolve().parents[4] / "config"
SAFETY = Safety(
    lists=parse_lists(
        {p.name: p.read_text(encoding="utf-8") for p in (CONFIG / "safeguarding").glob("*.yaml")}
    ),
    helplines=parse_helplines((CONFIG / "helplines.yaml").read_text(encoding="utf-8")),
)
FULL = {lang: full_message(SAFETY.helplines, lang) for lang in ("en", "pl")}
REMINDER = {lang: reminder(SAFETY.helplines, lang) for lang in ("en", "pl")}

# One disclosure per shipped language, and the helplines it must get.
DISCLOSURES = {"en": "my stepdad hits me", "pl": "ojczym mnie bije"}

AFTER_DARK = {"en": "How safe do you feel in your area after dark?", "pl": "Jak bezpiecznie"}
WHY_UNSAFE = "What makes you feel unsafe?"
SCHOOL = "How safe do you feel at school"


def chat(**extra: object) -> Chat:
    return Chat(world=make_world(safety=SAFETY, **extra))


def at_first_question(language: str = "en") -> Chat:
    c = chat()
    c.send("SAFE")
    if language == "pl":
        c.send("POLSKI")
    c.send("tak" if language == "pl" else "yes")
    return c


def at_free_text() -> Chat:
    c = at_first_question()
    c.send("3")  # not safe: the free-text question comes next
    assert WHY_UNSAFE in c.text
    return c


# --- the helplines, at once and first ---------------------------------------------------


@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_disclosure_in_each_language_gets_the_helplines_before_the_next_question(
    language: str,
) -> None:
    c = at_first_question(language)
    replies = c.send(DISCLOSURES[language])
    assert replies[0] == FULL[language]
    assert "999" in replies[0].splitlines()[0]
    assert AFTER_DARK[language] in replies[-1]  # then the question, again


@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_disclosure_in_one_language_is_caught_in_a_conversation_in_the_other(
    language: str,
) -> None:
    other = "pl" if language == "en" else "en"
    c = at_first_question(language)
    replies = c.send(DISCLOSURES[other])
    assert replies[0] == FULL[language]  # the helplines in the conversation's language


def test_a_free_text_disclosure_is_answered_with_helplines_then_the_next_question() -> None:
    c = at_free_text()
    replies = c.send("my dad hits me when he's drunk")
    assert replies[0] == FULL["en"]
    assert SCHOOL in replies[1]
    assert len(replies) == 2


def test_a_choice_answer_that_matched_nothing_is_screened_too() -> None:
    c = at_first_question()
    replies = c.send("i want to kill myself")
    assert replies[0] == FULL["en"]
    assert "Sorry, I didn't get that" in replies[1]
    assert AFTER_DARK["en"] in replies[1]


def test_a_valid_answer_that_also_discloses_is_recorded_and_the_questions_go_on() -> None:
    c = at_first_question()
    replies = c.send("not safe kms")
    assert replies[0] == FULL["en"]
    [answer] = facts_of(c.facts, AnswerRecorded)
    assert answer.question_id == "safe_after_dark"
    assert answer.value == "unsafe"
    assert WHY_UNSAFE in replies[1]


def test_a_disclosure_at_the_intro_gets_helplines_then_how_to_start() -> None:
    c = chat()
    c.send("SAFE")
    replies = c.send("im scared hes going to hurt me tonight")
    assert replies[0] == FULL["en"]
    assert "Reply YES to start" in replies[1]


def test_a_first_message_that_discloses_gets_helplines_then_the_welcome() -> None:
    c = chat()
    replies = c.send("someone help me hes outside my door")
    assert replies[0] == FULL["en"]
    assert "SAFE" in replies[1]


def test_a_polish_first_message_gets_the_polish_helplines() -> None:
    c = chat()
    replies = c.send("tata mnie bije")
    assert replies[0] == FULL["pl"]


def test_a_disclosure_after_the_closing_still_gets_helplines() -> None:
    c = chat()
    for message in ["HEARD", "yes", "no", "fine"]:
        c.send(message)
    assert "Thank you for telling us" in c.text
    replies = c.send("also my boyfriend chokes me")
    assert replies[0] == FULL["en"]


def test_a_disclosure_after_stop_still_gets_helplines_but_no_opt_in() -> None:
    c = at_first_question()
    c.send("STOP")
    replies = c.send("i want to die")
    assert replies[0] == FULL["en"]
    assert c.participant.opted_out
    assert facts_of(c.facts, Flagged)


def test_the_safety_message_never_promises_that_anyone_will_come() -> None:
    for language in ("en", "pl"):
        assert "999" in FULL[language]
    assert "can't send anyone" in FULL["en"]


# --- full message once per conversation, then the reminder -------------------------------


def test_a_second_disclosure_gets_the_one_line_reminder_before_the_question() -> None:
    c = at_free_text()
    c.send("my dad hits me")
    replies = c.send("he hits me every day")  # answering the scale question with it
    assert replies[0] == REMINDER["en"]
    assert "HELP" in replies[0]
    assert "\n" not in replies[0]
    assert SCHOOL in replies[1]


def test_the_reminder_is_in_the_conversations_language() -> None:
    c = at_first_question("pl")
    c.send("ojczym mnie bije")
    replies = c.send("chce sie zabic")
    assert replies[0] == REMINDER["pl"]


def test_a_new_conversation_gets_the_full_message_again() -> None:
    c = chat()
    for message in ["HEARD", "yes", "no", "my dad hits me"]:
        c.send(message)
    assert "Thank you for telling us" in c.text
    assert c.participant.helplines_shown
    c.send("SAFE")
    assert not c.participant.helplines_shown
    c.send("yes")
    replies = c.send("he hits me")
    assert replies[0] == FULL["en"]


def test_help_in_between_does_not_use_up_the_full_message() -> None:
    c = at_first_question()
    c.send("HELP")
    replies = c.send("he hits me")
    assert replies[0] == FULL["en"]


# --- HELP ----------------------------------------------------------------------------


def at_step(step: str) -> Chat:
    c = chat()
    script = {
        "welcome": ["hi"],
        "intro": ["SAFE"],
        "question": ["SAFE", "yes"],
        "free text": ["SAFE", "yes", "3"],
        "finished": ["HEARD", "yes", "no", "fine"],
        "stopped": ["SAFE", "yes", "STOP"],
    }[step]
    for message in script:
        c.send(message)
    return c


@pytest.mark.parametrize(
    "step", ["welcome", "intro", "question", "free text", "finished", "stopped"]
)
@pytest.mark.parametrize("word", ["HELP", "help", "Help!", "info"])
def test_help_at_every_step_gives_the_full_helplines(step: str, word: str) -> None:
    c = at_step(step)
    replies = c.send(word)
    assert replies[0] == FULL["en"]
    assert replies.count(FULL["en"]) == 1
    assert facts_of(c.facts, Flagged) == []  # HELP alone is asking, not telling


def test_help_in_a_polish_conversation_is_polish() -> None:
    c = at_first_question("pl")
    replies = c.send("POMOC")
    assert replies[0] == FULL["pl"]
    assert AFTER_DARK["pl"] in replies[1]


def test_help_mid_question_then_the_question_again() -> None:
    c = at_first_question()
    replies = c.send("HELP")
    assert AFTER_DARK["en"] in replies[1]


# --- what is recorded ----------------------------------------------------------------


def test_the_flag_carries_categories_redacted_text_consultation_and_round() -> None:
    c = at_free_text()
    c.send("im 12 and my dad hits me, call me on 07700 900123")
    [flag] = facts_of(c.facts, Flagged)
    assert flag.category.split(",") == ["abuse_home", "child_age", "violence"]
    assert "07700 900123" not in flag.text
    assert "my dad hits me" in flag.text
    assert flag.consultation_id == FEELING_SAFE.id
    assert flag.round_id == open_round(FEELING_SAFE).round_id
    assert c.conversation is not None
    assert flag.respondent_token == c.conversation.respondent_token


def test_a_flag_outside_any_conversation_names_no_consultation() -> None:
    c = chat()
    c.send("he hits me")
    [flag] = facts_of(c.facts, Flagged)
    assert (flag.consultation_id, flag.round_id, flag.respondent_token) == (None, None, None)


def test_a_flagged_free_text_answer_is_withheld_from_results() -> None:
    c = at_free_text()
    c.send("my stepdad touches me")
    [answer] = facts_of(c.facts, AnswerRecorded)
    assert answer.question_id == "why_unsafe"
    assert answer.value == WITHHELD
    assert not answer.skipped
    assert all("stepdad" not in str(f.value) for f in facts_of(c.all_facts, AnswerRecorded))


def test_an_ordinary_free_text_answer_is_kept_as_written() -> None:
    c = at_free_text()
    replies = c.send("people get stabbed near the station")
    [answer] = facts_of(c.facts, AnswerRecorded)
    assert answer.value == "people get stabbed near the station"
    assert FULL["en"] not in replies
    assert facts_of(c.facts, Flagged) == []


def test_a_preview_gets_the_helplines_but_adds_nothing_to_the_review_queue() -> None:
    c = chat(preview=True)
    c.send("SAFE")
    c.send("yes")
    replies = c.send("he hits me")
    assert replies[0] == FULL["en"]
    assert facts_of(c.all_facts, Flagged) == []


def test_without_a_screen_nothing_is_flagged() -> None:
    c = Chat(world=make_world())
    c.send("SAFE")
    c.send("yes")
    c.send("he hits me")
    assert facts_of(c.all_facts, Flagged) == []


def test_a_tapped_button_is_not_a_disclosure() -> None:
    c = chat()
    c.send("SAFE")
    c.send("yes")
    question = c.replies[-1]
    assert question.buttons
    c.press(question.buttons[0].data)
    assert facts_of(c.facts, Flagged) == []
    assert FULL["en"] not in [r.text for r in c.replies]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "SAFE",
                "HEARD",
                "yes",
                "3",
                "he hits me",
                "kms",
                "HELP",
                "STOP",
                "START",
                "skip",
                "tata mnie bije",
                "BACK",
                "EXIT",
                "POLSKI",
                "",
                "people get stabbed",
            ]
        ),
        max_size=12,
    )
)
def test_any_messages_with_the_screen_never_raise_and_always_get_a_reply(
    messages: list[str],
) -> None:
    c = Chat(
        world=replace(
            make_world(safety=SAFETY), open_rounds=(open_round(FEELING_SAFE), open_round(HEARD))
        )
    )
    for message in messages:
        replies = c.send(message)
        if not c.participant.opted_out:
            assert replies
        if message in ("he hits me", "kms", "tata mnie bije"):
            assert replies[0] in (FULL["en"], FULL["pl"], REMINDER["en"], REMINDER["pl"])
