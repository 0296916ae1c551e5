"""The helplines message a disclosure (or HELP) gets, from the shipped config/helplines.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from conversations.helplines import (
    Helplines,
    HelplinesError,
    full_message,
    parse_helplines,
    reminder,
)
from conversations.segments import GSM7, count_segments

ROOT = Path(__file__).resolve().parents[3]
SOURCE = (ROOT / "config" / "helplines.yaml").read_text(encoding="utf-8")
SHIPPED = parse_helplines(SOURCE)

# The design's order: 999 first, then Childline, the National Domestic Abuse Helpline,
# Rape Crisis, Samaritans, Shout, NSPCC, and 101 / Crimestoppers when it isn't urgent.
DESIGN_ORDER = (
    "999",
    "0800 1111",
    "0808 2000 247",
    "0808 500 2222",
    "116 123",
    "85258",
    "0808 800 5000",
    "101",
    "0800 555 111",
)

MINIMAL = """
emergency: {number: "999", text: {en: "Call 999.", pl: "Dzwon 999."}}
intro: {en: "We can't send anyone."}
lines:
  - {id: childline, number: "0800 1111", text: {en: "Childline 0800 1111"}}
  - {id: samaritans, number: "116 123", text: {en: "Samaritans 116 123", pl: "Samarytanie 116 123"}}
closing: {en: "Carry on, or text STOP."}
reminder: {en: "Text HELP for numbers.", pl: "Napisz POMOC."}
"""


@pytest.fixture
def helplines() -> Helplines:
    return SHIPPED


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_first_line_is_999_with_55_for_a_silent_call(
    helplines: Helplines, language: str
) -> None:
    first = full_message(helplines, language).splitlines()[0]
    assert "999" in first
    assert "55" in first


def test_the_english_first_line_is_the_designs(helplines: Helplines) -> None:
    assert full_message(helplines, "en").splitlines()[0] == (
        "In danger now? Call 999. On a mobile, if you can't speak, call 999 then press 55."
    )


@pytest.mark.parametrize("language", ["en", "pl"])
def test_every_helpline_is_listed_in_the_designs_order(helplines: Helplines, language: str) -> None:
    message = full_message(helplines, language)
    positions: list[int] = []
    for number in DESIGN_ORDER:
        assert number in message, number
        start = positions[-1] + 1 if positions else 0
        positions.append(message.index(number, start))
    assert positions == sorted(positions)


def test_the_message_names_each_service(helplines: Helplines) -> None:
    message = full_message(helplines, "en")
    for name in ("Childline", "Rape Crisis", "Samaritans", "Shout", "NSPCC", "Crimestoppers"):
        assert name in message
    assert "Under 19" in message
    assert "Domestic abuse: 0808 2000 247" in message
    assert "Worried about a child? NSPCC" in message


def test_the_message_says_this_chat_cannot_send_anyone(helplines: Helplines) -> None:
    assert "we can't send anyone" in full_message(helplines, "en").lower()


def test_the_message_ends_by_letting_the_person_carry_on_or_stop(helplines: Helplines) -> None:
    assert full_message(helplines, "en").endswith("You can carry on, or text STOP to stop.")
    assert "STOP" in full_message(helplines, "pl").splitlines()[-1]


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_message_asks_nothing_and_promises_no_one_will_come(
    helplines: Helplines, language: str
) -> None:
    message = full_message(helplines, language).lower()
    for asks in ("are you", "reply", "tell us", "where are", "how old", "yes or no"):
        assert asks not in message
    for promise in ("will come", "on their way", "on the way", "we will send", "we'll send"):
        assert promise not in message


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_message_is_plain_gsm7_and_at_most_three_segments(
    helplines: Helplines, language: str
) -> None:
    count = count_segments(full_message(helplines, language))
    assert count.encoding == GSM7, count.culprits
    assert count.segments <= 3


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_reminder_is_one_short_line_pointing_to_help(
    helplines: Helplines, language: str
) -> None:
    line = reminder(helplines, language)
    assert "\n" not in line
    count = count_segments(line)
    assert count.encoding == GSM7
    assert count.segments == 1
    assert "HELP" in line or "POMOC" in line


def test_the_english_reminder_is_the_designs(helplines: Helplines) -> None:
    assert reminder(helplines, "en") == "If you need help now, text HELP for numbers to call."


def test_polish_is_marked_for_review_by_a_native_speaker() -> None:
    assert "NEEDS REVIEW BY A NATIVE SPEAKER" in SOURCE


def test_an_unknown_language_gets_english(helplines: Helplines) -> None:
    assert full_message(helplines, "fr") == full_message(helplines, "en")
    assert reminder(helplines, "ur") == reminder(helplines, "en")


def test_a_regional_code_gets_its_language(helplines: Helplines) -> None:
    assert full_message(helplines, "pl-PL") == full_message(helplines, "pl")


def test_a_line_missing_in_a_language_falls_back_to_english_alone() -> None:
    helplines = parse_helplines(MINIMAL)
    assert full_message(helplines, "pl").splitlines() == [
        "Dzwon 999.",
        "We can't send anyone.",
        "Childline 0800 1111",
        "Samarytanie 116 123",
        "Carry on, or text STOP.",
    ]
    assert helplines.languages == ("en", "pl")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (MINIMAL.replace('pl: "Samarytanie 116 123"', 'pl: "Samarytanie"'), 6, "116 123"),
        (MINIMAL.replace('{en: "Text HELP for numbers.", ', "{"), 8, "no English text"),
        (MINIMAL.replace("closing:", "ending:"), 7, "'ending' is not a known key"),
        (MINIMAL.replace('id: childline, number: "0800 1111", ', ""), 5, "no usable id"),
        (MINIMAL.replace("samaritans", "childline"), 6, "used twice"),
        (MINIMAL.replace("  - {id: childline", "\t- {id: childline"), 5, "not readable YAML"),
        ("", 1, "empty"),
    ],
)
def test_a_bad_helplines_file_names_the_line_and_a_fix(text: str, line: int, words: str) -> None:
    with pytest.raises(HelplinesError) as error:
        parse_helplines(text, file="helplines.yaml")
    assert words in error.value.problem
    assert error.value.line == line
    assert error.value.fix
    assert str(error.value).startswith(f"helplines.yaml:{line}: ")
