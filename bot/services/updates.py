"""Deciding an update: read and check the file, quote the results, find who gets it, queue.

Who gets an update, the one rule the dry run, the send, a re-send and the scheduler follow:
everyone who has asked to hear back about the consultation by the time the update goes out
(now, or `--at T`), and has not said STOP since, once each, if they can be reached then
(`conversations.updates.can_reach`: not the terminal, an address kept, WhatsApp within its
window or with a template). Nobody else is queued, so nothing waits for ever.

- `prepare` does everything a dry run shows and changes nothing. For an update sent before
  (the same file, or `--again UPDATE`) its plan covers only the people it would add.
- `queue` writes the update and one outbox row per person in one transaction, reading the
  recipients again inside it, so someone who said STOP after the dry run is left out.
  Sending it again adds whoever has asked since (and queues again anyone whose message was
  cancelled and who wants it again); nobody gets it twice: rows are unique per (update,
  person), and a message that went, failed or may have gone is never queued again.
- An update sent with `--at T` is topped up by the scheduler at T (`start_due`) with those
  who asked meanwhile.
- A cancelled update goes out again only when asked by its id (`--again UPDATE`).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.config_files import ConfigError, read_config_text
from bot.library import Library
from bot.runtime import Runtime
from conversations import results as summary
from conversations import updates
from conversations.catalogue import Catalogue
from conversations.messages import Outgoing
from conversations.model import Consultation
from conversations.problems import Problem
from conversations.update_file import Update, load_update
from conversations.updates import Figure, Plan, Recipient, Rendered
from storage.repositories.audit import detail_of
from storage.repositories.outbox import NewPush
from storage.repositories.updates import StoredUpdate, UpdateStatus
from storage.uow import UnitOfWork

__all__ = [
    "Prepared",
    "Queued",
    "UpdateRefused",
    "find_update",
    "load_update_words",
    "prepare",
    "queue",
    "start_due",
]


class UpdateRefused(Exception):
    """The update can't be sent as it is; `problems` (if any) say where and why."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class Prepared:
    """An update ready to send, and what sending it now would do."""

    source_text: str
    update: Update
    consultation: Consultation
    quoted: tuple[Figure | None, ...]
    rendered: Mapping[str, Rendered]
    recipients: tuple[Recipient, ...]  # who would get it now (new ones only, if sent before)
    plan: Plan  # of `recipients`, with who can't be reached and why
    existing: StoredUpdate | None  # sent before (same consultation, same file)
    warnings: tuple[Problem, ...] = ()
    already: int = 0  # people the existing update has reached or has queued


@dataclass(frozen=True)
class Queued:
    update_id: str
    resumed: bool  # sent before: only people new to it were queued
    recipients: int  # people queued by this call
    reopened: bool = False  # a cancelled update going out again (--again)


def load_update_words(config_dir: Path) -> Catalogue:
    """The words around an update's text, from `locales/updates/<lang>.po`."""
    folder = config_dir / "locales" / "updates"
    sources = {p.stem: read_config_text(p) for p in sorted(folder.glob("*.po"))}
    if "en" not in sources:
        raise ConfigError(f"{folder}/en.po is missing; the English update words are required")
    return Catalogue.from_po(sources)


def find_update(runtime: Runtime, consultation_id: str, wanted: str) -> StoredUpdate:
    """The update of the consultation an officer names by (the start of) its id."""
    with runtime.db.unit_of_work() as uow:
        found = uow.updates.get_by_prefix(consultation_id, wanted)
    if len(found) != 1:
        many = f"{len(found)} updates start with {wanted!r}" if found else f"no update {wanted!r}"
        raise UpdateRefused(
            f"{many} for {consultation_id}; `yousaid update status {consultation_id}` "
            "lists them with their ids"
        )
    return found[0]


def prepare(
    runtime: Runtime,
    consultation_id: str,
    text: str,
    source: str,
    *,
    at: datetime | None = None,
) -> Prepared:
    """Check the file against the stored consultation and render it with today's results;
    plan who it reaches at `at` (default now). Raises UpdateRefused with every problem."""
    words = load_update_words(runtime.config_dir)
    when = at or runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        consultation, versions = _consultation(uow, consultation_id)
        loaded = load_update(text, source, consultation, consultation_id)
        if loaded.update is None:
            raise UpdateRefused("the update file has problems", loaded.errors)
        update = loaded.update
        if update.round_id is not None and uow.rounds.get(update.round_id) is None:
            raise UpdateRefused(f"{source}: round {update.round_id!r} is not a round we know")
        # Every round's rows: a round's figures are suppressed as its results view is.
        report = summary.summarise(
            versions,
            uow.results.responses(consultation_id),
            uow.results.answers(consultation_id),
            runtime.settings.min_count,
            secrets.randbits(32),
            round_id=update.round_id,
        )
        existing = uow.updates.find(consultation_id, update.digest)
        covered = uow.updates.covered(existing.id) if existing is not None else set()
        recipients = tuple(
            r for r in uow.updates.recipients(consultation_id) if r.pseudonym not in covered
        )
    quoted = updates.figures(update, report)
    rendered = updates.render_all(update, words, quoted)
    too_long = updates.too_long(rendered)
    if too_long:
        problems = tuple(Problem(source, 1, line, "shorten the first line") for line in too_long)
        raise UpdateRefused("the update's first message is too long", problems)
    templates = runtime.settings.twilio_whatsapp_templates
    plan = updates.plan(recipients, rendered, when, templates)
    warnings = tuple(p for p in loaded.problems if p.warning)
    return Prepared(
        text,
        update,
        consultation,
        quoted,
        rendered,
        recipients,
        plan,
        existing,
        warnings,
        already=len(covered),
    )


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


def _consultation(uow: UnitOfWork, consultation_id: str) -> tuple[Consultation, list[Consultation]]:
    stored = uow.consultations.versions(consultation_id)
    if not stored:
        raise UpdateRefused(
            f"no consultation with id {consultation_id!r}; `yousaid consultation load FILE` "
            "adds one"
        )
    library = Library()
    # Latest first: it sets the order and the words of results.
    parsed = [library.version(uow, consultation_id, version) for version in reversed(stored)]
    versions = [c for c in parsed if c is not None]
    if not versions:
        raise UpdateRefused(f"the stored consultation {consultation_id!r} can't be read")
    return versions[0], versions
