"""Language detection on a labelled set (tests/data/languages/detection.yaml): right
often enough to be worth asking about, and never wrong about a short English reply."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from conversations.language import detect_language

DATA = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "data" / "languages" / "detection.yaml").read_text(
        encoding="utf-8"
    )
)
SET: dict[str, dict[str, list[str]]] = DATA["languages"]
OFFERED = list(SET)
LENGTHS = ("short", "medium", "long")


def test_the_set_covers_every_shipped_language_at_every_length() -> None:
    assert len(OFFERED) == 13
    for language, by_length in SET.items():
        assert set(by_length) == set(LENGTHS), language
        assert all(len(texts) >= 2 for texts in by_length.values()), language


@pytest.mark.parametrize("text", DATA["english_never_switch"])
def test_a_short_english_reply_never_leads_to_another_language(text: str) -> None:
    assert detect_language(text, OFFERED) in (None, "en")


@pytest.mark.parametrize("text", DATA["english_never_switch"])
def test_a_short_english_reply_is_no_guess_even_when_english_is_not_offered(text: str) -> None:
    # A Polish-only consultation must not ask an English speaker about Polish.
    assert detect_language(text, [code for code in OFFERED if code != "en"]) is None


@pytest.mark.parametrize("language", OFFERED)
def test_long_messages_are_recognised_in_every_language(language: str) -> None:
    for text in SET[language]["long"]:
        assert detect_language(text, OFFERED) == language, text


def test_detection_is_mostly_right_and_rarely_wrong() -> None:
    # Figures per language are in docs/languages.md; these are the floors.
    right, wrong, total = Counter[str](), Counter[str](), Counter[str]()
    for language, by_length in SET.items():
        for length, texts in by_length.items():
            for text in texts:
                guess = detect_language(text, OFFERED)
                total[length] += 1
                right[length] += guess == language
                wrong[length] += guess is not None and guess != language
    assert right["medium"] >= 0.9 * total["medium"]
    assert right["short"] >= 0.8 * total["short"]
    # A wrong guess costs a question in the wrong language: at most 1 in 50.
    assert sum(wrong.values()) * 50 <= sum(total.values())


def test_a_guess_is_always_one_of_the_offered_languages() -> None:
    for text in SET["pt"]["long"]:
        assert detect_language(text, ["en", "es"]) in (None, "en", "es")
        assert detect_language(text, ["en", "pl"]) in (None, "en")


@pytest.mark.parametrize("text", ["", "   ", "1 2 3 4", "😀 😀 😀", "?!?! ...", "la la la la"])
def test_digits_emoji_punctuation_and_repeats_get_no_guess(text: str) -> None:
    assert detect_language(text, OFFERED) is None


def test_the_same_text_always_gets_the_same_guess() -> None:
    text = SET["ro"]["short"][0]
    assert {detect_language(text, OFFERED) for _ in range(5)} == {"ro"}


def test_a_very_long_message_is_read_only_in_part_and_still_guessed() -> None:
    assert detect_language(" ".join(SET["tr"]["long"] * 2_000), OFFERED) == "tr"
