"""Whole consultations by SMS and WhatsApp through the real webhook, and STOP at every step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.addresses import Address
from tests.e2e.twilio_harness import Phone, TwilioHarness, running_app

WELCOME = "You can have your say here"
INTRO = "Safer Streets team"
CLOSING = "Your answers help us decide"
STOPPED = "You won't get any more messages from us"
NOTICE = "You've stopped messages"

# (what the person texts, what the bot's answer must contain)
FEELING_SAFE = [
    ("SAFE", INTRO),
    ("yes", "How safe do you feel in your area after dark?"),
    ("3", "What makes you feel unsafe?"),
    ("The park by the station at night", "How safe do you feel at school"),
    ("4", "What would help you feel safer?"),
    ("1 3", "How old are you?"),
    ("skip", "Can we message you later"),
    ("yes", "Can we message you when we have more questions"),
    ("no", CLOSING),
]


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, database_url) as harness:
        yield harness


def number(n: int) -> str:
    """A drama number (Ofcom keeps 07700 900000-900999 for fiction)."""
    return f"+447700900{n:03d}"


@pytest.mark.parametrize("whatsapp", [False, True], ids=["sms", "whatsapp"])
def test_a_whole_consultation_by_text_message(app: TwilioHarness, whatsapp: bool) -> None:
    phone = Phone(app, number(123), whatsapp=whatsapp)

    for text, expected in FEELING_SAFE:
        reply = phone.send(text)
        assert expected in reply.text, f"after {text!r} the bot said {reply.text!r}"

    with app.runtime.db.unit_of_work() as uow:
        [response] = uow.results.responses("feeling-safe")
    assert response.status == "finished"
    assert response.channel == ("whatsapp" if whatsapp else "sms")


def test_the_intro_comes_as_several_messages_in_one_reply(app: TwilioHarness) -> None:
    reply = Phone(app, number(124)).send("safe")

    assert len(reply.texts) >= 2
    assert INTRO in reply.texts[0]
    assert all(len(text) <= 3 * 153 for text in reply.texts)


def test_any_other_first_message_gets_the_neutral_welcome(app: TwilioHarness) -> None:
    reply = Phone(app, number(125)).send("hello?")

    assert WELCOME in reply.text
    assert "SAFE" in reply.text
    assert "HEARD" not in reply.text  # unlisted: a shared phone must not show it


def test_a_number_written_the_uk_way_is_the_same_person(app: TwilioHarness) -> None:
    Phone(app, "+447700900126").send("SAFE")

    reply = Phone(app, "07700 900126").send("yes")

    assert "How safe do you feel in your area after dark?" in reply.text


def test_stop_at_every_step_stops_everything(app: TwilioHarness) -> None:
    for step in range(len(FEELING_SAFE) + 1):
        phone = Phone(app, number(200 + step))
        for text, _ in FEELING_SAFE[:step]:
            phone.send(text)

        stopped = phone.send("STOP")
        assert STOPPED in stopped.text, f"STOP after {step} messages got {stopped.text!r}"
        assert phone.send("2").texts == ["You've stopped messages. Text START to start again."], (
            f"after STOP at step {step}"
        )
        assert phone.send("hello").texts == [], "only one notice after STOP"
        assert phone.send("stop").texts == []


@pytest.mark.parametrize(
    "word",
    [
        "STOP",
        "stop",
        "Stop.",
        "STOP!!",
        "  stop  ",
        "STOPALL",
        "Unsubscribe",
        "cancel",
        "END",
        "quit",
        "Revoke",
        "OPTOUT",
    ],
)
def test_twilios_opt_out_words_stop_in_any_case_and_with_punctuation(
    app: TwilioHarness, word: str
) -> None:
    phone = Phone(app, number(300))
    phone.send("SAFE")
    phone.send("yes")

    reply = phone.send(word)

    assert STOPPED in reply.text


@pytest.mark.parametrize("word", ["START", "unstop", "Start."])
def test_start_after_stop_lets_messages_come_again(app: TwilioHarness, word: str) -> None:
    phone = Phone(app, number(301))
    phone.send("SAFE")
    phone.send("yes")
    phone.send("STOP")

    back = phone.send(word)

    assert "back" in back.text.lower()
    assert NOTICE not in back.text
    assert phone.send("hello").texts != []


def test_a_keyword_after_stop_starts_again(app: TwilioHarness) -> None:
    phone = Phone(app, number(302))
    phone.send("STOP")

    reply = phone.send("SAFE")

    assert INTRO in reply.text


@pytest.mark.parametrize("word", ["HELP", "info", "Help?"])
def test_help_works_at_any_step(app: TwilioHarness, word: str) -> None:
    for step in (0, 1, 3):
        phone = Phone(app, number(310 + step))
        for text, _ in FEELING_SAFE[:step]:
            phone.send(text)

        reply = phone.send(word)

        assert "999" in reply.text, f"HELP after {step} messages got {reply.text!r}"


def test_help_after_stop_still_answers(app: TwilioHarness) -> None:
    phone = Phone(app, number(320))
    phone.send("STOP")

    assert "999" in phone.send("HELP").text


def test_stop_on_whatsapp_stops_sms_too(app: TwilioHarness) -> None:
    sms = Phone(app, number(400))
    whatsapp = Phone(app, number(400), whatsapp=True)
    sms.send("SAFE")
    sms.send("yes")

    assert STOPPED in whatsapp.send("STOP").text
    after = sms.send("3")

    assert after.text == "You've stopped messages. Text START to start again."
    with app.runtime.db.unit_of_work() as uow:
        pseudonym = app.runtime.keys.pseudonym(Address.phone(number(400)).namespaced)
        assert uow.participants.is_opted_out(pseudonym)


def test_a_conversation_started_on_sms_carries_on_on_whatsapp(app: TwilioHarness) -> None:
    Phone(app, number(401)).send("SAFE")

    reply = Phone(app, number(401), whatsapp=True).send("yes")

    assert "How safe do you feel in your area after dark?" in reply.text
