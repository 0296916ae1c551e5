"""The daily purge applies the console's retention rules (docs/privacy.md): idle sessions
end, failed sign-ins and long-disabled accounts go, old audit entries and reviewed
safeguarding items are deleted, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import FixedClock
from bot.services import officers, review, signin
from bot.services.audit import recent
from bot.services.retention import purge
from tests.integration.scheduler_harness import make_runtime

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "purple kettle harbour"


def test_the_purge_forgets_what_the_console_no_longer_needs(
    tmp_path: Path, database_url: str
) -> None:
    runtime = make_runtime(
        tmp_path, database_url, START, signin_days=30, disabled_account_days=90, audit_days=365
    )
    clock = runtime.clock
    assert isinstance(clock, FixedClock)
    for email in ("sam@council.gov.uk", "kim@council.gov.uk"):
        link = officers.add(runtime, email)
        officers.set_password(runtime, link.url.rsplit("/", 1)[1], PASSWORD)
    session = signin.sign_in(runtime, "sam@council.gov.uk", PASSWORD, "192.0.2.1")
    assert isinstance(session, signin.SignedIn)
    signin.sign_in(runtime, "sam@council.gov.uk", "wrong password!", "192.0.2.1")
    officers.disable(runtime, "kim@council.gov.uk")

    clock.set(START + timedelta(days=1))
    first = purge(runtime)
    assert first.console_sessions_ended == 1  # idle for a day: past 8 hours
    assert first.signin_records_forgotten == 0
    assert first.accounts_removed == 0
    assert signin.current(runtime, session.token) is None

    clock.set(START + timedelta(days=91))
    later = purge(runtime)
    assert later.signin_records_forgotten == 2  # one per account, one per address
    assert later.accounts_removed == 1
    assert [a.email for a in officers.all_officers(runtime)] == ["sam@council.gov.uk"]
    assert later.audit_entries_forgotten == 0

    clock.set(START + timedelta(days=366))
    last = purge(runtime)
    assert last.audit_entries_forgotten > 0
    kept = recent(runtime, 100)
    assert all(entry.at >= START + timedelta(days=1) for entry in kept)
    runtime.db.close()


def test_reviewed_items_go_after_the_review_days_and_open_ones_stay(
    tmp_path: Path, database_url: str
) -> None:
    runtime = make_runtime(tmp_path, database_url, START, review_days=30)
    clock = runtime.clock
    assert isinstance(clock, FixedClock)
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        reviewed = uow.reviews.add("abuse", "[redacted] hurts me", None, None, START.date())
        waiting = uow.reviews.add("abuse", "[redacted] scares me", None, None, START.date())
    review.mark_reviewed(runtime, reviewed, "passed to the lead")

    clock.set(START + timedelta(days=30))
    assert purge(runtime).review_items_forgotten == 0  # not yet past 30 days

    clock.set(START + timedelta(days=31))
    assert purge(runtime).review_items_forgotten == 1
    assert [item.id for item in review.waiting(runtime)] == [waiting]
    assert purge(runtime).review_items_forgotten == 0  # gone, and the open one stays
    runtime.db.close()
