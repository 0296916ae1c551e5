"""Deciding an update: read and check the file, quote the results, find who gets it, queue.

Who gets an update, the one rule the dry run, the send, a re-send and the scheduler follow:
everyone who has asked to hear back about the consultation by the time the update goes out
(now, or `--at T`), and has not said STOP since, once each, if they can be reached then
(`conversations.updates.can_reach`: not the terminal, an address kept, WhatsApp within its
window or with a template). Nobody else is queued, so nothing waits for ever.

- `prepare` does everything a dry run shows and changes nothing. For an update sent before
  (the same file, or `--again UPDATE`) its plan covers only the people it would add.
- `queue` (bot/services/update_queue.py) writes the update and one outbox row per person
  in one transaction, reading the recipients again inside it, so someone who said STOP
  after the dry run is left out. Sending it again adds whoever has asked since (and queues
  again anyone whose message was cancelled and who wants it again); nobody gets it twice:
  rows are unique per (update, person), and a message that went, failed or may have gone
  is never queued again.
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
from bot.services.public_page import public_link
from conversations import results as summary
from conversations import updates
from conversations.catalogue import Catalogue
from conversations.model import Consultation
from conversations.problems import Problem
from conversations.update_file import Update, load_update
from conversations.updates import Figure, Plan, Recipient, Rendered
from storage.repositories.update_rows import StoredUpdate
from storage.uow import UnitOfWork

__all__ = ["Prepared", "UpdateRefused", "find_update", "load_update_words", "prepare"]


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
    link = public_link(runtime.settings, consultation)  # None: no public page to point to
    rendered = updates.render_all(update, words, quoted, link)
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


# --- helpers ----------------------------------------------------------------------------


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
