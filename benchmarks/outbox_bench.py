"""The outbox sender in real time: the rate it achieves against the configured limit, and
its raw throughput against a fake with no limit.

Run: PYTHONPATH=. .venv/bin/python benchmarks/outbox_bench.py [--postgres SERVER_URL]
         [--twilio-rate 10] [--telegram-rate 30] [--paced-people 50] [--raw-people 2000]

- paced: the local fake Messages API and fake Bot API enforce the limit (a 429 for any
  message sent before the previous ones' cost has drained) and the sender runs with the
  same limit, on the real clock; reported: segments (or messages) a second, and 429s.
- no network call: a transport that answers Sent at once (the sender's own bookkeeping:
  claims and records); reported: messages a second. --no-call-only runs just this.
- raw: no limit anywhere; reported: pushes a second through claim, call and record, and
  how long queueing the rows of one update took.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.addresses import Address
from bot.channels.telegram.transport import TelegramTransport
from bot.channels.twilio.transport import TwilioTransport
from bot.clock import FixedClock, SystemClock
from bot.outbox.loop import OutboxSender
from bot.outbox.outcomes import Outcome, Sent
from bot.runtime import Runtime
from conversations.messages import Channel, Outgoing
from tests.integration.outbox.harness import (
    PacedBotApi,
    PacedTwilio,
    add_people,
    queue_update,
    runtime_for,
    settings_for,
)


def fresh(url: str | None, tmp: Path, **settings: Any) -> Runtime:
    """A new installation on the real clock, with no quiet hours."""
    database = url or f"sqlite:///{tmp / 'bench.db'}"
    return runtime_for(settings_for(database, tmp, quiet_hours="", **settings), SystemClock())


@contextmanager
def empty_database(server: str | None) -> Iterator[str | None]:
    """A new PostgreSQL database on `server` for one measurement (None: SQLite)."""
    if server is None:
        yield None
        return
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server.rpartition('/')[0]}/{name}"
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def paced_twilio(url: str | None, rate: float, people: int) -> None:
    with tempfile.TemporaryDirectory() as folder, PacedTwilio(SystemClock(), rate=rate) as fake:
        runtime = fresh(url, Path(folder), twilio=fake, twilio_rate=rate)
        add_people(runtime, people)
        queue_update(runtime)
        sender = OutboxSender(runtime, [TwilioTransport(runtime.settings)])
        started = time.monotonic()
        sender.drain()
        elapsed = time.monotonic() - started
        segments = sum(cost for _, cost in fake.accepted_at)
        first, last = fake.accepted_at[0][0], fake.accepted_at[-1][0]
        span = last - first + fake.accepted_at[-1][1] / rate
        print(
            f"twilio paced: limit {rate:g} segments/s; {len(fake.sent())} SMS, {segments} "
            f"segments in {elapsed:.1f} s: {segments / span:.2f} segments/s "
            f"({segments / span / rate:.0%} of the limit), {fake.rejected} x 429"
        )
        runtime.db.close()


def paced_telegram(url: str | None, rate: float, people: int) -> None:
    with tempfile.TemporaryDirectory() as folder, PacedBotApi(SystemClock(), rate=rate) as api:
        runtime = fresh(url, Path(folder), telegram=api, telegram_rate=rate)
        chats = add_people(runtime, people, channel=Channel.TELEGRAM)
        api.know([int(p.number) for p in chats])
        queue_update(runtime)
        sender = OutboxSender(runtime, [TelegramTransport(runtime)])
        started = time.monotonic()
        sender.drain()
        elapsed = time.monotonic() - started
        sender.close()
        sent = len(api.accepted_at)
        span = api.accepted_at[-1][0] - api.accepted_at[0][0] + 1 / rate
        print(
            f"telegram paced: limit {rate:g} messages/s; {sent} messages in {elapsed:.1f} s: "
            f"{sent / span:.2f} messages/s ({sent / span / rate:.0%} of the limit), "
            f"{api.rejected} x 429"
        )
        runtime.db.close()


def raw(url: str | None, people: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        clock = FixedClock(SystemClock().now())  # the sender never waits: no pacing at all
        with PacedTwilio(clock, rate=None) as fake:
            runtime = runtime_for(
                settings_for(
                    url or f"sqlite:///{Path(folder) / 'bench.db'}",
                    Path(folder),
                    twilio=fake,
                    quiet_hours="",
                ),
                clock,
            )
            add_people(runtime, people)
            started = time.monotonic()
            queue_update(runtime)
            queued = time.monotonic() - started
            transport = TwilioTransport(runtime.settings)
            transport.rate = 1e12
            sender = OutboxSender(runtime, [transport], clock=clock)
            started = time.monotonic()
            handled = sender.drain()
            elapsed = time.monotonic() - started
            print(
                f"raw: queued {people} pushes in {queued:.2f} s; sent {handled} in "
                f"{elapsed:.1f} s: {handled / elapsed:.0f} pushes/s "
                f"({elapsed / handled * 1000:.1f} ms each: claim, call, record)"
            )
            runtime.db.close()


class NoCall:
    """A transport that makes no network call: every message is Sent at once, so what is
    measured is the outbox's own bookkeeping (claims, decryption, records)."""

    channels = (Channel.SMS,)
    rate = 1e12
    per_chat = 0.0

    def cost(self, channel: Channel, message: Outgoing) -> int:
        return 1

    def send(
        self, address: Address, channel: Channel, message: Outgoing, template: str | None
    ) -> Outcome:
        return Sent(ref=None)

    def tidy(self) -> int:
        return 0

    def close(self) -> None:
        return None


def no_call(url: str | None, people: int) -> None:
    """Bookkeeping alone: the sender's loop with `NoCall` as its transport."""
    with tempfile.TemporaryDirectory() as folder:
        clock = FixedClock(SystemClock().now())
        runtime = runtime_for(
            settings_for(
                url or f"sqlite:///{Path(folder) / 'bench.db'}", Path(folder), quiet_hours=""
            ),
            clock,
        )
        add_people(runtime, people)
        queue_update(runtime)
        sender = OutboxSender(runtime, [NoCall()], clock=clock)
        started = time.monotonic()
        handled = sender.drain()
        elapsed = time.monotonic() - started
        print(
            f"no network call: sent {handled} in {elapsed:.2f} s: {handled / elapsed:.0f} "
            f"messages/s ({elapsed / handled * 1000:.2f} ms each: claim and record)"
        )
        runtime.db.close()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--postgres", help="a PostgreSQL server URL; each run gets a new database (default: SQLite)"
    )
    parser.add_argument("--twilio-rate", type=float, default=10.0)
    parser.add_argument("--telegram-rate", type=float, default=30.0)
    parser.add_argument("--paced-people", type=int, default=50)
    parser.add_argument("--raw-people", type=int, default=2000)
    parser.add_argument("--no-call-only", action="store_true", help="only the no-call run")
    args = parser.parse_args(argv)
    where = "PostgreSQL" if args.postgres else "SQLite"
    print(f"database: {where}")
    if args.no_call_only:
        with empty_database(args.postgres) as url:
            no_call(url, args.raw_people)
        return
    with empty_database(args.postgres) as url:
        paced_twilio(url, args.twilio_rate, args.paced_people)
    with empty_database(args.postgres) as url:
        paced_telegram(url, args.telegram_rate, args.paced_people * 3)
    with empty_database(args.postgres) as url:
        no_call(url, args.raw_people)
    with empty_database(args.postgres) as url:
        raw(url, args.raw_people)


if __name__ == "__main__":
    main(sys.argv[1:])
