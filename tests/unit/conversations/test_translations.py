"""What validate says about translations: unreviewed ones, and costlier ones."""

from __future__ import annotations

from dataclasses import replace

from conversations.preview import PreviewMessage
from conversations.translations import (
    costlier_than_default,
    unreviewed_languages,
    unreviewed_system_messages,
)
from tests.unit.conversations.engine.fixtures import CATALOGUE, FEELING_SAFE


def test_the_files_review_line_names_the_unreviewed_languages_in_the_consultations_order() -> None:
    source = "id: x\n# Needs review by a native speaker: PL, xx\nlanguages: [en, pl]\n"
    assert unreviewed_languages(source, FEELING_SAFE) == ["pl"]


def test_a_file_without_the_line_has_nothing_unreviewed() -> None:
    source = "# The Polish texts were reviewed in June.\nid: x\n"
    assert unreviewed_languages(source, FEELING_SAFE) == []


def test_the_bots_own_unreviewed_messages_are_counted_per_language() -> None:
    counted = dict(unreviewed_system_messages(FEELING_SAFE, CATALOGUE))
    assert "en" not in counted
    assert counted["pl"] == len(CATALOGUE.keys("pl"))
    english_only = replace(FEELING_SAFE, languages=("en",))
    assert unreviewed_system_messages(english_only, CATALOGUE) == []


def test_a_translation_costing_more_segments_than_the_default_is_named() -> None:
    messages = [
        PreviewMessage("intro", "en", "Hi " * 40),
        PreviewMessage("intro", "pl", "Cześć " * 20),
        PreviewMessage("closing", "en", "Thanks"),
        PreviewMessage("closing", "pl", "Dzięki"),
    ]
    found = costlier_than_default(messages, "en")
    assert [(c.name, c.language, c.segments, c.default_segments) for c in found] == [
        ("intro", "pl", 2, 1)
    ]
