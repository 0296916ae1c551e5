"""A question's `when:` in a file: it reads, names earlier questions, compares fairly."""

from __future__ import annotations

from tests.unit.conversations.consultation_file.helpers import (
    YESNO,
    only_error,
    with_questions,
)

# when:


def test_a_when_that_does_not_parse_points_at_the_column() -> None:
    problem = only_error(
        with_questions(YESNO + "  - {id: b, type: text, when: ok = yes, text: {en: B, pl: B}}\n")
    )

    assert problem.line == 10
    assert problem.message.startswith("questions[2].when can't be read:")
    assert "column 4" in problem.message
    assert "==" in problem.fix


def test_a_when_naming_a_later_question_is_an_error() -> None:
    problem = only_error(
        with_questions(
            "  - {id: a, type: text, when: b == yes, text: {en: A, pl: A}}\n"
            "  - {id: b, type: yesno, text: {en: B, pl: B}}\n"
        )
    )

    assert problem.line == 9
    assert problem.message == "questions[1].when names 'b', which is not asked before this question"
    assert "earlier questions" in problem.fix


def test_a_when_naming_its_own_question_is_an_error() -> None:
    problem = only_error(
        with_questions("  - {id: a, type: yesno, when: a == yes, text: {en: A, pl: A}}\n")
    )

    assert "names 'a', which is not asked before this question" in problem.message


def test_a_when_naming_an_unknown_question_suggests_the_nearest() -> None:
    problem = only_error(
        with_questions(YESNO + "  - {id: b, type: text, when: okk == yes, text: {en: B, pl: B}}\n")
    )

    assert problem.line == 10
    assert problem.message == "questions[2].when names 'okk', which is not a question"
    assert problem.fix == "did you mean 'ok'?"


def test_a_when_comparing_with_an_unknown_choice_lists_the_choices() -> None:
    problem = only_error(
        with_questions(
            "  - id: safe\n"  # 9
            "    type: choice\n"
            "    text: {en: 'Safe?', pl: 'Bezpiecznie?'}\n"
            "    choices:\n"
            "      - {id: very, text: {en: Very, pl: Bardzo}}\n"
            "      - {id: unsafe, text: {en: Not safe, pl: Nie}}\n"
            "  - id: why\n"  # 15
            "    type: text\n"
            "    when: safe in [very, usafe]\n"  # 17
            "    text: {en: 'Why?', pl: 'Dlaczego?'}\n"
        )
    )

    assert problem.line == 17
    assert (
        problem.message
        == "questions[2].when compares 'safe' with 'usafe', which is not one of its choices"
    )
    assert problem.fix == "use one of its choice ids: very, unsafe"


def test_a_when_compares_choices_without_regard_to_case() -> None:
    result = with_questions(
        "  - {id: safe, type: choice, text: {en: S, pl: S}, choices: "
        "[{id: very, text: {en: V, pl: V}}, {id: not, text: {en: N, pl: N}}]}\n"
        "  - {id: why, type: text, when: safe == VERY, text: {en: W, pl: W}}\n"
    )

    assert result.ok


def test_a_when_on_a_yesno_question_compares_with_yes_or_no() -> None:
    problem = only_error(
        with_questions(YESNO + "  - {id: b, type: text, when: ok == maybe, text: {en: B, pl: B}}\n")
    )

    assert problem.message == "questions[2].when compares 'ok' with 'maybe'"
    assert "yes or no" in problem.fix


def test_a_when_on_a_scale_compares_with_a_number() -> None:
    problem = only_error(
        with_questions(
            "  - {id: s, type: scale, min: 1, max: 5, text: {en: S, pl: S}}\n"
            "  - {id: b, type: text, when: s >= high, text: {en: B, pl: B}}\n"
        )
    )

    assert problem.line == 10
    assert "compare with a number" in problem.fix
