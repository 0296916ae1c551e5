"""Inbound SMS over HTTP: whole consultations, signed as Twilio signs them, from concurrent
participants, against `yousaid serve` and, in the same run, the bare ASGI endpoint.

Run: PYTHONPATH=. .venv/bin/python benchmarks/http_bench.py [--database URL]
         [--workers N] [--participants 60] [--concurrency 6]

Reports throughput, p50/p99 latency, and CPU from /proc: the server's (its process and
its workers), the load generator's (this process) and PostgreSQL's (the postmaster given
by --postgres-pid and its children), per message. The server's CPU per message beside
the bare app's per request is the figure issue 13 sets targets on.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
from twilio.request_validator import RequestValidator

from benchmarks.pipeline_bench import SCRIPT
from benchmarks.servers import (
    PUBLIC_URL,
    TOKEN,
    app_command,
    app_env,
    bare_command,
    bare_env,
    load_consultations,
    serving,
    tree_cpu,
    tree_rss,
)

# (base URL, participants, concurrency, failures noted, participant number offset) -> the
# time of each request: one channel's whole consultations from concurrent participants.
Drive = Callable[[str, int, int, list[int], int], list[float]]


@dataclass(frozen=True)
class Figures:
    label: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    server_cpu_s: float
    client_cpu_s: float
    postgres_cpu_s: float
    idle_rss_mib: float
    loaded_rss_mib: float
    failures: int

    @property
    def per_request_ms(self) -> float:
        return self.server_cpu_s / self.requests * 1000

    def row(self) -> str:
        return (
            f"| {self.label} | {self.requests} | {self.requests / self.seconds:.0f}/s "
            f"| {self.p50_ms:.1f} / {self.p99_ms:.1f} ms | {self.per_request_ms:.2f} ms "
            f"| {self.client_cpu_s / self.requests * 1000:.2f} ms "
            f"| {self.postgres_cpu_s / self.requests * 1000:.2f} ms "
            f"| {self.idle_rss_mib:.0f} / {self.loaded_rss_mib:.0f} MiB | {self.failures} |"
        )


HEADER = (
    "| server | requests | throughput | p50 / p99 | server CPU each | load generator CPU each "
    "| PostgreSQL CPU each | memory idle / after | not 200 |\n|---|---|---|---|---|---|---|---|---|"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--postgres-pid", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=6)
    args = parser.parse_args()
    for figures in run(
        args.database, args.workers, args.participants, args.concurrency, args.postgres_pid
    ):
        print(figures.row())


def run(
    database: str, workers: int, participants: int, concurrency: int, postgres_pid: int = 0
) -> list[Figures]:
    """The app and the bare endpoint, one after the other, under the same load."""
    where = "PostgreSQL" if database else "SQLite"
    with tempfile.TemporaryDirectory() as tmp:
        env = app_env(Path(tmp), database)
        load_consultations(env)
        app = measure(
            f"yousaid serve, {where}, {_workers(workers)}",
            app_command(workers),
            env,
            drive_sms,
            participants,
            concurrency,
            postgres_pid,
        )
    bare = measure(
        f"bare ASGI endpoint, {_workers(workers)}",
        bare_command(workers),
        bare_env(),
        drive_sms,
        participants,
        concurrency,
        0,
    )
    return [app, bare]


def _workers(workers: int) -> str:
    return f"{workers} worker{'s' if workers > 1 else ''}"


def measure(
    label: str,
    command: list[str],
    env: dict[str, str],
    drive: Drive,
    participants: int,
    concurrency: int,
    postgres_pid: int,
) -> Figures:
    """Start the server, warm it up, then time `drive` and read CPU and memory around it."""
    with serving(command, env) as (pid, base, log):
        idle = tree_rss(pid)
        drive(base, 2, 1, [], 900)  # warm up: first messages parse the consultations
        server_before = tree_cpu(pid)
        postgres_before = tree_cpu(postgres_pid) if postgres_pid else 0.0
        client_before = time.process_time()
        started = time.perf_counter()
        failures: list[int] = []
        latencies = drive(base, participants, concurrency, failures, 0)
        seconds = time.perf_counter() - started
        client = time.process_time() - client_before
        server_cpu = tree_cpu(pid) - server_before
        postgres = (tree_cpu(postgres_pid) - postgres_before) if postgres_pid else 0.0
        loaded = tree_rss(pid)
    if failures:
        print(f"{label}: {len(failures)} answers not 200; the server's log: {log}")
    latencies.sort()
    return Figures(
        label,
        len(latencies),
        seconds,
        statistics.median(latencies) * 1000,
        latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        server_cpu,
        client,
        postgres,
        idle,
        loaded,
        len(failures),
    )


def drive_sms(
    base: str,
    participants: int,
    concurrency: int,
    failures: list[int],
    offset: int = 0,
    script: Sequence[str] = SCRIPT,
) -> list[float]:
    """Whole consultations (or `script`) by SMS, signed as Twilio signs them; a response
    other than 200 is noted in `failures` (Twilio would retry it) and the participant
    carries on. Returns each request's time."""

    def consultation(n: int) -> list[float]:
        number = f"+4477009{offset + n:05d}"
        timings = []
        with httpx.Client(base_url=base, timeout=60) as client:
            for step, text in enumerate(script):
                sid = f"SM{offset + n:08d}{step:04d}" + "0" * 20
                params = {
                    "MessageSid": sid,
                    "SmsSid": sid,
                    "AccountSid": "AC" + "1" * 32,
                    "From": number,
                    "To": "+447700900000",
                    "Body": text,
                    "NumMedia": "0",
                }
                signature = RequestValidator(TOKEN).compute_signature(
                    PUBLIC_URL + "/webhooks/twilio", params
                )
                t0 = time.perf_counter()
                response = client.post(
                    "/webhooks/twilio",
                    content=urlencode(params).encode(),
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "X-Twilio-Signature": signature,
                    },
                )
                timings.append(time.perf_counter() - t0)
                if response.status_code != 200:
                    failures.append(response.status_code)
        return timings

    return concurrently(consultation, participants, concurrency)


def concurrently(
    consultation: Callable[[int], list[float]], participants: int, concurrency: int
) -> list[float]:
    """Participants 0..participants-1, `concurrency` at a time; every request's time."""
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return [t for timings in pool.map(consultation, range(participants)) for t in timings]


if __name__ == "__main__":
    main()
