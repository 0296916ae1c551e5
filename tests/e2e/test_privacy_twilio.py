"""DELETE by SMS and WhatsApp through the real Twilio webhook: one line back, nothing left."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.models import (
    Answer,
    Conversation,
    PendingAnswer,
    Response,
    Subscription,
)
from tests.e2e.test_twilio_conversation import FEELING_SAFE
from tests.e2e.twilio_harness import Phone, TwilioHarness, running_app

NUMBER = "+447700900777"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, database_url) as harness:
        yield harness


def rows(app: TwilioHarness, model: type) -> int:
    with app.runtime.db.unit_of_work() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def answer_everything(phone: Phone) -> None:
    for text, expected in FEELING_SAFE:
        assert expected in phone.send(text).text


def assert_nothing_left_of(app: TwilioHarness, number: str) -> None:
    pseudonym = app.runtime.keys.pseudonym(f"tel:{number}")
    with app.runtime.db.unit_of_work() as uow:
        assert uow.participants.get_address(pseudonym) is None
        assert uow.participants.get_state(pseudonym) is None
        assert uow.conversations.current(pseudonym) is None
    for model in (Response, PendingAnswer, Answer, Subscription, Conversation):
        assert rows(app, model) == 0, model.__name__


def test_delete_on_whatsapp_erases_what_the_same_number_said_by_sms(app: TwilioHarness) -> None:
    answer_everything(Phone(app, NUMBER))
    assert rows(app, Subscription) == 1

    reply = Phone(app, NUMBER, whatsapp=True).send("DELETE")

    assert len(reply.texts) == 1
    assert len(reply.text.splitlines()) == 1
    assert "deleted" in reply.text.lower()
    assert_nothing_left_of(app, NUMBER)


def test_the_polish_word_deletes_too(app: TwilioHarness) -> None:
    phone = Phone(app, NUMBER)
    for text, _ in FEELING_SAFE[:4]:
        phone.send(text)

    reply = phone.send("usuń")

    assert len(reply.texts) == 1
    assert len(reply.text.splitlines()) == 1
    assert_nothing_left_of(app, NUMBER)


def test_delete_works_after_stop(app: TwilioHarness) -> None:
    phone = Phone(app, NUMBER)
    for text, _ in FEELING_SAFE[:5]:
        phone.send(text)
    phone.send("STOP")
    assert rows(app, Response) == 1  # a partial response, kept until DELETE

    reply = phone.send("DELETE")

    assert "deleted" in reply.text.lower()
    assert_nothing_left_of(app, NUMBER)
