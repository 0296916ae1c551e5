"""The checks of one question that look at more than one value: its kind's keys, choices, scale.

Each reports to the file's `Checker`, at the line of the key it is about. The checks of a
``when:`` condition are in `when` beside this.
"""

from __future__ import annotations

from conversations import keywords
from conversations.checked_file import Checker
from conversations.consultation_file.schema import ChoiceFile, QuestionFile
from conversations.file_schema import path_name
from conversations.keywords import Keyword
from conversations.model import QuestionType
from conversations.yaml_lines import Path

MAX_SCALE_POINTS = 11  # 0 to 10; longer scales are hard to answer by text


def check_question(checker: Checker, question: QuestionFile, path: Path) -> None:
    """The keys of `question` fit its type, and its choices or its scale are usable."""
    name = path_name(path)
    kind = question.type
    if None not in (question.optional, question.required) and (
        question.optional == question.required
    ):
        checker.report(
            (*path, "required"),
            f"{name} says both optional: {_yaml(question.optional)} "
            f"and required: {_yaml(question.required)}",
            "keep one of them",
        )
    if kind in (QuestionType.CHOICE, QuestionType.MULTI):
        _check_choices(checker, question, path)
    _check_belongs(checker, question, path, ("choices", "min", "max"))
    if kind is QuestionType.SCALE:
        _check_scale(checker, question, path)
    _check_belongs(checker, question, path, ("labels",))
    low, high = question.min, question.max
    if kind is QuestionType.NUMBER and low is not None and high is not None and low > high:
        checker.report(
            (*path, "min"),
            f"{name} has min {low}, more than max {high}",
            "make min the smallest number allowed and max the largest",
        )
    _check_belongs(checker, question, path, ("scope",))


# Keys only some types of question have: the types, and how to fix one on another type.
_BELONGS_TO = {
    "choices": (
        (QuestionType.CHOICE, QuestionType.MULTI),
        "remove the choices, or change the type to choice",
    ),
    "min": (
        (QuestionType.SCALE, QuestionType.NUMBER),
        "remove min, or change the type to scale or number",
    ),
    "max": (
        (QuestionType.SCALE, QuestionType.NUMBER),
        "remove max, or change the type to scale or number",
    ),
    "labels": ((QuestionType.SCALE,), "remove the labels, or change the type to scale"),
    "scope": ((QuestionType.UPDATES,), "remove scope, or change the type to updates"),
}


def _check_belongs(
    checker: Checker, question: QuestionFile, path: Path, keys: tuple[str, ...]
) -> None:
    """Each of `keys` that `question` has belongs to its type."""
    for key in keys:
        kinds, fix = _BELONGS_TO[key]
        if question.type not in kinds and getattr(question, key) is not None:
            checker.report(
                (*path, key),
                f"{path_name(path)} is a {question.type} question, which has no {key}",
                fix,
            )


def _check_choices(checker: Checker, question: QuestionFile, path: Path) -> None:
    choices = question.choices or []
    if len(choices) < 2:
        checker.report(
            (*path, "choices") if question.choices is not None else path,
            f"{path_name(path)} is a {question.type} question with "
            f"{len(choices)} choice{'' if len(choices) == 1 else 's'}",
            "give it at least 2 choices, or make it a yesno or text question",
        )
    seen: dict[str, int] = {}
    for j, choice in enumerate(choices):
        first = seen.setdefault(choice.id.casefold(), j)
        if first != j:
            checker.report(
                (*path, "choices", j, "id"),
                f"{path_name((*path, 'choices', j))} has the id '{choice.id}', "
                f"which choices[{first + 1}] has already (case does not count)",
                "give each choice its own id",
            )
        _check_not_a_keyword(checker, choice, (*path, "choices", j))


def _check_not_a_keyword(checker: Checker, choice: ChoiceFile, path: Path) -> None:
    """A choice that reads as one of the bot's words can't be given in words."""
    for said in (choice.id, *choice.text.values()):
        keyword = keywords.classify(said)
        if keyword is not None and keyword not in (Keyword.YES, Keyword.NO):
            checker.report(
                path,
                f"{path_name(path)} reads '{said}', which the bot takes as {keyword}",
                "reword it: someone who replies with it gets the bot's "
                f"{keyword} instead (its number still works)",
                warning=True,
            )
            return


def _check_scale(checker: Checker, question: QuestionFile, path: Path) -> None:
    name, low, high = path_name(path), question.min, question.max
    if low is None or high is None:
        missing = " and ".join(k for k, v in (("min", low), ("max", high)) if v is None)
        checker.report(
            path,
            f"{name} is a scale question without {missing}",
            "add 'min: 1' and 'max: 5' (or the ends of your scale)",
        )
        return
    if low >= high:
        checker.report(
            (*path, "min"),
            f"{name} has min {low}, not below max {high}",
            "make min the lowest point, like min: 1 and max: 5",
        )
        return
    if high - low + 1 > MAX_SCALE_POINTS:
        checker.report(
            (*path, "max"),
            f"{name} has a scale of {high - low + 1} points",
            "keep a scale to 10 points or fewer; 1 to 5 is easiest on a phone",
            warning=True,
        )
    for point in question.labels or {}:
        if not low <= point <= high:
            checker.report(
                (*path, "labels", str(point)),
                f"{name}.labels has a label for {point}, outside the scale {low} to {high}",
                f"label points from {low} to {high} only",
            )


def _yaml(value: bool | None) -> str:
    return "true" if value else "false"
