"""Throughput of the whole inbound pipeline: participants answering a consultation end to end.

Run: .venv/bin/python benchmarks/pipeline_bench.py [--participants N] [--database URL]

Each participant texts SAFE, YES and then an answer to every question, through the same
`Pipeline.receive` the webhooks call (dedupe, lock, engine, one transaction, outbox), on a
fresh database (SQLite under a temporary directory unless --database is given).
Prints messages per second and the mean and 95th-percentile time per message.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bot.addresses import Address
from bot.clock import SystemClock
from bot.config_files import consultation_files
from bot.pipeline import Pipeline, Received
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from conversations.loader import load_consultation
from conversations.messages import Channel, Inbound

CONFIG = Path(__file__).resolve().parents[1] / "config"
SCRIPT = [
    "SAFE",
    "yes",
    "3",
    "the underpass by the station, no lights",
    "4",
    "1 3",
    "2",
    "yes",
    "no",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runtime = open_bench_runtime(Path(tmp), args.database)
        pipeline = Pipeline(runtime)
        timings = []
        started = time.perf_counter()
        for n in range(args.participants):
            who = Address.phone(f"+4477009{n:05d}")
            for step, text in enumerate(SCRIPT):
                received = Received(who, Inbound(Channel.SMS, text), "bench", f"{n}-{step}")
                t0 = time.perf_counter()
                pipeline.receive(received)
                timings.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
        runtime.db.close()
    timings.sort()
    print(f"database: {'PostgreSQL' if args.database else 'SQLite'}")
    print(f"messages: {len(timings)} from {args.participants} participants in {elapsed:.1f} s")
    print(f"throughput: {len(timings) / elapsed:.0f} messages/s")
    print(
        f"per message: mean {statistics.mean(timings) * 1000:.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)] * 1000:.1f} ms"
    )


def open_bench_runtime(var_dir: Path, database_url: str) -> Runtime:
    """A runtime on a fresh database with the sample consultations open now."""
    settings = Settings(
        var_dir=var_dir, database_url=database_url, secret_key="ab" * 32, config_dir=CONFIG
    )
    runtime = open_runtime(settings, SystemClock())
    now = runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        for source in consultation_files(CONFIG / "consultations"):
            consultation = load_consultation(source.text, str(source.path)).consultation
            assert consultation is not None
            uow.consultations.save(consultation, source.text, now)
            uow.rounds.open_now(consultation.id, now)
    return runtime


if __name__ == "__main__":
    main()
