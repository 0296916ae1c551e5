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
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
from twilio.request_validator import RequestValidator

from benchmarks.pipeline_bench import SCRIPT
from tests.e2e.servers import wait_until_up

REPO = Path(__file__).resolve().parents[1]
YOUSAID = Path(sys.executable).with_name("yousaid")
PUBLIC_URL = "https://council.example"
TOKEN = "0f" * 16
TICKS = os.sysconf("SC_CLK_TCK")


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
    label = f"yousaid serve, {where}, {workers} worker{'s' if workers > 1 else ''}"
    with tempfile.TemporaryDirectory() as tmp:
        app = _measure(
            label,
            _app_command(workers),
            _app_env(Path(tmp), database),
            participants,
            concurrency,
            postgres_pid,
            load_first=True,
        )
    bare = _measure(
        f"bare ASGI endpoint, {workers} worker{'s' if workers > 1 else ''}",
        [
            sys.executable,
            "-m",
            "uvicorn",
            "benchmarks.bare_app:app",
            "--log-level",
            "warning",
            "--no-access-log",
            "--workers",
            str(workers),
        ],
        {**os.environ, "PYTHONPATH": str(REPO)},
        participants,
        concurrency,
        0,
    )
    return [app, bare]


def _app_command(workers: int) -> list[str]:
    return [str(YOUSAID), "serve", "--workers", str(workers)]


def _app_env(var_dir: Path, database: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("YOUSAID_", "TWILIO_", "TELEGRAM_"))
    }
    env.update(
        YOUSAID_VAR_DIR=str(var_dir),
        YOUSAID_CONFIG_DIR=str(REPO / "config"),
        YOUSAID_PUBLIC_URL=PUBLIC_URL,
        TWILIO_AUTH_TOKEN=TOKEN,
        YOUSAID_ERASE_PROVIDER_COPIES="false",
        YOUSAID_QUIET_HOURS="",
    )
    if database:
        env["YOUSAID_DATABASE_URL"] = database
        env["YOUSAID_SECRET_KEY"] = "ab" * 32
    return env


def _measure(
    label: str,
    command: list[str],
    env: dict[str, str],
    participants: int,
    concurrency: int,
    postgres_pid: int,
    *,
    load_first: bool = False,
) -> Figures:
    if load_first:
        subprocess.run(
            [
                str(YOUSAID),
                "consultation",
                "load",
                str(REPO / "config" / "consultations"),
                "--open",
            ],
            env=env,
            check=True,
            capture_output=True,
        )
    port = _free_port()
    # The server's own lines (no personal data: its logging scrubs them), for a failure.
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept after the run, to be read
        "w+", prefix="yousaid-bench-", suffix=".log", delete=False
    )
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, 60)
        idle = _tree_rss(server.pid)
        _drive(base, 2, 1, [], offset=900)  # warm up: first messages parse the consultations
        server_before = _tree_cpu(server.pid)
        postgres_before = _tree_cpu(postgres_pid) if postgres_pid else 0.0
        client_before = time.process_time()
        started = time.perf_counter()
        failures: list[int] = []
        latencies = _drive(base, participants, concurrency, failures)
        seconds = time.perf_counter() - started
        client = time.process_time() - client_before
        server_cpu = _tree_cpu(server.pid) - server_before
        postgres = (_tree_cpu(postgres_pid) - postgres_before) if postgres_pid else 0.0
        loaded = _tree_rss(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    log.close()
    if failures:
        print(f"{label}: {len(failures)} answers not 200; the server's log: {log.name}")
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


def _drive(
    base: str, participants: int, concurrency: int, failures: list[int], offset: int = 0
) -> list[float]:
    """Whole consultations; a response other than 200 is noted in `failures` (Twilio would
    retry it) and the participant carries on."""

    def consultation(n: int) -> list[float]:
        number = f"+4477009{offset + n:05d}"
        timings = []
        with httpx.Client(base_url=base, timeout=60) as client:
            for step, text in enumerate(SCRIPT):
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

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return [t for timings in pool.map(consultation, range(participants)) for t in timings]


def _tree_cpu(pid: int) -> float:
    """User + system CPU seconds of `pid` and every descendant alive now."""
    total = 0.0
    for each in _tree(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return total


def _tree_rss(pid: int) -> float:
    """Resident memory (MiB) of `pid` and its descendants (each worker counts)."""
    total = 0
    for each in _tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        each = todo.pop()
        found.append(each)
        for task in Path(f"/proc/{each}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


if __name__ == "__main__":
    main()
