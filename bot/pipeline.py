"""One inbound message = one transaction: dedupe, lock, engine, store, then deliver.

Every channel calls `Pipeline.receive` with what it parsed from its provider. Everything the
message changes commits together: the dedupe record, the new state, the answers, the outbox
rows (marked delivered already when they go back in the webhook's own response) and the row
that schedules the deletion of the provider's copy. A crash at any point leaves all of it or
none of it, and the provider's retry then gets the same replies once. Storage is synchronous
SQLAlchemy; the async web routes call this through a thread pool (see bot/web.py).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter

from bot.addresses import Address
from bot.library import Library
from bot.runtime import Runtime
from conversations import engine
from conversations.engine import OpenRound, RecentUpdate, World
from conversations.messages import Inbound, Outgoing
from conversations.model import Consultation
from conversations.state import ParticipantState
from storage.repositories.provider_messages import Direction
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Received:
    """An inbound message as a channel parsed it."""

    address: Address
    inbound: Inbound
    provider: str  # "twilio", "telegram", "terminal": namespaces provider_id
    provider_id: str | None = None  # MessageSid, update_id; None: no dedupe (terminal)
    # The replies go back in the webhook's own response (TwiML): marked delivered at once.
    replies_in_response: bool = False
    # The provider keeps a copy to delete (Twilio's log): its row is scheduled here, with
    # the media sids that go with it.
    erase_copy: bool = False
    media: tuple[str, ...] = ()


@dataclass(frozen=True)
class Handled:
    """What to deliver in reply, and the outbox rows to mark sent once delivered."""

    replies: tuple[Outgoing, ...]
    outbox_ids: tuple[str, ...] = ()
    duplicate: bool = False


class UnknownRound(LookupError):
    """The round asked for is not open."""

    def __init__(self, wanted: str) -> None:
        super().__init__(wanted)
        self.wanted = wanted

    def __str__(self) -> str:
        return (
            f"no open round of a consultation or round called {self.wanted!r}; "
            "`yousaid round list` shows the rounds and `yousaid consultation load FILE --open` "
            "opens one"
        )


PARALLEL_MESSAGES = 10
"""Messages handled at once on PostgreSQL, each in its own thread and database connection
(under the pool's 15, so the scheduler and the senders still get one)."""

T = TypeVar("T")

CheckPoint = Callable[[str], None]
"""Called with "decided" (the engine has run and everything is written, not yet committed)
and "committed" (after the commit, before the reply goes out). Tests put a crash there."""


def _carry_on(point: str) -> None:
    return None


class Pipeline:
    def __init__(self, runtime: Runtime, library: Library | None = None) -> None:
        self.runtime = runtime
        self.library = library or Library()
        self.checkpoint: CheckPoint = _carry_on  # a test-only crash hook; see CheckPoint
        # SQLite has one writer at a time (the unit of work's lock), so more than one thread
        # running messages only adds hand-overs and GIL contention: one thread does them all.
        # PostgreSQL's row locks let messages of different people run side by side.
        self._threads = 1 if runtime.db.dialect == "sqlite" else PARALLEL_MESSAGES
        self._limiter: CapacityLimiter | None = None  # made on the event loop, when first used

    async def off_loop(self, work: Callable[..., T], *args: Any) -> T:
        """Run `work` (which calls `receive`) in the threads kept for messages, off the
        event loop, as a webhook does."""
        if self._limiter is None:
            self._limiter = CapacityLimiter(self._threads)
        return await anyio.to_thread.run_sync(work, *args, limiter=self._limiter)

    def receive(
        self, received: Received, *, preview: bool = False, start_round: str | None = None
    ) -> Handled:
        """Handle one inbound message in one transaction; a duplicate gets the stored reply."""
        keys, now = self.runtime.keys, self.runtime.clock.now()
        pseudonym = keys.pseudonym(received.address.namespaced)
        with self.runtime.db.unit_of_work() as uow:
            # The lock comes first: on SQLite it opens the write transaction, and it makes
            # two deliveries of one retried message wait for each other before the dedupe.
            uow.lock_participant(pseudonym)
            if received.provider_id is not None:
                stored = uow.inbound.seen(received.provider, received.provider_id)
                if stored is not None:
                    return Handled(tuple(stored), duplicate=True)
            participant = uow.participants.get_state(pseudonym) or ParticipantState()
            conversation = uow.conversations.current(pseudonym)
            world = self._world(uow, preview, pseudonym)
            if start_round is not None:
                round_ = _find_round(world, start_round)
                decision = engine.begin(participant, round_, received.inbound, world)
            else:
                decision = engine.handle(participant, conversation, received.inbound, world)
            uow.decisions.apply(
                pseudonym,
                decision,
                channel=received.inbound.channel,
                address=received.address.namespaced,
                now=now,
                preview=preview,
            )
            ids = uow.outbox.add_replies(
                pseudonym,
                received.inbound.channel,
                decision.replies,
                now,
                delivered=received.replies_in_response,
            )
            if received.provider_id is not None:
                uow.inbound.remember(received.provider, received.provider_id, decision.replies, now)
                if received.erase_copy:
                    uow.provider_messages.schedule_erasure(
                        received.provider_id, Direction.INBOUND, now, received.media
                    )
            self.checkpoint("decided")
        self.checkpoint("committed")
        log.info(
            "handled actor=%s channel=%s replies=%d facts=%d",
            pseudonym[:8],
            received.inbound.channel,
            len(decision.replies),
            len(decision.facts),
        )
        return Handled(decision.replies, tuple(ids))

    def opening(self, address: Address, *, preview: bool = False) -> tuple[Outgoing, ...]:
        """The neutral welcome a first contact sees; changes nothing stored."""
        pseudonym = self.runtime.keys.pseudonym(address.namespaced)
        with self.runtime.db.unit_of_work() as uow:
            participant = uow.participants.get_state(pseudonym) or ParticipantState()
            world = self._world(uow, preview)
        return engine.welcome(participant, world).replies

    def _world(self, uow: UnitOfWork, preview: bool, pseudonym: str | None = None) -> World:
        now = self.runtime.clock.now()
        # The conversation's expiry takes its round's close from the rounds held here.
        uow.conversations.know_closes(self.library.closes(uow))
        return World(
            now=now,
            open_rounds=self.library.open_rounds(uow, now, self.runtime.settings.zone),
            other_rounds=self.library.other_rounds(uow, now, self.runtime.settings.zone),
            catalogue=self.runtime.catalogue,
            new_token=secrets.token_urlsafe(16),
            preview=preview,
            versions=_VersionLookup(self.library, uow),
            safety=self.runtime.safety,
            recent_update=partial(_recent_update, uow, pseudonym, now) if pseudonym else None,
        )


class _VersionLookup(dict[tuple[str, str], Consultation]):
    """World.versions that loads a stored consultation version on first use."""

    def __init__(self, library: Library, uow: UnitOfWork) -> None:
        super().__init__()
        self._library, self._uow = library, uow

    def __missing__(self, key: tuple[str, str]) -> Consultation:
        consultation = self._library.version(self._uow, *key)
        if consultation is None:
            raise KeyError(key)
        self[key] = consultation
        return consultation

    def get(self, key: tuple[str, str], default: Consultation | None = None) -> Consultation | None:  # type: ignore[override]
        try:
            return self[key]
        except KeyError:
            return default


def _recent_update(uow: UnitOfWork, pseudonym: str, now: datetime) -> RecentUpdate | None:
    """The last update pushed to this person within the reply window, for the engine."""
    pushed = uow.updates.recent_push(pseudonym, now - engine.UPDATE_REPLY_WINDOW)
    if pushed is None:
        return None
    texts = pushed.texts
    # MORE sends every action: what a template only announced, what a shortened message
    # left out, or (asked right after a message that had them all) the list again.
    full = texts.get("full")
    return RecentUpdate(
        update_id=pushed.update_id,
        consultation_id=pushed.consultation_id,
        sent_at=pushed.sent_at,
        thanks=str(texts.get("thanks", "")),
        more=str(full) if full else None,
    )


def _find_round(world: World, wanted: str) -> OpenRound:
    for round_ in world.open_rounds:
        if wanted in (round_.round_id, round_.consultation.id):
            return round_
    raise UnknownRound(wanted)
