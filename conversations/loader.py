"""Consultation files: YAML text to a validated `Consultation`, or every problem at once.

Each problem reads ``FILE:LINE: what is wrong; how to fix it``. Paths in messages count
from 1, as an officer counts: ``questions[3].choices[1]`` is the third question's first
choice. Reading the file is the caller's job; this only sees its text.

Choices made here:
- ``withdrawal_days`` may be left out: 14 days, the usual window. ``listed`` defaults to true,
  ``public`` to false.
- A question is optional (SKIP skips it at once) unless it says ``required: true`` or
  ``optional: false``; a required question asks once more, gently, before skipping.
- A text may be a plain string only when the consultation lists one language.
- Choice ids are compared without case: people answer "Very" for ``very``.
- Warnings (more than 8 questions, a scale of more than 11 points, a choice that reads as
  one of the bot's words) are reported but do not stop the file loading.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic_core import ErrorDetails

from conversations import conditions, keywords
from conversations.checked_file import Checker, digest, finish, read_mapping
from conversations.consultation_file import (
    ChoiceFile,
    ConsultationFile,
    QuestionFile,
    all_languages_understood,
    explain_all,
    is_optional,
    path_name,
    plain_languages,
    to_consultation,
)
from conversations.keywords import Keyword
from conversations.model import Consultation, QuestionType
from conversations.problems import Checked, Problem
from conversations.yaml_lines import Document, Path

MAX_QUESTIONS = 8  # more than this is a warning: people stop answering
MAX_SCALE_POINTS = 11  # 0 to 10; longer scales are hard to answer by text


@dataclass(frozen=True)
class LoadResult(Checked):
    """The consultation (None when there are errors) and every problem found."""

    consultation: Consultation | None
    problems: tuple[Problem, ...]


def load_consultation(text: str, source: str) -> LoadResult:
    """Validate consultation YAML `text`; `source` names the file in problems."""
    document = read_mapping(
        text,
        source,
        "start from a sample in config/consultations/",
        "the file is not a consultation: it should be 'key: value' lines",
        "start with lines like 'id: feeling-safe' and 'title: Feeling safe'",
    )
    if isinstance(document, Problem):
        return LoadResult(None, (document,))
    checker = _Checker(document, source)
    consultation = checker.run(consultation_version(text))
    problems, ok = finish(checker.problems)
    return LoadResult(consultation if ok else None, problems)


def consultation_version(text: str) -> str:
    """A short stable digest of the file's text (line endings do not count)."""
    return digest(text, 12)


