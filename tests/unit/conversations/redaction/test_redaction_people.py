"""Redaction of National Insurance numbers, number plates and names (issue 16)."""

from __future__ import annotations

import hashlib

import pytest

from conversations.redaction import NAME, NATIONAL_INSURANCE, VEHICLE, redact
from tests.unit.conversations.redaction.test_redaction import PII_DATA, load, span_is_gone

HELD_OUT = "heldout_people"
# heldout_people.jsonl is frozen: written before the patterns, never tuned on.
HELD_OUT_SHA256 = "269a2341bbd8ff39a6e2c4c1817f55963d2713c6228a83ccb7aba2507bfd787b"


def test_the_held_out_set_for_people_is_frozen() -> None:
    data = (PII_DATA / f"{HELD_OUT}.jsonl").read_bytes()
    assert hashlib.sha256(data).hexdigest() == HELD_OUT_SHA256, (
        "heldout_people.jsonl changed: it is frozen; add new cases to dev.jsonl instead"
    )


@pytest.mark.parametrize("split", ["dev", "heldout", HELD_OUT])
def test_at_least_98_percent_of_personal_details_go_and_no_ordinary_answer_changes(
    split: str,
) -> None:
    items = load(split)
    spans = [(span, item) for item in items for span in item.pii]
    missed = [span for span, item in spans if not span_is_gone(span, item, redact(item.text))]
    assert len(missed) <= 0.02 * len(spans), missed
    changed = [i.text for i in items if not i.pii and redact(i.text) != i.text]
    assert changed == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my ni is QQ 12 34 56 C thanks", f"my ni is {NATIONAL_INSURANCE} thanks"),
        ("ni AB123456", f"ni {NATIONAL_INSURANCE}"),
        ("the van was AB12 CDE", f"the van was {VEHICLE}"),
        ("reg ab12cde", f"reg {VEHICLE}"),
        ("his car is ab 12 cde", f"his car is {VEHICLE}"),
        ("my name is Kayla Smith and i", f"my name is {NAME} and i"),
        ("im Chloe", f"im {NAME}"),
        ("im jake lol", f"im {NAME} lol"),
        ("nazywam się Kasia", f"nazywam się {NAME}"),
        ("his name's marcus", f"his name's {NAME}"),
        ("my uncle Dave hits me", f"my uncle {NAME} hits me"),
    ],
)
def test_the_new_kinds_are_taken_out(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "im 12",
        "I'm 15",
        "im scared",
        "Im Scared",
        "i am not sure",
        "im in yr10 and its ok",
        "i got there at 12 the bus was late",
        "the M25 and the A13",
        "I'm British Asian",
        "this is London",
        "jestem sam w domu",
        "my name is not important",
        "my brother Has a knife",
    ],
)
def test_ordinary_words_and_ages_stay(text: str) -> None:
    assert redact(text) == text


def test_a_date_of_birth_is_still_caught_next_to_a_name() -> None:
    assert redact("my name is Ola born 12/03/2011") == f"my name is {NAME} born [dob]"
