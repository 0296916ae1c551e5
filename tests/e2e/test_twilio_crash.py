"""A crash between the engine and the commit, or just after the commit, then Twilio's retry.

The pipeline's test-only crash hook (`Pipeline.checkpoint`) raises at the point named, as a
dying server would stop there: before the commit nothing of the message is kept; after it,
everything is, and the webhook still never answered. Either way Twilio resends, and the
whole consultation ends with every answer stored once and every reply sent once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.addresses import Address
from storage.models import Base, OutboxMessage, PendingAnswer
from storage.repositories.provider_messages import ProviderMessage
from tests.e2e.test_twilio_conversation import FEELING_SAFE
from tests.e2e.twilio_harness import INBOUND, Phone, TwilioHarness, running_app

NUMBER = "+447700900321"


class Crash(Exception):
    """The server dies here."""


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, database_url) as harness:
        yield harness


def crash_at(point: str):  # type: ignore[no-untyped-def]
    def checkpoint(reached: str) -> None:
        if reached == point:
            raise Crash(point)

    return checkpoint


def carry_on(reached: str) -> None:
    return None


def row_counts(app: TwilioHarness) -> dict[str, int]:
    """Rows per table, but for the copies due for deletion: the outbox sender's Twilio lane
    deletes those, on its own time."""
    with app.runtime.db.unit_of_work() as uow:
        return {
            table.name: uow.session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
            if table.name != "provider_messages"
        }


@pytest.mark.parametrize("point", ["decided", "committed"])
def test_a_crash_then_twilios_retry_stores_every_answer_once_and_sends_every_reply_once(
    app: TwilioHarness, point: str
) -> None:
    phone = Phone(app, NUMBER)
    heard: list[str] = []
    for text, expected in FEELING_SAFE:
        params = phone.params(text)
        before = row_counts(app)
        app.pipeline.checkpoint = crash_at(point)
        crashed = app.post(INBOUND, params)
        after_crash = row_counts(app)
        app.pipeline.checkpoint = carry_on
        retried = app.post(INBOUND, params)

        assert crashed.status == 500, "a crash must make Twilio retry"
        assert crashed.texts == []
        if point == "decided":
            assert after_crash == before, f"{text!r}: a crash before the commit kept something"
        assert retried.status == 200
        assert expected in retried.text, f"after {text!r} the bot said {retried.text!r}"
        heard.extend(retried.texts)

    pseudonym = app.runtime.keys.pseudonym(Address.phone(NUMBER).namespaced)
    with app.runtime.db.unit_of_work() as uow:
        [response] = uow.results.responses("feeling-safe")
        answered = uow.session.execute(
            select(PendingAnswer.question_id, func.count()).group_by(PendingAnswer.question_id)
        ).all()
        outbox = uow.session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.pseudonym == pseudonym)
            .group_by(OutboxMessage.status)
        ).all()
    assert response.status == "finished"
    # Seven questions answered or skipped (SAFE and "yes" start the consultation).
    assert len(answered) == len(FEELING_SAFE) - 2
    assert {count for _, count in answered} == {1}
    # Every reply is one outbox row, marked sent with the commit that made it: nothing is
    # left queued for the sender to send a second time.
    assert dict(outbox) == {"sent": len(heard)}
    # Twilio's copy of every message is deleted (scheduled in the message's transaction).
    app.erase_copies()  # the outbox sender's Twilio lane deletes them
    assert set(phone.sids) <= set(app.fake.deleted())
    with app.runtime.db.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ProviderMessage)) == 0
