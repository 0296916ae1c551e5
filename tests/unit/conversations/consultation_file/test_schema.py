"""A consultation file's shape: its keys, types and single values, each problem in words."""

from __future__ import annotations

from tests.unit.conversations.consultation_file.helpers import (
    HEAD,
    YESNO,
    load,
    only_error,
    with_questions,
)

# Question types


def test_an_unknown_question_type_lists_the_valid_ones() -> None:
    problem = only_error(with_questions("  - id: a\n    type: scael\n    text: {en: A, pl: A}\n"))

    assert problem.line == 10
    assert problem.message == "questions[1].type is 'scael', not a question type"
    assert "did you mean 'scale'?" in problem.fix
    assert "text, choice, multi, scale, yesno, number, updates" in problem.fix


def test_a_question_without_a_type_says_to_add_one() -> None:
    problem = only_error(with_questions(YESNO + "  - id: a\n    text: {en: A, pl: A}\n"))

    assert problem.line == 10
    assert problem.message == "questions[2] has no 'type'"
    assert "type: text" in problem.fix


def test_a_question_that_is_not_a_mapping_says_so() -> None:
    problem = only_error(with_questions(YESNO + "  - just a question\n"))

    assert problem.line == 10
    assert problem.message == "questions[2] should be 'key: value' lines"


# Ids


def test_duplicate_question_ids_point_at_the_second() -> None:
    problem = only_error(with_questions(YESNO + YESNO))

    assert problem.line == 10
    assert problem.message == "questions[2] has the id 'ok', which questions[1] has already"
    assert problem.fix == "give each question its own id"


def test_duplicate_choice_ids_differ_by_more_than_case() -> None:
    problem = only_error(
        with_questions(
            "  - id: pick\n"
            "    type: multi\n"
            "    text: {en: Pick, pl: Wybierz}\n"
            "    choices:\n"
            "      - {id: Bus, text: {en: Bus, pl: Autobus}}\n"
            "      - {id: bus, text: {en: Bus stop, pl: Przystanek}}\n"
        )
    )

    assert problem.line == 14
    assert "which choices[1] has already" in problem.message


def test_an_id_that_is_not_url_safe_gets_a_safe_suggestion() -> None:
    problem = only_error(load(HEAD.replace("id: test", "id: feeling safe?") + YESNO))

    assert problem.line == 1
    assert (
        problem.message == "id is 'feeling safe?', but an id may only have letters, digits, - and _"
    )
    assert "'feeling_safe'" in problem.fix


def test_a_choice_id_that_is_not_url_safe_is_an_error_at_its_line() -> None:
    problem = only_error(
        with_questions(
            "  - id: pick\n"
            "    type: choice\n"
            "    text: {en: Pick, pl: Wybierz}\n"
            "    choices:\n"
            "      - {id: bus stop, text: {en: Bus, pl: Autobus}}\n"
            "      - {id: park, text: {en: Park, pl: Park}}\n"
        )
    )

    assert problem.line == 13
    assert problem.message.startswith("questions[1].choices[1].id is 'bus stop'")


# The keyword


def test_a_keyword_with_a_space_cannot_be_texted() -> None:
    problem = only_error(load(HEAD.replace("keyword: TESTING", "keyword: FEEL SAFE") + YESNO))

    assert problem.line == 4
    assert problem.message == "keyword is 'FEEL SAFE', which can't be texted as one word"
    assert "one word" in problem.fix


def test_a_keyword_longer_than_64_characters_is_an_error() -> None:
    problem = only_error(load(HEAD.replace("keyword: TESTING", "keyword: " + "A" * 65) + YESNO))

    assert problem.line == 4


def test_a_keyword_that_is_one_of_the_bots_words_is_refused() -> None:
    for word in ("STOP", "help", "Pomoc", "POLSKI"):
        problem = only_error(load(HEAD.replace("keyword: TESTING", f"keyword: {word}") + YESNO))

        assert problem.line == 4
        assert "words the bot itself listens for" in problem.message
        assert "choose another word" in problem.fix


