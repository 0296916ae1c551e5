"""The inbound webhook over real HTTP: signatures, retries, bad input, concurrency."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.addresses import Address
from storage.models import Base
from tests.e2e.twilio_harness import (
    INBOUND,
    PUBLIC_URL,
    Phone,
    TwilioHarness,
    running_app,
)

QUESTION_1 = "How safe do you feel in your area after dark?"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, database_url) as harness:
        yield harness


def row_counts(app: TwilioHarness) -> dict[str, int]:
    """How many rows each table holds."""
    counts = {}
    with app.runtime.db.unit_of_work() as uow:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = uow.session.scalar(select(func.count()).select_from(table)) or 0
    return counts


# --- signatures -----------------------------------------------------------------------


@pytest.mark.parametrize("signature", [None, "", "not-a-signature", "L9cYr8vYMG1Bgm5dTDQ1jQf3Lm0="])
def test_a_missing_or_wrong_signature_is_refused_and_nothing_is_stored(
    app: TwilioHarness, signature: str | None
) -> None:
    before = row_counts(app)
    params = Phone(app, "+447700900123").params("SAFE")

    reply = app.post(INBOUND, params, signature=signature)

    assert reply.status == 403
    assert reply.texts == []
    assert row_counts(app) == before


def test_a_signature_for_another_url_is_refused(app: TwilioHarness) -> None:
    params = Phone(app, "+447700900123").params("SAFE")

    for url in (
        f"{app.base_url}{INBOUND}",  # the address the request really came to
        "http://council.example/webhooks/twilio",  # http, not https
        "https://attacker.example/webhooks/twilio",
        f"{PUBLIC_URL}/webhooks/twilio/status",
    ):
        assert app.post(INBOUND, params, signed_url=url).status == 403, url


def test_a_changed_parameter_breaks_the_signature(app: TwilioHarness) -> None:
    phone = Phone(app, "+447700900123")
    params = phone.params("SAFE")
    signature = app.sign(PUBLIC_URL + INBOUND, params)

    reply = app.post(INBOUND, {**params, "Body": "STOP"}, signature=signature)

    assert reply.status == 403


def test_the_signature_is_checked_against_the_public_url_whatever_the_host(
    app: TwilioHarness,
) -> None:
    reply = Phone(app, "+447700900123").send("SAFE")  # sent to 127.0.0.1, signed for council

    assert reply.status == 200


def test_a_query_string_is_part_of_the_signed_url(app: TwilioHarness) -> None:
    params = Phone(app, "+447700900123").params("SAFE")

    signed = app.post(INBOUND, params, query="number=main")
    unsigned = app.post(
        INBOUND,
        Phone(app, "+447700900124").params("SAFE"),
        query="number=main",
        signed_url=PUBLIC_URL + INBOUND,
    )

    assert signed.status == 200
    assert unsigned.status == 403


def test_connection_overrides_on_the_url_still_validate(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    overrides = "rc=3&rp=all&ct=2000&rt=15000"
    monkeypatch.setenv("TWILIO_WEBHOOK_OVERRIDES", "#" + overrides)
    with running_app(tmp_path, database_url) as app:
        with_fragment = f"{PUBLIC_URL}{INBOUND}#{overrides}"
        first = app.post(
            INBOUND, Phone(app, "+447700900123").params("SAFE"), signed_url=with_fragment
        )
        without = app.post(INBOUND, Phone(app, "+447700900124").params("SAFE"))
        other = app.post(
            INBOUND,
            Phone(app, "+447700900125").params("SAFE"),
            signed_url=f"{PUBLIC_URL}{INBOUND}#rc=5",
        )

    assert first.status == 200
    assert "Safer Streets" in first.text
    assert all(action.endswith("#" + overrides) for action in first.actions)
    assert without.status == 200
    assert other.status == 403


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ({"twilio_auth_token": ""}, "TWILIO_AUTH_TOKEN"),
        ({"public_url": ""}, "YOUSAID_PUBLIC_URL"),
    ],
)
def test_without_a_token_or_public_url_the_webhook_answers_503_and_says_why(
    tmp_path: Path,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
    missing: dict[str, object],
    named: str,
) -> None:
    caplog.set_level(logging.INFO)
    with running_app(tmp_path, database_url, **missing) as app:
        before = row_counts(app)
        params = Phone(app, "+447700900123").params("SAFE")
        unsigned = app.post(INBOUND, params, signature=None)
        signed = app.post(INBOUND, params, signature=app.sign(PUBLIC_URL + INBOUND, params))

        assert (unsigned.status, signed.status) == (503, 503)
        assert row_counts(app) == before
    assert any(named in r.getMessage() and "503" in r.getMessage() for r in caplog.records)


# --- unreadable requests --------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
        (b"From=%2B447700900123&Body=%FF%FE", "application/x-www-form-urlencoded"),
        (b'{"From": "+447700900123", "Body": "hi"}', "application/json"),
        (b"no equals sign here", "application/x-www-form-urlencoded"),
    ],
)
def test_an_unparseable_body_gets_400_and_is_logged_without_the_body(
    app: TwilioHarness, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    caplog.set_level(logging.DEBUG)

    reply = app.post(INBOUND, {}, body=body, content_type=content_type, signature="x")

    assert reply.status == 400
    assert "7700900123" not in caplog.text
    assert "garbage" not in caplog.text
    assert any("400" in r.getMessage() for r in caplog.records)


def test_a_signed_form_without_a_sender_gets_400(app: TwilioHarness) -> None:
    params = Phone(app, "+447700900123").params("SAFE")
    del params["From"]

    assert app.post(INBOUND, params).status == 400


def test_an_oversized_body_is_refused(app: TwilioHarness) -> None:
    body = b"Body=" + b"a" * (300 * 1024)

    reply = app.post(INBOUND, {}, body=body, signature="x")

    assert reply.status == 413


# --- retries --------------------------------------------------------------------------


def test_a_retried_message_gets_the_same_reply_and_changes_nothing(app: TwilioHarness) -> None:
    phone = Phone(app, "+447700900123")
    phone.send("SAFE")
    params = phone.params("yes")

    first = app.post(INBOUND, params)
    app.erase_copies()  # Twilio's copies deleted, as the sender's Twilio lane does
    counts = row_counts(app)
    again = app.post(INBOUND, params)
    third = app.post(INBOUND, params)
    app.erase_copies()

    assert QUESTION_1 in first.text
    assert again.texts == first.texts == third.texts
    assert row_counts(app) == counts
    # The retry did not count as an answer: "1" now answers the first question.
    assert "What makes you feel unsafe?" not in phone.send("1").text


def test_a_failure_answers_500_and_twilios_retry_is_handled_once(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_app(tmp_path, database_url) as app:
        phone = Phone(app, "+447700900123")
        params = phone.params("SAFE")
        pipeline = app.pipeline
        real = pipeline.receive
        calls = {"n": 0}

        def flaky(received, **kwargs):  # type: ignore[no-untyped-def]
            calls["n"] += 1
            if calls["n"] == 1:
                raise RuntimeError("database went away mid-message")
            return real(received, **kwargs)

        monkeypatch.setattr(pipeline, "receive", flaky)
        failed = app.post(INBOUND, params)
        retried = app.post(INBOUND, params)

    assert failed.status == 500
    assert failed.texts == []
    assert retried.status == 200
    assert "Safer Streets" in retried.text


# --- what people really send -----------------------------------------------------------


def test_an_empty_message_gets_a_kind_reply(app: TwilioHarness) -> None:
    reply = Phone(app, "+447700900123").send("")

    assert reply.status == 200
    assert reply.texts, "an empty text still gets an answer"


@pytest.mark.parametrize("whatsapp", [False, True], ids=["mms", "whatsapp"])
def test_a_picture_or_voice_note_gets_i_can_only_read_text(
    app: TwilioHarness, whatsapp: bool
) -> None:
    phone = Phone(app, "+447700900123", whatsapp=whatsapp)
    phone.send("SAFE")
    phone.send("yes")

    reply = phone.send("", media=1)

    assert "I can only read text" in reply.text
    assert QUESTION_1 in reply.text


@pytest.mark.parametrize(
    "text",
    [
        "a" * 10_000,
        "🙂" * 2_000,
        "أشعر بعدم الأمان في الحديقة ليلا",
        "אני לא מרגיש בטוח בפארק",
        "Zażółć gęślą jaźń",
        "\u202eevil bidi\u202c and a \x00 null",
    ],
    ids=["10000-chars", "emoji", "arabic", "hebrew", "polish", "control-chars"],
)
def test_long_text_emoji_and_right_to_left_scripts_are_answered_politely(
    app: TwilioHarness, text: str
) -> None:
    phone = Phone(app, "+447700900123")
    phone.send("SAFE")
    phone.send("yes")
    phone.send("4")  # not safe at all: the free-text question comes next

    reply = phone.send(text)

    assert reply.status == 200
    assert "How safe do you feel at school" in reply.text
    assert "Traceback" not in reply.text


def test_posts_at_once_from_one_number_are_answered_in_turn(app: TwilioHarness) -> None:
    phone = Phone(app, "+447700900123")
    phone.send("SAFE")
    phone.send("yes")
    phone.send("3")
    # "1" is a fair answer to each of the next four questions, whichever comes first.
    forms = [phone.params("1") for _ in range(4)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(lambda form: app.post(INBOUND, form), forms))

    assert [r.status for r in replies] == [200] * 4
    assert len({r.text for r in replies}) == 4, "each message moved on by its own step"
    with app.runtime.db.unit_of_work() as uow:
        answers = uow.results.answers("feeling-safe")
    assert sorted(row.question_id for row in answers) == sorted(
        ["safe_after_dark", "why_unsafe", "safe_school", "what_would_help", "age_band"]
    )


def test_posts_at_once_from_many_numbers_all_get_their_own_reply(app: TwilioHarness) -> None:
    phones = [Phone(app, f"+4477009005{n:02d}") for n in range(8)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(lambda phone: phone.send("SAFE"), phones))

    assert all("Safer Streets" in reply.text for reply in replies)
    with app.runtime.db.unit_of_work() as uow:
        for phone in phones:
            pseudonym = app.runtime.keys.pseudonym(Address.phone(phone.number).namespaced)
            assert uow.conversations.current(pseudonym) is not None
