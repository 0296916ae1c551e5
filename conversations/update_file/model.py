"""What an update file becomes once it is checked: an `Update` of `Action`s, each maybe
quoting a result (`YouSaid`), and the answer ids a quoted figure can count."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from conversations.model import Consultation, QuestionType, Text

FIGURE = "{figure}"


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_DOING = "not_doing"


@dataclass(frozen=True)
class YouSaid:
    """The result an action answers: a question, the choices counted, the words around it."""

    question_id: str
    choices: tuple[str, ...]  # empty: quote how many answered the question
    text: Text  # holds {figure}


@dataclass(frozen=True)
class Action:
    title: Text
    status: ActionStatus
    changed: Text | None  # one line: what changed (None only when not doing it)
    reason: Text | None  # why not (not_doing only)
    progress: int | None  # percent, 0-100
    you_said: YouSaid | None


@dataclass(frozen=True)
class Update:
    consultation_id: str
    round_id: str | None  # quote figures from this round only; None: every round
    languages: tuple[str, ...]
    first_line: Text  # neutral: lock screens show it
    actions: tuple[Action, ...]
    digest: str


def option_ids(consultation: Consultation, question_id: str) -> tuple[str, ...]:
    """The answer ids a question's figure can count: choices, scale points, yes and no."""
    question = consultation.question(question_id)
    if question.type in (QuestionType.CHOICE, QuestionType.MULTI):
        return tuple(c.id for c in question.choices)
    if (
        question.type is QuestionType.SCALE
        and question.min is not None
        and question.max is not None
    ):
        return tuple(str(p) for p in range(question.min, question.max + 1))
    if question.type in (QuestionType.YESNO, QuestionType.UPDATES):
        return ("yes", "no")
    return ()


def choice_id(consultation: Consultation, question_id: str, written: str) -> str | None:
    """The answer id `written` means (case does not count), or None."""
    for option in option_ids(consultation, question_id):
        if option.casefold() == written.casefold():
            return option
    return None
