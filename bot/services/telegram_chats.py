"""What the Telegram channel remembers of each chat, one short transaction per call: the
message ids EXIT deletes, the live question whose buttons go, whether the person blocked
the bot, and the replies still queued for an update Telegram may send again.

The channel's async handler calls these through the thread pool. Each write starts as a writer
(BEGIN IMMEDIATE on SQLite; a row lock on PostgreSQL), so two updates of one chat never
lose each other's message ids.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

from bot.outbox.outcomes import Blocked, Outcome, Retry, Sent, Unsure
from bot.runtime import Runtime
from conversations.messages import Outgoing
from storage.repositories.outbox import OutboxStatus
from storage.repositories.telegram_messages import (
    LiveQuestion,
    TelegramRepository,
)
from storage.uow import UnitOfWork

__all__ = ["MAX_TRIES", "ChatStore"]

MAX_TRIES = 3  # an update failing this often is recorded and acknowledged


class ChatStore:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def pseudonym(self, namespaced: str) -> str:
        return self.runtime.keys.pseudonym(namespaced)

    def received(
        self,
        pseudonym: str,
        message_id: int | None,
        update_id: int,
        outbox_ids: Sequence[str],
        *,
        release_question: bool,
    ) -> LiveQuestion | None:
        """After the pipeline committed: note the person's message and the replies' rows;
        with `release_question`, hand back the live question (its buttons are to go)."""
        now = self.runtime.clock.now()
        with self._writing() as (_, repo):
            repo.remember_replies(update_id, outbox_ids, now)
            repo.set_blocked(pseudonym, False, now)  # they wrote, so they are back
            log = repo.log(pseudonym)
            if message_id is not None:
                log = log.with_messages([message_id], now)
            question = log.question if release_question else None
            if release_question:
                log = replace(log, question=None)
            repo.save_log(pseudonym, log, now)
        return question

    def claim(self, outbox_id: str) -> bool:
        """Mark a queued reply `sending` before the call (False: not queued any more)."""
        with self._writing() as (_, repo):
            return repo.claim(outbox_id)

    def sent(
        self, pseudonym: str, outbox_id: str | None, message: Outgoing, result: Outcome
    ) -> None:
        """Record what a send did: ids for EXIT, the live question, the outbox row's end."""
        now = self.runtime.clock.now()
        with self._writing() as (_, repo):
            log = repo.log(pseudonym).with_messages(result.message_ids, now)
            if isinstance(result, Sent) and message.buttons and message.question_ref:
                log = replace(
                    log, question=LiveQuestion(result.message_ids[-1], message.question_ref)
                )
            repo.save_log(pseudonym, log, now)
            if isinstance(result, Blocked):
                repo.set_blocked(pseudonym, True, now)
            if outbox_id is not None:
                ref = str(result.message_ids[-1]) if result.message_ids else None
                repo.settle(outbox_id, _status(result), now, ref)

    def fail_all(self, outbox_ids: Sequence[str]) -> None:
        """Replies that will never go (the person blocked the bot)."""
        now = self.runtime.clock.now()
        with self._writing() as (_, repo):
            for outbox_id in outbox_ids:
                repo.settle(outbox_id, OutboxStatus.FAILED, now)

    def queued_replies(self, update_id: int) -> list[tuple[str, Outgoing]]:
        """The replies to an update that are still queued (a crash or failure left them)."""
        with self.runtime.db.unit_of_work() as uow:
            ids = uow.telegram.reply_ids(update_id)
            items = uow.outbox.get(ids)
        return [(i.id, i.message) for i in items if i.status is OutboxStatus.QUEUED]

    def deletable(self, pseudonym: str) -> tuple[int, ...]:
        """Message ids of the chat that the Bot API still deletes (under 48 hours)."""
        now = self.runtime.clock.now()
        with self._writing() as (_, repo):
            return repo.log(pseudonym).deletable(now)

    def forget(self, pseudonym: str, message_ids: Sequence[int]) -> None:
        """Deleted (or too old to delete): drop them, and every id past the window."""
        now = self.runtime.clock.now()
        with self._writing() as (_, repo):
            log = repo.log(pseudonym).forgetting(message_ids).with_messages([], now)
            repo.save_log(pseudonym, log, now)

    def is_blocked(self, pseudonym: str) -> bool:
        with self.runtime.db.unit_of_work() as uow:
            return uow.telegram.is_blocked(pseudonym)

    def set_blocked(self, pseudonym: str, blocked: bool) -> None:
        with self._writing() as (_, repo):
            repo.set_blocked(pseudonym, blocked, self.runtime.clock.now())

    def erase(self, pseudonym: str) -> None:
        """DELETE: forget the chat's message ids too."""
        with self._writing() as (_, repo):
            repo.erase(pseudonym)

    def note_failure(self, update_id: int) -> int:
        """One more failed attempt at an update; returns how many so far."""
        now = self.runtime.clock.now()
        with self._writing() as (_, repo):
            return repo.note_failure(update_id, now, MAX_TRIES)

    @contextmanager
    def _writing(self) -> Iterator[tuple[UnitOfWork, TelegramRepository]]:
        with self.runtime.db.unit_of_work() as uow:
            uow.begin_write()
            yield uow, uow.telegram


def _status(result: Outcome) -> OutboxStatus:
    if isinstance(result, Sent):
        return OutboxStatus.SENT
    if isinstance(result, Retry):
        return OutboxStatus.QUEUED  # nothing of it went: the resent update sends it
    if isinstance(result, Unsure):
        return OutboxStatus.UNKNOWN  # part of it may be on the phone: never again
    return OutboxStatus.FAILED
