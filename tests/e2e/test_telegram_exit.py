"""EXIT and DELETE clear the chat where the Bot API allows; a block is never sent to again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.addresses import Address
from bot.channels.telegram.sender import TelegramSender
from bot.outbox.outcomes import Blocked, Sent
from conversations.messages import Outgoing
from storage.repositories.telegram_messages import TelegramChat
from tests.e2e.telegram_harness import USER, Telegram, telegram_app


@pytest.fixture
def tg(tmp_path: Path, database_url: str) -> Iterator[Telegram]:
    with telegram_app(tmp_path, database_url) as running:
        yield running


def answers(tg: Telegram) -> dict[str, object]:
    with tg.runtime.db.unit_of_work() as uow:
        return {a.question_id: a.value for a in uow.results.answers("feeling-safe")}


def deleted_ids(tg: Telegram) -> list[int]:
    return [i for call in tg.api.calls_to("deleteMessages") for i in call.params["message_ids"]]


def say_and_get_id(tg: Telegram, text: str) -> int:
    update = tg.api.text(USER, text)
    tg.deliver(update)
    return int(update["message"]["message_id"])


async def push(tg: Telegram, text: str) -> object:
    async with TelegramSender.connect(tg.runtime) as bot:
        return await TelegramSender(tg.runtime, bot).send(Address.telegram(USER), Outgoing(text))


def test_exit_deletes_the_conversations_messages_both_ways_and_keeps_the_answers(
    tg: Telegram,
) -> None:
    tg.say("/start SAFE")
    tg.say("yes")
    tg.tap("Fairly safe")
    shown = [m.message_id for m in tg.api.chat(USER)]
    assert any(not m.from_bot for m in tg.api.chat(USER))  # the person's own messages too
    exit_id = say_and_get_id(tg, "/exit")
    assert sorted(deleted_ids(tg)) == sorted([*shown, exit_id])
    (left,) = tg.api.chat(USER)  # one neutral line is all that stays
    assert left.from_bot
    assert left.text == "OK, we've stopped here. Text SAFE to carry on later."
    assert answers(tg) == {"safe_after_dark": "fairly"}


def test_exit_typed_as_a_word_works_the_same(tg: Telegram) -> None:
    tg.say("SAFE")
    shown = [m.message_id for m in tg.api.chat(USER)]
    exit_id = say_and_get_id(tg, "exit")
    assert sorted(deleted_ids(tg)) == sorted([*shown, exit_id])
    assert len(tg.api.chat(USER)) == 1


def test_exit_leaves_what_is_older_than_48_hours(tg: Telegram) -> None:
    tg.say("/start")
    old = [m.message_id for m in tg.api.chat(USER)]
    tg.later(timedelta(hours=47))
    tg.say("SAFE")
    recent = [m.message_id for m in tg.api.chat(USER) if m.message_id not in old]
    tg.later(timedelta(hours=2))
    exit_id = say_and_get_id(tg, "EXIT")
    assert sorted(deleted_ids(tg)) == sorted([*recent, exit_id])
    assert [m.message_id for m in tg.api.chat(USER)][: len(old)] == old


def test_exit_deletes_at_most_100_messages_a_call(tg: Telegram) -> None:
    tg.say("SAFE")
    for _ in range(40):
        tg.say("HELP")
    shown = [m.message_id for m in tg.api.chat(USER)]
    assert len(shown) > 100
    exit_id = say_and_get_id(tg, "EXIT")
    calls = tg.api.calls_to("deleteMessages")
    assert len(calls) == 2
    assert all(c.status == 200 for c in calls)
    assert all(len(c.params["message_ids"]) <= 100 for c in calls)
    assert sorted(deleted_ids(tg)) == sorted([*shown, exit_id])


def test_delete_clears_the_chat_and_erases_the_answers(tg: Telegram) -> None:
    tg.say("SAFE")
    tg.say("yes")
    tg.tap("Fairly safe")
    shown = [m.message_id for m in tg.api.chat(USER)]
    delete_id = say_and_get_id(tg, "DELETE")
    assert sorted(deleted_ids(tg)) == sorted([*shown, delete_id])
    (left,) = tg.api.chat(USER)
    assert left.text == "Done. We've deleted your number and your answers."
    assert answers(tg) == {}
    with tg.runtime.db.unit_of_work() as uow:
        assert uow.session.scalars(select(TelegramChat)).all() == []


async def test_a_person_who_blocked_the_bot_is_never_sent_to_again(tg: Telegram) -> None:
    tg.say("SAFE")
    tg.deliver(tg.api.block(USER))  # Telegram's my_chat_member: kicked
    calls = len(tg.api.calls)
    assert isinstance(await push(tg, "We said we'd tell you: the lights are fixed."), Blocked)
    assert [c.method for c in tg.api.calls[calls:]] == ["getMe"]  # no send was tried


async def test_forbidden_marks_a_block_and_no_call_is_made_after_it(tg: Telegram) -> None:
    tg.say("SAFE")
    tg.api.blocked.add(USER)  # blocked, and Telegram has not said so yet
    assert isinstance(await push(tg, "An update for you."), Blocked)
    assert isinstance(await push(tg, "Another update."), Blocked)
    assert [c.status for c in tg.api.calls_to("sendMessage")][-1:] == [403]
    assert len([c for c in tg.api.calls_to("sendMessage") if c.status == 403]) == 1


def test_replies_to_someone_who_blocked_the_bot_are_not_retried(tg: Telegram) -> None:
    tg.say("SAFE")
    tg.api.blocked.add(USER)
    update = tg.api.text(USER, "yes")  # in flight when they blocked the bot
    assert tg.post(update).status_code == 200
    assert tg.post(update).status_code == 200
    refused = [c for c in tg.api.calls_to("sendMessage") if c.status == 403]
    assert len(refused) == 1


async def test_someone_who_comes_back_is_sent_to_again(tg: Telegram) -> None:
    tg.say("SAFE")
    tg.deliver(tg.api.block(USER))
    tg.deliver(tg.api.unblock(USER))
    assert isinstance(await push(tg, "An update for you."), Sent)
