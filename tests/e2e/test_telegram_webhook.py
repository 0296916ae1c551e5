"""POST /webhooks/telegram: the secret, 200 only after the commit, retries, failures, logs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.logging_setup import configure_logging
from bot.pipeline import Handled, Pipeline, Received
from storage.models import Participant
from storage.repositories.telegram_messages import TelegramUpdate
from tests.e2e.telegram_harness import USER, Telegram, telegram_app
from tests.fakes.telegram_api import TOKEN


class FailingPipeline:
    """The real pipeline, made to fail `times` times first (a database gone away)."""

    def __init__(self, inner: Pipeline, times: int) -> None:
        self.inner = inner
        self.left = times

    def receive(self, received: Received, **kwargs: Any) -> Handled:
        if self.left > 0:
            self.left -= 1
            raise RuntimeError("the database went away")
        return self.inner.receive(received, **kwargs)

    async def off_loop(self, work: Callable[..., Handled], *args: Any) -> Handled:
        return await self.inner.off_loop(work, *args)


@pytest.fixture
def tg(tmp_path: Path, database_url: str) -> Iterator[Telegram]:
    with telegram_app(tmp_path, database_url) as running:
        yield running


def fail_pipeline(tg: Telegram, times: int) -> None:
    handler = tg.app.state.telegram.handler
    handler.pipeline = FailingPipeline(handler.pipeline, times)


def answers(tg: Telegram) -> dict[str, object]:
    with tg.runtime.db.unit_of_work() as uow:
        return {a.question_id: a.value for a in uow.results.answers("feeling-safe")}


def participants(tg: Telegram) -> int:
    with tg.runtime.db.unit_of_work() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Participant)) or 0)


def sent_texts(tg: Telegram) -> list[str]:
    return [str(c.params["text"]) for c in tg.api.calls_to("sendMessage") if c.status == 200]


def test_the_webhook_is_set_on_start_with_a_secret_and_the_updates_handled(
    tg: Telegram,
) -> None:
    (call,) = tg.api.calls_to("setWebhook")
    assert call.params["url"] == "https://yousaid.example.org/webhooks/telegram"
    assert call.params["secret_token"] == "test-webhook-secret_1"
    assert set(call.params["allowed_updates"]) >= {"message", "callback_query", "my_chat_member"}


def test_without_a_configured_secret_one_is_derived_never_none(
    tmp_path: Path, sqlite_url: str
) -> None:
    with telegram_app(tmp_path, sqlite_url, telegram_webhook_secret="") as tg:
        secret = tg.api.calls_to("setWebhook")[0].params["secret_token"]
        assert len(secret) >= 32
        assert tg.post(tg.api.text(USER, "/start"), secret=None).status_code == 403
        assert tg.post(tg.api.text(USER, "/start"), secret="").status_code == 403
        assert tg.post(tg.api.text(USER, "/start"), secret=secret).status_code == 200
        assert len(sent_texts(tg)) == 1


def test_a_request_without_the_right_secret_is_refused_and_dropped(tg: Telegram) -> None:
    assert tg.post(tg.api.text(USER, "SAFE"), secret=None).status_code == 403
    assert tg.post(tg.api.text(USER, "SAFE"), secret="guess").status_code == 403
    assert tg.api.calls_to("sendMessage") == []
    assert participants(tg) == 0


def test_a_body_that_is_not_an_update_is_acknowledged_and_dropped(tg: Telegram) -> None:
    # Telegram resends anything but a 2xx for hours: a body no resend can fix gets 200.
    headers = {"X-Telegram-Bot-Api-Secret-Token": "test-webhook-secret_1"}
    assert tg.http.post("/webhooks/telegram", content=b"{", headers=headers).status_code == 200
    assert tg.http.post("/webhooks/telegram", json=[1], headers=headers).status_code == 200
    assert tg.http.post("/webhooks/telegram", json={"x": 1}, headers=headers).status_code == 200
    assert tg.api.calls_to("sendMessage") == []
    assert participants(tg) == 0


def test_a_retried_update_changes_nothing_and_sends_nothing_again(tg: Telegram) -> None:
    tg.say("SAFE")
    tg.say("yes")
    update = tg.api.text(USER, "2")
    tg.deliver(update)
    sent = sent_texts(tg)
    tg.deliver(update)
    tg.deliver(update)
    assert sent_texts(tg) == sent
    assert answers(tg) == {"safe_after_dark": "fairly"}


def test_a_retried_tap_answers_the_query_and_changes_nothing(tg: Telegram) -> None:
    tg.say("SAFE")
    (question,) = tg.say("yes")
    update = tg.api.tap(USER, question.message_id, question.buttons[1]["callback_data"])
    tg.deliver(update)
    sent = sent_texts(tg)
    tg.deliver(update)
    assert sent_texts(tg) == sent
    assert answers(tg) == {"safe_after_dark": "fairly"}


def test_a_handler_failure_gets_500_and_the_resend_is_handled_once(tg: Telegram) -> None:
    tg.say("SAFE")
    fail_pipeline(tg, times=1)
    update = tg.api.text(USER, "yes")
    assert tg.post(update).status_code == 500
    assert not any("after dark" in t for t in sent_texts(tg))
    assert tg.post(update).status_code == 200
    assert tg.post(update).status_code == 200
    assert sum("after dark" in t for t in sent_texts(tg)) == 1


def test_a_send_failure_after_the_commit_gets_500_and_the_resend_delivers_the_rest(
    tg: Telegram,
) -> None:
    tg.api.fail_next("sendMessage", 500)
    update = tg.api.text(USER, "SAFE")
    assert tg.post(update).status_code == 500
    assert sent_texts(tg) == []  # the first reply failed: nothing else was tried
    assert tg.post(update).status_code == 200
    texts = sent_texts(tg)
    assert len(texts) == 2
    assert "Safer Streets" in texts[0]
    assert tg.post(update).status_code == 200
    assert sent_texts(tg) == texts  # each reply exactly once


def test_retry_after_is_honoured_the_rest_goes_when_telegram_resends(tg: Telegram) -> None:
    tg.say("SAFE")
    tg.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    update = tg.api.text(USER, "yes")
    assert tg.post(update).status_code == 500
    assert tg.post(update).status_code == 200
    assert sum("after dark" in t for t in sent_texts(tg)) == 1


def test_an_update_that_keeps_failing_is_recorded_and_acknowledged(tg: Telegram) -> None:
    fail_pipeline(tg, times=10)
    update = tg.api.text(USER, "SAFE")
    codes = [tg.post(update).status_code for _ in range(3)]
    assert codes == [500, 500, 200]
    with tg.runtime.db.unit_of_work() as uow:
        (row,) = uow.session.scalars(select(TelegramUpdate)).all()
    assert row.failures == 3
    assert row.gave_up


@pytest.fixture
def served_logging() -> None:
    """Logging as `yousaid serve` sets it up (before caplog adds its own handler)."""
    configure_logging(logging.INFO)


@pytest.mark.usefixtures("served_logging")
def test_logs_hold_no_user_id_text_or_bot_token(
    tmp_path: Path, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    typed = "my walk home past Cedar Road scares me"
    with telegram_app(tmp_path, database_url) as tg:
        tg.say("/start SAFE")
        tg.say("yes")
        tg.tap("Not very safe")
        tg.say(typed)
        fail_pipeline(tg, times=1)
        update = tg.api.text(USER, "HELP")
        assert tg.post(update).status_code == 500
        tg.deliver(update)
        tg.api.fail_next("sendMessage", 400, "Bad Request: chat not found")
        tg.say("EXIT")
        tg.deliver(tg.api.block(USER))
    logged = caplog.text
    assert "telegram" in logged  # the channel did log
    for secret in (str(USER), TOKEN, TOKEN.split(":")[1], typed, "Cedar"):
        assert secret not in logged


@pytest.mark.parametrize(
    "text", [12345, ["SAFE"], {"a": 1}, None, True], ids=["number", "list", "map", "null", "bool"]
)
def test_an_update_whose_text_is_not_text_is_acknowledged_once_and_logged_once(
    tg: Telegram, text: object, caplog: pytest.LogCaptureFixture
) -> None:
    update = tg.api.text(USER, "SAFE")
    update["message"]["text"] = text

    with caplog.at_level(logging.INFO):
        response = tg.post(update)

    assert response.status_code == 200
    lines = [r for r in caplog.records if "not a usable update" in r.getMessage()]
    if text is None:  # a message without text: a service message, nothing to answer
        assert lines == []
    else:
        assert [r.getMessage() for r in lines] == [
            "telegram webhook: not a usable update, acknowledged with 200 and dropped "
            "(message.text: string_type)"
        ]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert str(USER) not in caplog.text
    assert tg.api.calls_to("sendMessage") == []


def test_an_update_with_a_wrongly_typed_sender_is_acknowledged(tg: Telegram) -> None:
    update = tg.api.text(USER, "SAFE")
    update["message"]["from"]["id"] = "not-a-number"
    update["message"]["chat"] = [1]

    assert tg.post(update).status_code == 200
    assert participants(tg) == 0


def test_a_usable_update_after_an_unusable_one_is_answered(tg: Telegram) -> None:
    bad = tg.api.text(USER, "SAFE")
    bad["message"]["text"] = 5
    assert tg.post(bad).status_code == 200

    assert tg.say("SAFE")  # the bot answers the next real message


def test_a_body_over_a_megabyte_is_refused_before_it_is_decoded(tg: Telegram) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": "test-webhook-secret_1"}
    body = b'{"update_id": 1, "x": "' + b"a" * (1024 * 1024) + b'"}'

    response = tg.http.post("/webhooks/telegram", content=body, headers=headers)

    assert response.status_code == 413
    assert participants(tg) == 0
