"""What an officer does with rounds, each in its own transaction: schedule one, list them,
look at one, close one early, call one off. Changes are in the audit log with the change.
The rules themselves (times, keywords, overlaps) are in bot/services/rounds.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.library import Library
from bot.runtime import Runtime
from bot.scheduler import JOB_TICK
from bot.services.round_dates import RoundDates, dates_of
from bot.services.rounds import (
    RoundError,
    RoundRequest,
    cancel_round,
    close_round,
    effective_keyword,
    schedule_round,
)
from storage.repositories.audit import detail_of
from storage.repositories.round_rows import RoundRow
from storage.repositories.schedule import InvitationStatus
from storage.uow import UnitOfWork

__all__ = [
    "InvitationStatus",
    "RoundDetail",
    "RoundRow",
    "RoundView",
    "Rounds",
    "cancel",
    "close",
    "detail",
    "every_round",
    "schedule",
]


@dataclass(frozen=True)
class RoundView:
    """A round as an officer reads it: its row, the keyword it answers to, its dates."""

    row: RoundRow
    keyword: str
    dates: RoundDates


@dataclass(frozen=True)
class Rounds:
    views: list[RoundView]
    scheduler_last_ran: datetime | None  # None: the scheduler has never run


@dataclass(frozen=True)
class RoundDetail:
    view: RoundView
    invitation: tuple[InvitationStatus, int] | None  # status, people queued; None: no invite
    reminders_sent: int


def schedule(runtime: Runtime, request: RoundRequest) -> RoundView:
    """Check the request and schedule the round (RoundError when it can't be)."""
    zone, now = runtime.settings.zone, runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        round_id = schedule_round(uow, request, zone, now)
        view = _view(uow, Library(), _row(uow, round_id), zone)
        row = view.row
        uow.audit.record(
            "round.schedule",
            detail_of(
                consultation=request.consultation_id,
                round=round_id,
                opens=row.opens_at.isoformat(timespec="seconds"),
                closes=row.closes_at.isoformat(timespec="seconds") if row.closes_at else None,
            ),
            now,
        )
    return view


def every_round(runtime: Runtime) -> Rounds:
    """Every round, and when the scheduler that opens and closes them last ran."""
    zone = runtime.settings.zone
    library = Library()
    with runtime.db.unit_of_work() as uow:
        views = [_view(uow, library, row, zone) for row in uow.rounds.all()]
        heartbeat = uow.schedule.job(JOB_TICK)
    return Rounds(views, heartbeat.last_ok_at if heartbeat else None)


def detail(runtime: Runtime, round_id: str) -> RoundDetail:
    """One round in full, with its invitations and reminders (RoundError if there is none)."""
    with runtime.db.unit_of_work() as uow:
        view = _view(uow, Library(), _row(uow, round_id), runtime.settings.zone)
        return RoundDetail(
            view, uow.schedule.invitation(round_id), uow.schedule.reminders_sent(round_id)
        )


def close(runtime: Runtime, round_id: str) -> RoundView:
    """Close an open round now; the answers it has are kept (RoundError if it can't be)."""
    now = runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        row = close_round(uow, round_id, now)
        view = _view(uow, Library(), row, runtime.settings.zone)
        uow.audit.record(
            "round.close", detail_of(consultation=row.consultation_id, round=round_id), now
        )
    return view


def cancel(runtime: Runtime, round_id: str) -> RoundRow:
    """Call off a round that has not opened; its invitations never go."""
    now = runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        cancelled = cancel_round(uow, round_id, now)
        uow.audit.record(
            "round.cancel", detail_of(consultation=cancelled.consultation_id, round=round_id), now
        )
    return cancelled


def _view(uow: UnitOfWork, library: Library, row: RoundRow, zone: ZoneInfo) -> RoundView:
    return RoundView(row, effective_keyword(uow, row), dates_of(uow, library, row, zone))


def _row(uow: UnitOfWork, round_id: str) -> RoundRow:
    row = uow.rounds.get(round_id)
    if row is None:
        raise RoundError(f"there is no round {round_id}; `yousaid round list` shows them all")
    return row
