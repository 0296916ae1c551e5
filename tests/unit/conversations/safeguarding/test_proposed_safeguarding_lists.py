"""The proposed safeguarding word lists for the languages of issue 17
(config/safeguarding/proposed/, not wired in: the safeguarding owner reviews them and
moves them up a folder). They must parse with the real parser, catch plain disclosures
in their language, and leave this suite's ordinary in-topic messages alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conversations.safeguarding import SafeguardingLists, parse_lists, screen

CONFIG = Path(__file__).resolve().parents[4] / "config" / "safeguarding"
PROPOSED = sorted((CONFIG / "proposed").glob("*.yaml"))
DETECTION = Path(__file__).resolve().parents[3] / "data" / "languages" / "detection.yaml"


def lists() -> SafeguardingLists:
    files = [*CONFIG.glob("*.yaml"), *PROPOSED]
    return parse_lists({p.name: p.read_text(encoding="utf-8") for p in files})


LISTS = lists()

DISCLOSURES = {
    "pt": ["o meu padrasto bate-me", "quero morrer", "ele tocou-me e tenho 12 anos"],
    "es": ["mi padre me pega", "quiero morirme ya", "me toco y me obligo a callar"],
    "fr": ["mon pere me frappe", "je veux mourir", "il me touche"],
    "tr": ["babam beni dövüyor", "ölmek istiyorum", "bana dokundu"],
    "so": ["aabahay wuu i garaacaa", "waxaan rabaa inaan dhinto", "wuu i taabtay"],
    "lt": ["tėvas mane muša", "noriu mirti", "jis mane lietė"],
    "ro": ["tata mă bate", "vreau să mor", "m-a atins"],
    "bg": ["баща ми ме бие", "искам да умра", "пипа ме"],
    "ar": ["أبي يضربني", "أريد أن أموت", "لمسني"],
    "ta": ["அப்பா என்னை அடிக்கிறார்", "சாக வேண்டும்", "என்னைத் தொட்டான்"],
    "it": ["mio padre mi picchia", "voglio morire", "mi ha toccata"],
}


def test_every_new_language_has_a_proposed_list_and_they_all_parse() -> None:
    assert {p.stem for p in PROPOSED} == set(DISCLOSURES)
    assert LISTS is not None


@pytest.mark.parametrize("language", sorted(DISCLOSURES))
def test_a_plain_disclosure_in_each_language_is_caught(language: str) -> None:
    for text in DISCLOSURES[language]:
        assert screen(text, LISTS), text


def test_ordinary_answers_about_feeling_safe_are_left_alone() -> None:
    data = yaml.safe_load(DETECTION.read_text(encoding="utf-8"))
    for by_length in data["languages"].values():
        for texts in by_length.values():
            for text in texts:
                assert not screen(text, LISTS), text
