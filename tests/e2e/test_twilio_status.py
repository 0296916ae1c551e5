"""POST /webhooks/twilio/status: delivery callbacks over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.addresses import Address
from bot.channels.twilio.sender import TwilioSender
from bot.outbox.outcomes import Sent
from conversations.messages import Channel
from storage.models import OutboxMessage
from storage.repositories.provider_messages import ProviderMessage, ProviderMessagesRepository
from tests.e2e.twilio_harness import STATUS, Phone, TwilioHarness, running_app

NUMBER = "+447700900123"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, database_url) as harness:
        yield harness


def callback(sid: str, status: str, error_code: str | None = None) -> dict[str, str]:
    params = {
        "MessageSid": sid,
        "SmsSid": sid,
        "MessageStatus": status,
        "SmsStatus": status,
        "To": NUMBER,
        "From": "+447700900000",
        "AccountSid": "AC" + "f" * 32,
        "ApiVersion": "2010-04-01",
    }
    if error_code is not None:
        params["ErrorCode"] = error_code
    return params


def outbox_row(app: TwilioHarness, outbox_id: str) -> OutboxMessage:
    with app.runtime.db.unit_of_work() as uow:
        row = uow.session.get(OutboxMessage, outbox_id)
        assert row is not None
        return row


def provider_row(app: TwilioHarness, sid: str) -> ProviderMessage | None:
    with app.runtime.db.unit_of_work() as uow:
        return ProviderMessagesRepository(uow.session).get(sid)


def first_reply(app: TwilioHarness) -> tuple[str, str]:
    """Text SAFE; returns the first reply's outbox id and its status callback query."""
    reply = Phone(app, NUMBER).send("SAFE")
    query = reply.actions[0].split("?", 1)[1]
    assert query.startswith("outbox=")
    return query.removeprefix("outbox="), query


def test_an_unknown_message_gets_200(app: TwilioHarness) -> None:
    sid = "SM" + "0" * 32

    reply = app.post(STATUS, callback(sid, "delivered"))

    assert reply.status == 200


def test_a_callback_needs_twilios_signature(app: TwilioHarness) -> None:
    sid = app.fake.store_reply(NUMBER, "hello")

    reply = app.post(STATUS, callback(sid, "delivered"), signature="forged")

    assert reply.status == 403
    assert provider_row(app, sid) is None
    assert app.fake.holds(NUMBER)


def test_a_callback_without_a_sid_or_status_gets_400(app: TwilioHarness) -> None:
    params = callback("SM" + "0" * 32, "delivered")
    del params["MessageStatus"], params["SmsStatus"]

    assert app.post(STATUS, params).status == 400
    assert app.post(STATUS, callback("not a sid", "sent")).status == 400


def test_every_reply_asks_for_its_delivery_status(app: TwilioHarness) -> None:
    reply = Phone(app, NUMBER).send("SAFE")

    assert len(reply.actions) == len(reply.texts) >= 2
    assert all(
        a.startswith("https://council.example/webhooks/twilio/status?outbox=")
        for a in reply.actions
    )
    assert len(set(reply.actions)) == len(reply.actions)


def test_a_replys_callback_gives_its_outbox_row_the_twilio_sid(app: TwilioHarness) -> None:
    outbox_id, query = first_reply(app)
    sid = app.fake.store_reply(NUMBER, "intro")

    reply = app.post(STATUS, callback(sid, "sent"), query=query)

    assert reply.status == 200
    row = outbox_row(app, outbox_id)
    assert row.provider_ref == sid
    assert row.status == "sent"


def test_an_undelivered_reply_is_marked_failed_with_twilios_code(app: TwilioHarness) -> None:
    outbox_id, query = first_reply(app)
    sid = app.fake.store_reply(NUMBER, "intro")

    app.post(STATUS, callback(sid, "sent"), query=query)
    app.post(STATUS, callback(sid, "undelivered", "30007"), query=query)

    assert outbox_row(app, outbox_id).status == "failed"
    stored = provider_row(app, sid)
    assert stored is not None
    assert (stored.status, stored.error_code) == ("undelivered", 30007)


@pytest.mark.parametrize("status", ["queued", "sent", "delivered", "undelivered", "failed"])
def test_each_delivery_status_is_recorded(app: TwilioHarness, status: str) -> None:
    sid = app.fake.store_reply(NUMBER, "hello")

    assert app.post(STATUS, callback(sid, status)).status == 200

    stored = provider_row(app, sid)
    assert stored is not None
    assert stored.status == status


def test_a_late_sent_does_not_undo_delivered(app: TwilioHarness) -> None:
    sid = app.fake.store_reply(NUMBER, "hello")

    app.post(STATUS, callback(sid, "delivered"))
    app.post(STATUS, callback(sid, "sent"))

    stored = provider_row(app, sid)
    assert stored is not None
    assert stored.status == "delivered"


def test_a_pushed_message_is_followed_by_the_sid_the_sender_got(app: TwilioHarness) -> None:
    outbox_id, _ = first_reply(app)
    sender = TwilioSender(app.runtime.settings)
    result = sender.send(Address.phone(NUMBER), Channel.SMS, "You said, we did: more lights.")
    assert isinstance(result, Sent)
    assert result.ref is not None
    with app.runtime.db.unit_of_work() as uow:
        uow.outbox.mark_sent([outbox_id], app.clock.now(), provider_ref=result.ref)

    app.post(STATUS, callback(result.ref, "failed", "21610"))

    assert outbox_row(app, outbox_id).status == "failed"


def test_twilios_copy_of_a_reply_is_deleted_at_its_final_status(app: TwilioHarness) -> None:
    sid = app.fake.store_reply(NUMBER, "Your answers help us decide")

    app.post(STATUS, callback(sid, "queued"))
    app.erase_copies()
    assert sid not in app.fake.deleted()

    app.post(STATUS, callback(sid, "delivered"))
    assert sid not in app.fake.deleted()  # the callback only records it: no call on its path
    app.erase_copies()

    assert app.fake.wait_until(lambda: sid in app.fake.deleted())
    stored = provider_row(app, sid)
    assert stored is not None
    assert stored.erased
    assert stored.status == "delivered"


def test_a_reply_only_ever_sent_is_deleted_a_day_later(app: TwilioHarness) -> None:
    sid = app.fake.store_reply(NUMBER, "hello")

    app.post(STATUS, callback(sid, "sent"))
    app.erase_copies()
    assert app.fake.holds(NUMBER)

    app.clock.set(app.clock.now() + timedelta(days=1, minutes=1))
    app.erase_copies()

    assert not app.fake.holds(NUMBER)


def test_the_status_route_answers_503_without_a_token(tmp_path: Path, database_url: str) -> None:
    with running_app(tmp_path, database_url, twilio_auth_token="") as app:
        sid = "SM" + "0" * 32
        params = callback(sid, "delivered")

        assert app.post(STATUS, params).status == 503
        with app.runtime.db.unit_of_work() as uow:
            assert uow.session.scalar(select(ProviderMessage)) is None
