"""The engine with the classifier (issue 16): full helplines when confident, the one-line
nudge when unsure, nothing on talk about the topic, and split disclosures caught."""

from __future__ import annotations

from dataclasses import replace

from conversations.classifier import Model
from conversations.facts import AnswerRecorded, Flagged
from conversations.safety_replies import WITHHELD
from conversations.screening import CLASSIFIER
from tests.unit.conversations.engine.fixtures import Chat, facts_of, make_world
from tests.unit.conversations.engine.test_safeguarding import (
    FULL,
    REMINDER,
    SAFETY,
    SCHOOL,
    WHY_UNSAFE,
)
from tests.unit.conversations.test_screening import MODEL, TOY

WITH_MODEL = replace(SAFETY, model=MODEL)


def at_free_text(safety: object = WITH_MODEL) -> Chat:
    c = Chat(world=make_world(safety=safety))
    for message in ["SAFE", "yes", "3"]:
        c.send(message)
    assert WHY_UNSAFE in c.text
    return c


def test_a_disclosure_no_list_has_a_phrase_for_gets_the_helplines_first() -> None:
    c = at_free_text()
    replies = c.send("i feel like nobody would notice if i was gone")
    assert replies[0] == FULL["en"]
    assert SCHOOL in replies[1]
    [flag] = facts_of(c.facts, Flagged)
    assert flag.category == CLASSIFIER
    [answer] = facts_of(c.facts, AnswerRecorded)
    assert answer.value == WITHHELD


def test_talk_about_the_topic_gets_no_helplines_and_is_kept_as_an_answer() -> None:
    c = at_free_text()
    replies = c.send("people carry knives round here")
    assert FULL["en"] not in replies
    assert REMINDER["en"] not in replies
    assert facts_of(c.facts, Flagged) == []
    [answer] = facts_of(c.facts, AnswerRecorded)
    assert answer.value == "people carry knives round here"


def test_an_unsure_answer_gets_the_one_line_nudge_with_no_numbers_and_goes_on() -> None:
    c = at_free_text()
    replies = c.send("i get scared walking home")
    assert replies[0] == REMINDER["en"]
    assert not any(ch.isdigit() for ch in replies[0])
    assert SCHOOL in replies[1]
    assert facts_of(c.facts, Flagged) == []  # an unsure match is not queued for review
    [answer] = facts_of(c.facts, AnswerRecorded)
    assert answer.value == "i get scared walking home"
    assert not c.participant.helplines_shown  # a later disclosure still gets them all


def test_a_disclosure_split_over_two_texts_gets_the_helplines_on_the_second() -> None:
    c = at_free_text(replace(SAFETY, model=TOY))
    first = c.send("my uncle")
    assert FULL["en"] not in first
    assert c.participant.recent_texts[-1] == "my uncle"
    second = c.send("touches me")
    assert second[0] == FULL["en"]
    assert c.participant.recent_texts == ()  # flagged: it is not joined again


def test_the_recent_texts_are_redacted_and_forgotten_when_the_conversation_stops() -> None:
    c = at_free_text(replace(SAFETY, model=TOY))
    c.send("my name is Kayla, text 07700 900123")
    assert c.participant.recent_texts[-1] == "my name is [name], text [phone]"
    c.send("STOP")
    assert c.participant.recent_texts == ()


def test_without_a_model_the_recent_texts_are_not_kept() -> None:
    c = at_free_text(SAFETY)
    c.send("the park is dark")
    assert c.participant.recent_texts == ()


def test_a_model_without_lists_matching_leaves_everything_else_as_before() -> None:
    quiet = Model(bias=-20.0, weights={}, full=0.5, nudge=0.3)
    c = at_free_text(replace(SAFETY, model=quiet))
    replies = c.send("my stepdad hits me")  # the lists match; this model says no
    assert FULL["en"] not in replies
