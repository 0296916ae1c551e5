"""The system message catalogue: gettext files in, texts out, English when a text is missing."""

from __future__ import annotations

import io

from babel.messages.pofile import read_po

from conversations.catalogue import Catalogue, Msg
from conversations.segments import count_segments
from tests.unit.conversations.engine.fixtures import LOCALES, load_catalogue

PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def po(entries: dict[str, str], *, fuzzy: tuple[str, ...] = ()) -> str:
    body = "".join(
        f'{"#, fuzzy" + chr(10) if key in fuzzy else ""}msgid "{key}"\nmsgstr "{value}"\n\n'
        for key, value in entries.items()
    )
    return PO_HEADER + body


def test_a_message_comes_in_the_language_asked_for() -> None:
    catalogue = Catalogue.from_po({"en": po({"hello": "Hello"}), "pl": po({"hello": "Cześć"})})
    assert catalogue.text("pl", "hello") == "Cześć"
    assert catalogue.text("en", "hello") == "Hello"


def test_placeholders_are_filled_in() -> None:
    catalogue = Catalogue.from_po({"en": po({"exit": "Text {keyword} to carry on."})})
    assert catalogue.text("en", "exit", keyword="SAFE") == "Text SAFE to carry on."


def test_a_missing_translation_falls_back_to_english() -> None:
    catalogue = Catalogue.from_po(
        {"en": po({"a": "English A", "b": "English B"}), "pl": po({"a": "Polskie A"})}
    )
    assert catalogue.text("pl", "b") == "English B"
    assert catalogue.text("ro", "a") == "English A"


def test_a_translation_with_a_broken_placeholder_falls_back_to_english() -> None:
    catalogue = Catalogue.from_po(
        {"en": po({"exit": "Text {keyword}."}), "pl": po({"exit": "Napisz {slowo}."})}
    )
    assert catalogue.text("pl", "exit", keyword="SAFE") == "Text SAFE."


def test_fuzzy_entries_are_skipped_as_gettext_skips_them() -> None:
    catalogue = Catalogue.from_po(
        {"en": po({"a": "English"}), "pl": po({"a": "Niepewne"}, fuzzy=("a",))}
    )
    assert catalogue.text("pl", "a") == "English"


def test_languages_list_english_first() -> None:
    catalogue = Catalogue.from_po({"pl": po({"a": "A"}), "en": po({"a": "A"})})
    assert catalogue.languages() == ("en", "pl")


def test_english_has_every_message_the_engine_sends() -> None:
    assert set(Msg) <= load_catalogue().keys("en")


def test_polish_covers_every_english_message() -> None:
    catalogue = load_catalogue()
    assert catalogue.keys("en") <= catalogue.keys("pl")


def test_every_polish_entry_is_marked_for_review_by_a_native_speaker() -> None:
    catalog = read_po(io.StringIO((LOCALES / "pl.po").read_text(encoding="utf-8")))
    entries = [m for m in catalog if m.id]
    assert entries
    for message in entries:
        assert "Needs review by a native speaker" in message.user_comments, message.id
        assert not message.fuzzy, message.id


def test_english_messages_stay_in_plain_sms_characters() -> None:
    catalogue = load_catalogue()
    for key in catalogue.keys("en"):
        shown = catalogue.text("en", key)
        assert count_segments(shown).encoding == "GSM-7", (key, shown)


# Every placeholder the engine fills in.
PLACEHOLDERS = (
    *("yes", "no", "stop", "start", "help", "skip", "back", "delete", "exit", "privacy"),
    *("keyword", "title", "name", "word", "until", "days", "min", "max", "labels"),
    *("limit", "picked", "done"),
    *("date", "join", "where"),  # rounds: not open yet / closed / other channel, invitations
)
PARAMS = dict.fromkeys(PLACEHOLDERS, "X")


def test_every_english_template_uses_only_known_placeholders() -> None:
    catalogue = load_catalogue()
    for key in catalogue.keys("en"):
        assert "{" not in catalogue.text("en", key, **PARAMS), key


def test_every_polish_text_is_shown_in_polish_not_the_english_fallback() -> None:
    # A Polish template with a wrong placeholder would silently come out in English.
    catalogue = load_catalogue()
    for key in catalogue.keys("pl"):
        assert catalogue.text("pl", key, **PARAMS) != catalogue.text("en", key, **PARAMS), key
