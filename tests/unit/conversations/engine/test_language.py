"""Languages: choosing one by its name switches and repeats the current message in it."""

from __future__ import annotations

import pytest

from conversations.facts import AnswerRecorded
from conversations.language import detect_language
from conversations.messages import Channel, Inbound
from conversations.state import ParticipantState
from tests.unit.conversations.engine.fixtures import FEELING_SAFE, HEARD, Chat, facts_of


def test_polski_at_the_intro_repeats_the_opening_in_polish() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("POLSKI")
    assert chat.replies[0].text == FEELING_SAFE.intro["pl"]
    assert chat.replies[-1].text.splitlines()[-1] == "English: text ENGLISH"
    assert chat.conversation is not None
    assert chat.conversation.language == "pl"
    assert chat.participant.language == "pl"


def test_a_language_name_works_in_any_case_without_accents() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("polish")
    assert chat.conversation is not None
    assert chat.conversation.language == "pl"


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
    assert chat.conversation is not None
    assert chat.conversation.language == "en"


def test_the_chosen_language_carries_over_to_the_next_consultation() -> None:
    chat = Chat()
    chat.send("polski")
    chat.send("SAFE")
    assert chat.replies[0].text == FEELING_SAFE.intro["pl"]


POLISH = "Cześć, chcę wziąć udział w ankiecie"
ASK_PL = "Chcesz rozmawiać po polsku? Napisz TAK lub NIE"


def test_a_first_message_in_polish_is_asked_about_never_switched() -> None:
    chat = Chat()
    chat.send(POLISH)
    assert chat.replies[0].text.startswith("Hi!")
    assert chat.replies[-1].text == ASK_PL
    assert chat.participant.language is None


def test_yes_to_the_language_question_switches_and_sticks() -> None:
    chat = Chat()
    chat.send(POLISH)
    chat.send("tak")
    assert chat.text.startswith("Cześć!")
    assert chat.participant.language == "pl"
    chat.send("SAFE")
    assert chat.replies[0].text == FEELING_SAFE.intro["pl"]


def test_no_to_the_language_question_keeps_english_and_never_asks_again() -> None:
    chat = Chat()
    chat.send(POLISH)
    chat.send("nie")
    assert chat.text.startswith("Hi!")
    assert chat.participant.language == "en"
    chat.send("Naprawdę wolę pisać po polsku, dziękuję bardzo")
    assert ASK_PL not in chat.text


def test_the_question_is_asked_once_even_when_it_got_no_answer() -> None:
    chat = Chat()
    chat.send(POLISH)
    chat.send("SAFE")
    assert chat.replies[0].text == FEELING_SAFE.intro["en"]
    chat.send("Nie rozumiem, co mam teraz zrobić")
    assert ASK_PL not in [r.text for r in chat.replies]


def test_a_yes_after_the_offer_lapsed_is_an_answer_not_a_language_choice() -> None:
    chat = Chat()
    chat.send(POLISH)
    chat.send("SAFE")
    chat.send("yes")
    assert chat.conversation is not None
    assert chat.conversation.language == "en"
    assert chat.text.startswith("How safe do you feel")


def test_the_first_message_after_the_keyword_can_lead_to_the_question() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("Nie rozumiem, co mam teraz zrobić")
    assert [r.text for r in chat.replies] == ["Reply YES to start, or STOP to stop.", ASK_PL]
    chat.send("TAK")
    assert chat.replies[0].text == FEELING_SAFE.intro["pl"]
    assert chat.conversation is not None
    assert chat.conversation.language == "pl"
    chat.send("TAK")
    assert chat.text.startswith("Jak bezpiecznie czujesz się w okolicy po zmroku?")


def test_a_language_the_consultation_does_not_offer_is_never_asked_about() -> None:
    chat = Chat()
    chat.send("HEARD")
    chat.send("Nie rozumiem, co mam teraz zrobić")
    assert chat.text == "Reply YES to start, or STOP to stop."


def test_an_answer_mid_question_is_an_answer_and_never_asked_about() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("yes")
    chat.send("3")
    chat.send("Nie czuję się bezpiecznie wracając ze szkoły")
    assert ASK_PL not in [r.text for r in chat.replies]
    assert chat.participant.language_asked is None


@pytest.mark.parametrize("text", ["ok", "yes", "2", "Maria", "I dont know", "the park"])
def test_short_english_first_messages_are_never_asked_about(text: str) -> None:
    chat = Chat()
    chat.send(text)
    assert chat.participant.language_asked is None
    assert len(chat.replies) == 1


def test_a_telegram_apps_language_is_a_hint_for_the_first_message() -> None:
    chat = Chat()
    chat.receive(Inbound(Channel.TELEGRAM, "hi", language_hint="pl-PL"))
    assert chat.replies[-1].text == ASK_PL
    chat.receive(Inbound(Channel.TELEGRAM, "tak"))
    assert chat.participant.language == "pl"


def test_the_question_is_asked_in_the_guessed_language() -> None:
    chat = Chat()
    chat.send("Olá, quero participar nas perguntas sobre segurança")
    assert chat.replies[-1].text == "Quer falar em português? Responda SIM ou NAO"
    chat.send("sim")
    assert chat.text.startswith("Olá!")


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