def test_a_choice_that_reads_as_a_bot_word_is_a_warning() -> None:
    result = with_questions(
        "  - id: what\n"
        "    type: choice\n"
        "    text: {en: 'What would help?', pl: 'Co by pomogło?'}\n"
        "    choices:\n"
        "      - {id: lights, text: {en: More lights, pl: Więcej świateł}}\n"
        "      - {id: stop, text: {en: Stop and search, pl: Kontrole}}\n"
    )

    assert result.ok
    [warning] = result.problems
    assert warning.warning
    assert warning.line == 14
    assert "the bot takes as STOP" in warning.message


# Missing and unknown keys


def test_messages_without_intro_and_closing_says_what_to_add() -> None:
    text = HEAD.replace(
        "  intro: {en: Hi, pl: Cześć}\n  closing: {en: Thanks, pl: Dzięki}\n", "  {}\n"
    )
    result = load(text.replace("messages:\n  {}", "messages: {}") + YESNO)

    assert [p.message for p in result.errors] == [
        "messages has no 'intro'",
        "messages has no 'closing'",
    ]
    assert all(p.line == 5 for p in result.errors)
    assert "who is asking" in result.errors[0].fix


def test_a_file_missing_its_keys_names_each() -> None:
    result = load("title: Only a title\n")

    assert {p.message for p in result.errors} == {
        "the file has no 'id'",
        "the file has no 'languages'",
        "the file has no 'keyword'",
        "the file has no 'messages'",
        "the file has no 'questions'",
    }


def test_an_unknown_top_level_key_suggests_the_nearest() -> None:
    result = load(HEAD.replace("title:", "tittle:") + YESNO)

    problem = only_error(result)
    assert problem.line == 2
    assert problem.message == "the file has an unknown key 'tittle'"
    assert problem.fix == "did you mean 'title'?"


def test_an_unknown_question_key_suggests_the_nearest() -> None:
    problem = only_error(
        with_questions(
            "  - id: pick\n    type: choice\n    text: {en: P, pl: W}\n"
            "    choice: [{id: a, text: {en: A, pl: A}}, {id: b, text: {en: B, pl: B}}]\n"
        )
    )

    # Misspelt choices also means the question has none; that is the same slip.
    assert problem.line == 12
    assert problem.fix == "did you mean 'choices'?"


def test_a_misspelt_question_key_it_must_have_is_one_problem_not_two() -> None:
    # Once only the file's own keys were matched against a question's typo, so 'tpye'
    # was said twice: as an unknown key and as a missing 'type'.
    problem = only_error(with_questions("  - {id: a, tpye: yesno, text: {en: A, pl: A}}\n"))

    assert problem.message == "questions[1] has an unknown key 'tpye'"
    assert problem.fix == "did you mean 'type'?"


def test_an_unknown_key_unlike_any_lists_the_keys() -> None:
    problem = only_error(
        with_questions("  - {id: a, type: yesno, colour: red, text: {en: A, pl: A}}\n")
    )

    assert problem.message == "questions[1] has an unknown key 'colour'"
    assert problem.fix.startswith("remove it; the keys here are: id, type, text")


# Numbers of questions, days, flags


def test_more_than_eight_questions_is_a_warning_and_still_loads() -> None:
    questions = "".join(
        f"  - {{id: q{i}, type: yesno, text: {{en: Q, pl: P}}}}\n" for i in range(9)
    )
    result = with_questions(questions)

    assert result.ok
    assert result.consultation is not None
    [warning] = result.problems
    assert warning.warning
    assert warning.line == 8
    assert warning.message == "there are 9 questions"
    assert "3-8 questions" in warning.fix


def test_no_questions_is_an_error() -> None:
    problem = only_error(load(HEAD.replace("questions:\n", "questions: []\n")))

    assert (problem.line, problem.message) == (8, "questions is empty")


def test_negative_withdrawal_days_is_an_error() -> None:
    problem = only_error(
        load(HEAD.replace("questions:", "withdrawal_days: -7\nquestions:") + YESNO)
    )

    assert problem.line == 8
    assert problem.message == "withdrawal_days is -7, less than no days"
    assert "0 or more" in problem.fix


def test_listed_must_be_true_or_false() -> None:
    problem = only_error(load("listed: sometimes\n" + HEAD + YESNO))

    assert (problem.line, problem.message) == (1, "listed should be true or false")


def test_an_empty_title_is_an_error() -> None:
    problem = only_error(load(HEAD.replace("title: Test consultation", "title: ''") + YESNO))

    assert (problem.line, problem.message) == (2, "title is empty")
