"""Turning what someone typed into a choice, a number, or yes/no."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversations.matching import (
    Option,
    match_choice,
    match_integer,
    match_multi,
    match_scale,
    match_yes_no,
)

SAFETY = (
    Option("very", ("Very safe", "Bardzo bezpiecznie")),
    Option("fairly", ("Fairly safe", "Raczej bezpiecznie")),
    Option("unsafe", ("Not safe", "Niebezpiecznie")),
)
# The same labels with ids that give nothing away: only the words can match.
LETTERED = (
    Option("a", ("Very safe",)),
    Option("b", ("Fairly safe",)),
    Option("c", ("Not safe",)),
)
SUPPORT = (
    Option("friends", ("Friends and family",)),
    Option("school", ("School or college",)),
    Option("police", ("The police",)),
    Option("none", ("Nobody",)),
)


# --- choice: numbers first ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["2", "2.", " 2 ", "2!", "(2)", "#2", "２"])
def test_a_number_picks_the_option_in_that_place(text: str) -> None:
    assert match_choice(text, SAFETY) == "fairly"


@pytest.mark.parametrize("text", ["0", "4", "99", "-1", "2.5", "1" * 40])
def test_a_number_that_is_no_options_place_picks_nothing(text: str) -> None:
    assert match_choice(text, SAFETY) is None


def test_a_number_wins_over_a_label_that_is_another_number() -> None:
    ages = (Option("under", ("3",)), Option("mid", ("1",)), Option("over", ("2",)))
    assert match_choice("1", ages) == "under"
    assert match_choice("3", ages) == "over"


def test_a_number_beyond_the_options_can_still_be_a_label() -> None:
    ages = (Option("young", ("Under 16",)), Option("sixteen", ("16",)), Option("old", ("17+",)))
    assert match_choice("16", ages) == "sixteen"
    assert match_choice("15", ages) is None


# --- choice: exact words -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["fairly", "FAIRLY", "Fairly safe", "fairly safe!", "  Fairly   SAFE. ", "raczej bezpiecznie"],
)
def test_the_id_or_a_label_in_any_language_and_case_picks_it(text: str) -> None:
    assert match_choice(text, SAFETY) == "fairly"


def test_accents_are_optional_in_a_label() -> None:
    options = (Option("yes", ("Tak, często",)), Option("no", ("Nie, rzadko",)))
    assert match_choice("tak czesto", options) == "yes"


def test_two_options_with_the_same_label_pick_nothing() -> None:
    options = (Option("a", ("Maybe",)), Option("b", ("Maybe",)))
    assert match_choice("maybe", options) is None


def test_not_safe_in_full_is_not_safe() -> None:
    assert match_choice("Not safe", LETTERED) == "c"


# --- choice: fuzzy, with a clear margin -------------------------------------------------


@pytest.mark.parametrize(
    "text", ["farly safe", "Fairly sfae", "fairley safe", "I feel fairly safe"]
)
def test_a_typo_or_filler_still_finds_the_clear_choice(text: str) -> None:
    assert match_choice(text, LETTERED) == "b"


def test_a_typo_of_the_id_finds_it() -> None:
    assert match_choice("farly", SAFETY) == "fairly"


def test_one_word_of_a_label_finds_it_when_no_other_label_has_it() -> None:
    assert match_choice("very", LETTERED) == "a"
    assert match_choice("vry safe", LETTERED) == "a"


@pytest.mark.parametrize("options", [SAFETY, LETTERED])
def test_not_very_safe_never_becomes_very_safe(options: tuple[Option, ...]) -> None:
    assert match_choice("not very safe", options) not in ("very", "a", "fairly", "b")


def test_a_negation_finds_the_negative_option() -> None:
    assert match_choice("I don't feel safe", LETTERED) == "c"
    assert match_choice("i dont feel safe", LETTERED) == "c"


def test_a_plain_answer_never_becomes_a_negative_option() -> None:
    options = (Option("very", ("Very safe",)), Option("not_very", ("Not very safe",)))
    assert match_choice("very", options) == "very"
    assert match_choice("vry safe", options) == "very"


def test_a_negation_word_that_no_label_has_matches_nothing_positive() -> None:
    options = (Option("a", ("Very safe",)), Option("b", ("Fairly safe",)))
    assert match_choice("never safe", options) is None
    assert match_choice("nie bardzo", (Option("a", ("Bardzo",)), Option("b", ("Trochę",)))) is None


def test_a_word_every_label_shares_is_a_tie_and_picks_nothing() -> None:
    assert match_choice("safe", LETTERED) is None


def test_an_answer_with_a_but_is_not_read_as_its_first_half() -> None:
    assert match_choice("very safe but not at night", SAFETY) is None


@pytest.mark.parametrize("text", ["banana", "", "   ", "🙂", "👍🏽👍🏽", "?", "a", "quite safe"])
def test_nonsense_or_nothing_picks_nothing(text: str) -> None:
    assert match_choice(text, SAFETY) is None


def test_no_options_picks_nothing() -> None:
    assert match_choice("1", ()) is None
    assert match_choice("very", ()) is None


def test_a_very_long_message_picks_nothing_and_stays_quick() -> None:
    assert match_choice("fairly safe " * 1000, SAFETY) is None


@given(st.text(max_size=200))
def test_match_choice_never_raises_and_answers_an_option_or_nothing(text: str) -> None:
    assert match_choice(text, SAFETY) in {None, "very", "fairly", "unsafe"}


@given(
    st.lists(st.text(max_size=30), min_size=1, max_size=8),
    st.data(),
)
def test_a_number_always_picks_its_option_whatever_the_labels(
    labels: list[str], data: st.DataObject
) -> None:
    options = tuple(Option(f"o{i}", (label,)) for i, label in enumerate(labels))
    place = data.draw(st.integers(min_value=1, max_value=len(options)))
    padding = data.draw(st.sampled_from(["", " ", "  ", "."]))
    assert match_choice(f"{padding.strip()}{place}{padding}", options) == f"o{place - 1}"


# --- multi -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1 3", "1,3", "1, 3", "1 and 3", "3 1", "1 3 3", "1;3", "1 & 3"])
def test_several_numbers_pick_several_options_in_option_order(text: str) -> None:
    assert match_multi(text, SAFETY) == ("very", "unsafe")


@pytest.mark.parametrize(
    "text", ["very, fairly", "fairly and very", "Very safe, fairly safe", "fairly, 1"]
)
def test_several_labels_pick_several_options(text: str) -> None:
    assert match_multi(text, SAFETY) == ("very", "fairly")


def test_a_label_containing_and_stays_one_pick() -> None:
    assert match_multi("Friends and family", SUPPORT) == ("friends",)
    assert match_multi("friends and family, the police", SUPPORT) == ("friends", "police")
    assert match_multi("school and police", SUPPORT) == ("school", "police")


def test_one_pick_is_a_multi_answer_too() -> None:
    assert match_multi("2", SAFETY) == ("fairly",)
    assert match_multi("Nobody", SUPPORT) == ("none",)


@pytest.mark.parametrize("text", ["1 5", "very, banana", "very and banana", "", "🙂", ",,", "and"])
def test_anything_unmatched_makes_the_multi_answer_nothing(text: str) -> None:
    assert match_multi(text, SAFETY) is None


@given(st.text(max_size=200))
def test_match_multi_never_raises_and_picks_known_options_without_repeats(text: str) -> None:
    picks = match_multi(text, SAFETY)
    if picks is not None:
        assert picks
        assert len(set(picks)) == len(picks)
        assert set(picks) <= {"very", "fairly", "unsafe"}


# --- integers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", 3),
        ("3!", 3),
        (" 3 ", 3),
        ("3.", 3),
        ("3 🙂", 3),
        ("-2", -2),
        ("+4", 4),
        ("−2", -2),  # a typographic minus
        ("three", 3),
        ("Three!", 3),
        ("zero", 0),
        ("twenty", 20),
        ("٣", 3),
    ],
)
def test_a_whole_number_is_read(text: str, expected: int) -> None:
    assert match_integer(text, -5, 100) == expected


@pytest.mark.parametrize(
    "text", ["3.5", "3,000", "3 apples", "about 3", "twenty one", "", "🙂", "1" * 5000, "3-4"]
)
def test_anything_but_a_whole_number_is_nothing(text: str) -> None:
    assert match_integer(text, None, None) is None


def test_a_number_outside_the_bounds_is_nothing() -> None:
    assert match_integer("11", 1, 10) is None
    assert match_integer("0", 1, 10) is None
    assert match_integer("10", 1, 10) == 10
    assert match_integer("1", 1, 10) == 1


def test_open_bounds_take_any_number() -> None:
    assert match_integer("123456", None, None) == 123456
    assert match_integer("-7", None, 0) == -7


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_any_written_integer_reads_back(value: int) -> None:
    assert match_integer(str(value), None, None) == value


@given(st.text(max_size=100))
def test_match_integer_never_raises(text: str) -> None:
    match_integer(text, 0, 10)


# --- scales ------------------------------------------------------------------------------

LABELS = {1: ("Not at all", "Wcale"), 5: ("Completely", "Całkowicie")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("5", 5),
        ("3!", 3),
        ("three", 3),
        ("completely", 5),
        ("Całkowicie", 5),
        ("calkowicie", 5),
        ("not at all", 1),
        ("completly", 5),
    ],
)
def test_a_scale_takes_a_number_in_range_or_a_label(text: str, expected: int) -> None:
    assert match_scale(text, 1, 5, LABELS) == expected


@pytest.mark.parametrize("text", ["0", "6", "-1", "banana", "", "a bit"])
def test_a_scale_refuses_what_is_not_on_it(text: str) -> None:
    assert match_scale(text, 1, 5, LABELS) is None


def test_a_scale_label_outside_the_range_does_not_count() -> None:
    assert match_scale("completely", 1, 4, LABELS) is None


# --- yes / no ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["yes", "YES!", "y", "yeah", "ok", "sure", "Tak", "yes please"])
def test_yes_in_any_language_is_true(text: str) -> None:
    assert match_yes_no(text) is True


@pytest.mark.parametrize("text", ["no", "No.", "n", "nope", "nah", "NIE", "no thanks"])
def test_no_in_any_language_is_false(text: str) -> None:
    assert match_yes_no(text) is False


@pytest.mark.parametrize("text", ["maybe", "", "stop", "yes no", "🙂"])
def test_anything_else_is_neither(text: str) -> None:
    assert match_yes_no(text) is None
