"""What SMS and WhatsApp leave behind: no number in the database or the logs, and Twilio's
own copies of the messages deleted."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from storage.repositories.provider_messages import ProviderMessage
from tests.dumps import sql_dump
from tests.e2e.test_twilio_conversation import FEELING_SAFE
from tests.e2e.twilio_harness import (
    INBOUND,
    STATUS,
    Phone,
    TwilioHarness,
    running_app,
)

NUMBER = "+447700900123"
# The same number as people and systems write it.
NUMBER_FORMS = (
    NUMBER,
    "447700900123",
    "07700900123",
    "7700900123",
    "07700 900123",
    "07700 900 123",
    "+44 7700 900123",
    "+44 (0)7700 900123",
    "0770 090 0123",
    "whatsapp:+447700900123",
)
OTHER = "+447700900456"
WORDS = "The park by the station at night"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, database_url) as harness:
        yield harness


def everything(app: TwilioHarness) -> None:
    """A person answers by SMS, carries on by WhatsApp, asks to hear back; another STOPs;
    replies are reported delivered; a forged and a broken request come in."""
    sms, whatsapp = Phone(app, NUMBER), Phone(app, NUMBER, whatsapp=True)
    for index, (said, _) in enumerate(FEELING_SAFE):
        (sms if index < 4 else whatsapp).send(said)
    reply = Phone(app, "07700 900456").send("SAFE")
    Phone(app, OTHER, whatsapp=True).send("Stop.")
    Phone(app, OTHER).send("hello")
    for action in reply.actions:
        query = action.split("?", 1)[1] if "?" in action else ""
        sid = app.fake.store_reply(OTHER, "reply")
        params = {"MessageSid": sid, "MessageStatus": "delivered", "To": OTHER}
        app.post(STATUS, params, query=query)
    app.post(INBOUND, Phone(app, NUMBER).params("forged"), signature="bad")
    app.post(INBOUND, {}, body=f"From={NUMBER}&Body=%FF".encode(), signature="x")


def number_forms_in(content: str | bytes) -> list[str]:
    if isinstance(content, bytes):
        return [
            form
            for form in NUMBER_FORMS
            if form.encode() in content or form.encode("utf-16-le") in content
        ]
    return [form for form in NUMBER_FORMS if form in content]


def test_a_sql_dump_holds_no_phone_number_in_any_format(app: TwilioHarness) -> None:
    everything(app)

    dump = sql_dump(app.runtime.db)

    assert "feeling-safe" in dump  # the dump is real
    assert number_forms_in(dump) == []
    assert NUMBER.encode().hex() not in dump.lower()


def test_the_sqlite_files_hold_no_phone_number_in_any_format(
    tmp_path: Path, sqlite_url: str
) -> None:
    with running_app(tmp_path, sqlite_url) as app:
        everything(app)
        path = Path(make_url(sqlite_url).database or "")
        files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
        assert f"{path.name}-wal" in {p.name for p in files}
        for found in files:
            assert number_forms_in(found.read_bytes()) == [], found.name


def test_the_logs_hold_no_number_no_message_and_no_token(
    app: TwilioHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app.fake.fail_next("delete", status=500)

    everything(app)
    app.erase_copies()

    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert "twilio" in logged  # the webhook did log
    assert number_forms_in(logged) == []
    assert WORDS not in logged
    assert "forged" not in logged
    assert app.token not in logged


def test_twilios_copy_of_each_message_is_deleted_once_handled(app: TwilioHarness) -> None:
    phone = Phone(app, NUMBER)

    for said, _ in FEELING_SAFE[:4]:
        phone.send(said)
    assert app.fake.deleted() == []  # nothing deleted on the request's path
    app.erase_copies()  # the outbox sender's Twilio lane, between pushes

    assert app.fake.wait_until(lambda: set(phone.sids) <= set(app.fake.deleted()))
    assert not app.fake.holds(NUMBER)
    assert not app.fake.holds(WORDS)


def test_a_pictures_media_goes_before_its_message(app: TwilioHarness) -> None:
    phone = Phone(app, NUMBER, whatsapp=True)

    phone.send("", media=2)
    app.erase_copies()

    [sid] = phone.sids
    assert app.fake.wait_until(lambda: sid in app.fake.deleted())
    deletes = [c.path for c in app.fake.calls if c.method == "DELETE"]
    assert len(deletes) == 3
    assert all("/Media/" in path for path in deletes[:2])
    assert app.fake.media_sids(sid) == set()


def test_a_failed_deletion_never_holds_up_the_reply_and_is_tried_again_later(
    app: TwilioHarness,
) -> None:
    phone = Phone(app, NUMBER)
    params = phone.params("SAFE")
    app.fake.in_progress.add(params["MessageSid"])  # Twilio: "message is in progress"

    reply = app.post(INBOUND, params)
    app.erase_copies()

    assert reply.status == 200
    assert "Safer Streets" in reply.text
    assert app.fake.holds(NUMBER)
    with app.runtime.db.unit_of_work() as uow:
        row = uow.session.scalar(select(ProviderMessage))
        assert row is not None
        assert row.erase_attempts == 1
        assert row.erase_at == app.clock.now() + timedelta(minutes=1)

    app.fake.in_progress.clear()
    Phone(app, OTHER).send("hello")  # not due yet: the first copy stays
    app.erase_copies()
    assert app.fake.holds(NUMBER)

    app.clock.set(app.clock.now() + timedelta(minutes=2))
    Phone(app, OTHER).send("hello again")
    app.erase_copies()
    assert not app.fake.holds(NUMBER)
    with app.runtime.db.unit_of_work() as uow:
        assert uow.session.scalar(select(ProviderMessage)) is None


def test_a_deletion_that_keeps_failing_waits_longer_each_time(app: TwilioHarness) -> None:
    phone = Phone(app, NUMBER)
    params = phone.params("SAFE")
    app.fake.in_progress.add(params["MessageSid"])
    app.post(INBOUND, params)
    app.erase_copies()

    waits = []
    for _ in range(3):
        app.clock.set(app.clock.now() + timedelta(days=1))
        app.erase_copies()
        with app.runtime.db.unit_of_work() as uow:
            row = uow.session.scalar(select(ProviderMessage))
            assert row is not None
            assert row.erase_at is not None
            waits.append(row.erase_at - app.clock.now())

    assert waits == [timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8)]


def test_with_erasing_off_twilios_copies_are_left_alone(tmp_path: Path, database_url: str) -> None:
    with running_app(tmp_path, database_url, erase_provider_copies=False) as app:
        Phone(app, NUMBER).send("SAFE")
        Phone(app, NUMBER).send("yes")

        assert [c for c in app.fake.calls if c.method == "DELETE"] == []
        with app.runtime.db.unit_of_work() as uow:
            assert uow.session.scalar(select(ProviderMessage)) is None
