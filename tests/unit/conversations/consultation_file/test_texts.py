"""Languages and texts: every text in every listed language, and the list itself."""

from __future__ import annotations

from tests.unit.conversations.consultation_file.helpers import (
    HEAD,
    YESNO,
    load,
    only_error,
    with_questions,
)

# Languages and texts


def test_a_text_missing_a_language_names_the_language_and_the_path() -> None:
    problem = only_error(
        with_questions(
            "  - id: pick\n"
            "    type: choice\n"
            "    text: {en: Pick, pl: Wybierz}\n"
            "    choices:\n"
            "      - {id: a, text: {en: A, pl: A}}\n"
            "      - id: b\n"  # 14
            "        text:\n"  # 15
            "          en: B\n"
        )
    )

    assert problem.line == 15
    assert problem.message == "questions[1].choices[2].text has no 'pl' text"
    assert problem.fix == "add 'pl:' followed by the words"


def test_an_empty_text_counts_as_missing() -> None:
    problem = only_error(
        load(
            HEAD.replace("closing: {en: Thanks, pl: Dzięki}", "closing: {en: Thanks, pl: ' '}")
            + YESNO
        )
    )

    assert (problem.line, problem.message) == (7, "messages.closing has no 'pl' text")


def test_a_text_in_a_language_not_listed_is_an_error() -> None:
    problem = only_error(with_questions("  - {id: a, type: yesno, text: {en: A, pl: A, de: A}}\n"))

    assert problem.message == "questions[1].text has a 'de' text, but 'de' is not in languages"
    assert "add it to languages" in problem.fix


def test_one_plain_text_is_not_enough_for_two_languages() -> None:
    problem = only_error(with_questions("  - {id: a, type: yesno, text: Is it OK}\n"))

    assert problem.line == 9
    assert problem.message == "questions[1].text gives one text, not one per language"
    assert "{en: ..., pl: ...}" in problem.fix


def test_an_empty_language_list_is_an_error() -> None:
    text = HEAD.replace("languages: [en, pl]", "languages: []").replace(", pl: Cześć", "")
    problem = only_error(load(text + YESNO))

    assert (problem.line, problem.message) == (3, "languages is empty")
    assert "[en]" in problem.fix


def test_a_language_code_that_is_not_plain_says_which_to_write() -> None:
    result = load(HEAD.replace("languages: [en, pl]", "languages: [en-GB, Polish]") + YESNO)

    assert [(p.line, p.message, p.fix) for p in result.errors] == [
        (3, "languages[1] is 'en-GB', not a plain language code", "write 'en'"),
        (
            3,
            "languages[2] is 'Polish', not a language code",
            "write a 2-letter code such as en or pl",
        ),
    ]


def test_a_language_listed_twice_is_an_error() -> None:
    problem = only_error(
        load(HEAD.replace("languages: [en, pl]", "languages: [en, pl, en]") + YESNO)
    )

    assert problem.message == "languages lists 'en' twice"
