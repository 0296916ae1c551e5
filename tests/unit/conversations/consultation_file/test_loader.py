"""The consultation loader: YAML text in, a Consultation or every problem with its line out."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conversations.consultation_file import consultation_version, load_consultation
from conversations.model import Choice, QuestionType, UpdatesScope
from conversations.problems import Problem
from tests.unit.conversations.consultation_file.helpers import (
    DATA,
    HEAD,
    YESNO,
    load,
    load_file,
    only_error,
    with_questions,
)

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
