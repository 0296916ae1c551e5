"""The privacy jobs: release pending answers, apply the retention rules, rotate the key.

`purge` and `release_due` are what the scheduler runs (daily and on its tick); the
`yousaid privacy` and `yousaid keys rotate` commands call the same functions. Rules that
touch one participant run one short transaction each, under that participant's lock, so
the web app keeps answering meanwhile; the storage rules (storage/retention.py) look
again under the lock, since the person may have written in between.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime, time, timedelta, tzinfo

from bot.addresses import Address
from bot.library import Library
from bot.runtime import Runtime
from bot.services import round_dates
from conversations.messages import Channel
from conversations.state import AnswerValue
from storage import retention
from storage.repositories.audit import detail_of
from storage.rotation import rotate_encryption_key
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

__all__ = [
    "RELEASE_EVERY",
    "HeldAbout",
    "PurgeCounts",
    "erase",
    "lookup",
    "parse_address",
    "purge",
    "release_due",
    "release_now",
    "rotate_key",
    "rounds_past_window",
    "window_end",
]

RELEASE_EVERY = timedelta(hours=1)
"""Fewer ended responses than the batch size are still released after this long, as long
as there are at least two of them, so that a batch always mixes conversations."""
MIN_MIX = 2


@dataclass(frozen=True)
class PurgeCounts:
    """What one purge did, rule by rule."""

    conversations_expired: int = 0
    rounds_unlinked: int = 0
    tokens_dropped: int = 0
    responses_rekeyed: int = 0
    addresses_cleared: int = 0
    replies_forgotten: int = 0
    provider_ids_forgotten: int = 0
    inbound_forgotten: int = 0
    telegram_forgotten: int = 0
    participants_forgotten: int = 0
    compacted: bool = False

    def lines(self) -> list[tuple[str, int]]:
        """(what, how many) per rule, in the order they ran, for people to read."""
        return [
            (_LABELS[field.name], getattr(self, field.name))
            for field in fields(self)
            if field.name in _LABELS
        ]


def purge(
    runtime: Runtime, rng: random.Random | None = None, actor: str = "officer"
) -> PurgeCounts:
    """Apply every retention rule, then make the erasure real on disk (see Database.compact).
    The audit log records it, with `actor` (officer, or scheduler for the daily run)."""
    now = runtime.clock.now()
    rng = rng or random.SystemRandom()
    db = runtime.db
    with db.unit_of_work() as uow:
        expiring = retention.expired_conversations(uow, now)
    expired = _each(runtime, expiring, lambda uow, p: retention.expire_conversation(uow, p, now))

    rounds = rounds_past_window(runtime, now)
    dropped = rekeyed = 0
    if rounds:
        with db.unit_of_work() as uow:
            linked = retention.linked_participants(uow, rounds)
        for pseudonym in linked:
            with db.unit_of_work() as uow:
                if _lock(uow, pseudonym):
                    dropped += retention.unlink_participant(uow, pseudonym, rounds)
        for round_id in rounds:
            with db.unit_of_work() as uow:
                uow.begin_write()
                rekeyed += retention.close_round_books(uow, round_id, now, rng)

    with db.unit_of_work() as uow:
        unneeded = retention.unneeded_addresses(uow)
    cleared = _each(runtime, unneeded, retention.clear_address_if_unneeded)

    with db.unit_of_work() as uow:
        uow.begin_write()
        # Provider ids first: a reply's delivery record goes before the reply itself.
        provider_ids = retention.forget_provider_ids(uow, now)
        replies = retention.forget_replies(uow, now)
        inbound = uow.inbound.purge(now)
        telegram_rows = uow.telegram.purge_updates(now) + uow.telegram.purge_logs(now)

    with db.unit_of_work() as uow:
        candidates = retention.forgettable_participants(uow, now)
    forgotten = _each(
        runtime, candidates, lambda uow, p: retention.forget_participant_if_empty(uow, p, now)
    )
    counts = PurgeCounts(
        conversations_expired=expired,
        rounds_unlinked=len(rounds),
        tokens_dropped=dropped,
        responses_rekeyed=rekeyed,
        addresses_cleared=cleared,
        replies_forgotten=replies,
        provider_ids_forgotten=provider_ids,
        inbound_forgotten=inbound,
        telegram_forgotten=telegram_rows,
        participants_forgotten=forgotten,
        compacted=db.compact(),
    )
    log.info("privacy purge %s", " ".join(f"{k}={v}" for k, v in counts.lines()))
    with db.unit_of_work() as uow:
        uow.begin_write()
        facts = {f.name: getattr(counts, f.name) for f in fields(counts) if f.name in _LABELS}
        compacted = "yes" if counts.compacted else "no"
        uow.audit.record("privacy.purge", detail_of(actor=actor, **facts, compacted=compacted), now)
    return counts


def release_due(runtime: Runtime, rng: random.Random | None = None) -> int:
    """Release pending answers if a batch is due: at least YOUSAID_RELEASE_BATCH ended
    responses are waiting, or an hour has passed since the last release and at least two
    are. Returns the answers released (0: not due)."""
    now = runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        count = uow.waiting_to_release()
        last = uow.last_release()
        hourly = last is None or now - last >= RELEASE_EVERY
        if count < runtime.settings.release_batch and not (count >= MIN_MIX and hourly):
            return 0
        released = uow.release_pending(now, rng)
    log.info("privacy release responses=%d answers=%d", count, released)
    return released


def release_now(runtime: Runtime, rng: random.Random | None = None) -> tuple[int, int]:
    """Release every ended response's answers now, however few (an officer closing the
    books). Returns (responses, answers) released."""
    now = runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        count = uow.waiting_to_release()
        released = uow.release_pending(now, rng)
        uow.audit.record("privacy.release", detail_of(responses=count, answers=released), now)
    log.info("privacy release (by hand) responses=%d answers=%d", count, released)
    return count, released


def rotate_key(runtime: Runtime) -> tuple[int, int]:
    """Make a new encryption key id current and re-encrypt every stored value with it, then
    compact the database so the old ciphertexts leave its files. Returns (key id, values)."""
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        key_id, count = rotate_encryption_key(uow)
        uow.audit.record("keys.rotate", detail_of(key_id=key_id, values=count), runtime.clock.now())
    runtime.db.compact()
    log.info("encryption key rotated key_id=%d values=%d", key_id, count)
    return key_id, count


@dataclass(frozen=True)
class HeldAbout:
    """What is held about one address, for a subject access request."""

    known: bool
    opted_out: bool = False
    language: str | None = None
    address_kept: bool = False
    subscriptions: tuple[str, ...] = ()  # "updates on feeling-safe by sms"
    conversation: str | None = None  # "feeling-safe, question"
    # Round id -> (question id, answer) of answers they can still withdraw.
    answers: dict[str, list[tuple[str, AnswerValue]]] = field(default_factory=dict)
    flagged: tuple[str, ...] = ()  # their redacted texts in the review queue


def parse_address(text: str, region: str = "GB") -> Address:
    """An address as an officer types it: a phone number, `tg:ID` or `term:NAME`."""
    cleaned = text.strip()
    if cleaned.startswith("tg:") and cleaned[3:].isdigit():
        return Address.telegram(int(cleaned[3:]))
    if cleaned.startswith("term:") and cleaned[5:]:
        return Address.terminal(cleaned[5:])
    return Address.phone(cleaned.removeprefix("tel:"), region)


def lookup(runtime: Runtime, address: Address) -> HeldAbout:
    """Everything held that can be found from an address (a subject access request). After
    the withdrawal window their answers can no longer be found, by design."""
    pseudonym = runtime.keys.pseudonym(address.namespaced)
    with runtime.db.unit_of_work() as uow:
        state = uow.participants.get_state(pseudonym)
        if state is None:
            return HeldAbout(known=False)
        subscriptions = tuple(
            f"{row.scope} news of {row.consultation_id} by {row.channel}"
            for row in uow.participants.subscriptions(pseudonym)
        )
        conversation = uow.conversations.current(pseudonym)
        answers: dict[str, list[tuple[str, AnswerValue]]] = {}
        flagged: list[str] = []
        for round_id, token in sorted(state.responses.items()):
            key = runtime.keys.respondent_key(token)
            answers[round_id] = uow.results.answers_of(key)
            flagged += uow.reviews.texts_of(key)
        return HeldAbout(
            known=True,
            opted_out=state.opted_out,
            language=state.language,
            address_kept=uow.participants.get_address(pseudonym) is not None,
            subscriptions=subscriptions,
            conversation=None
            if conversation is None
            else f"{conversation.consultation_id}, {conversation.phase.value}",
            answers=answers,
            flagged=tuple(flagged),
        )


def erase(runtime: Runtime, address: Address) -> bool:
    """Do what DELETE does, for a request that came another way (a letter, a call), without
    messaging the person. Returns whether anything was held."""
    pseudonym = runtime.keys.pseudonym(address.namespaced)
    now = runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        if not _lock(uow, pseudonym):
            uow.audit.record("privacy.erase", "found=no", now)
            return False
        channel = uow.participants.get_channel(pseudonym) or Channel.TERMINAL
        uow.decisions.erase(pseudonym, channel, now)
        uow.audit.record("privacy.erase", "found=yes", now)
    log.info("erased on request actor=%s", pseudonym[:8])
    return True


def rounds_past_window(runtime: Runtime, now: datetime) -> list[str]:
    """Closed rounds, not yet unlinked, whose withdrawal window has ended by `now`."""
    library = Library()
    due = []
    with runtime.db.unit_of_work() as uow:
        for row in uow.rounds.closed_still_linked(now):
            assert row.closes_at is not None
            days = _withdrawal_days(uow, library, row.id, row.consultation_id)
            if now >= window_end(row.closes_at, days, runtime.settings.zone):
                due.append(row.id)
    return due


def window_end(closes_at: datetime, withdrawal_days: int, zone: tzinfo) -> datetime:
    """When answers stop being withdrawable: the end of the local day the consent names
    ("until 30 July"), that is the close plus `withdrawal_days`."""
    last_day = round_dates.last_withdrawal_day(closes_at, withdrawal_days, zone)
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)


# --- helpers -----------------------------------------------------------------------------

_LABELS = {
    "conversations_expired": "conversations expired (ended, or idle for 7 days)",
    "rounds_unlinked": "rounds past their withdrawal window, unlinked",
    "tokens_dropped": "respondent links dropped from participants",
    "responses_rekeyed": "responses given new random keys",
    "addresses_cleared": "addresses no longer needed, deleted",
    "replies_forgotten": "sent replies older than a day, deleted",
    "provider_ids_forgotten": "provider message ids no longer needed, deleted",
    "inbound_forgotten": "handled message ids older than a day, deleted",
    "telegram_forgotten": "Telegram message records, deleted",
    "participants_forgotten": "participants with nothing left to keep, deleted",
}

_Rule = Callable[[UnitOfWork, str], bool]


def _each(runtime: Runtime, pseudonyms: list[str], rule: _Rule) -> int:
    """Apply `rule` to each participant in its own transaction, under their lock."""
    done = 0
    for pseudonym in pseudonyms:
        with runtime.db.unit_of_work() as uow:
            if _lock(uow, pseudonym) and rule(uow, pseudonym):
                done += 1
    return done


def _lock(uow: UnitOfWork, pseudonym: str) -> bool:
    """Take the participant's lock if their row still exists (never create it again)."""
    return uow.lock_participant(pseudonym, create=False)


def _withdrawal_days(uow: UnitOfWork, library: Library, round_id: str, consultation: str) -> int:
    """The window the round promised; one rule, with the dates officers are shown."""
    return round_dates.withdrawal_days(uow, library, round_id, consultation)
