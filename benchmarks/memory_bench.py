"""Resident memory of `yousaid serve`: idle, then as short conversations pile up.

Run: PYTHONPATH=. .venv/bin/python benchmarks/memory_bench.py [--conversations 10000]
         [--channel sms|telegram] [--database URL] [--concurrency 6] [--steps 5]

Each conversation is short and cheap: the keyword, YES to start, one answer (signed SMS
over HTTP, or typed Telegram updates with the fake Bot API in this process), each from
its own participant, so the server ends up having seen that many people. VmRSS of the
server (and its workers) is read from /proc when idle and after each step, so steady
growth (something kept per person) shows apart from the first warm-up.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.http_bench import Drive, drive_sms
from benchmarks.pipeline_bench import SCRIPT
from benchmarks.servers import app_command, app_env, load_consultations, serving, tree_cpu, tree_rss
from benchmarks.telegram_bench import drive_telegram, telegram_env
from tests.fakes.telegram_api import FakeBotApi

SHORT = SCRIPT[:3]  # the keyword, YES to start, the first question's answer


@dataclass(frozen=True)
class Memory:
    label: str
    idle_mib: float
    steps: list[tuple[int, float]]  # (conversations so far, VmRSS MiB)
    seconds: float
    server_cpu_s: float
    failures: int

    def lines(self) -> list[str]:
        done, last = self.steps[-1]
        messages = done * len(SHORT)
        return [
            f"{self.label}: {done} conversations ({messages} messages) in {self.seconds:.0f} s, "
            f"{messages / self.seconds:.0f} messages/s, server CPU {self.server_cpu_s:.0f} s, "
            f"{self.failures} answers not 200",
            f"resident memory idle {self.idle_mib:.0f} MiB, after {done} conversations "
            f"{last:.0f} MiB (+{last - self.idle_mib:.0f} MiB)",
            "after each step: " + ", ".join(f"{count}: {rss:.0f} MiB" for count, rss in self.steps),
        ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=10000)
    parser.add_argument("--channel", choices=["sms", "telegram"], default="sms")
    parser.add_argument("--database", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--steps", type=int, default=5)
    args = parser.parse_args()
    memory = run(args.conversations, args.channel, args.database, args.concurrency, args.steps)
    print("\n".join(memory.lines()))


def run(
    conversations: int, channel: str, database: str, concurrency: int, steps: int = 5
) -> Memory:
    """`conversations` short conversations in `steps` equal parts, VmRSS after each."""
    where = "PostgreSQL" if database else "SQLite"
    with contextlib.ExitStack() as stack:
        env = app_env(Path(stack.enter_context(tempfile.TemporaryDirectory())), database)
        drive: Drive = _short_sms
        if channel == "telegram":
            api = stack.enter_context(FakeBotApi(keep_alive=True))
            env = telegram_env(env, api)
            drive = drive_telegram(api, SHORT)
        load_consultations(env)
        pid, base, log = stack.enter_context(serving(app_command(1), env))
        idle = tree_rss(pid)
        cpu_before, started = tree_cpu(pid), time.perf_counter()
        failures: list[int] = []
        done, points = 0, []
        for step in range(steps):
            count = conversations // steps + (1 if step < conversations % steps else 0)
            drive(base, count, concurrency, failures, done)
            done += count
            points.append((done, tree_rss(pid)))
            print(f"{done} conversations: {points[-1][1]:.0f} MiB", flush=True)
        seconds, cpu = time.perf_counter() - started, tree_cpu(pid) - cpu_before
    if failures:
        print(f"{len(failures)} answers not 200; the server's log: {log}")
    label = f"yousaid serve, {channel.upper() if channel == 'sms' else 'Telegram'}, {where}"
    return Memory(label, idle, points, seconds, cpu, len(failures))


def _short_sms(
    base: str, participants: int, concurrency: int, failures: list[int], offset: int
) -> list[float]:
    return drive_sms(base, participants, concurrency, failures, offset, SHORT)


if __name__ == "__main__":
    main()
