"""The console's front page: every consultation with its status, languages and how many
have answered, and how many review items have waited longer than a day."""

from __future__ import annotations

from dataclasses import dataclass

from bot.library import Library
from bot.runtime import Runtime
from bot.services.rounds import shown_status

__all__ = ["ConsultationLine", "Overview", "overview"]

_ORDER = ("open", "scheduled", "closed")


@dataclass(frozen=True)
class ConsultationLine:
    """One consultation as the list shows it. `responses` is None when fewer than the
    threshold have answered (shown as "fewer than N", as everywhere else)."""

    id: str
    title: str
    status: str  # draft (no round yet), scheduled, open or closed
    languages: tuple[str, ...]
    responses: int | None


@dataclass(frozen=True)
class Overview:
    consultations: list[ConsultationLine]
    min_count: int
    reviews_waiting: int  # items waiting longer than a day (a count, nothing else)


def overview(runtime: Runtime) -> Overview:
    """What the dashboard shows, read in one transaction."""
    now = runtime.clock.now()
    min_count = runtime.settings.min_count
    library = Library()
    today = now.astimezone(runtime.settings.zone).date()
    lines = []
    with runtime.db.unit_of_work() as uow:
        statuses: dict[str, set[str]] = {}
        for row in uow.rounds.all():
            statuses.setdefault(row.consultation_id, set()).add(shown_status(row, now))
        for stored in uow.consultations.all_latest():
            parsed = library.version(uow, stored.id, stored.version)
            count = len(uow.results.responses(stored.id))
            lines.append(
                ConsultationLine(
                    id=stored.id,
                    title=stored.title,
                    status=_status(statuses.get(stored.id, set())),
                    languages=parsed.languages if parsed is not None else (),
                    responses=count if count >= min_count else None,
                )
            )
        old = [item for item in uow.reviews.open_items() if item.day < today]
    return Overview(lines, min_count, len(old))


def _status(shown: set[str]) -> str:
    for status in _ORDER:
        if status in shown:
            return status
    return "draft"
