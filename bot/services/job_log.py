"""The scheduler's own record of its jobs: when each last started, ended and how.

One row per job in the database (`storage.repositories.schedule`), so a daily job runs
once a day whichever process holds the scheduler's lock, and an officer can see the
scheduler is alive (`yousaid scheduler status`).
"""

from __future__ import annotations

from datetime import datetime

from bot.runtime import Runtime
from storage.repositories.schedule import JobRunRow

__all__ = ["heartbeat", "job_ended", "job_started", "last_run"]


def last_run(runtime: Runtime, name: str) -> JobRunRow | None:
    """How `name` last went (None: it never ran)."""
    with runtime.db.unit_of_work() as uow:
        return uow.schedule.job(name)


def job_started(runtime: Runtime, name: str, now: datetime) -> None:
    """Note that `name` starts now."""
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.schedule.job_started(name, now)


def job_ended(runtime: Runtime, name: str, now: datetime, error: str | None = None) -> None:
    """Note that `name` ended now, with `error` (None: it went well)."""
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.schedule.job_finished(name, now, error)


def heartbeat(runtime: Runtime, name: str, now: datetime) -> None:
    """One tick of the scheduler: started and ended at once, in one transaction."""
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.schedule.job_started(name, now)
        uow.schedule.job_finished(name, now)
