"""A question's cross-checks: the keys its type has, its choices, its scale and numbers."""

from __future__ import annotations

import pytest

from tests.unit.conversations.consultation_file.helpers import (
    only_error,
    with_questions,
)

# Scales and numbers


def test_a_scale_without_min_and_max_says_to_add_them() -> None:
    problem = only_error(with_questions("  - id: s\n    type: scale\n    text: {en: S, pl: S}\n"))

    assert problem.line == 9
    assert problem.message == "questions[1] is a scale question without min and max"
    assert "min: 1" in problem.fix
    assert "max: 5" in problem.fix


def test_a_scale_whose_min_is_not_below_its_max_is_an_error_at_min() -> None:
    problem = only_error(
        with_questions(
            "  - id: s\n    type: scale\n    min: 5\n    max: 5\n    text: {en: S, pl: S}\n"
        )
    )

    assert problem.line == 11
    assert problem.message == "questions[1] has min 5, not below max 5"


def test_a_long_scale_is_a_warning_only() -> None:
    result = with_questions("  - {id: s, type: scale, min: 1, max: 100, text: {en: S, pl: S}}\n")

    assert result.ok
    [warning] = result.problems
    assert warning.warning
    assert "100 points" in warning.message


def test_a_label_outside_the_scale_is_an_error_at_its_line() -> None:
    problem = only_error(
        with_questions(
            "  - id: s\n"
            "    type: scale\n"
            "    min: 1\n"
            "    max: 5\n"
            "    text: {en: S, pl: S}\n"
            "    labels:\n"
            "      1: {en: Low, pl: Nisko}\n"
            "      10: {en: High, pl: Wysoko}\n"  # 16
        )
    )

    assert problem.line == 16
    assert problem.message == "questions[1].labels has a label for 10, outside the scale 1 to 5"
    assert problem.fix == "label points from 1 to 5 only"


def test_a_label_that_is_not_a_number_is_an_error_at_its_key() -> None:
    problem = only_error(
        with_questions(
            "  - id: s\n"
            "    type: scale\n"
            "    min: 1\n"
            "    max: 5\n"
            "    text: {en: S, pl: S}\n"
            "    labels:\n"
            "      low: {en: Low, pl: Nisko}\n"  # 15
        )
    )

    assert problem.line == 15
    assert problem.message == "the key 'low' in questions[1].labels should be a whole number"


# Choices and keys that belong to other types


def test_a_choice_question_needs_two_choices() -> None:
    problem = only_error(
        with_questions(
            "  - id: pick\n"
            "    type: choice\n"
            "    text: {en: Pick, pl: Wybierz}\n"
            "    choices:\n"  # 12
            "      - {id: a, text: {en: A, pl: A}}\n"
        )
    )

    assert problem.line == 12
    assert problem.message == "questions[1] is a choice question with 1 choice"
    assert "at least 2 choices" in problem.fix


def test_choices_on_a_text_question_are_an_error() -> None:
    problem = only_error(
        with_questions(
            "  - id: t\n    type: text\n    text: {en: T, pl: T}\n"
            "    choices: [{id: a, text: {en: A, pl: A}}, {id: b, text: {en: B, pl: B}}]\n"
        )
    )

    assert problem.line == 12
    assert problem.message == "questions[1] is a text question, which has no choices"


def test_optional_and_required_that_disagree_are_an_error() -> None:
    problem = only_error(
        with_questions(
            "  - id: t\n"
            "    type: text\n"
            "    optional: true\n"
            "    required: true\n"  # 12
            "    text: {en: T, pl: T}\n"
        )
    )

    assert problem.line == 12
    assert problem.message == "questions[1] says both optional: true and required: true"


# One question on one line, one error: what it says, and how to fix it where that matters.


@pytest.mark.parametrize(
    ("question", "message", "fix"),
    [
        pytest.param(
            "{id: s, type: scale, min: 1, text: {en: S, pl: S}}",
            "questions[1] is a scale question without max",
            None,
            id="a scale without max names only max",
        ),
        pytest.param(
            "{id: s, type: scale, min: 1, max: five, text: {en: S, pl: S}}",
            "questions[1].max should be a whole number",
            "write a number like 5",
            id="a scale end that is not a whole number",
        ),
        pytest.param(
            "{id: n, type: number, min: 30, max: 10, text: {en: N, pl: N}}",
            "questions[1] has min 30, more than max 10",
            None,
            id="a number question with min above max",
        ),
        pytest.param(
            "{id: m, type: multi, text: {en: M, pl: M}}",
            "questions[1] is a multi question with 0 choices",
            None,
            id="a multi question without choices",
        ),
        pytest.param(
            "{id: y, type: yesno, min: 1, text: {en: Y, pl: T}}",
            "questions[1] is a yesno question, which has no min",
            None,
            id="min on a yesno question",
        ),
        pytest.param(
            "{id: t, type: text, scope: future, text: {en: T, pl: T}}",
            "questions[1] is a text question, which has no scope",
            None,
            id="scope on a text question",
        ),
        pytest.param(
            "{id: u, type: updates, scope: later, text: {en: U, pl: U}}",
            "questions[1].scope is 'later', not an updates scope",
            "use this or future",
            id="an unknown scope says which there are",
        ),
    ],
)
def test_a_one_line_question_with_one_error(question: str, message: str, fix: str | None) -> None:
    problem = only_error(with_questions(f"  - {question}\n"))

    assert problem.message == message
    if fix is not None:
        assert problem.fix == fix
