"""Deciding an update: read and check the file, quote the results, find who asked, queue.

`prepare` does everything a dry run shows and changes nothing. `queue` writes the update
and one outbox row per recipient in one transaction, reading the recipients again inside
it, so someone who said STOP after the dry run is not on the list. Sending the same file
for the same consultation again finds the update already there (`Queued.resumed`): its
rows are unique per (update, recipient), so nothing is queued twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.config_files import ConfigError
from bot.library import Library
from bot.runtime import Runtime
from conversations import results as summary
from conversations import updates
from conversations.catalogue import Catalogue
from conversations.messages import Outgoing
from conversations.model import Consultation
from conversations.problems import Problem
from conversations.safety_replies import WITHHELD
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
    "load_update_words",
    "prepare",
    "published_updates",
    "queue",
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
    recipients: tuple[Recipient, ...]
    plan: Plan
    existing: StoredUpdate | None  # sent before (same consultation, same file)
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Queued:
    update_id: str
    resumed: bool  # the same file was sent before: nothing new was queued
    recipients: int


def load_update_words(config_dir: Path) -> Catalogue:
    """The words around an update's text, from `locales/updates/<lang>.po`."""
    folder = config_dir / "locales" / "updates"
    sources = {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.po"))}
    if "en" not in sources:
        raise ConfigError(f"{folder}/en.po is missing; the English update words are required")
    return Catalogue.from_po(sources)


def prepare(runtime: Runtime, consultation_id: str, text: str, source: str) -> Prepared:
    """Check the file against the stored consultation and render it with today's results.

    Raises UpdateRefused with every problem when the file can't be sent.
    """
    words = load_update_words(runtime.config_dir)
    now = runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        consultation, versions = _consultation(uow, consultation_id)
        loaded = load_update(text, source, consultation, consultation_id)
        if loaded.update is None:
            raise UpdateRefused("the update file has problems", loaded.errors)
        update = loaded.update
        if update.round_id is not None and uow.rounds.get(update.round_id) is None:
            raise UpdateRefused(f"{source}: round {update.round_id!r} is not a round we know")
        report = summary.summarise(
            versions,
            uow.results.responses(consultation_id, update.round_id),
            uow.results.answers(consultation_id, update.round_id),
            runtime.settings.min_count,
            secrets.randbits(32),
        )
        recipients = tuple(uow.updates.recipients(consultation_id))
        existing = uow.updates.find(consultation_id, update.digest)
    quoted = updates.figures(update, report)
    rendered = updates.render_all(update, words, quoted)
    too_long = updates.too_long(rendered)
    if too_long:
        problems = tuple(Problem(source, 1, line, "shorten the first line") for line in too_long)
        raise UpdateRefused("the update's first message is too long", problems)
    templates = runtime.settings.twilio_whatsapp_templates
    plan = updates.plan(recipients, rendered, now, templates)
    warnings = tuple(p for p in loaded.problems if p.warning)
    return Prepared(
        text, update, consultation, quoted, rendered, recipients, plan, existing, warnings
    )


def queue(runtime: Runtime, prepared: Prepared, send_after: datetime) -> Queued:
    """Write the update and its pushes in one transaction (or find it sent before)."""
    now = runtime.clock.now()
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
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        existing = uow.updates.find(update.consultation_id, update.digest)
        if existing is not None:
            return Queued(existing.id, resumed=True, recipients=existing.recipients)
        # Read again inside the transaction: who said STOP since the dry run is left out.
        recipients = uow.updates.recipients(update.consultation_id)
        plan = updates.plan(
            recipients, prepared.rendered, now, runtime.settings.twilio_whatsapp_templates
        )
        update_id = uow.updates.add(
            update.consultation_id,
            update.digest,
            prepared.source_text,
            send_after=send_after,
            now=now,
            texts=texts,
            record=record,
            recipients=len(recipients),
            cost=plan.cost,
        )
        fallback = update.languages[0]
        pushes = []
        for recipient in recipients:
            language = recipient.language if recipient.language in texts else fallback
            if recipient.channel is None:
                continue  # never wrote on any channel: nothing to push to (the plan says so)
            pushes.append(
                NewPush(
                    pseudonym=recipient.pseudonym,
                    channel=recipient.channel,
                    language=language,
                    message=Outgoing(prepared.rendered[language].message),
                    dedupe_key=f"update:{update_id}:{recipient.pseudonym}",
                    update_id=update_id,
                )
            )
        uow.outbox.queue_pushes(pushes, send_after, now)
        uow.audit.record(
            "update.send",
            detail_of(
                consultation=update.consultation_id,
                update=update_id,
                recipients=len(recipients),
                queued=len(pushes),
                segments=plan.cost,
                send_after=send_after.isoformat(timespec="seconds"),
            ),
            now,
        )
    return Queued(update_id, resumed=False, recipients=len(recipients))


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


def published_updates(
    uow: UnitOfWork, consultation_id: str, min_count: int, shuffle_seed: int | None = None
) -> list[dict[str, object]]:
    """The consultation's updates for `yousaid results --format json`: what was done, the
    figures as quoted, how many it reached and the replies, small numbers suppressed."""
    published: list[dict[str, object]] = []
    for stored in uow.updates.for_consultation(consultation_id):
        counts = uow.updates.counts(stored.id)
        texts = [f.text for f in uow.updates.feedback(update_id=stored.id)]
        replies = updates.summarise_feedback(texts, min_count, shuffle_seed)
        reached = updates.suppressed(counts.sent, min_count)
        published.append(
            {
                "id": stored.id,
                "sent_from": stored.send_after.date().isoformat(),
                "cancelled": stored.status is UpdateStatus.CANCELLED,
                **stored.record,
                "reached": {"count": reached.value, "suppressed": reached.suppressed},
                "replies": {
                    "count": replies.count.value,
                    "suppressed": replies.count.suppressed,
                    # Flagged replies are counted, never shown: their words are for review.
                    "texts": [t for t in replies.replies if t != WITHHELD]
                    if not replies.replies_suppressed
                    else None,
                },
            }
        )
    return published
