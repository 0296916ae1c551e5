"""The scheduler: a short tick that does whatever is due, plus the daily privacy purge.

APScheduler (3.x) only sets the pace. Its jobs live in memory and hold no state: every
due time is a row in the project's own tables (rounds, invitations, conversations for
reminders, job_runs for the daily jobs), read afresh at every run. So a round scheduled
from another process is seen at the next tick; a restart, a missed tick or a day of
downtime loses nothing (a round whose close passed meanwhile is closed at once); and no
pickled job can vanish because a function was renamed.

Exactly one scheduler acts at a time (see storage/leader.py); the others tick idly, ready
to take over.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import partial
from typing import TypeVar
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.library import Library
from bot.runtime import Runtime
from bot.services import job_log, release, retention, round_jobs, update_queue
from bot.services.review import log_review_digest
from storage.leader import LeaderLock, leader_lock_for

__all__ = ["DAILY_AT", "TICK_EVERY", "Scheduler", "TickReport", "daily_due"]

log = logging.getLogger(__name__)

TICK_EVERY = timedelta(seconds=30)
DAILY_AT = time(3, 0)  # local: the purge runs when nobody is texting
JOB_TICK = "tick"
JOB_PURGE = "privacy_purge"
JOB_DIGEST = "review_digest"
RETRY_DAILY = timedelta(hours=1)  # a daily job that failed is tried again after this

T = TypeVar("T")


@dataclass
class TickReport:
    """What one tick did; `leader` False when another scheduler is acting."""

    leader: bool
    closed: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    invitations: int = 0
    reminders: int = 0
    released: int = 0
    update_pushes: int = 0  # added to updates whose --at time came (who asked meanwhile)
    daily: list[str] = field(default_factory=list)  # the daily jobs that ran
    failed: list[str] = field(default_factory=list)  # steps that raised (logged)


class Scheduler:
    """Runs the due work of one YouSaid installation, if this process leads."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        library: Library | None = None,
        lock: LeaderLock | None = None,
        every: timedelta = TICK_EVERY,
    ) -> None:
        self.runtime = runtime
        self.library = library or Library()
        self._lock = lock or leader_lock_for(runtime.db.engine)
        self._every = every
        self._work = threading.Lock()  # the tick and the daily job never overlap
        self._leading = False
        self._background: BackgroundScheduler | None = None

    @property
    def leading(self) -> bool:
        """Whether this scheduler held the lock at its last run."""
        return self._leading

    def tick(self) -> TickReport:
        """Do everything due now, if this scheduler leads; safe to call at any time."""
        with self._work:
            if not self._lead():
                return TickReport(leader=False)
            now = self.runtime.clock.now()
            report = TickReport(leader=True)
            # Close before open: a round whose whole life passed during downtime is
            # closed, never opened (and never sends its invitations).
            report.closed = self._step(report, "close", self._close, now) or []
            report.opened = self._step(report, "open", self._open, now) or []
            report.invitations = self._step(report, "invite", self._invitations, now) or 0
            report.reminders = self._step(report, "remind", self._reminders, now) or 0
            report.released = self._step(report, "release", self._release, now) or 0
            report.update_pushes = self._step(report, "updates", self._updates, now) or 0
            report.daily = self._daily(report, now)
            self._step(report, "heartbeat", self._heartbeat, now)
            return report

    def take_lead(self) -> bool:
        """Try for the lock now, so a caller can say whether this process runs the schedule
        (the first tick, started at once, would find out too, but only afterwards)."""
        with self._work:
            return self._lead()

    def daily(self) -> list[str]:
        """Run the daily jobs if they are due (the 03:00 trigger); the ones that ran."""
        with self._work:
            if not self._lead():
                return []
            report = TickReport(leader=True)
            return self._daily(report, self.runtime.clock.now())

    def start(self) -> None:
        """Run in background threads: the tick now and every `every`, the daily job at 03:00."""
        zone = self.runtime.settings.zone
        background = BackgroundScheduler(
            timezone=zone,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        background.add_job(
            self._safely(self.tick),
            IntervalTrigger(seconds=self._every.total_seconds(), timezone=zone),
            id=JOB_TICK,
            next_run_time=datetime.now(zone),
        )
        background.add_job(
            self._safely(self.daily),
            CronTrigger(hour=DAILY_AT.hour, minute=DAILY_AT.minute, timezone=zone),
            id="daily",
        )
        background.start()
        self._background = background
        log.info("scheduler started: a tick every %ds", int(self._every.total_seconds()))

    def shutdown(self) -> None:
        """Stop the background jobs (waiting for a run under way) and let another lead."""
        background, self._background = self._background, None
        if background is not None:
            background.shutdown(wait=True)
        with self._work:
            self._lock.release()
            self._leading = False
        log.info("scheduler stopped")

    # --- steps -------------------------------------------------------------------------

    def _lead(self) -> bool:
        leading = self._lock.acquire()
        if leading and not self._leading:
            log.info("this process runs the schedule")
        elif not leading and self._leading:
            log.warning("another scheduler has taken over the schedule")
        elif not leading and not self._leading:
            log.debug("another scheduler runs the schedule; standing by")
        self._leading = leading
        return leading

    def _step(
        self, report: TickReport, name: str, step: Callable[[datetime], T], now: datetime
    ) -> T | None:
        """Run one step; a failure is logged (by kind only: messages may hold data) and the
        other steps still run. What failed is due again at the next tick."""
        try:
            return step(now)
        except Exception as error:
            log.error("scheduler step %s failed (%s)", name, type(error).__name__)
            report.failed.append(name)
            return None

    def _close(self, now: datetime) -> list[str]:
        return round_jobs.close_due(self.runtime, now)

    def _open(self, now: datetime) -> list[str]:
        return round_jobs.open_due(self.runtime, now)

    def _invitations(self, now: datetime) -> int:
        return round_jobs.send_invitations(self.runtime, self.library, now)

    def _reminders(self, now: datetime) -> int:
        return round_jobs.send_reminders(self.runtime, self.library, now)

    def _release(self, now: datetime) -> int:
        return release.release_due(self.runtime)

    def _updates(self, now: datetime) -> int:
        return update_queue.start_due(self.runtime, now)

    def _heartbeat(self, now: datetime) -> None:
        job_log.heartbeat(self.runtime, JOB_TICK, now)

    def _daily(self, report: TickReport, now: datetime) -> list[str]:
        jobs: dict[str, Callable[[Runtime], object]] = {
            JOB_PURGE: partial(retention.purge, actor="scheduler"),
            JOB_DIGEST: log_review_digest,
        }
        ran = []
        zone = self.runtime.settings.zone
        for name, job in jobs.items():
            last = job_log.last_run(self.runtime, name)
            if not daily_due(last.last_ok_at if last else None, now, zone):
                continue
            tried = last.last_started_at if last else None
            if (
                tried is not None
                and last is not None
                and last.last_error
                and now - tried < RETRY_DAILY
            ):
                continue  # it failed a moment ago: don't hammer a broken database
            job_log.job_started(self.runtime, name, now)
            failed_before = len(report.failed)
            self._step(report, name, _bound(job, self.runtime), now)
            error = "failed" if len(report.failed) > failed_before else None
            job_log.job_ended(self.runtime, name, now, error)
            ran.append(name)
        return ran

    def _safely(self, run: Callable[[], object]) -> Callable[[], None]:
        """A job body for APScheduler that never lets an exception (and its data) escape."""

        def job() -> None:
            try:
                run()
            except Exception as error:
                log.error("scheduler run failed (%s)", type(error).__name__)

        return job


def _bound(job: Callable[[Runtime], object], runtime: Runtime) -> Callable[[datetime], object]:
    def run(now: datetime) -> object:
        return job(runtime)

    return run


def daily_due(last_ok: datetime | None, now: datetime, zone: ZoneInfo) -> bool:
    """Whether a daily job is due: it has not succeeded since the latest 03:00 local."""
    if last_ok is None:
        return True
    local = now.astimezone(zone)
    slot = datetime.combine(local.date(), DAILY_AT, tzinfo=zone)
    if local < slot:
        slot = datetime.combine(local.date() - timedelta(days=1), DAILY_AT, tzinfo=zone)
    # Through UTC and back: a 03:00 that a clock change skips becomes a real instant.
    return last_ok < slot.astimezone(UTC)
