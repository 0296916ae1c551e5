"""Where an inbound message's time goes: cProfile over `Pipeline.receive`, and the SQL
statements each message runs.

Run: PYTHONPATH=. .venv/bin/python benchmarks/profile_pipeline.py [--participants N]
         [--database URL] [--top 25]

The same script as benchmarks/pipeline_bench.py (whole consultations, SQLite under a
temporary directory unless --database is given). Prints statements per message (by kind),
then the functions with the most cumulative time, and a split by area: SQLAlchemy,
the engine (conversations/), serialisation, crypto, the rest.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import pstats
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from benchmarks.pipeline_bench import SCRIPT, open_bench_runtime
from bot.addresses import Address
from bot.pipeline import Pipeline, Received
from conversations.messages import Channel, Inbound

AREAS = (
    ("sqlalchemy", "/sqlalchemy/"),
    ("serialisation (storage/serialization.py)", "storage/serialization.py"),
    ("engine (conversations/)", "/conversations/"),
    ("crypto", "/cryptography/"),
    ("sqlite3 / psycopg driver", "sqlite3"),
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--database", default="")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runtime = open_bench_runtime(Path(tmp), args.database)
        pipeline = Pipeline(runtime)
        statements: collections.Counter[str] = collections.Counter()

        def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            statements[statement.split(None, 1)[0].upper()] += 1

        event.listen(runtime.db.engine, "before_cursor_execute", count)
        # Warm up: the first message of a process parses the consultations.
        warm = Address.phone("+447700999999")
        pipeline.receive(Received(warm, Inbound(Channel.SMS, "SAFE"), "bench", "warm"))
        statements.clear()
        profiler = cProfile.Profile()
        messages = 0
        started = time.perf_counter()
        profiler.enable()
        for n in range(args.participants):
            who = Address.phone(f"+4477009{n:05d}")
            for step, text in enumerate(SCRIPT):
                received = Received(who, Inbound(Channel.SMS, text), "bench", f"{n}-{step}")
                pipeline.receive(received)
                messages += 1
        profiler.disable()
        elapsed = time.perf_counter() - started
        runtime.db.close()
    total = sum(statements.values())
    print(f"{messages} messages, {elapsed / messages * 1000:.1f} ms each under the profiler")
    kinds = ", ".join(f"{kind} {n / messages:.1f}" for kind, n in statements.most_common())
    print(f"SQL statements per message: {total / messages:.1f} ({kinds})")
    stats = pstats.Stats(profiler)
    print_areas(stats)
    stats.sort_stats("cumulative").print_stats(args.top)


def print_areas(stats: pstats.Stats) -> None:
    """Own (tottime) time per area, as a share of the whole."""
    own: collections.Counter[str] = collections.Counter()
    raw = stats.stats  # type: ignore[attr-defined]
    for (filename, _, name), (_, _, tottime, _, _) in raw.items():
        where = filename + ":" + name
        area = next((label for label, part in AREAS if part in where), "the rest")
        own[area] += tottime
    whole = sum(own.values()) or 1.0
    for area, seconds in own.most_common():
        print(f"  {area:45s} {seconds / whole:6.1%}")


if __name__ == "__main__":
    main()
