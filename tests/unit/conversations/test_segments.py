"""SMS segment counting: what a message costs, and which character made it dearer."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversations.segments import (
    GSM7,
    GSM7_BASIC,
    GSM7_EXTENSION,
    UCS2,
    SegmentCount,
    count_segments,
)


def test_plain_english_is_gsm7_in_one_segment() -> None:
    count = count_segments("Hi, this is the council. Reply YES to start.")
    assert count == SegmentCount(GSM7, 1, 44, ())


def test_160_plain_characters_fit_one_segment() -> None:
    assert count_segments("a" * 160).segments == 1


def test_161_plain_characters_take_two_segments() -> None:
    assert count_segments("a" * 161).segments == 2


def test_two_full_segments_hold_306_and_the_next_character_starts_a_third() -> None:
    assert count_segments("a" * 306).segments == 2
    assert count_segments("a" * 307).segments == 3


def test_an_extension_character_counts_two() -> None:
    count = count_segments("Costs €5 [ok]")
    assert count.encoding == GSM7
    assert count.length == 13 + 3


def test_an_extension_character_at_the_boundary_tips_into_a_second_segment() -> None:
    assert count_segments("a" * 158 + "€").segments == 1  # 160 septets
    count = count_segments("a" * 159 + "€")  # 161 septets
    assert (count.length, count.segments) == (161, 2)


def test_an_extension_character_is_never_split_across_segments() -> None:
    # 152 + 2 + 152 = 306 septets would fill two segments exactly, but the escape pair
    # would straddle the first boundary, so it moves whole and a third segment is needed.
    count = count_segments("a" * 152 + "€" + "a" * 152)
    assert (count.length, count.segments) == (306, 3)


def test_one_typographic_apostrophe_makes_it_ucs2_and_is_named() -> None:
    plain = count_segments("It's safe here")
    curly = count_segments("It’s safe here")
    assert plain.encoding == GSM7
    assert curly.encoding == UCS2
    assert curly.culprits == ("’",)


def test_a_typographic_apostrophe_can_double_the_cost() -> None:
    text = "Don't worry, this is anonymous. " * 4  # 128 GSM-7 characters: one segment
    assert count_segments(text).segments == 1
    assert count_segments(text.replace("'", "’")).segments == 2


def test_culprits_are_listed_once_each_in_the_order_first_seen() -> None:
    count = count_segments("Cześć, “hi” – ś ć")
    assert count.culprits == ("ś", "ć", "“", "”", "–")


def test_70_ucs2_units_fit_one_segment_and_71_take_two() -> None:
    assert count_segments("ł" * 70) == SegmentCount(UCS2, 1, 70, ("ł",))
    assert count_segments("ł" * 71) == SegmentCount(UCS2, 2, 71, ("ł",))


def test_split_ucs2_segments_hold_67_units() -> None:
    assert count_segments("ł" * 134).segments == 2
    assert count_segments("ł" * 135).segments == 3


def test_an_emoji_counts_two_units() -> None:
    count = count_segments("Thanks 🙏")
    assert (count.encoding, count.length, count.culprits) == (UCS2, 9, ("🙏",))


def test_35_emoji_fit_one_segment_and_36_do_not() -> None:
    assert count_segments("🙂" * 35).segments == 1
    assert count_segments("🙂" * 36).segments == 2


def test_an_emoji_is_never_split_across_segments() -> None:
    # 66 + 2 + 66 = 134 units would fill two segments, but the emoji's surrogate pair
    # would straddle the first boundary.
    assert count_segments("ł" * 66 + "🙂" + "ł" * 66).segments == 3


def test_empty_text_is_one_segment_because_a_message_still_goes() -> None:
    assert count_segments("") == SegmentCount(GSM7, 1, 0, ())


def test_greek_capitals_and_accented_letters_of_the_gsm_table_stay_gsm7() -> None:
    assert count_segments("ΔΦΓΛΩΠΨΣΘΞ éèùìòÇÄÖÑÜäöñüàßÆæÅåØø¿¡§£¥¤@_").encoding == GSM7


@pytest.mark.parametrize("char", ["ç", "á", "ł", "`", "\t", "’", "\u200b"])
def test_characters_outside_the_gsm_tables_force_ucs2(char: str) -> None:
    assert count_segments(f"ok {char}").encoding == UCS2


@pytest.mark.parametrize("char", list("^{}\\[~]|€\f"))
def test_each_extension_character_costs_an_escape_and_itself(char: str) -> None:
    assert count_segments(char) == SegmentCount(GSM7, 1, 2, ())


def test_the_basic_table_has_127_characters_besides_the_escape() -> None:
    assert len(GSM7_BASIC) == 127
    assert not GSM7_BASIC & GSM7_EXTENSION


@given(st.text(alphabet=sorted(GSM7_BASIC), max_size=500))
def test_basic_gsm7_text_follows_the_160_153_rule(text: str) -> None:
    count = count_segments(text)
    assert count.encoding == GSM7
    assert count.length == len(text)
    expected = 1 if len(text) <= 160 else math.ceil(len(text) / 153)
    assert count.segments == expected


@given(st.text(max_size=400))
def test_any_text_is_counted_and_never_fewer_than_its_length_needs(text: str) -> None:
    count = count_segments(text)
    size, single, multi = (160, 160, 153) if count.encoding == GSM7 else (70, 70, 67)
    assert count.segments >= 1
    assert count.length <= single or count.segments >= math.ceil(count.length / multi)
    assert (count.length <= size) == (count.segments == 1)
    assert bool(count.culprits) == (count.encoding == UCS2)
