"""The rules of sending an update that `yousaid update send` and the console share: when
it goes, what stops it (a cancelled update named by its file, a cost over the cap), and
when sending really starts (quiet hours). bot/services/updates.py decides who gets it."""

from __future__ import annotations

from datetime import datetime

from bot.outbox.loop import next_sending_time
from bot.runtime import Runtime
from bot.services.updates import Prepared, UpdateRefused, find_update, prepare
from bot.times import TimeError, describe, parse_time
from conversations.messages import Channel
from storage.repositories.update_rows import UpdateStatus

__all__ = [
    "SHORT_ID",
    "cap_of",
    "cost_words",
    "nobody_to_queue",
    "prepare_again",
    "refuse_cancelled",
    "refuse_over_cap",
    "send_time",
    "starts",
]

SHORT_ID = 8  # characters of an update's id shown; commands take them (or more)


def send_time(runtime: Runtime, at: str | None, now: datetime, *, name: str = "--at") -> datetime:
    """When an update asked for `at` (a time in the council's zone, or now) goes: never
    before `now`. Raises UpdateRefused when `at` can't be read."""
    if not at:
        return now
    try:
        return max(parse_time(at, runtime.settings.zone, now, name=name), now)
    except TimeError as error:
        raise UpdateRefused(str(error)) from None


def prepare_again(runtime: Runtime, consultation: str, wanted: str, at: datetime) -> Prepared:
    """A sent update, named by (the start of) its id, prepared to go out again at `at`
    from the file it was sent from (`--again UPDATE`, the console's "Send it again")."""
    stored = find_update(runtime, consultation, wanted)
    return prepare(
        runtime, consultation, stored.source_text, f"update {stored.id[:SHORT_ID]}", at=at
    )


def refuse_cancelled(runtime: Runtime, consultation: str, prepared: Prepared, again: bool) -> None:
    """A cancelled update goes out again only when asked by its id."""
    existing = prepared.existing
    if existing is None or existing.status is not UpdateStatus.CANCELLED or again:
        return
    short = existing.id[:SHORT_ID]
    cancelled = describe(existing.cancelled_at or existing.created_at, runtime.settings.zone)
    raise UpdateRefused(
        f"this file is update {short}, cancelled on {cancelled}; to send it to "
        "the people who haven't had it, run "
        f"`yousaid update send {consultation} --again {short}`"
    )


def cap_of(runtime: Runtime, given: int | None = None) -> int | None:
    """The most segments one send may cost: `given`, or YOUSAID_MAX_SEGMENTS (None: no cap)."""
    return given or runtime.settings.max_segments


def refuse_over_cap(prepared: Prepared, cap: int | None) -> None:
    if cap is not None and prepared.plan.cost > cap:
        raise UpdateRefused(
            f"this update costs {prepared.plan.cost} segments, over the cap of {cap} "
            "(--max-segments or YOUSAID_MAX_SEGMENTS); shorten it, or raise the cap"
        )


def nobody_to_queue(prepared: Prepared, send_after: datetime, now: datetime) -> bool:
    """Nothing to queue: nobody can be reached, and it goes now (one sent later is topped
    up with whoever asks meanwhile, so it is queued even for nobody yet)."""
    return prepared.plan.recipients == 0 and send_after <= now


def cost_words(channel: Channel, each: int) -> str:
    """What one message on `channel` costs, in words (`each` from the plan)."""
    if channel is Channel.SMS:
        return f"{each} segment{'' if each == 1 else 's'} each"
    if channel is Channel.WHATSAPP:
        return "1 message each"
    return "free"


def starts(runtime: Runtime, send_after: datetime, now: datetime) -> tuple[datetime, str | None]:
    """When sending starts, and why not `now` ("in quiet hours", "as scheduled"; None: now)."""
    begins = next_sending_time(runtime, send_after)
    if begins <= now:
        return begins, None
    return begins, "in quiet hours" if begins > send_after else "as scheduled"
