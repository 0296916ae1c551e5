"""What one person's run through a consultation costs in SMS segments, per language.

The opening (the officer's intro and the bot's own lines, before the first question), and
the whole run: opening, every question asked and the closing, on the shortest and the
longest path. Which questions are asked depends on earlier answers (`when:`), so every
answer that can change it is tried: each choice, scale point, yes and no, the numbers a
rule compares with and either side of them, and a skip. Messages a run may add (a hint
after an answer the bot can't read, HELP, PRIVACY) are not counted: this is the cost of
someone who simply answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from conversations import conditions
from conversations.catalogue import Catalogue
from conversations.model import Consultation, Question, QuestionType
from conversations.rendering import localised, opening, render_question
from conversations.segments import count_segments
from conversations.state import AnswerValue

__all__ = ["MAX_PATHS", "RunCost", "run_costs"]

MAX_PATHS = 20_000  # answer combinations tried; past it the figures are marked "about"


@dataclass(frozen=True)
class RunCost:
    """One language's segments: the opening, and a whole run at its cheapest and dearest."""

    language: str
    opening: int
    shortest: int
    longest: int
    fewest_questions: int  # questions asked on the shortest path
    most_questions: int  # and on the longest
    exact: bool  # False when there were more paths than MAX_PATHS to try


def run_costs(consultation: Consultation, catalogue: Catalogue) -> list[RunCost]:
    """The cost of the opening and of a whole run, in each of the consultation's languages."""
    found = []
    for language in consultation.languages:
        opened = opening(consultation, language, catalogue)
        first = sum(_segments(message.text) for message in opened)
        each = {
            q.id: count_segments(
                render_question(consultation, q, language, catalogue).text
            ).segments
            for q in consultation.questions
        }
        closing = _segments(localised(consultation.closing, language))
        paths = _Paths(consultation.questions, each)
        paths.walk(0, {}, 0, 0)
        found.append(
            RunCost(
                language=language,
                opening=first,
                shortest=first + paths.cheapest[0] + closing,
                longest=first + paths.dearest[0] + closing,
                fewest_questions=paths.cheapest[1],
                most_questions=paths.dearest[1],
                exact=not paths.cut,
            )
        )
    return found


class _Paths:
    """Every way through the questions, by the answers that change which are asked."""

    def __init__(self, questions: Sequence[Question], segments: Mapping[str, int]) -> None:
        self.questions = questions
        self.segments = segments
        self.rules = {
            q.id: conditions.parse(q.when) for q in questions if q.when
        }  # the loader has checked every rule parses
        self.compared = _compared(self.rules.values())
        self.cheapest = (10**9, 0)
        self.dearest = (-1, 0)
        self.tried = 0
        self.cut = False

    def walk(self, index: int, answers: dict[str, AnswerValue], cost: int, asked: int) -> None:
        if index == len(self.questions):
            self.tried += 1
            self.cheapest = min(self.cheapest, (cost, asked))
            self.dearest = max(self.dearest, (cost, asked))
            return
        question = self.questions[index]
        rule = self.rules.get(question.id)
        if rule is not None and not rule.evaluate(answers):
            self.walk(index + 1, answers, cost, asked)
            return
        cost += self.segments[question.id]
        if question.id not in self.compared:  # nothing later depends on its answer
            self.walk(index + 1, answers, cost, asked + 1)
            return
        for value in _answers(question, self.compared[question.id]):
            if self.tried >= MAX_PATHS:
                self.cut = True
                return
            self.walk(index + 1, {**answers, question.id: value}, cost, asked + 1)


def _compared(rules: Iterable[conditions.Condition]) -> dict[str, set[int | str]]:
    """Question id -> the values rules compare it with (answered/skipped tests included)."""
    found: dict[str, set[int | str]] = {}
    for rule in rules:
        for question_id in rule.references():
            found.setdefault(question_id, set())
        for question_id, _, literal in rule.comparisons():
            found[question_id].add(literal)
    return found


def _answers(question: Question, literals: set[int | str]) -> list[AnswerValue]:
    """The answers worth trying for a question a rule looks at; None is a skip."""
    kind = question.type
    values: list[AnswerValue] = [None]
    if kind is QuestionType.CHOICE:
        values += [c.id for c in question.choices]
    elif kind is QuestionType.MULTI:
        values += [(c.id,) for c in question.choices]
        values.append(tuple(c.id for c in question.choices))
    elif kind is QuestionType.SCALE and question.min is not None and question.max is not None:
        values += list(range(question.min, question.max + 1))
    elif kind in (QuestionType.SCALE, QuestionType.NUMBER):
        numbers = {n + d for n in literals if isinstance(n, int) for d in (-1, 0, 1)}
        numbers |= {n for n in (question.min, question.max) if n is not None}
        values += sorted(numbers) or [0]
    elif kind in (QuestionType.YESNO, QuestionType.UPDATES):
        values += ["yes", "no"]
    else:
        values.append("an answer")
    return values


def _segments(text: str) -> int:
    return count_segments(text).segments
