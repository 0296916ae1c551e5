"""Exactly one scheduler acts, however many run; and what another process writes is seen."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from bot.scheduler import Scheduler, TickReport
from bot.services.rounds import RoundError
from storage.leader import _ProcessLock
from storage.repositories.round_rows import RoundStatus
from tests.integration.scheduler_harness import (
    CONFIG_DIR,
    LONDON,
    REPO,
    SECRET,
    Installation,
    load_samples,
    local,
    make_runtime,
)

START = local("2026-06-01T10:00")
SUBSCRIBERS = [f"+4477009005{n:02d}" for n in range(12)]


def pair(tmp_path: Path, url: str) -> tuple[Installation, Installation]:
    """Two processes' worth of installation on one database, each with its own scheduler."""
    first = Installation(make_runtime(tmp_path / "one", url, START))
    load_samples(first.runtime)
    second = Installation(make_runtime(tmp_path / "two", url, START))
    return first, second


@pytest.fixture
def on_postgres(tmp_path: Path, postgres_url: str) -> Iterator[tuple[Installation, Installation]]:
    first, second = pair(tmp_path, postgres_url)
    yield first, second
    first.close()
    second.close()


def invite_round(bot: Installation) -> str:
    for number in SUBSCRIBERS:
        bot.text(number, "JOIN")
    return bot.schedule(opens="2026-06-02T10:00", closes="2026-06-30", invite=True)


def test_only_one_of_two_schedulers_on_postgres_acts(
    on_postgres: tuple[Installation, Installation],
) -> None:
    first, second = on_postgres
    round_id = invite_round(first)
    for bot in (first, second):
        bot.at("2026-06-02T10:00")
    leading, standing_by = first.scheduler.tick(), second.scheduler.tick()
    assert leading.leader
    assert not standing_by.leader
    assert leading.opened == [round_id]
    assert leading.invitations == len(SUBSCRIBERS)
    assert standing_by.opened == []
    assert standing_by.invitations == 0
    assert len(first.pushes()) == len(SUBSCRIBERS)


def test_two_schedulers_racing_on_postgres_open_and_invite_once(
    on_postgres: tuple[Installation, Installation],
) -> None:
    first, second = on_postgres
    round_id = invite_round(first)
    for bot in (first, second):
        bot.at("2026-06-02T10:00")
    start = threading.Barrier(2)
    reports: list[TickReport] = []

    def race(bot: Installation) -> None:
        start.wait()
        reports.append(bot.scheduler.tick())

    threads = [threading.Thread(target=race, args=(bot,)) for bot in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r.leader for r in reports) == [False, True]
    assert [r.opened for r in reports if r.leader] == [[round_id]]
    assert len(first.pushes()) == len(SUBSCRIBERS)
    assert len({push.dedupe_key for push in first.pushes()}) == len(SUBSCRIBERS)


def test_even_without_the_lock_racing_ticks_never_double_up(
    tmp_path: Path, postgres_url: str
) -> None:
    """Belt and braces: the work itself is safe to run twice at once."""
    first = Installation(make_runtime(tmp_path / "one", postgres_url, START))
    load_samples(first.runtime)
    first.scheduler = Scheduler(first.runtime, lock=_ProcessLock())
    second = Installation(make_runtime(tmp_path / "two", postgres_url, START), None)
    second.scheduler = Scheduler(second.runtime, lock=_ProcessLock())
    try:
        round_id = invite_round(first)
        for bot in (first, second):
            bot.at("2026-06-02T10:00")
        start = threading.Barrier(2)
        reports: list[TickReport] = []

        def race(bot: Installation) -> None:
            start.wait()
            reports.append(bot.scheduler.tick())

        threads = [threading.Thread(target=race, args=(bot,)) for bot in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sum(len(r.opened) for r in reports) == 1
        assert sum(r.invitations for r in reports) == len(SUBSCRIBERS)
        assert len(first.pushes()) == len(SUBSCRIBERS)
        assert first.round(round_id).status is RoundStatus.OPEN
    finally:
        first.close()
        second.close()


def test_the_lock_survives_the_pool_and_passes_on_when_its_holder_stops(
    on_postgres: tuple[Installation, Installation],
) -> None:
    first, second = on_postgres
    assert first.scheduler.tick().leader
    # Every pooled connection goes; the lock's own connection does not.
    first.runtime.db.engine.dispose()
    assert not second.scheduler.tick().leader
    assert first.scheduler.tick().leader
    first.scheduler.shutdown()
    assert second.scheduler.tick().leader
    assert not first.scheduler.tick().leader


def test_a_scheduler_whose_connection_dies_hands_over(
    on_postgres: tuple[Installation, Installation], postgres_url: str
) -> None:
    first, second = on_postgres
    assert first.scheduler.tick().leader
    database = first.runtime.db.engine.url.database
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d"
            " ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = %s",
            (database,),
        )
    assert second.scheduler.tick().leader
    assert not first.scheduler.tick().leader


def test_only_one_scheduler_acts_on_sqlite(tmp_path: Path, sqlite_url: str) -> None:
    first, second = pair(tmp_path, sqlite_url)
    try:
        assert first.scheduler.tick().leader
        assert not second.scheduler.tick().leader
        first.scheduler.shutdown()
        assert second.scheduler.tick().leader
    finally:
        first.close()
        second.close()


def test_a_round_scheduled_from_another_process_is_opened_by_the_running_scheduler(
    tmp_path: Path, database_url: str
) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    bot = Installation(make_runtime(tmp_path, database_url, now))
    load_samples(bot.runtime)
    try:
        assert bot.tick().opened == []  # running, nothing to do
        opens = (now + timedelta(days=1)).astimezone(LONDON).replace(hour=12, minute=0)
        closes = opens + timedelta(days=7)
        command = [
            sys.executable,
            "-c",
            "from bot.cli.main import app; app()",
            "round",
            "schedule",
            "feeling-safe",
            "--opens",
            opens.strftime("%Y-%m-%dT%H:%M"),
            "--closes",
            closes.strftime("%Y-%m-%dT%H:%M"),
        ]
        env = {
            "PATH": "/usr/bin:/bin",
            "YOUSAID_VAR_DIR": str(tmp_path / "var"),
            "YOUSAID_DATABASE_URL": database_url,
            "YOUSAID_SECRET_KEY": SECRET,
            "YOUSAID_CONFIG_DIR": str(CONFIG_DIR),
        }
        done = subprocess.run(
            command, env=env, cwd=REPO, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        round_id = done.stdout.split()[1]
        bot.at(opens - timedelta(minutes=1))
        assert bot.tick().opened == []
        bot.at(opens)
        assert bot.tick().opened == [round_id]
        replies = bot.text("+447700900601", "SAFE")
        assert any("anonymous" in reply for reply in replies)
    finally:
        bot.close()


def test_an_overlap_with_a_round_from_another_process_is_refused(
    tmp_path: Path, sqlite_url: str
) -> None:
    first, second = pair(tmp_path, sqlite_url)
    try:
        first.schedule(opens="2026-06-02", closes="2026-06-30")
        with pytest.raises(RoundError, match="uses the keyword SAFE"):
            second.schedule(opens="2026-06-20", closes="2026-07-10")
        second.schedule(opens="2026-07-01", closes="2026-07-10")  # after it: fine
    finally:
        first.close()
        second.close()
