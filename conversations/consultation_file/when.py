"""The checks of a question's ``when:``: it reads, names earlier questions, compares fairly.

Each reports to the file's `Checker` at the ``when:`` line. Reading a condition is
`conversations.conditions`'s job; this says what a condition in a file gets wrong.
"""

from __future__ import annotations

import difflib

from conversations import conditions
from conversations.checked_file import Checker
from conversations.consultation_file.build import is_optional
from conversations.consultation_file.schema import QuestionFile
from conversations.file_schema import path_name
from conversations.model import QuestionType
from conversations.yaml_lines import Path


def check_when(
    checker: Checker,
    question: QuestionFile,
    index: int,
    ids: list[str | None],
    questions: list[QuestionFile | None],
) -> None:
    """The ``when:`` of the question at `index` (ids and questions: the file's, in order)."""
    source = (question.when or "").strip()
    if not source:
        return
    path: Path = ("questions", index, "when")
    name = path_name(path)
    try:
        condition = conditions.parse(source)
    except conditions.ConditionError as error:
        where = "" if "column" in error.message else f" (at column {error.column})"
        checker.report(
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
            checker.report(path, f"{name} names '{target}', which is not a question", hint)
        elif ids.index(target) >= index:
            checker.report(
                path,
                f"{name} names '{target}', which is not asked before this question",
                "a condition can only use answers to earlier questions",
            )
    for target, _, literal in condition.comparisons():
        if target in ids[:index]:
            referred = questions[ids.index(target)]
            if referred is not None:
                _check_literal(checker, path, referred, literal)
    _check_skips(checker, path, condition, ids[:index], questions)


def _check_skips(
    checker: Checker,
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
        checker.report(
            path,
            f"{path_name(path)} compares '{target}', which people can skip; for someone "
            "who skips it the comparison is unknown, so this question is not asked",
            f"say what a skip means: add 'or {target} skipped' to ask it then too, or "
            f"'and {target} answered' to keep it as it is",
            warning=True,
        )


def _check_literal(
    checker: Checker, path: Path, question: QuestionFile, literal: str | int
) -> None:
    """`literal` must be an answer `question` can have."""
    kind = question.type
    if kind in (QuestionType.CHOICE, QuestionType.MULTI):
        allowed = [c.id for c in question.choices or []]
        if str(literal).casefold() not in (choice.casefold() for choice in allowed):
            checker.report(
                path,
                f"{path_name(path)} compares '{question.id}' with '{literal}', "
                "which is not one of its choices",
                f"use one of its choice ids: {', '.join(allowed)}",
            )
    elif kind in (QuestionType.YESNO, QuestionType.UPDATES) and (
        str(literal).casefold() not in ("yes", "no")
    ):
        checker.report(
            path,
            f"{path_name(path)} compares '{question.id}' with '{literal}'",
            f"'{question.id}' is answered yes or no: compare with yes or no",
        )
    elif kind in (QuestionType.SCALE, QuestionType.NUMBER) and not isinstance(literal, int):
        checker.report(
            path,
            f"{path_name(path)} compares '{question.id}' with '{literal}'",
            f"'{question.id}' is answered with a number: compare with a number",
        )
