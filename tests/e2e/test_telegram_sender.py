"""Pushes on Telegram: paced per chat, long texts split, RetryAfter handed back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.addresses import Address
from bot.channels.telegram.sender import ChatPacer, TelegramSender
from bot.outbox.outcomes import Retry, Sent
from conversations.messages import Button, Outgoing
from tests.e2e.telegram_harness import USER, Telegram, telegram_app
from tests.fakes.telegram_api import MAX_TEXT, utf16_length

OTHER = 6011223344


class Ticking:
    """A clock for the pacer that moves only when it is asked to sleep."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def tg(tmp_path: Path, sqlite_url: str) -> Iterator[Telegram]:
    with telegram_app(tmp_path, sqlite_url) as running:
        running.api.text(USER, "hi")  # both have started the bot, so their chats exist
        running.api.text(OTHER, "hi")
        yield running


async def test_one_message_a_second_to_each_chat_and_no_wait_across_chats(
    tg: Telegram,
) -> None:
    ticking = Ticking()
    pacer = ChatPacer(monotonic=ticking.monotonic, sleep=ticking.sleep)
    async with TelegramSender.connect(tg.runtime) as bot:
        sender = TelegramSender(tg.runtime, bot, pacer)
        for to in (USER, USER, OTHER, USER):
            result = await sender.send(Address.telegram(to), Outgoing("News from the council."))
            assert isinstance(result, Sent)
    assert ticking.slept == [1.0, 1.0]  # the second and the fourth, both to USER


async def test_a_long_push_is_split_with_its_buttons_on_the_last_part(tg: Telegram) -> None:
    text = "\n".join(f"Line {n}: what we did about street lighting 🙂" for n in range(260))
    buttons = (Button("Yes", "a|abc123abc123|1"), Button("No", "a|abc123abc123|2"))
    message = Outgoing(text, buttons=buttons, question_ref="abc123abc123")
    async with TelegramSender.connect(tg.runtime) as bot:
        result = await TelegramSender(tg.runtime, bot).send(Address.telegram(USER), message)
    assert isinstance(result, Sent)
    assert len(result.message_ids) == 3
    parts = [tg.api.messages[(USER, i)] for i in result.message_ids]
    assert all(utf16_length(p.text) <= MAX_TEXT for p in parts)
    assert "\n".join(p.text for p in parts) == text  # cut at line breaks, nothing lost
    assert [bool(p.buttons) for p in parts] == [False, False, True]
    assert all(p.protected for p in parts)


async def test_retry_after_comes_back_as_retry_later_with_telegrams_wait(tg: Telegram) -> None:
    tg.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    async with TelegramSender.connect(tg.runtime) as bot:
        result = await TelegramSender(tg.runtime, bot).send(
            Address.telegram(USER), Outgoing("News.")
        )
    assert isinstance(result, Retry)
    assert result.after == timedelta(seconds=7)


async def test_only_telegram_addresses_are_sent_to(tg: Telegram) -> None:
    async with TelegramSender.connect(tg.runtime) as bot:
        with pytest.raises(ValueError, match="only to tg: addresses"):
            await TelegramSender(tg.runtime, bot).send(
                Address.phone("+447700900123"), Outgoing("News.")
            )