class _Checker(Checker):
    """Collects every problem in one file: the shape first, then what links values."""

    def __init__(self, document: Document, source: str) -> None:
        super().__init__(document, source)
        self.languages: Sequence[str] = ()
        self.complete = True

    def explain(self, errors: Sequence[ErrorDetails], prefix: Path) -> list[tuple[Path, str, str]]:
        return explain_all(errors, prefix)

    def run(self, version: str) -> Consultation | None:
        data = self.document.data
        assert isinstance(data, dict)
        languages = plain_languages(data.get("languages"))
        context: dict[str, object] = {"languages": languages}
        head = self.validate(ConsultationFile, data, (), context)
        raw = data.get("questions")
        raw_questions: list[object] = raw if isinstance(raw, list) else []
        questions = [
            self.validate(QuestionFile, item, ("questions", i), context)
            for i, item in enumerate(raw_questions)
        ]
        if isinstance(raw, list):
            self.check_count(len(raw_questions))
        self.check_texts(data, languages, all_languages_understood(data.get("languages")))
        ids = self.check_question_ids(raw_questions)
        for i, question in enumerate(questions):
            if question is not None:
                self.check_question(question, ("questions", i))
                self.check_when(question, i, ids, questions)
        if head is None or any(not p.warning for p in self.problems):
            return None
        return to_consultation(head, [q for q in questions if q is not None], version)

    def check_texts(
        self, data: Mapping[str, object], languages: Sequence[str], complete: bool
    ) -> None:
        """Every text has every listed language, and (when `complete`) no other.

        `complete` is False when some listed language was not understood: then a text in
        another language may be one the officer meant to list.
        """
        if not languages:
            return  # the languages problem is reported already
        self.languages, self.complete = languages, complete
        messages = data.get("messages")
        if isinstance(messages, dict):
            for key in ("intro", "closing"):
                self.check_text(messages.get(key), ("messages", key))
        questions = data.get("questions")
        for i, question in enumerate(questions if isinstance(questions, list) else []):
            if not isinstance(question, dict):
                continue
            self.check_text(question.get("text"), ("questions", i, "text"))
            choices = question.get("choices")
            for j, choice in enumerate(choices if isinstance(choices, list) else []):
                if isinstance(choice, dict):
                    path = ("questions", i, "choices", j, "text")
                    self.check_text(choice.get("text"), path)
            labels = question.get("labels")
            for point, label in (labels if isinstance(labels, dict) else {}).items():
                self.check_text(label, ("questions", i, "labels", point))

    def check_text(self, text: object, path: Path) -> None:
        languages = self.languages
        if not isinstance(text, dict):
            return  # absent or not a map: the shape check says so
        name = path_name(path)
        # A language written with nothing after it (`pl:`) is "should be text", said already.
        missing = [code for code in languages if code not in text or str(text[code]).strip() == ""]
        if missing:
            names = " or ".join(f"'{code}'" for code in missing)
            self.report(
                path, f"{name} has no {names} text", f"add '{missing[0]}:' followed by the words"
            )
        for code in text if self.complete else ():
            if code not in languages:
                self.report(
                    (*path, code),
                    f"{name} has a '{code}' text, but '{code}' is not in languages",
                    f"add it to languages, or remove it (languages: {', '.join(languages)})",
                )

    def check_count(self, count: int) -> None:
        if count == 0:
            self.report(("questions",), "questions is empty", "add at least one question")
        elif count > MAX_QUESTIONS:
            self.report(
                ("questions",),
                f"there are {count} questions",
                f"keep it short: 3-{MAX_QUESTIONS} questions, or people stop answering",
                warning=True,
            )

    def check_question_ids(self, raw_questions: list[object]) -> list[str | None]:
        """Each question's id as written (None where there is none); repeats reported."""
        ids: list[str | None] = []
        for i, raw in enumerate(raw_questions):
            found = raw.get("id") if isinstance(raw, dict) else None
            question_id = found if isinstance(found, str) else None
            if question_id is not None and question_id in ids:
                first = ids.index(question_id)
                self.report(
                    ("questions", i, "id"),
                    f"{path_name(('questions', i))} has the id '{question_id}', "
                    f"which {path_name(('questions', first))} has already",
                    "give each question its own id",
                )
            ids.append(question_id)
        return ids

    def check_question(self, question: QuestionFile, path: Path) -> None:
        name = path_name(path)
        kind = question.type
        if None not in (question.optional, question.required) and (
            question.optional == question.required
        ):
            self.report(
                (*path, "required"),
                f"{name} says both optional: {_yaml(question.optional)} "
                f"and required: {_yaml(question.required)}",
                "keep one of them",
            )
        if kind in (QuestionType.CHOICE, QuestionType.MULTI):
            self.check_choices(question, path)
        elif question.choices is not None:
            self.report(
                (*path, "choices"),
                f"{name} is a {kind} question, which has no choices",
                "remove the choices, or change the type to choice",
            )
        for key in ("min", "max"):
            if kind not in (QuestionType.SCALE, QuestionType.NUMBER) and (
                getattr(question, key) is not None
            ):
                self.report(
                    (*path, key),
                    f"{name} is a {kind} question, which has no {key}",
                    f"remove {key}, or change the type to scale or number",
                )
        if kind is QuestionType.SCALE:
            self.check_scale(question, path)
        elif question.labels is not None:
            self.report(
                (*path, "labels"),
                f"{name} is a {kind} question, which has no labels",
                "remove the labels, or change the type to scale",
            )
        low, high = question.min, question.max
        if kind is QuestionType.NUMBER and low is not None and high is not None and low > high:
            self.report(
                (*path, "min"),
                f"{name} has min {low}, more than max {high}",
                "make min the smallest number allowed and max the largest",
            )
        if kind is not QuestionType.UPDATES and question.scope is not None:
            self.report(
                (*path, "scope"),
                f"{name} is a {kind} question, which has no scope",
                "remove scope, or change the type to updates",
            )

    def check_choices(self, question: QuestionFile, path: Path) -> None:
        choices = question.choices or []
        if len(choices) < 2:
            self.report(
                (*path, "choices") if question.choices is not None else path,
                f"{path_name(path)} is a {question.type} question with "
                f"{len(choices)} choice{'' if len(choices) == 1 else 's'}",
                "give it at least 2 choices, or make it a yesno or text question",
            )
        seen: dict[str, int] = {}
        for j, choice in enumerate(choices):
            first = seen.setdefault(choice.id.casefold(), j)
            if first != j:
                self.report(
                    (*path, "choices", j, "id"),
                    f"{path_name((*path, 'choices', j))} has the id '{choice.id}', "
                    f"which choices[{first + 1}] has already (case does not count)",
                    "give each choice its own id",
                )
            self.check_not_a_keyword(choice, (*path, "choices", j))

    def check_not_a_keyword(self, choice: ChoiceFile, path: Path) -> None:
        """A choice that reads as one of the bot's words can't be given in words."""
        for said in (choice.id, *choice.text.values()):
            keyword = keywords.classify(said)
            if keyword is not None and keyword not in (Keyword.YES, Keyword.NO):
                self.report(
                    path,
                    f"{path_name(path)} reads '{said}', which the bot takes as {keyword}",
                    "reword it: someone who replies with it gets the bot's "
                    f"{keyword} instead (its number still works)",
                    warning=True,
                )
                return

    def check_scale(self, question: QuestionFile, path: Path) -> None:
        name, low, high = path_name(path), question.min, question.max
        if low is None or high is None:
            missing = " and ".join(k for k, v in (("min", low), ("max", high)) if v is None)
            self.report(
                path,
                f"{name} is a scale question without {missing}",
                "add 'min: 1' and 'max: 5' (or the ends of your scale)",
            )
            return
        if low >= high:
            self.report(
                (*path, "min"),
                f"{name} has min {low}, not below max {high}",
                "make min the lowest point, like min: 1 and max: 5",
            )
            return
        if high - low + 1 > MAX_SCALE_POINTS:
            self.report(
                (*path, "max"),
                f"{name} has a scale of {high - low + 1} points",
                "keep a scale to 10 points or fewer; 1 to 5 is easiest on a phone",
                warning=True,
            )
        for point in question.labels or {}:
            if not low <= point <= high:
                self.report(
                    (*path, "labels", str(point)),
                    f"{name}.labels has a label for {point}, outside the scale {low} to {high}",
                    f"label points from {low} to {high} only",
                )

    def check_when(
        self,
        question: QuestionFile,
        index: int,
        ids: list[str | None],
        questions: list[QuestionFile | None],
    ) -> None:
        source = (question.when or "").strip()
        if not source:
            return
        path: Path = ("questions", index, "when")
        name = path_name(path)
        try:
            condition = conditions.parse(source)
        except conditions.ConditionError as error:
            where = "" if "column" in error.message else f" (at column {error.column})"
            self.report(
                path,
                f"{name} can't be read: {error.message}{where}",
                "write it like 'safe_after_dark == unsafe', using == != in [..] < <= > >= and or",
            )
            return
        for target in sorted(condition.references()):
            if target not in ids:
                known = [i for i in ids[:index] if i is not None]
                near = difflib.get_close_matches(target, known, n=1)
                hint = f"did you mean '{near[0]}'?" if near else "use an earlier question's id"
                self.report(path, f"{name} names '{target}', which is not a question", hint)
            elif ids.index(target) >= index:
                self.report(
                    path,
                    f"{name} names '{target}', which is not asked before this question",
                    "a condition can only use answers to earlier questions",
                )
        for target, _, literal in condition.comparisons():
            if target in ids[:index]:
                referred = questions[ids.index(target)]
                if referred is not None:
                    self.check_literal(path, referred, literal)
        self.check_skips(path, condition, ids[:index], questions)

    def check_skips(
        self,
        path: Path,
        condition: conditions.Condition,
        earlier: list[str | None],
        questions: list[QuestionFile | None],
    ) -> None:
        """A comparison with a question people can skip is unknown when they do, and the
        question is then not asked: say so, unless the rule says what a skip means."""
        said = condition.tests_answer()
        compared = dict.fromkeys(target for target, _, _ in condition.comparisons())
        for target in compared:
            if target in said or target not in earlier:
                continue
            referred = questions[earlier.index(target)]
            if referred is None or not is_optional(referred):
                continue
            self.report(
                path,
                f"{path_name(path)} compares '{target}', which people can skip; for someone "
                "who skips it the comparison is unknown, so this question is not asked",
                f"say what a skip means: add 'or {target} skipped' to ask it then too, or "
                f"'and {target} answered' to keep it as it is",
                warning=True,
            )

    def check_literal(self, path: Path, question: QuestionFile, literal: str | int) -> None:
        """`literal` must be an answer `question` can have."""
        kind = question.type
        if kind in (QuestionType.CHOICE, QuestionType.MULTI):
            allowed = [c.id for c in question.choices or []]
            if str(literal).casefold() not in (choice.casefold() for choice in allowed):
                self.report(
                    path,
                    f"{path_name(path)} compares '{question.id}' with '{literal}', "
                    "which is not one of its choices",
                    f"use one of its choice ids: {', '.join(allowed)}",
                )
        elif kind in (QuestionType.YESNO, QuestionType.UPDATES) and (
            str(literal).casefold() not in ("yes", "no")
        ):
            self.report(
                path,
                f"{path_name(path)} compares '{question.id}' with '{literal}'",
                f"'{question.id}' is answered yes or no: compare with yes or no",
            )
        elif kind in (QuestionType.SCALE, QuestionType.NUMBER) and not isinstance(literal, int):
            self.report(
                path,
                f"{path_name(path)} compares '{question.id}' with '{literal}'",
                f"'{question.id}' is answered with a number: compare with a number",
            )


def _yaml(value: bool | None) -> str:
    return "true" if value else "false"
