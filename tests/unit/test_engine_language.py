"""Languages: choosing one by its name switches and repeats the current message in it."""

from __future__ import annotations

from conversations.facts import AnswerRecorded
from conversations.language import detect_language
from conversations.state import ParticipantState
from tests.unit.engine_fixtures import FEELING_SAFE, HEARD, Chat, facts_of


def test_polski_at_the_intro_repeats_the_opening_in_polish() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("POLSKI")
    assert chat.replies[0].text == FEELING_SAFE.intro["pl"]
    assert chat.replies[-1].text.splitlines()[-1] == "English: text ENGLISH"
    assert chat.conversation is not None and chat.conversation.language == "pl"
    assert chat.participant.language == "pl"


def test_a_language_name_works_in_any_case_without_accents() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("polish")
    assert chat.conversation is not None and chat.conversation.language == "pl"


def test_choosing_a_language_mid_question_repeats_the_question_in_it() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("yes")
    chat.send("Polski")
    assert chat.text.startswith("Jak bezpiecznie czujesz się w okolicy po zmroku?\n1 Bardzo")
    assert facts_of(chat.facts, AnswerRecorded) == []


def test_after_switching_the_hints_use_the_languages_own_words() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("polski")
    chat.send("tak")
    chat.send("1")
    chat.send("2")
    assert chat.text.splitlines()[-1] == "Napisz TAK lub NIE"


def test_choosing_a_language_before_anything_gives_the_welcome_in_it() -> None:
    chat = Chat()
    chat.send("polski")
    assert chat.text.startswith("Cześć!")
    assert "English: text ENGLISH" in chat.text
    assert chat.text.splitlines()[-1] == "Napisz POMOC, by dostać pomoc, lub STOP, by przerwać."
    assert chat.participant.language == "pl"


def test_a_language_the_consultation_does_not_offer_is_not_a_switch() -> None:
    chat = Chat()
    chat.send("HEARD")
    chat.send("polski")
    assert chat.text == "Reply YES to start, or STOP to stop."
    assert chat.conversation is not None and chat.conversation.language == "en"


def test_the_chosen_language_carries_over_to_the_next_consultation() -> None:
    chat = Chat()
    chat.send("polski")
    chat.send("SAFE")
    assert chat.replies[0].text == FEELING_SAFE.intro["pl"]


def test_a_first_message_in_polish_gets_the_welcome_in_polish() -> None:
    chat = Chat()
    chat.send("Cześć, chcę wziąć udział w ankiecie")
    assert chat.text.startswith("Cześć!")
    assert chat.participant.language == "pl"


def test_a_short_first_message_keeps_english() -> None:
    chat = Chat()
    chat.send("co to jest")
    assert chat.text.startswith("Hi!")
    assert chat.participant.language is None


def test_a_chosen_language_is_not_overridden_by_a_guess() -> None:
    chat = Chat(participant=ParticipantState(language="en"))
    chat.send("Cześć, chcę wziąć udział w ankiecie")
    assert chat.text.startswith("Hi!")


def test_the_stop_confirmation_comes_in_the_conversations_language() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("polski")
    chat.send("stop")
    assert chat.text == "Nie dostaniesz od nas więcej wiadomości. Napisz START, by zacząć od nowa."


def test_heard_is_english_only_even_for_a_polish_speaker() -> None:
    chat = Chat(participant=ParticipantState(language="pl"))
    chat.send("HEARD")
    assert chat.replies[0].text == HEARD.intro["en"]


def test_detect_language_needs_three_words() -> None:
    assert detect_language("jak się masz", ["en", "pl"]) == "pl"
    assert detect_language("cześć", ["en", "pl"]) is None


def test_detect_language_only_returns_an_offered_language() -> None:
    assert detect_language("jak się masz dzisiaj", ["en"]) is None
    assert detect_language("I want to take part in this", ["en", "pl"]) == "en"


def test_detect_language_gives_up_on_digits_and_emoji() -> None:
    assert detect_language("1 2 3 4", ["en", "pl"]) is None
    assert detect_language("😀 😀 😀", ["en", "pl"]) is None
