"""The log redaction filter: numbers, tokens and bodies never reach a log line."""

from __future__ import annotations

import logging

import pytest

from bot.logging_setup import RedactionFilter


def scrub(message: str, *args: object) -> str:
    record = logging.LogRecord("t", logging.INFO, __file__, 1, message, args, None)
    RedactionFilter().filter(record)
    return record.getMessage()


@pytest.mark.parametrize(
    "number",
    ["+447700900123", "07700 900123", "07700 900 123", "whatsapp:+447700900123", "123456789"],
)
def test_phone_numbers_and_ids_are_scrubbed(number: str) -> None:
    assert "[number]" in scrub("from %s", number)
    assert "900123" not in scrub("from %s", number)


def test_bot_token_in_a_url_is_scrubbed() -> None:
    line = scrub("POST https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/x")
    assert "AAHdqTcv" not in line


def test_message_bodies_in_form_data_are_scrubbed() -> None:
    assert "secret" not in scrub("Body=my+secret&From=%2B44")


def test_addresses_times_and_dates_stay_readable() -> None:
    line = scrub("listening on http://127.0.0.1:8000 since 2026-11-26 20:46:45")
    assert "127.0.0.1:8000" in line
    assert "2026-11-26 20:46:45" in line
