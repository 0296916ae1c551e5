"""The checks of an update file that look at more than one value, or at the consultation.

An update is about the consultation it names (and has its languages); a ``not_doing``
action says why; a ``you_said`` quotes a figure of one of its questions and choices. Each
check reports to the file's `Checker`, at the line of the key it is about.
"""

from __future__ import annotations

import difflib

from conversations.checked_file import Checker
from conversations.file_schema import path_name
from conversations.model import Consultation, QuestionType
from conversations.update_file.model import FIGURE, ActionStatus, choice_id, option_ids
from conversations.update_file.schema import ActionFile, UpdateFile, YouSaidFile
from conversations.yaml_lines import Path

FIGURE_QUESTION_TYPES = (
    QuestionType.CHOICE,
    QuestionType.MULTI,
    QuestionType.SCALE,
    QuestionType.YESNO,
    QuestionType.UPDATES,
)


def check_head(
    checker: Checker,
    head: UpdateFile,
    consultation: Consultation | None,
    expected_id: str | None,
) -> None:
    """The file is about `expected_id` (when given) and has `consultation`'s languages."""
    if expected_id is not None and head.consultation != expected_id:
        checker.report(
            ("consultation",),
            f"this update is for '{head.consultation}', not '{expected_id}'",
            "send it for the consultation it names, or correct 'consultation:'",
        )
    if consultation is None or head.consultation != consultation.id:
        return
    missing = [code for code in consultation.languages if code not in head.languages]
    if missing:
        checker.report(
            ("languages",),
            f"'{consultation.id}' is answered in {', '.join(consultation.languages)}, "
            f"but this update has no {' or '.join(missing)}",
            f"add {missing[0]} to languages and a {missing[0]} text to every text: "
            "people hear back in the language they answered in",
        )


def check_action(
    checker: Checker, action: ActionFile, path: Path, consultation: Consultation | None
) -> None:
    """An action's status fits its reason, changed and progress; its you_said is usable."""
    name = path_name(path)
    if action.status is ActionStatus.NOT_DOING and action.reason is None:
        checker.report(
            path,
            f"{name} is not_doing without a reason",
            "add 'reason:' saying in one line why not: people deserve to know",
        )
    if action.status is not ActionStatus.NOT_DOING and action.reason is not None:
        checker.report(
            (*path, "reason"),
            f"{name} has a reason but is {action.status}",
            "remove the reason, or make the status not_doing",
        )
    if action.status is not ActionStatus.NOT_DOING and action.changed is None:
        checker.report(
            path,
            f"{name} has no 'changed'",
            "add 'changed:' with one line per language on what changed",
        )
    if action.progress is not None and action.status is not ActionStatus.IN_PROGRESS:
        checker.report(
            (*path, "progress"),
            f"{name} has a progress percentage but is {action.status}",
            "remove progress, or make the status in_progress",
        )
    if action.you_said is not None:
        _check_you_said(checker, action.you_said, (*path, "you_said"), consultation)


def _check_you_said(
    checker: Checker, said: YouSaidFile, path: Path, consultation: Consultation | None
) -> None:
    name = path_name(path)
    for code, words in said.text.items():
        if FIGURE not in words:
            checker.report(
                (*path, "text", code),
                f"{name}.text ({code}) does not quote the figure",
                "put {figure} where the number goes, like '{figure} of you said ...'",
            )
    if consultation is None:
        return
    known = [q.id for q in consultation.questions]
    if said.question not in known:
        near = difflib.get_close_matches(said.question, known, n=1)
        hint = f"did you mean '{near[0]}'?" if near else f"use one of: {', '.join(known)}"
        checker.report(
            (*path, "question"),
            f"{name}.question is '{said.question}', not a question of '{consultation.id}'",
            hint,
        )
        return
    _check_choices(checker, said, path, consultation)


def _check_choices(
    checker: Checker, said: YouSaidFile, path: Path, consultation: Consultation
) -> None:
    """The choices a you_said counts are answers its question has, and add up fairly."""
    name = path_name(path)
    question = consultation.question(said.question)
    if question.type not in FIGURE_QUESTION_TYPES:
        if said.choice is not None:
            checker.report(
                (*path, "choice"),
                f"{name} names a choice of '{question.id}', a {question.type} question",
                "remove the choice: the figure is then how many answered",
            )
        return
    for choice in said.choice or ():
        if choice_id(consultation, question.id, choice) is None:
            options = option_ids(consultation, question.id)
            checker.report(
                (*path, "choice"),
                f"{name}.choice '{choice}' is not an answer to '{question.id}'",
                f"use one of: {', '.join(options)}",
            )
    if said.choice and len(said.choice) > 1 and question.type is QuestionType.MULTI:
        checker.report(
            (*path, "choice"),
            f"{name} adds up choices of '{question.id}', where one person picks several",
            "name one choice: added up, one person would count more than once",
        )
