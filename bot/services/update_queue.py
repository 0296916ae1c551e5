"""Queueing an update that `prepare` (bot/services/updates.py) has decided: the update and
one outbox message per person, in one transaction, read again inside it; and the
scheduler's top-up of an update sent with `--at` when its time comes. The rule of who gets
an update is written at the top of bot/services/updates.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.runtime import Runtime
from bot.services.updates import Prepared, load_update_words
from conversations import updates
from conversations.messages import Outgoing
from conversations.updates import Rendered
from storage.repositories.audit import detail_of
from storage.repositories.outbox import NewPush
from storage.repositories.update_rows import StoredUpdate, UpdateStatus
from storage.uow import UnitOfWork

__all__ = ["Queued", "queue", "start_due"]


@dataclass(frozen=True)
class Queued:
    update_id: str
    resumed: bool  # sent before: only people new to it were queued
    recipients: int  # people queued by this call
    reopened: bool = False  # a cancelled update going out again (--again)


def queue(
    runtime: Runtime, prepared: Prepared, send_after: datetime, *, again: bool = False
) -> Queued:
    """Write the update and its pushes in one transaction; for an update sent before, add
    the people new to it. A cancelled update goes out again only with `again`."""
    now = runtime.clock.now()
    update = prepared.update
    templates = runtime.settings.twilio_whatsapp_templates
    started = now if send_after <= now else None  # later: the scheduler tops it up then
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        existing = uow.updates.find(update.consultation_id, update.digest)
        reopened = False
        if existing is None:
            update_id = _add(runtime, uow, prepared, send_after, started, now)
        else:
            update_id = existing.id
            if existing.status is UpdateStatus.CANCELLED:
                if not again:
                    return Queued(update_id, resumed=True, recipients=0)
                uow.updates.reopen(update_id, send_after, started)
                reopened = True
            elif existing.started_at is not None:
                send_after = max(now, send_after)
        # Read again inside the transaction: who said STOP since the dry run is left out.
        queued = _top_up(uow, update_id, prepared.rendered, send_after, now, templates)
        action = "update.send" if existing is None else "update.resend"
        uow.audit.record(
            action,
            detail_of(
                consultation=update.consultation_id,
                update=update_id,
                queued=queued,
                again="yes" if reopened else None,
                send_after=send_after.isoformat(timespec="seconds"),
            ),
            now,
        )
    return Queued(update_id, existing is not None, queued, reopened)


def start_due(runtime: Runtime, now: datetime) -> int:
    """Updates whose `--at` time has come: add who asked to hear back meanwhile, and mark
    them started (from then on only a re-send adds people). How many pushes were added."""
    templates = runtime.settings.twilio_whatsapp_templates
    added = 0
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        for stored in uow.updates.due_to_start(now):
            rendered = _stored_rendering(stored)
            if rendered:
                added += _top_up(uow, stored.id, rendered, now, now, templates)
            uow.updates.mark_started(stored.id, now)
    return added


# --- helpers ----------------------------------------------------------------------------


def _add(
    runtime: Runtime,
    uow: UnitOfWork,
    prepared: Prepared,
    send_after: datetime,
    started: datetime | None,
    now: datetime,
) -> str:
    update = prepared.update
    words = load_update_words(runtime.config_dir)
    record = updates.record(update, prepared.quoted, prepared.rendered, words)
    texts = {
        language: {
            "message": r.message,
            "full": r.full,
            "shortened": r.shortened,
            "thanks": r.thanks,
            "segments": r.segments,
        }
        for language, r in prepared.rendered.items()
    }
    return uow.updates.add(
        update.consultation_id,
        update.digest,
        prepared.source_text,
        send_after=send_after,
        now=now,
        texts=texts,
        record=record,
        recipients=0,
        cost=0,
        started_at=started,
    )


def _top_up(
    uow: UnitOfWork,
    update_id: str,
    rendered: Mapping[str, Rendered],
    send_after: datetime,
    now: datetime,
    templates: Mapping[str, str],
) -> int:
    """Queue the update for every reachable person who asked and doesn't have it; how many."""
    stored = uow.updates.get(update_id)
    assert stored is not None
    covered = uow.updates.covered(update_id)
    wanted = [
        r
        for r in uow.updates.recipients(stored.consultation_id)
        if r.pseudonym not in covered and updates.can_reach(r, send_after, templates)
    ]
    fallback = next(iter(rendered))
    requeued = uow.updates.requeue(update_id, [r.pseudonym for r in wanted], send_after)
    pushes = []
    for recipient in wanted:
        assert recipient.channel is not None  # can_reach says so
        language = recipient.language if recipient.language in rendered else fallback
        pushes.append(
            NewPush(
                pseudonym=recipient.pseudonym,
                channel=recipient.channel,
                language=language,
                message=Outgoing(rendered[language].message),
                dedupe_key=f"update:{update_id}:{recipient.pseudonym}",
                update_id=update_id,
            )
        )
    # Rows requeued above already exist: their dedupe keys make these inserts no-ops.
    uow.outbox.queue_pushes(pushes, send_after, now)
    everyone = len(covered) + len(wanted)
    plan = updates.plan(wanted, rendered, send_after, templates)
    uow.updates.set_reach(update_id, everyone, stored.cost + plan.cost)
    assert requeued <= len(wanted)  # requeued rows are some of the wanted
    return len(wanted)


def _stored_rendering(stored: StoredUpdate) -> dict[str, Rendered]:
    """The messages as decided when the update was sent, to queue them for more people."""
    found = {}
    for language, texts in stored.texts.items():
        message = str(texts.get("message", ""))
        segments = int(texts.get("segments", 1))
        found[language] = Rendered(
            language=language,
            message=message,
            full=str(texts.get("full", "")),
            shortened=bool(texts.get("shortened", False)),
            thanks=str(texts.get("thanks", "")),
            segments=segments,
            encoding="",
        )
    return found
