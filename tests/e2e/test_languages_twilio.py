"""A whole consultation by SMS in each of the 13 shipped languages, through the real
Twilio webhook: choosing the language by name, YES, an answer, HELP, a disclosure, the
closing, STOP and DELETE, each answered in that language.

One server for the module (on SQLite: nothing here differs on PostgreSQL), one phone
number per language.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config_files import load_catalogue
from conversations.catalogue import Msg
from conversations.keywords import Keyword, normalise, shown_name, words
from conversations.loader import load_consultation
from conversations.rendering import say
from tests.consultations import store_consultations
from tests.e2e.twilio_harness import CONFIG_DIR, Phone, TwilioHarness, running_app

FILE = Path(__file__).resolve().parents[1] / "data" / "languages" / "every-language.yaml"
VOICES = load_consultation(FILE.read_text(encoding="utf-8"), str(FILE)).consultation
assert VOICES is not None
CATALOGUE = load_catalogue(CONFIG_DIR)
LANGUAGES = VOICES.languages
# A phrase of the English list: screening reads every language's list on every message.
DISCLOSURE = "he hits me when mum is out"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwilioHarness]:
    tmp = tmp_path_factory.mktemp("languages")
    with running_app(tmp, f"sqlite:///{tmp / 'yousaid.db'}") as harness:
        store_consultations(harness.runtime, FILE)
        yield harness


def word(keyword: Keyword, language: str) -> str:
    return words(keyword, language)[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_whole_consultation_in_each_language(app: TwilioHarness, language: str) -> None:
    assert VOICES is not None
    phone = Phone(app, f"+447700900{700 + LANGUAGES.index(language):03d}")

    opening = phone.send("VOICES")
    assert VOICES.intro["en"] in opening.texts[0]
    if language != "en":
        # The welcome offers the language by a spelling that keeps it GSM-7.
        assert normalise(shown_name(language)) in opening.text
        switched = phone.send(normalise(shown_name(language)).lower())
        assert VOICES.intro[language] in switched.texts[0], switched.text

    first = phone.send(word(Keyword.YES, language))
    assert VOICES.questions[0].text[language] in first.text, first.text

    second = phone.send("2")
    assert VOICES.questions[1].text[language] in second.text, second.text

    helped = phone.send(word(Keyword.HELP, language))
    assert "999" in helped.texts[0]
    assert VOICES.questions[1].text[language] in helped.texts[-1]

    closing = phone.send(DISCLOSURE)
    assert "999" in closing.texts[0], "the helplines come first, before anything else"
    assert VOICES.closing[language] in closing.text, closing.text

    stopped = phone.send(word(Keyword.STOP, language).lower())
    assert stopped.text == say(CATALOGUE, language, Msg.STOP_CONFIRM)

    deleted = phone.send(word(Keyword.DELETE, language))
    assert say(CATALOGUE, language, Msg.DELETE_DONE) in deleted.text
