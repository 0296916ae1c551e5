"""A consultation's results as an officer asks for them: overall or one round, broken down
by one question's answers or not, with small numbers suppressed the same way whatever the
face (the command line now, the console and the public page later)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from bot.library import Library
from bot.runtime import Runtime
from bot.services.published import published_updates
from conversations import results as summary
from storage.repositories.audit import detail_of
from storage.uow import UnitOfWork

__all__ = ["Export", "Report", "ResultsRefused", "export", "report", "responses_per_day"]


class ResultsRefused(Exception):
    """The results can't be given as asked; the message says what to do instead."""


@dataclass(frozen=True)
class Report:
    results: summary.Results
    responses: int  # how many responses there are in all (for the audit log)


@dataclass(frozen=True)
class Export:
    results: summary.Results
    # "We asked, you said, we did": the updates sent about it, as published.
    updates: list[dict[str, object]]


def export(
    runtime: Runtime,
    consultation_id: str,
    *,
    min_count: int,
    round_id: str | None = None,
    by: str | None = None,
    shown_as: str,
) -> Export:
    """The results as an officer takes them away (shown `shown_as`: a table, CSV, JSON),
    with the updates sent about the consultation. The export is in the audit log before
    the caller can show anything: no export goes unlogged."""
    with runtime.db.unit_of_work() as uow:
        made = report(
            uow,
            Library(),
            consultation_id,
            min_count=min_count,
            shuffle_seed=secrets.randbits(32),
            round_id=round_id,
            by=by,
        )
        updates = published_updates(uow, consultation_id, min_count, secrets.randbits(32))
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.audit.record(
            "results.export",
            detail_of(
                consultation=consultation_id,
                round=round_id or "all",
                by=by,
                format=shown_as,
                min_count=min_count,
                responses=made.responses,
            ),
            runtime.clock.now(),
        )
    return Export(made.results, updates)


def responses_per_day(runtime: Runtime, consultation_id: str) -> tuple[summary.DayCount, ...]:
    """How many responses started each day, every round together, suppressed with the
    configured threshold (never lowered) as a finer view of the responses' total."""
    with runtime.db.unit_of_work() as uow:
        responses, days = uow.results.days(consultation_id)
    return summary.per_day(days, responses, runtime.settings.min_count)


def report(
    uow: UnitOfWork,
    library: Library,
    consultation_id: str,
    *,
    min_count: int,
    shuffle_seed: int,
    round_id: str | None = None,
    by: str | None = None,
) -> Report:
    """The results of `consultation_id` (one round's with `round_id`; broken down `by` a
    question's answers). Every round's rows are read whatever the view: a round's view is
    suppressed together with the others, so views set side by side give nothing away."""
    versions = uow.consultations.versions(consultation_id)
    if not versions:
        raise ResultsRefused(
            f"no consultation with id {consultation_id!r}; `yousaid consultation load FILE` "
            "adds one"
        )
    if round_id is not None:
        found = uow.rounds.get(round_id)
        if found is None or found.consultation_id != consultation_id:
            raise ResultsRefused(
                f"no round {round_id!r} of {consultation_id}; `yousaid round list` shows them"
            )
    # Latest first: its wording and question order lead the report.
    parsed = [library.version(uow, consultation_id, v) for v in reversed(versions)]
    consultations = [c for c in parsed if c is not None]
    if not consultations:
        raise ResultsRefused(f"the stored consultation {consultation_id!r} can't be read")
    responses = uow.results.responses(consultation_id)
    answers = uow.results.answers(consultation_id)
    try:
        results = summary.summarise(
            consultations,
            responses,
            answers,
            min_count,
            shuffle_seed,
            round_id=round_id,
            by=by,
        )
    except summary.BreakdownRefused as refused:
        raise ResultsRefused(str(refused)) from None
    return Report(results, len(responses))
