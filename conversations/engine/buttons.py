"""Buttons: a tapped button read as an answer to the question waiting, or one that has passed."""

from __future__ import annotations

from dataclasses import replace

from conversations import rendering
from conversations.catalogue import Msg
from conversations.engine.opening import welcome_message
from conversations.engine.questions import NO, YES, current, current_question, reask, record
from conversations.engine.turn import Decision, Live, Turn, decide
from conversations.model import Question, QuestionType
from conversations.state import AnswerValue, Phase


def button(turn: Turn, data: str) -> Decision:
    """A tapped button: an answer to the question waiting, or one that has passed."""
    live = turn.live
    parsed = rendering.read_button(data)
    question = None if live is None else current_question(live)
    if live is None or question is None or parsed is None or live.state.phase is not Phase.QUESTION:
        return _passed(turn)
    ref, index = parsed
    if ref != rendering.question_ref(live.consultation, question):
        return _passed(turn)
    if question.type is QuestionType.MULTI:
        return _multi_button(turn, live, question, index)
    value = _button_value(question, index)
    if value is None:
        return _passed(turn)
    return record(turn, live, question, value)


def _passed(turn: Turn) -> Decision:
    waiting = current(turn) or (welcome_message(turn.world, turn.language, turn.inbound.channel),)
    return decide(turn, [turn.say(Msg.BUTTON_PASSED), *waiting])


def _button_value(question: Question, index: str) -> AnswerValue:
    if question.type in (QuestionType.YESNO, QuestionType.UPDATES):
        return {rendering.YES_INDEX: YES, rendering.NO_INDEX: NO}.get(index)
    number = _button_number(index)
    if number is None:
        return None
    if question.type is QuestionType.CHOICE:
        return _choice_at(question, number)
    if (
        question.type is QuestionType.SCALE
        and question.min is not None
        and question.max is not None
    ):
        return number if question.min <= number <= question.max else None
    return None


def _button_number(index: str) -> int | None:
    return int(index) if index.isdecimal() and len(index) <= 6 else None


def _choice_at(question: Question, number: int | None) -> str | None:
    if number is None or not 1 <= number <= len(question.choices):
        return None
    return question.choices[number - 1].id


def _multi_button(turn: Turn, live: Live, question: Question, index: str) -> Decision:
    """Picks build up in the answers until Done (they are recorded only then)."""
    before = live.state.answers.get(question.id)
    picks = before if isinstance(before, tuple) else ()
    if index == rendering.DONE:
        if not picks:
            return reask(turn, live, question)
        return record(turn, live, question, picks)
    choice = _choice_at(question, _button_number(index))
    if choice is None:
        return _passed(turn)
    chosen = set(picks) ^ {choice}
    ordered = tuple(c.id for c in question.choices if c.id in chosen)
    state = replace(live.state, answers={**live.state.answers, question.id: ordered})
    numbers = [str(n) for n, c in enumerate(question.choices, 1) if c.id in chosen]
    done = turn.say(Msg.BUTTON_DONE)
    line = turn.say(Msg.MULTI_PICKED, picked=", ".join(numbers) or "-", done=done)
    return decide(turn, [line], conversation=state)
