"""The `when:` language: parsed, never eval'd, with plain errors that point at a column."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversations.conditions import ConditionError, parse
from conversations.state import AnswerValue


def holds(source: str, **answers: AnswerValue) -> bool:
    return parse(source).evaluate(answers)


# --- comparisons -------------------------------------------------------------------------


def test_equals_holds_for_that_choice_only() -> None:
    assert holds("safe_after_dark == unsafe", safe_after_dark="unsafe")
    assert not holds("safe_after_dark == unsafe", safe_after_dark="very")


def test_not_equals_holds_for_any_other_answer() -> None:
    assert holds("safe_after_dark != very", safe_after_dark="fairly")
    assert not holds("safe_after_dark != very", safe_after_dark="very")


def test_an_unanswered_question_makes_every_comparison_false() -> None:
    for source in ("q == a", "q != a", "q < 3", "q >= 3", "q in [a, b]"):
        assert not holds(source), source
        assert not holds(source, q=None), source


def test_not_of_an_unanswered_comparison_is_unknown_so_false() -> None:
    # Three-valued: a skipped q makes `q == a` unknown, and `not` unknown is unknown.
    assert not holds("not q == a")
    assert not holds("not q == a", q=None)
    assert parse("not q == a").truth({}) is None


@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        ("q == a and r == b", {"r": "b"}, None),  # unknown and true
        ("q == a and r == b", {"r": "c"}, False),  # unknown and false
        ("q == a or r == b", {"r": "b"}, True),  # unknown or true
        ("q == a or r == b", {"r": "c"}, None),  # unknown or false
        ("not (q == a or r == b)", {"r": "c"}, None),
        ("q skipped", {}, True),
        ("q skipped", {"q": "a"}, False),
        ("q answered", {"q": "a"}, True),
        ("not q answered", {}, True),
        ("q == a or q skipped", {}, True),
        ("q == a or q skipped", {"q": "b"}, False),
        ("q == a and q answered", {}, False),
        ("Q SKIPPED", {}, True),
    ],
)
def test_three_valued_logic(source: str, answers: dict[str, str], expected: bool | None) -> None:
    condition = parse(source)
    assert condition.truth(answers) is expected
    assert condition.evaluate(answers) is (expected is True)


def test_answered_and_skipped_are_named_as_tests_of_a_skip() -> None:
    condition = parse("safe == very or safe skipped or age < 16")
    assert condition.references() == {"safe", "age"}
    assert condition.tests_answer() == {"safe"}
    assert [c[0] for c in condition.comparisons()] == ["safe", "age"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("age < 16", True),
        ("age <= 15", True),
        ("age > 15", False),
        ("age >= 15", True),
        ("age == 15", True),
        ("age != 15", False),
        ("age > -1", True),
    ],
)
def test_numbers_compare_as_numbers(source: str, expected: bool) -> None:
    assert holds(source, age=15) is expected


def test_ordering_an_answer_that_is_not_a_number_is_false() -> None:
    assert not holds("q < 3", q="fairly")
    assert not holds("q > 3", q=("a", "b"))
    assert not holds("q >= a", q=3)


def test_yes_and_no_compare_without_regard_to_case() -> None:
    assert holds("hear_back == yes", hear_back="yes")
    assert holds("hear_back == YES", hear_back="yes")
    assert not holds("hear_back == no", hear_back="yes")


def test_a_quoted_value_may_hold_spaces() -> None:
    assert holds("q == 'fairly safe'", q="fairly safe")
    assert holds('q == "fairly safe"', q="fairly safe")


def test_a_quoted_number_matches_the_number_answer() -> None:
    assert holds("q == '3'", q=3)


# --- multi answers -----------------------------------------------------------------------


def test_equals_on_a_multi_answer_means_among_the_picks() -> None:
    assert holds("support == police", support=("friends", "police"))
    assert not holds("support == school", support=("friends", "police"))


def test_not_equals_on_a_multi_answer_means_not_among_the_picks() -> None:
    assert holds("support != school", support=("friends", "police"))
    assert not holds("support != police", support=("friends", "police"))


def test_in_on_a_multi_answer_is_any_overlap() -> None:
    assert holds("support in [school, police]", support=("friends", "police"))
    assert not holds("support in [school, none]", support=("friends", "police"))


def test_in_on_a_single_answer_is_membership() -> None:
    assert holds("q in [very, fairly]", q="fairly")
    assert not holds("q in [very, fairly]", q="unsafe")
    assert holds("age in [1, 2, 3]", age=2)


# --- and, or, not, brackets --------------------------------------------------------------


def test_and_binds_tighter_than_or() -> None:
    source = "a == 1 or b == 1 and c == 1"
    assert holds(source, a=1)
    assert not holds(source, b=1)
    assert holds(source, b=1, c=1)


def test_brackets_group() -> None:
    source = "(a == 1 or b == 1) and c == 1"
    assert not holds(source, a=1)
    assert holds(source, a=1, c=1)


def test_not_negates_what_follows() -> None:
    assert holds("not a == 1", a=2)
    assert not holds("not not a == 1", a=2)
    assert holds("not (a == 1 and b == 1)", a=1, b=2)


def test_keywords_may_be_upper_case() -> None:
    assert holds("a == 1 AND NOT b == 2 OR c IN [x]", a=1, b=3)


def test_spaces_are_optional_around_operators() -> None:
    assert holds("age>=16", age=16)
    assert holds("q==x", q="x")
    assert holds("q in[x,y]", q="y")


def test_newlines_in_a_folded_yaml_condition_are_spaces() -> None:
    assert holds("a == 1\n  and b == 2", a=1, b=2)


# --- what the loader asks ----------------------------------------------------------------


def test_references_name_every_question() -> None:
    condition = parse("a == x or (b in [y, z] and not c > 3)")
    assert condition.references() == frozenset({"a", "b", "c"})


def test_comparisons_list_every_literal_for_the_loader_to_check() -> None:
    condition = parse("safe == unsafe or support in [school, 'the police'] or age >= 16")
    assert condition.comparisons() == (
        ("safe", "==", "unsafe"),
        ("support", "in", "school"),
        ("support", "in", "the police"),
        ("age", ">=", 16),
    )


def test_integers_are_integers_and_words_are_words() -> None:
    ((_, _, number),) = parse("q == 16").comparisons()
    ((_, _, word),) = parse("q == 16-24").comparisons()
    ((_, _, negative),) = parse("q == -3").comparisons()
    assert number == 16
    assert word == "16-24"
    assert negative == -3


def test_the_condition_remembers_its_source() -> None:
    assert str(parse("a == 1")) == "a == 1"


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("", "the condition is empty", 1),
        ("   ", "the condition is empty", 1),
        ("safe_after_dark == ", "expected a value after '==' at column 20", 20),
        ("safe_after_dark ==  and b == 1", "expected a value after '==' at column 21", 21),
        ("q = 3", "a single '=' at column 3; write '==' to compare", 3),
        ("q == 1 && r == 2", "'&' at column 8; write 'and' or 'or'", 8),
        ("!q", "'!' at column 1; write 'not' or '!='", 1),
        ("q == 1 r == 2", "unexpected 'r' at column 8; join two conditions with 'and' or 'or'", 8),
        ("(q == 1", "expected ')' at column 8 to close the '(' at column 1", 8),
        ("q in a", "expected '[' after 'in' at column 6, as in q in [a, b]", 6),
        ("q in [a b]", "expected ',' or ']' at column 9 in the list after 'in' at column 3", 9),
        ("q in [a,", "expected a value after ',' at column 9", 9),
        ("q in []", "expected a value after '[' at column 7", 7),
        ("q == 'x", "the quote at column 6 is never closed; add a ' after the value", 6),
        ("== 3", "expected a question id at column 1, found '=='", 1),
        ("3 == 3", "expected a question id at column 1, found '3'", 1),
        (
            "q",
            "expected ==, !=, <, <=, >, >=, 'in', 'answered' or 'skipped' after 'q' at column 2",
            2,
        ),
        (
            "q is x",
            "expected ==, !=, <, <=, >, >=, 'in', 'answered' or 'skipped' after 'q' at column 3",
            3,
        ),
        ("q == 1 and", "expected a question id at column 11, found the end", 11),
        ("q == and", "expected a value after '==' at column 6", 6),
        ("q == x)", "unexpected ')' at column 7; join two conditions with 'and' or 'or'", 7),
        ("q == x; drop", "unexpected character ';' at column 7", 7),
    ],
)
def test_a_broken_condition_says_what_and_where(source: str, message: str, column: int) -> None:
    with pytest.raises(ConditionError) as raised:
        parse(source)
    assert raised.value.message == message
    assert raised.value.column == column
    assert isinstance(raised.value, ValueError)


def test_python_is_never_run() -> None:
    with pytest.raises(ConditionError):
        parse("__import__('os').system('echo hi')")


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(ConditionError, match="nested too deeply"):
        parse("(" * 1000 + "q == 1" + ")" * 1000)
    with pytest.raises(ConditionError, match="nested too deeply"):
        parse("not " * 1000 + "q == 1")


def test_reasonable_nesting_is_fine() -> None:
    assert holds("(" * 20 + "q == 1" + ")" * 20, q=1)


def test_a_huge_number_is_a_word_not_a_crash() -> None:
    ((_, _, value),) = parse("q == " + "9" * 5000).comparisons()
    assert value == "9" * 5000


@given(st.text(max_size=80))
def test_any_text_parses_or_raises_condition_error(source: str) -> None:
    try:
        condition = parse(source)
    except ConditionError as error:
        refused = error
    else:
        condition.evaluate({})
        condition.references()
        return
    assert 1 <= refused.column <= len(source) + 1
    assert refused.message


_ident = st.sampled_from(["a", "b", "q_1", "hear-back"])
_value = st.one_of(st.integers(-5, 5), st.sampled_from(["x", "yes", "no", "16-24"]))
_answer = st.one_of(st.integers(-5, 5), st.sampled_from(["x", "yes", "no"]), st.just(("x", "no")))


@given(_ident, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), _value, _answer)
def test_not_flips_every_comparison_on_an_answered_question(
    question: str, operator: str, value: int | str, answer: AnswerValue
) -> None:
    plain = parse(f"{question} {operator} {value}")
    negated = parse(f"not {question} {operator} {value}")
    answers = {question: answer}
    assert negated.evaluate(answers) is not plain.evaluate(answers)


@given(_ident, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), _value)
def test_neither_a_comparison_nor_its_negation_holds_for_a_skip(
    question: str, operator: str, value: int | str
) -> None:
    for source in (f"{question} {operator} {value}", f"not {question} {operator} {value}"):
        assert parse(source).truth({question: None}) is None
        assert not parse(source).evaluate({})
