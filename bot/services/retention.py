"""The retention rules as the scheduler runs them daily, and `yousaid privacy purge` by
hand: expire idle conversations, unlink rounds past their withdrawal window, clear what is
no longer needed, then make the erasure real on disk.

Rules that touch one participant run one short transaction each, under that participant's
lock, so the web app keeps answering meanwhile; the storage rules (storage/retention.py)
look again under the lock, since the person may have written in between. What is kept and
for how long is docs/privacy.md.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime, time, timedelta, tzinfo

from bot.library import Library
from bot.runtime import Runtime
from bot.services import round_dates
from storage import retention, withdrawal
from storage.repositories.audit import detail_of
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

__all__ = ["PurgeCounts", "purge", "rounds_past_window", "window_end"]


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
    console_sessions_ended: int = 0
    signin_records_forgotten: int = 0
    accounts_removed: int = 0
    audit_entries_forgotten: int = 0
    review_items_forgotten: int = 0
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
    dropped, rekeyed = _unlink_rounds(runtime, rounds, now, rng) if rounds else (0, 0)

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

    console = _console_rules(runtime, now)

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
        **console,
        compacted=db.compact(),
    )
    log.info("privacy purge %s", " ".join(f"{k}={v}" for k, v in counts.lines()))
    with db.unit_of_work() as uow:
        uow.begin_write()
        facts = {f.name: getattr(counts, f.name) for f in fields(counts) if f.name in _LABELS}
        compacted = "yes" if counts.compacted else "no"
        uow.audit.record("privacy.purge", detail_of(actor=actor, **facts, compacted=compacted), now)
    return counts


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
    "console_sessions_ended": "console sessions idle past the limit, ended",
    "signin_records_forgotten": "failed console sign-ins past YOUSAID_SIGNIN_DAYS, deleted",
    "accounts_removed": "officer accounts disabled past YOUSAID_DISABLED_ACCOUNT_DAYS, deleted",
    "audit_entries_forgotten": "audit entries past YOUSAID_AUDIT_DAYS, deleted",
    "review_items_forgotten": "reviewed safeguarding items past YOUSAID_REVIEW_DAYS, deleted",
}


def _console_rules(runtime: Runtime, now: datetime) -> dict[str, int]:
    """What the console keeps, past its settings: idle sessions, failed sign-ins,
    accounts disabled long ago, and audit entries (docs/privacy.md)."""
    settings = runtime.settings
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        gone = uow.officers.purge(
            idle_before=now - timedelta(hours=settings.console_idle_hours),
            attempts_before=now - timedelta(days=settings.signin_days),
            disabled_before=now - timedelta(days=settings.disabled_account_days),
        )
        audit = uow.audit.purge(now - timedelta(days=settings.audit_days))
        flagged_before = (now - timedelta(days=settings.review_days)).astimezone(settings.zone)
        reviews = uow.reviews.purge(flagged_before.date())
    return {
        "console_sessions_ended": gone.sessions,
        "signin_records_forgotten": gone.signin_attempts,
        "accounts_removed": gone.accounts,
        "audit_entries_forgotten": audit,
        "review_items_forgotten": reviews,
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


def _unlink_rounds(
    runtime: Runtime, rounds: list[str], now: datetime, rng: random.Random
) -> tuple[int, int]:
    """Unlink everyone from `rounds` past their window, then close each round's books:
    how many tokens were dropped and responses rekeyed."""
    db = runtime.db
    dropped = rekeyed = 0
    with db.unit_of_work() as uow:
        linked = withdrawal.linked_participants(uow, rounds)
    for pseudonym in linked:
        with db.unit_of_work() as uow:
            if _lock(uow, pseudonym):
                dropped += withdrawal.unlink_participant(uow, pseudonym, rounds)
    for round_id in rounds:
        with db.unit_of_work() as uow:
            uow.begin_write()
            rekeyed += withdrawal.close_round_books(uow, round_id, now, rng)
    return dropped, rekeyed
