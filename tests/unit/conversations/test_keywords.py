"""The keyword registry: the words the bot listens for, in every supported language."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversations.keywords import (
    ENGLISH_NAMES,
    LANGUAGE_NAMES,
    Keyword,
    classify,
    is_reserved,
    language_choice,
    normalise,
    shown_name,
    words,
)
from conversations.segments import count_segments


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stop.", "STOP"),
        ("  tak!! ", "TAK"),
        ("Nie", "NIE"),
        ("STOP 🙏", "STOP"),
        ("opt-out", "OPT OUT"),
        ("Pomiń", "POMIN"),
        ("Dołącz", "DOLACZ"),
        ("ŁÓDŹ", "LODZ"),
        ("don't", "DONT"),
        ("isn’t", "ISNT"),
        ("yes\n\tplease", "YES PLEASE"),
        ("Ｓｔｏｐ", "STOP"),
        ("", ""),
        ("🙂🙂", ""),
    ],
)
def test_normalise_upper_cases_folds_accents_and_drops_punctuation(
    text: str, expected: str
) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "stop",
        "Stop.",
        "stop!!",
        "STOP 🙏",
        " stop ",
        "STOPALL",
        "unsubscribe",
        "Cancel",
        "end",
        "quit",
        "revoke",
        "optout",
        "opt out",
        "Opt-Out",
        "koniec",
        "rezygnuję",
        "REZYGNUJE",
        "wypisz",
        "Oprește",
        "dezabonare",
        "band karo",
        "توقف",
        "إلغاء",
        "الغاء الاشتراك",
    ],
)
def test_every_opt_out_word_in_every_language_is_stop(text: str) -> None:
    assert classify(text) is Keyword.STOP


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("start", Keyword.START),
        ("UNSTOP", Keyword.START),
        ("wznów", Keyword.START),
        ("help", Keyword.HELP),
        ("Info?", Keyword.HELP),
        ("pomoc", Keyword.HELP),
        ("skip", Keyword.SKIP),
        ("next", Keyword.SKIP),
        ("pomin", Keyword.SKIP),
        ("POMIŃ", Keyword.SKIP),
        ("dalej", Keyword.SKIP),
        ("back", Keyword.BACK),
        ("wstecz", Keyword.BACK),
        ("cofnij", Keyword.BACK),
        ("delete", Keyword.DELETE),
        ("Delete me", Keyword.DELETE),
        ("usuń", Keyword.DELETE),
        ("usun", Keyword.DELETE),
        ("exit", Keyword.EXIT),
        ("wyjdź", Keyword.EXIT),
        ("more", Keyword.MORE),
        ("więcej", Keyword.MORE),
        ("join", Keyword.JOIN),
        ("dołącz", Keyword.JOIN),
        ("yes", Keyword.YES),
        ("Y", Keyword.YES),
        ("yeah", Keyword.YES),
        ("yep", Keyword.YES),
        ("yup", Keyword.YES),
        ("ya", Keyword.YES),
        ("sure", Keyword.YES),
        ("ok", Keyword.YES),
        ("Okay!", Keyword.YES),
        ("yes please", Keyword.YES),
        ("TAK", Keyword.YES),
        ("  tak!! ", Keyword.YES),
        ("no", Keyword.NO),
        ("n", Keyword.NO),
        ("nah", Keyword.NO),
        ("nope", Keyword.NO),
        ("no thanks", Keyword.NO),
        ("Nie", Keyword.NO),
    ],
)
def test_each_keyword_is_recognised_in_any_case_and_language(text: str, keyword: Keyword) -> None:
    assert classify(text) is keyword


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "🙏",
        "please stop texting me about this",
        "stopping",
        "yes no",
        "2",
        "Fairly safe",
    ],
)
def test_a_message_that_only_contains_a_keyword_is_not_one(text: str) -> None:
    assert classify(text) is None


def test_every_keyword_has_english_words() -> None:
    for keyword in Keyword:
        assert words(keyword, "en"), keyword


def test_the_first_word_is_the_one_to_show() -> None:
    assert words(Keyword.YES, "pl")[0] == "TAK"
    assert words(Keyword.YES, "en")[0] == "YES"
    assert words(Keyword.STOP, "en")[0] == "STOP"
    assert words(Keyword.NO, "pl")[0] == "NIE"


def test_a_language_without_its_own_words_falls_back_to_english() -> None:
    assert words(Keyword.SKIP, "ur") == words(Keyword.SKIP, "en")
    assert words(Keyword.SKIP, "yo") == words(Keyword.SKIP, "en")
    assert words(Keyword.SKIP, "xx") == words(Keyword.SKIP, "en")


def test_every_listed_word_classifies_as_its_own_keyword() -> None:
    for keyword in Keyword:
        for language in LANGUAGE_NAMES:
            for word in words(keyword, language):
                assert classify(word) is keyword, (word, language)


def test_stop_is_understood_in_every_language_that_has_opt_out_words() -> None:
    for language in LANGUAGE_NAMES:
        if language in ("yo", "tw", "bn", "pa"):
            continue  # no words of their own: the English ones
        assert "STOP" in words(Keyword.STOP, language)


def test_english_and_polish_have_names() -> None:
    assert LANGUAGE_NAMES["en"] == "English"
    assert LANGUAGE_NAMES["pl"] == "Polski"
    assert set(ENGLISH_NAMES) == set(LANGUAGE_NAMES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("POLSKI", "pl"),
        ("polski", "pl"),
        ("Polski!", "pl"),
        ("Polish", "pl"),
        ("english", "en"),
        ("ENGLISH.", "en"),
        ("po polsku", "pl"),
        ("Română", None),  # not one of this consultation's languages
        ("pl", "pl"),
        ("PL.", "pl"),
        ("polski please", None),
        ("", None),
    ],
)
def test_language_choice_names_one_of_the_consultations_languages(
    text: str, expected: str | None
) -> None:
    assert language_choice(text, ["en", "pl"]) == expected


def test_language_choice_accepts_a_name_without_its_accents() -> None:
    assert language_choice("romana", ["en", "ro"]) == "ro"
    assert language_choice("Romanian", ["en", "ro"]) == "ro"


def test_language_choice_of_a_language_with_no_known_name_is_none() -> None:
    assert language_choice("Klingon", ["en", "tlh"]) is None


@pytest.mark.parametrize(
    "word",
    ["STOP", "stop", "TAK", "Tak", "POLSKI", "english", "HELP", "delete me", "Nie", "Po polsku"],
)
def test_registry_words_and_language_names_are_reserved(word: str) -> None:
    assert is_reserved(word)


@pytest.mark.parametrize("word", ["SAFE", "HEARD", "YOUTH", "SAFE2025", "feeling-safe"])
def test_ordinary_consultation_keywords_are_not_reserved(word: str) -> None:
    assert not is_reserved(word)


@given(st.text(max_size=300))
def test_normalise_is_idempotent_and_classify_never_raises(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert once == once.strip()
    assert "  " not in once
    classify(text)


# The languages of issue 17: a word per keyword as people type it, with and without
# accents, and the Latin transliterations typed on an English keyboard.
@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("Não", Keyword.NO),
        ("nao", Keyword.NO),
        ("sim", Keyword.YES),
        ("Ajuda", Keyword.HELP),
        ("começar", Keyword.START),
        ("comecar", Keyword.START),
        ("Sí", Keyword.YES),
        ("atrás", Keyword.BACK),
        ("más", Keyword.MORE),
        ("Arrêt", Keyword.STOP),
        ("arret", Keyword.STOP),
        ("d'accord", Keyword.YES),
        ("Hayır", Keyword.NO),
        ("HAYIR", Keyword.NO),
        ("geri", Keyword.BACK),
        ("iptal", Keyword.STOP),
        ("Haa", Keyword.YES),
        ("jooji", Keyword.STOP),
        ("ištrinti", Keyword.DELETE),
        ("istrinti", Keyword.DELETE),
        ("Șterge", Keyword.DELETE),
        ("sterge", Keyword.DELETE),
        ("\u015eTERGE", Keyword.DELETE),  # Ş with a cedilla, as many keyboards type it
        ("да", Keyword.YES),
        ("ДА", Keyword.YES),
        ("помощ", Keyword.HELP),
        ("pomosht", Keyword.HELP),
        ("стоп", Keyword.STOP),
        ("نعم", Keyword.YES),
        ("naam", Keyword.YES),
        ("لا", Keyword.NO),
        ("مساعدة", Keyword.HELP),
        ("musaada", Keyword.HELP),
        ("إلغاء", Keyword.STOP),
        ("ஆம்", Keyword.YES),
        ("aam", Keyword.YES),
        ("இல்லை", Keyword.NO),
        ("illai", Keyword.NO),
        ("உதவி", Keyword.HELP),
        ("uthavi", Keyword.HELP),
        ("நிறுத்து", Keyword.STOP),
        ("Aiuto", Keyword.HELP),
        ("di più", Keyword.MORE),
        ("basta", Keyword.STOP),
    ],
)
def test_the_new_languages_words_work_in_any_spelling(text: str, keyword: Keyword) -> None:
    assert classify(text) is keyword


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PORTUGUÊS", "pt"),
        ("portugues", "pt"),
        ("ESPAÑOL", "es"),
        ("espanol", "es"),
        ("TÜRKÇE", "tr"),
        ("turkce", "tr"),
        ("SOOMAALI", "so"),
        ("العربية", "ar"),
        ("ARABIC", "ar"),
        ("தமிழ்", "ta"),
        ("tamil", "ta"),
        ("Български", "bg"),
        ("balgarski", "bg"),
        ("Lietuvių", "lt"),
        ("romana", "ro"),
        ("Français", "fr"),
        ("italiano", "it"),
        ("pt", "pt"),
        ("AR", "ar"),
        ("ta", None),  # "ta" is thanks in English, never a switch to Tamil
        ("so", None),
        ("it", None),
    ],
)
def test_every_shipped_language_is_chosen_by_its_own_name_or_code(
    text: str, expected: str | None
) -> None:
    shipped = ["en", "pl", "pt", "es", "fr", "tr", "so", "lt", "ro", "bg", "ar", "ta", "it"]
    assert language_choice(text, shipped) == expected


def test_every_shown_name_is_plain_gsm7_so_a_welcome_stays_cheap() -> None:
    for code in LANGUAGE_NAMES:
        if code in ("ur", "bn", "pa"):
            continue
        assert count_segments(shown_name(code)).encoding == "GSM-7", code
