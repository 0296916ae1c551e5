"""The two shipped sample consultations load cleanly and read well on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conversations import keywords
from conversations.catalogue import Catalogue
from conversations.loader import load_consultation
from conversations.model import Consultation, QuestionType, Text
from conversations.rendering import render_question
from conversations.segments import count_segments

CONFIG = Path(__file__).resolve().parents[3] / "config"
CONSULTATIONS = CONFIG / "consultations"
SAMPLES = ("feeling-safe.yaml", "heard.yaml")
MAX_SEGMENTS = 3
# Characters a typographic keyboard slips in; each turns an English SMS into UCS-2.
TYPOGRAPHIC = "‘’“”–—…"


def load(name: str) -> Consultation:
    path = CONSULTATIONS / name
    result = load_consultation(path.read_text(encoding="utf-8"), str(path))
    assert result.ok, "\n".join(str(problem) for problem in result.errors)
    assert result.consultation is not None
    return result.consultation


def every_text(consultation: Consultation) -> Iterator[tuple[str, Text]]:
    """(where, text) for every text the consultation file gives."""
    yield "intro", consultation.intro
    yield "closing", consultation.closing
    for question in consultation.questions:
        yield question.id, question.text
        for choice in question.choices:
            yield f"{question.id}.{choice.id}", choice.text
        for point, label in question.labels.items():
            yield f"{question.id}.labels.{point}", label


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_loads_without_errors(name: str) -> None:
    path = CONSULTATIONS / name
    result = load_consultation(path.read_text(encoding="utf-8"), str(path))

    assert result.ok, "\n".join(str(problem) for problem in result.errors)
    assert result.consultation is not None


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_has_four_to_eight_questions(name: str) -> None:
    assert 4 <= len(load(name).questions) <= 8


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_is_in_english_first_and_every_text_in_each_language(name: str) -> None:
    consultation = load(name)

    assert consultation.languages[:2] == ("en", "pl")
    for where, text in every_text(consultation):
        for language in consultation.languages:
            assert text.get(language, "").strip(), f"{name}: {where} has no {language} text"


def test_feeling_safe_is_offered_in_the_boroughs_five_largest_languages() -> None:
    # Issue 17: at least English, Polish, Portuguese, Spanish and Somali.
    assert set(load("feeling-safe.yaml").languages) >= {"en", "pl", "pt", "es", "so"}


@pytest.mark.parametrize("name", SAMPLES)
def test_every_message_fits_in_three_sms_segments(name: str) -> None:
    consultation = load(name)
    messages = [("intro", consultation.intro), ("closing", consultation.closing)]
    messages += [(question.id, question.text) for question in consultation.questions]

    for where, text in messages:
        for language, words in text.items():
            segments = count_segments(words).segments
            assert segments <= MAX_SEGMENTS, f"{name}: {where} ({language}) is {segments} SMS"


@pytest.mark.parametrize("name", SAMPLES)
def test_every_question_as_sent_fits_in_three_sms_segments(name: str) -> None:
    """As sent: with its numbered choices and the bot's "Reply ..." line."""
    consultation = load(name)
    catalogue = Catalogue.from_po(
        {path.stem: path.read_text(encoding="utf-8") for path in (CONFIG / "locales").glob("*.po")}
    )

    for question in consultation.questions:
        for language in consultation.languages:
            sent = render_question(consultation, question, language, catalogue).text
            segments = count_segments(sent).segments
            assert segments <= MAX_SEGMENTS, f"{name}: {question.id} ({language}) is {segments}"


@pytest.mark.parametrize("name", SAMPLES)
def test_english_texts_stay_in_the_plain_sms_alphabet(name: str) -> None:
    for where, text in every_text(load(name)):
        counted = count_segments(text["en"])
        assert not counted.culprits, f"{name}: {where} has {counted.culprits} (use a plain ')"
        assert not set(text["en"]) & set(TYPOGRAPHIC), where


@pytest.mark.parametrize("name", SAMPLES)
def test_keyword_is_not_a_word_the_bot_listens_for(name: str) -> None:
    assert not keywords.is_reserved(load(name).keyword)


def test_feeling_safe_is_started_with_safe_and_named_in_the_welcome() -> None:
    consultation = load("feeling-safe.yaml")

    assert consultation.keyword == "SAFE"
    assert consultation.listed


def test_feeling_safe_asks_why_only_of_those_who_feel_unsafe() -> None:
    consultation = load("feeling-safe.yaml")
    follow_ups = [q for q in consultation.questions if q.type is QuestionType.TEXT and q.when]

    assert follow_ups, "a text follow-up with when: is expected"
    assert all("safe_after_dark" in (q.when or "") for q in follow_ups)


def test_feeling_safe_mixes_the_question_types_it_promises() -> None:
    consultation = load("feeling-safe.yaml")
    types = {q.type for q in consultation.questions}
    scopes = [q.scope.value for q in consultation.questions if q.type is QuestionType.UPDATES]

    assert {QuestionType.CHOICE, QuestionType.SCALE, QuestionType.MULTI} <= types
    assert sorted(scopes) == ["future", "this"]
    age = consultation.question("age_band")
    assert age.optional
    assert len(age.choices) <= 5, "age bands stay broad"


@pytest.mark.parametrize("name", SAMPLES)
def test_intro_says_how_many_questions_and_how_to_skip_in_one_segment(name: str) -> None:
    # The bot's own lines after the intro say it is anonymous, that it can't send help,
    # PRIVACY, YES and STOP, so the intro need not, and stays within one segment.
    intro = load(name).intro["en"]

    assert "SKIP" in intro
    assert any(char.isdigit() for char in intro), "the intro says how many questions"
    assert count_segments(intro).segments == 1


def test_heard_is_unlisted_and_started_with_heard() -> None:
    consultation = load("heard.yaml")

    assert consultation.keyword == "HEARD"
    assert not consultation.listed


def test_heard_lets_every_question_be_skipped() -> None:
    consultation = load("heard.yaml")

    assert all(question.optional for question in consultation.questions)


def test_heard_asks_for_nothing_that_could_identify_someone() -> None:
    consultation = load("heard.yaml")
    free_text = [q for q in consultation.questions if q.type is QuestionType.TEXT]
    asked = " ".join(q.text["en"].lower() for q in consultation.questions)

    assert not any(q.type is QuestionType.NUMBER for q in consultation.questions)
    for word in ("how old", "your age", "when did", "where did", "postcode", "your name"):
        assert word not in asked
    for question in free_text:
        assert "leave out names" in question.text["en"]


def test_heard_offers_updates() -> None:
    consultation = load("heard.yaml")

    assert any(q.type is QuestionType.UPDATES for q in consultation.questions)
