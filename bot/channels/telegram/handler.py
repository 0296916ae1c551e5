"""One Telegram update, start to finish: the pipeline, then buttons, EXIT and the replies.

The pipeline commits first (state, answers, outbox rows); only then does anything go to
Telegram. Each reply's outbox row is marked `sending` before its call, so a reply that may
have gone is never sent twice. When some replies could not go, `DeliveryIncomplete` makes
the update fail: Telegram resends it, the pipeline sees a duplicate (nothing changes), and
the replies still queued go out then.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from starlette.concurrency import run_in_threadpool
from telegram import Bot, ChatMember, ChatMemberUpdated, Update
from telegram.constants import ChatType

from bot.addresses import Address
from bot.channels.telegram import adapter, delivery
from bot.channels.telegram.adapter import Parsed, Tap
from bot.outbox.outcomes import Blocked, Refused, Retry, Sent, Unsure
from bot.pipeline import Pipeline
from bot.runtime import Runtime
from bot.services.telegram_chats import ChatStore
from conversations.catalogue import Msg
from conversations.keywords import Keyword, classify
from conversations.messages import Outgoing

log = logging.getLogger(__name__)

MAX_TOAST = 200  # characters of a callback query answer
_CLEARING = (Keyword.EXIT, Keyword.DELETE)


class DeliveryIncomplete(Exception):
    """Some replies could not go yet: the update is to be tried again."""


class UpdateHandler:
    """Handles updates from private chats; everything else is left alone."""

    def __init__(self, runtime: Runtime, pipeline: Pipeline, bot: Bot, store: ChatStore) -> None:
        self.runtime = runtime
        self.pipeline = pipeline
        self.bot = bot
        self.store = store
        catalogue = runtime.catalogue
        self._passed = frozenset(
            catalogue.text(language, Msg.BUTTON_PASSED) for language in catalogue.languages()
        )

    async def handle(self, update: Update) -> None:
        """Handle one update; raises when it must be tried again."""
        if update.my_chat_member is not None:
            await self._membership(update.my_chat_member)
            return
        parsed = adapter.parse(update)
        if parsed is None:
            return  # a group, a channel, a service message: never ours to answer
        pseudonym = self.store.pseudonym(parsed.received.address.namespaced)
        word = _word(parsed)
        # DELETE erases the participant, and with them the chat's log: read it first.
        logged: tuple[int, ...] = ()
        if word is Keyword.DELETE:
            logged = await run_in_threadpool(self.store.deletable, pseudonym)
        handled = await self.pipeline.off_loop(self.pipeline.receive, parsed.received)
        if handled.duplicate:
            await self._retried(parsed, pseudonym, word)
            return
        items = [
            (str(i), reply) for i, reply in zip(handled.outbox_ids, handled.replies, strict=True)
        ]
        tap = parsed.tap
        toggle = tap is not None and self._is_toggle(tap, handled.replies)
        question = await run_in_threadpool(
            self.store.received,
            pseudonym,
            parsed.message_id,
            parsed.update_id,
            [i for i, _ in items],
            release_question=bool(items) and not toggle,
        )
        if tap is not None and toggle:
            await self._toggle(pseudonym, parsed.chat_id, tap, items[0])
            return
        if tap is not None:
            await delivery.answer_tap(self.bot, tap.query_id)
            await self._settle_tap(parsed.chat_id, tap, handled.replies)
        if question is not None and (tap is None or question.message_id != tap.message_id):
            await delivery.edit(self.bot, parsed.chat_id, question.message_id)
        await self._finish(parsed, pseudonym, word, items, logged)

    # --- the steps ---------------------------------------------------------------------

    async def _retried(self, parsed: Parsed, pseudonym: str, word: Keyword | None) -> None:
        """A resent update: nothing changes; what is still queued goes out now."""
        if parsed.tap is not None:
            await delivery.answer_tap(self.bot, parsed.tap.query_id)
        items = await run_in_threadpool(self.store.queued_replies, parsed.update_id)
        log.info("telegram update resent: %d replies still to send", len(items))
        await self._finish(parsed, pseudonym, word, items)

    async def _finish(
        self,
        parsed: Parsed,
        pseudonym: str,
        word: Keyword | None,
        items: Sequence[tuple[str, Outgoing]],
        logged: Sequence[int] = (),
    ) -> None:
        if word in _CLEARING:
            await self._clear_chat(pseudonym, parsed.chat_id, logged)
        await self._deliver(pseudonym, parsed.chat_id, items)
        if word is Keyword.DELETE:
            await run_in_threadpool(self.store.erase, pseudonym)

    async def _toggle(
        self, pseudonym: str, chat_id: int, tap: Tap, item: tuple[str, Outgoing]
    ) -> None:
        """A multi-choice pick: a tick on the button and a short note, no new message."""
        outbox_id, reply = item
        claimed = await run_in_threadpool(self.store.claim, outbox_id)
        await delivery.answer_tap(self.bot, tap.query_id, reply.text)
        if claimed:
            await run_in_threadpool(self.store.sent, pseudonym, outbox_id, reply, Sent(None))
        if tap.message_id is not None and tap.markup is not None:
            markup = adapter.toggled(tap.markup, tap.data)
            await delivery.edit(self.bot, chat_id, tap.message_id, markup=markup)

    async def _settle_tap(self, chat_id: int, tap: Tap, replies: Sequence[Outgoing]) -> None:
        """The tapped question shows what was picked and loses its buttons."""
        if tap.message_id is None:
            return
        asked_again = {r.question_ref for r in replies} & {_ref(tap.data)}
        accepted = not asked_again and not self._is_passed(replies)
        text = adapter.picked_text(tap) if accepted else None
        await delivery.edit(self.bot, chat_id, tap.message_id, text=text)

    async def _clear_chat(self, pseudonym: str, chat_id: int, logged: Sequence[int]) -> None:
        """EXIT and DELETE: remove the chat's messages the Bot API still lets us remove."""
        found = await run_in_threadpool(self.store.deletable, pseudonym)
        ids = tuple(dict.fromkeys([*logged, *found]))
        if ids:
            result = await delivery.delete(self.bot, chat_id, ids)
            if isinstance(result, Blocked):
                await run_in_threadpool(self.store.set_blocked, pseudonym, True)
            elif not isinstance(result, Sent):
                await run_in_threadpool(self.store.forget, pseudonym, result.message_ids)
                raise DeliveryIncomplete("deleting the chat's messages failed part-way")
        await run_in_threadpool(self.store.forget, pseudonym, ids)
        log.info("telegram chat cleared actor=%s messages=%d", pseudonym[:8], len(ids))

    async def _deliver(
        self, pseudonym: str, chat_id: int, items: Sequence[tuple[str, Outgoing]]
    ) -> None:
        for index, (outbox_id, reply) in enumerate(items):
            if not await run_in_threadpool(self.store.claim, outbox_id):
                continue  # sent, failed or in doubt already: at most once
            result = await delivery.send(self.bot, chat_id, reply)
            await run_in_threadpool(self.store.sent, pseudonym, outbox_id, reply, result)
            if isinstance(result, Blocked):
                rest = [i for i, _ in items[index + 1 :]]
                await run_in_threadpool(self.store.fail_all, rest)
                log.info("telegram participant has blocked the bot actor=%s", pseudonym[:8])
                return
            if isinstance(result, Retry | Unsure):
                raise DeliveryIncomplete(result.reason)
            if isinstance(result, Refused):
                log.warning("telegram reply not sent actor=%s: %s", pseudonym[:8], result.reason)

    async def _membership(self, member: ChatMemberUpdated) -> None:
        """Telegram tells us the person blocked the bot (or came back)."""
        if member.chat.type != ChatType.PRIVATE:
            return
        pseudonym = self.store.pseudonym(Address.telegram(member.from_user.id).namespaced)
        status = member.new_chat_member.status
        if status == ChatMember.BANNED:
            await run_in_threadpool(self.store.set_blocked, pseudonym, True)
            log.info("telegram participant blocked the bot actor=%s", pseudonym[:8])
        elif status == ChatMember.MEMBER:
            await run_in_threadpool(self.store.set_blocked, pseudonym, False)

    # --- reading the engine's replies ----------------------------------------------------

    def _is_passed(self, replies: Sequence[Outgoing]) -> bool:
        """Whether the engine refused a tap as belonging to a question that has passed."""
        return any(r.text.startswith(p) for r in replies for p in self._passed)

    def _is_toggle(self, tap: Tap, replies: Sequence[Outgoing]) -> bool:
        """A pick on a multi-choice question: one short note back, no question re-sent."""
        if not adapter.is_multi(tap) or len(replies) != 1:
            return False
        (reply,) = replies
        return (
            not reply.buttons
            and reply.question_ref is None
            and len(reply.text) <= MAX_TOAST
            and not self._is_passed(replies)
        )


def _word(parsed: Parsed) -> Keyword | None:
    inbound = parsed.received.inbound
    return None if inbound.button is not None else classify(inbound.text)


def _ref(data: str) -> str | None:
    parts = data.split("|")
    return parts[1] if len(parts) == 3 else None
