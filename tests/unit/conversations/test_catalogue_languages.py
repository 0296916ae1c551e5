"""The shipped catalogues: every language complete, the same placeholders as English,
every text within its SMS segment budget, and every translation marked for review."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from conversations import dates, rendering, updates
from conversations.catalogue import Catalogue, Msg
from conversations.catalogue_check import (
    SegmentBudgets,
    budget_problems,
    missing,
    placeholder_problems,
)
from conversations.keywords import Keyword, normalise, shown_name, words
from tests.unit.conversations.engine.fixtures import LOCALES

# English, Polish and the eleven of issue 17.
SHIPPED = ("en", "pl", "pt", "es", "fr", "tr", "so", "lt", "ro", "bg", "ar", "ta", "it")
FOLDERS = (LOCALES, LOCALES / "updates")
BUDGETS = SegmentBudgets.parse(
    yaml.safe_load((LOCALES / "budgets.yaml").read_text(encoding="utf-8"))
)
REVIEW = "Needs review by a native speaker"


def catalogue_in(folder: Path) -> Catalogue:
    return Catalogue.from_po({p.stem: p.read_text(encoding="utf-8") for p in folder.glob("*.po")})


MAIN = catalogue_in(LOCALES)
WORDS = catalogue_in(LOCALES / "updates")


def sample(language: str) -> dict[str, object]:
    """Placeholders as the bot fills them, at their realistic longest."""
    day = dates.day(date(2026, 9, 30), language)
    return {
        "keyword": "SAFE2026",
        "title": "Feeling safe in your area",
        "name": shown_name(language),
        "word": normalise(shown_name(language)),
        "until": day,
        "date": day,
        "days": 14,
        "min": 1,
        "max": 10,
        "labels": "1 = Not at all, 10 = Completely",
        "limit": 1000,
        "picked": "1, 3, 4",
        "done": MAIN.text(language, Msg.BUTTON_DONE),
        "where": "SMS, WhatsApp, Telegram",
        "join": words(Keyword.JOIN, language)[0],
        "status": WORDS.text(language, "update.status.in_progress"),
        "percent": 50,
        "n": 7,
    }


@pytest.mark.parametrize("folder", FOLDERS, ids=("system", "updates"))
def test_every_shipped_language_has_a_catalogue(folder: Path) -> None:
    assert {p.stem for p in folder.glob("*.po")} == set(SHIPPED)


@pytest.mark.parametrize("language", SHIPPED)
@pytest.mark.parametrize("catalogue", [MAIN, WORDS], ids=("system", "updates"))
def test_every_catalogue_has_every_english_message(catalogue: Catalogue, language: str) -> None:
    assert missing(catalogue, language) == []


@pytest.mark.parametrize("language", SHIPPED)
@pytest.mark.parametrize("catalogue", [MAIN, WORDS], ids=("system", "updates"))
def test_every_translation_has_the_english_placeholders(
    catalogue: Catalogue, language: str
) -> None:
    assert [str(p) for p in placeholder_problems(catalogue, language)] == []


@pytest.mark.parametrize("language", SHIPPED)
def test_every_system_message_is_within_its_segment_budget(language: str) -> None:
    def render(key: str) -> str:
        return rendering.say(MAIN, language, Msg(key), **sample(language))

    problems = budget_problems(language, MAIN.keys(language), render, BUDGETS)
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("language", SHIPPED)
def test_every_update_word_is_within_its_segment_budget(language: str) -> None:
    def render(key: str) -> str:
        return updates.say(WORDS, language, key, **sample(language))

    problems = budget_problems(language, WORDS.keys(language), render, BUDGETS)
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("language", [code for code in SHIPPED if code != "en"])
def test_every_translation_is_shown_in_its_language_not_the_english_fallback(
    language: str,
) -> None:
    # A template with a broken placeholder would silently come out in English.
    for key in MAIN.keys(language):
        if MAIN.template(language, key) == MAIN.template("en", key):
            continue  # the same word in both ("No" in Spanish and Italian)
        params = sample(language)
        shown = rendering.say(MAIN, language, Msg(key), **params)
        assert shown != rendering.say(MAIN, "en", Msg(key), **params), key


NEW_LANGUAGES = [code for code in SHIPPED if code not in ("en", "pl")]


@pytest.mark.parametrize("language", NEW_LANGUAGES)
@pytest.mark.parametrize("folder", FOLDERS, ids=("system", "updates"))
def test_every_new_translation_is_marked_for_review_and_none_is_fuzzy(
    folder: Path, language: str
) -> None:
    catalog = read_po(io.StringIO((folder / f"{language}.po").read_text(encoding="utf-8")))
    entries = [m for m in catalog if m.id]
    assert entries
    for message in entries:
        assert REVIEW in message.user_comments, message.id
        assert not message.fuzzy, message.id  # the catalogue would skip it


def test_right_to_left_text_carries_no_bidi_control_marks() -> None:
    # Phones lay Arabic out themselves; a stray mark (U+200F, U+202B...) shows as junk
    # on some handsets and costs a character.
    controls = set("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    for catalogue in (MAIN, WORDS):
        for key in catalogue.keys("ar"):
            assert not controls & set(catalogue.template("ar", key) or ""), key


# --- the checks themselves ---------------------------------------------------------

PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def po(entries: dict[str, str]) -> str:
    return PO_HEADER + "".join(f'msgid "{k}"\nmsgstr "{v}"\n\n' for k, v in entries.items())


def test_a_missing_message_is_reported() -> None:
    catalogue = Catalogue.from_po({"en": po({"a": "A", "b": "B"}), "pt": po({"a": "Á"})})
    assert missing(catalogue, "pt") == ["b"]


def test_a_renamed_or_dropped_placeholder_is_reported() -> None:
    catalogue = Catalogue.from_po(
        {
            "en": po({"a": "Text {keyword} to {stop}", "b": "Hi {name}"}),
            "pt": po({"a": "Envie {palavra} para {stop}", "b": "Olá"}),
        }
    )
    assert [str(p) for p in placeholder_problems(catalogue, "pt")] == [
        "pt a: placeholders differ from English: keyword, palavra",
        "pt b: placeholders differ from English: name",
    ]


def test_a_message_over_its_budget_is_reported_with_its_cost() -> None:
    budgets = SegmentBudgets.parse({"default": {"GSM-7": 1, "UCS-2": 1}})
    texts = {"short": "Olá", "long": "ã" * 71, "plain": "a" * 160}
    problems = budget_problems("pt", texts, texts.__getitem__, budgets)
    assert [str(p) for p in problems] == ["pt long: 2 UCS-2 segments, budget 1"]


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"messages": {}},
        {"default": {"GSM-7": 1}},
        {"default": {"GSM-7": 1, "UCS-2": 0}},
        {"default": {"GSM-7": 1, "UCS-2": "two"}},
        {"default": {"GSM-7": 1, "UCS-2": 1}, "messages": {"help": {"GSM-7": 99, "UCS-2": 1}}},
    ],
)
def test_a_broken_budget_file_is_refused_with_what_to_fix(data: object) -> None:
    with pytest.raises(ValueError, match=r"budgets\.yaml"):
        SegmentBudgets.parse(data)
