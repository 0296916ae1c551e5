"""One inbound message = one transaction: dedupe, lock, engine, store, then deliver.

Every channel calls `Pipeline.receive` with what it parsed from its provider. Storage is
synchronous SQLAlchemy; the async web routes call this through a thread pool (see bot/web.py).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.addresses import Address
from bot.library import Library
from bot.runtime import Runtime
from conversations import engine
from conversations.engine import Decision, OpenRound, RecentUpdate, World
from conversations.facts import EraseRequested, FeedbackGiven, Subscribed
from conversations.messages import Inbound, Outgoing
from conversations.model import Consultation
from conversations.state import ParticipantState
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Received:
    """An inbound message as a channel parsed it."""

    address: Address
    inbound: Inbound
    provider: str  # "twilio", "telegram", "terminal": namespaces provider_id
    provider_id: str | None = None  # MessageSid, update_id; None: no dedupe (terminal)


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


class Pipeline:
    def __init__(self, runtime: Runtime, library: Library | None = None) -> None:
        self.runtime = runtime
        self.library = library or Library()

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
            self._store(uow, pseudonym, received, decision, preview)
            ids = uow.outbox.add_replies(pseudonym, received.inbound.channel, decision.replies, now)
            if received.provider_id is not None:
                uow.inbound.remember(received.provider, received.provider_id, decision.replies, now)
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

    def mark_delivered(self, handled: Handled) -> None:
        """Record that the replies went out (after the channel delivered them)."""
        if handled.outbox_ids:
            with self.runtime.db.unit_of_work() as uow:
                uow.outbox.mark_sent(list(handled.outbox_ids), self.runtime.clock.now())

    def _world(self, uow: UnitOfWork, preview: bool, pseudonym: str | None = None) -> World:
        now = self.runtime.clock.now()
        return World(
            now=now,
            open_rounds=self.library.open_rounds(uow, now, self.runtime.settings.zone),
            other_rounds=self.library.other_rounds(uow, now, self.runtime.settings.zone),
            catalogue=self.runtime.catalogue,
            new_token=secrets.token_urlsafe(16),
            preview=preview,
            versions=_VersionLookup(self.library, uow),
            safety=self.runtime.safety,
            recent_update=_recent_update(uow, pseudonym, now) if pseudonym else None,
        )

    def _store(
        self,
        uow: UnitOfWork,
        pseudonym: str,
        received: Received,
        decision: Decision,
        preview: bool,
    ) -> bool:
        """Write the decision; True when the participant was erased (DELETE)."""
        now = self.runtime.clock.now()
        uow.record(decision.facts, received.inbound.channel, pseudonym, now, preview=preview)
        for fact in decision.facts:
            if isinstance(fact, FeedbackGiven) and not preview:
                day = now.astimezone(UTC).date()
                uow.updates.add_feedback(fact.update_id, fact.consultation_id, fact.text, day)
        if any(isinstance(f, EraseRequested) for f in decision.facts):
            # DELETE: nothing about the person stays, not even their pseudonym's row.
            uow.conversations.delete(pseudonym)
            uow.participants.delete(pseudonym)
            return True
        uow.participants.save_state(pseudonym, decision.participant, now)
        uow.participants.set_channel(pseudonym, received.inbound.channel)
        if decision.conversation is None:
            uow.conversations.delete(pseudonym)
        else:
            uow.conversations.save(pseudonym, decision.conversation)
        # The address is kept (encrypted) only while a conversation runs or updates are wanted.
        active = decision.conversation is not None and decision.conversation.active
        wanted = any(isinstance(f, Subscribed) for f in decision.facts)
        if active or wanted or uow.participants.has_subscriptions(pseudonym):
            uow.participants.set_address(pseudonym, received.address.namespaced)
        else:
            uow.participants.clear_address(pseudonym)
        return False


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
