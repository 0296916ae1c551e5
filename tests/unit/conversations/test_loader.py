"""The consultation loader: YAML text in, a Consultation or every problem with its line out."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conversations.loader import LoadResult, Problem, consultation_version, load_consultation
from conversations.model import Choice, QuestionType, UpdatesScope

DATA = Path(__file__).resolve().parents[2] / "data" / "consultations"

# Lines 1-8; a test's questions start on line 9.
HEAD = """\
id: test
title: Test consultation
languages: [en, pl]
keyword: TESTING
messages:
  intro: {en: Hi, pl: Cześć}
  closing: {en: Thanks, pl: Dzięki}
questions:
"""
YESNO = "  - {id: ok, type: yesno, text: {en: 'OK?', pl: 'OK?'}}\n"


def load_file(name: str) -> LoadResult:
    return load_consultation((DATA / name).read_text(encoding="utf-8"), name)


def load(text: str) -> LoadResult:
    return load_consultation(text, "test.yaml")


def with_questions(questions: str, head: str = HEAD) -> LoadResult:
    return load(head + questions)


def only_error(result: LoadResult) -> Problem:
    assert len(result.errors) == 1, "\n".join(str(p) for p in result.problems)
    assert result.consultation is None
    return result.errors[0]


# The good cases


def test_the_good_file_loads_with_no_problems() -> None:
    result = load_file("good.yaml")

    assert result.ok
    assert result.problems == ()
    consultation = result.consultation
    assert consultation is not None
    assert consultation.id == "feeling-safe"
    assert consultation.title == "Feeling safe in your area"
    assert consultation.languages == ("en", "pl")
    assert consultation.default_language == "en"
    assert consultation.listed is True
    assert consultation.withdrawal_days == 14
    assert consultation.intro["pl"].startswith("Cześć")
    assert consultation.closing["en"] == "Thank you. Your answers help decide what we do next."
    assert [q.type for q in consultation.questions] == [
        QuestionType.CHOICE,
        QuestionType.TEXT,
        QuestionType.SCALE,
        QuestionType.MULTI,
        QuestionType.NUMBER,
        QuestionType.YESNO,
        QuestionType.UPDATES,
        QuestionType.UPDATES,
    ]


def test_the_keyword_is_upper_cased() -> None:
    consultation = load_file("good.yaml").consultation

    assert consultation is not None
    assert consultation.keyword == "SAFE"


def test_choices_keep_their_order_and_texts() -> None:
    consultation = load_file("good.yaml").consultation

    assert consultation is not None
    assert consultation.question("safe_after_dark").choices == (
        Choice("very", {"en": "Very safe", "pl": "Bardzo bezpiecznie"}),
        Choice("fairly", {"en": "Fairly safe", "pl": "Raczej bezpiecznie"}),
        Choice("unsafe", {"en": "Not safe", "pl": "Niebezpiecznie"}),
    )


def test_a_scale_keeps_its_ends_and_labels_by_point() -> None:
    consultation = load_file("good.yaml").consultation

    assert consultation is not None
    scale = consultation.question("how_safe_school")
    assert (scale.min, scale.max) == (1, 5)
    assert scale.labels == {
        1: {"en": "Not at all", "pl": "Wcale"},
        5: {"en": "Completely", "pl": "Całkowicie"},
    }


def test_when_is_kept_as_its_source_text() -> None:
    consultation = load_file("good.yaml").consultation

    assert consultation is not None
    assert consultation.question("why_unsafe").when == "safe_after_dark == unsafe"
    assert consultation.question("age").when == (
        "(how_safe_school <= 2 and how_safe_school answered) or places == bus"
    )
    assert consultation.question("safe_after_dark").when is None


def test_updates_scope_is_this_unless_future_is_written() -> None:
    consultation = load_file("good.yaml").consultation

    assert consultation is not None
    assert consultation.question("hear_back").scope is UpdatesScope.THIS
    assert consultation.question("future").scope is UpdatesScope.FUTURE


def test_questions_are_optional_unless_required_or_not_optional() -> None:
    consultation = load_file("good.yaml").consultation

    assert consultation is not None
    assert consultation.question("why_unsafe").optional is True  # nothing written
    assert consultation.question("future").optional is True  # optional: true
    assert consultation.question("safe_after_dark").optional is False  # required: true
    assert consultation.question("places").optional is False  # optional: false


def test_the_version_is_the_digest_of_the_text() -> None:
    text = (DATA / "good.yaml").read_text(encoding="utf-8")

    consultation = load(text).consultation

    assert consultation is not None
    assert consultation.version == consultation_version(text)


def test_one_language_takes_plain_text_and_yes_no_stay_words() -> None:
    result = load_file("one_language.yaml")

    assert result.problems == ()
    consultation = result.consultation
    assert consultation is not None
    assert consultation.intro == {
        "en": "Hi, this is the youth club. 2 quick questions. Reply YES to start."
    }
    assert consultation.listed is False  # "listed: no"
    assert consultation.withdrawal_days == 0
    assert [c.id for c in consultation.questions[1].choices] == ["yes", "no", "sometimes"]
    assert consultation.questions[1].choices[0].text == {"en": "Yes"}


def test_listed_and_withdrawal_days_may_be_left_out() -> None:
    consultation = with_questions(YESNO).consultation

    assert consultation is not None
    assert consultation.listed is True
    assert consultation.withdrawal_days == 14


def test_a_number_question_may_have_no_bounds() -> None:
    result = with_questions("  - {id: age, type: number, text: {en: 'Age?', pl: 'Wiek?'}}\n")

    assert result.ok


# The version


def test_the_version_is_short_and_stable() -> None:
    text = (DATA / "good.yaml").read_text(encoding="utf-8")

    assert consultation_version(text) == consultation_version(text)
    assert len(consultation_version(text)) == 12
    assert all(c in "0123456789abcdef" for c in consultation_version(text))


def test_the_version_changes_when_the_text_changes() -> None:
    text = (DATA / "good.yaml").read_text(encoding="utf-8")

    assert consultation_version(text) != consultation_version(text.replace("Very safe", "Safe"))


def test_the_version_ignores_windows_line_endings() -> None:
    text = (DATA / "good.yaml").read_text(encoding="utf-8")

    assert consultation_version(text) == consultation_version(text.replace("\n", "\r\n"))


# Problems: their form


def test_a_problem_reads_file_line_what_and_fix() -> None:
    problem = Problem("safe.yaml", 7, "keyword is 'STOP'", "choose another word")

    assert str(problem) == "safe.yaml:7: keyword is 'STOP'; choose another word"


def test_problems_name_the_source_given() -> None:
    result = load_consultation(HEAD, "config/consultations/x.yaml")

    assert str(result.errors[0]).startswith("config/consultations/x.yaml:")


def test_a_file_with_several_problems_reports_them_all_in_line_order() -> None:
    result = load_file("many_problems.yaml")

    assert result.consultation is None
    said = [str(p) for p in result.errors]
    lines = [p.line for p in result.problems]
    assert lines == sorted(lines)
    expected = [
        "many_problems.yaml:1: id is 'feeling safe'",
        "many_problems.yaml:2: the file has an unknown key 'tittle'; did you mean 'title'?",
        "many_problems.yaml:3: languages[2] is 'PL', not a plain language code; write 'pl'",
        "many_problems.yaml:4: keyword is 'STOP'",
        "many_problems.yaml:5: withdrawal_days is -1",
        "many_problems.yaml:6: messages has no 'closing'",
        "many_problems.yaml:7: messages.intro has no 'pl' text",
        "many_problems.yaml:10: questions[1].type is 'choise', not a question type",
        "many_problems.yaml:14: questions[2].when names 'q3', which is not a question",
        "many_problems.yaml:17: questions[2].choices[1].text has no 'pl' text",
        "many_problems.yaml:18: questions[2].choices[2] has the id 'A'",
        "many_problems.yaml:19: questions[3] has the id 'q2', which questions[2] has already",
        "many_problems.yaml:21: questions[3] has min 5, not below max 1",
        "many_problems.yaml:27: questions[4].when can't be read",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in said), start


def test_a_missing_translation_does_not_hide_other_problems_of_its_question() -> None:
    result = with_questions(
        "  - id: pick\n"  # 9
        "    type: choice\n"  # 10
        "    text: {en: Pick}\n"  # 11
        "    choices:\n"  # 12
        "      - {id: a, text: {en: A, pl: A}}\n"  # 13
        "      - {id: a, text: {en: B, pl: B}}\n"  # 14
    )

    assert [(p.line, p.message) for p in result.errors] == [
        (11, "questions[1].text has no 'pl' text"),
        (
            14,
            "questions[1].choices[2] has the id 'a', which choices[1] has already"
            " (case does not count)",
        ),
    ]


# Unreadable files


def test_malformed_yaml_is_one_problem_where_the_quote_opens() -> None:
    problem = only_error(load_file("malformed.yaml"))

    assert problem.line == 5
    assert "quote is never closed" in problem.message
    assert problem.fix == "close the quote that starts on this line"


def test_a_tab_in_the_indenting_says_to_use_spaces() -> None:
    problem = only_error(load("id: x\nquestions:\n\t- id: y\n"))

    assert problem.line == 3
    assert "spaces" in problem.fix


def test_text_with_a_colon_says_to_use_quotes() -> None:
    problem = only_error(load("id: x\ntitle: Safety: what you think\n"))

    assert problem.line == 2
    assert "quotes" in problem.fix


def test_a_second_document_says_keep_one_per_file() -> None:
    problem = only_error(load(HEAD + YESNO + "---\nid: other\n"))

    assert problem.line == 10
    assert "one consultation per file" in problem.fix


def test_a_python_tag_is_refused_not_run() -> None:
    result = load(HEAD.replace("id: test", "id: !!python/object/apply:os.system [echo hi]") + YESNO)

    assert result.consultation is None
    assert (result.errors[0].line, result.errors[0].fix) == (
        1,
        "remove the '!' tag: write plain values",
    )


def test_a_list_at_the_top_is_not_a_consultation() -> None:
    problem = only_error(load_file("not_a_mapping.yaml"))

    assert problem.line == 2
    assert "not a consultation" in problem.message
    assert "id: feeling-safe" in problem.fix


def test_a_plain_word_is_not_a_consultation() -> None:
    problem = only_error(load("hello\n"))

    assert problem.line == 1
    assert "not a consultation" in problem.message


def test_an_empty_file_says_so() -> None:
    problem = only_error(load(""))

    assert (problem.line, problem.message) == (1, "the file is empty")
    assert "config/consultations" in problem.fix


def test_a_file_of_comments_is_empty() -> None:
    assert only_error(load_file("only_comments.yaml")).message == "the file is empty"


def test_a_key_written_twice_is_an_error_at_the_second() -> None:
    problem = only_error(
        load(HEAD.replace("keyword: TESTING\n", "keyword: A\nkeyword: B\n") + YESNO)
    )

    assert problem.line == 5
    assert problem.message == "'keyword' is written twice here (first on line 4)"
    assert problem.fix == "keep one of them"


def test_an_alias_inside_itself_is_an_error_not_a_hang() -> None:
    result = with_questions("  - &q {id: a, type: text, text: *q}\n")

    assert result.consultation is None
    assert result.errors[0].line == 9
    assert result.errors[0].message == "anchors (&name) and aliases (*name) are not allowed"


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


# Scales and numbers


def test_a_scale_without_min_and_max_says_to_add_them() -> None:
    problem = only_error(with_questions("  - id: s\n    type: scale\n    text: {en: S, pl: S}\n"))

    assert problem.line == 9
    assert problem.message == "questions[1] is a scale question without min and max"
    assert "min: 1" in problem.fix
    assert "max: 5" in problem.fix


def test_a_scale_without_max_names_only_max() -> None:
    problem = only_error(with_questions("  - {id: s, type: scale, min: 1, text: {en: S, pl: S}}\n"))

    assert problem.message == "questions[1] is a scale question without max"


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


def test_a_scale_end_that_is_not_a_whole_number_is_an_error() -> None:
    problem = only_error(
        with_questions("  - {id: s, type: scale, min: 1, max: five, text: {en: S, pl: S}}\n")
    )

    assert problem.message == "questions[1].max should be a whole number"
    assert problem.fix == "write a number like 5"


def test_a_number_question_with_min_above_max_is_an_error() -> None:
    problem = only_error(
        with_questions("  - {id: n, type: number, min: 30, max: 10, text: {en: N, pl: N}}\n")
    )

    assert problem.message == "questions[1] has min 30, more than max 10"


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


def test_a_multi_question_without_choices_is_an_error() -> None:
    problem = only_error(with_questions("  - {id: m, type: multi, text: {en: M, pl: M}}\n"))

    assert problem.message == "questions[1] is a multi question with 0 choices"


def test_choices_on_a_text_question_are_an_error() -> None:
    problem = only_error(
        with_questions(
            "  - id: t\n    type: text\n    text: {en: T, pl: T}\n"
            "    choices: [{id: a, text: {en: A, pl: A}}, {id: b, text: {en: B, pl: B}}]\n"
        )
    )

    assert problem.line == 12
    assert problem.message == "questions[1] is a text question, which has no choices"


def test_min_on_a_yesno_question_is_an_error() -> None:
    problem = only_error(with_questions("  - {id: y, type: yesno, min: 1, text: {en: Y, pl: T}}\n"))

    assert problem.message == "questions[1] is a yesno question, which has no min"


def test_scope_on_a_text_question_is_an_error() -> None:
    problem = only_error(
        with_questions("  - {id: t, type: text, scope: future, text: {en: T, pl: T}}\n")
    )

    assert problem.message == "questions[1] is a text question, which has no scope"


def test_an_unknown_scope_says_which_there_are() -> None:
    problem = only_error(
        with_questions("  - {id: u, type: updates, scope: later, text: {en: U, pl: U}}\n")
    )

    assert problem.message == "questions[1].scope is 'later', not an updates scope"
    assert problem.fix == "use this or future"


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


# Robustness


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_gives_a_result_never_an_exception(text: str) -> None:
    result = load(text)

    assert result.ok == (result.consultation is not None)
    assert all(p.line >= 1 and p.fix for p in result.problems)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_the_good_file_with_a_line_removed_never_raises(data: st.DataObject) -> None:
    lines = (DATA / "good.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    gone = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))

    result = load("".join(lines[:gone] + lines[gone + 1 :]))

    assert all(1 <= p.line <= len(lines) + 1 for p in result.problems)
