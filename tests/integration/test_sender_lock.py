"""Exactly one outbox sender sends per database, so its pacing is every account's pacing."""

from __future__ import annotations

import threading

from sqlalchemy import create_engine

from bot.cli.sender import run_when_leading
from storage.leader import leader_lock_for


class CountingSender:
    """Stands in for OutboxSender: records that it ran, until told to stop."""

    def __init__(self) -> None:
        self.runs = 0

    def run(self, stop: threading.Event) -> None:
        self.runs += 1
        stop.wait()


def test_a_second_sender_stands_by_while_the_first_holds_the_lock(database_url: str) -> None:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    first, second = leader_lock_for(engine, "sender"), leader_lock_for(engine, "sender")
    scheduler = leader_lock_for(engine, "scheduler")
    try:
        assert first.acquire()
        assert not second.acquire(), "two senders would pace the same account twice"
        assert scheduler.acquire(), "the scheduler's lock is another lock"
        standing_by = CountingSender()
        stop = threading.Event()
        stop.set()  # told to stop at once: it must not have sent meanwhile
        run_when_leading(standing_by, second, stop)  # type: ignore[arg-type]
        assert standing_by.runs == 0
        first.release()
        assert second.acquire(), "once the first stops, the next takes over"
    finally:
        for lock in (first, second, scheduler):
            lock.release()
        engine.dispose()
