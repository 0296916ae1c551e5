"""`make bench`: every benchmark, and their figures appended to docs/benchmarks.md with the
date, the machine and the command.

Run: PYTHONPATH=. .venv/bin/python benchmarks/run_all.py [--postgres SERVER_URL]
         [--postgres-pid PID] [--participants 60] [--conversations 10000] [--quick]

With --postgres (scripts/run-bench starts a throwaway cluster and passes it), the SMS
benchmark runs on SQLite, on PostgreSQL with 1 worker and with 2, each beside the bare
ASGI endpoint with as many workers; the Telegram webhook on SQLite and on PostgreSQL with
1 worker, beside its bare endpoint, as a multiple of SMS's server CPU on the same
database; the resident memory of `yousaid serve` idle and after --conversations short
SMS conversations on SQLite (0 skips it; several minutes); then, unless --quick, the
profile of one message, redaction, and the outbox sender (against its fakes, and with a
transport that makes no call).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import uuid
from pathlib import Path

from benchmarks import http_bench, memory_bench, telegram_bench

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "docs" / "benchmarks.md"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default="", help="a PostgreSQL server URL (postgres db)")
    parser.add_argument("--postgres-pid", type=int, default=0)
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--conversations", type=int, default=10000, help="0: no memory run")
    parser.add_argument("--quick", action="store_true", help="HTTP and memory runs only")
    args = parser.parse_args()
    lines = [f"## Run of {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC", "", _machine(), ""]
    # `make bench` runs this through scripts/run-bench, which adds the PostgreSQL cluster.
    lines += ["Command: `benchmarks/run_all.py " + " ".join(sys.argv[1:]) + "`", ""]
    lines += ["### Inbound SMS over HTTP", "", http_bench.HEADER]
    runs = [("", 1)]
    if args.postgres:
        runs += [(_fresh_database(args.postgres), 1), (_fresh_database(args.postgres), 2)]
    ratios, sms = [], []
    for database, workers in runs:
        app, bare = http_bench.run(
            database, workers, args.participants, args.concurrency, args.postgres_pid
        )
        lines += [app.row(), bare.row()]
        ratios.append((app.label, app.per_request_ms / bare.per_request_ms, app.per_request_ms))
        sms.append(app)
        print(app.row(), bare.row(), sep="\n", flush=True)
    lines += [""]
    for label, ratio, _ in ratios:
        lines.append(f"- {label}: server CPU per message {ratio:.1f} x the bare endpoint's")
    if len(ratios) == 3:
        lines.append(
            f"- 2 workers on PostgreSQL: {ratios[2][2] / ratios[1][2]:.2f} x the CPU per "
            "message of 1 worker"
        )
    lines.append("")
    lines += _telegram(runs, sms, args)
    if args.conversations:
        lines += _memory(args.conversations, args.concurrency)
    if not args.quick:
        lines += _block(
            "Where a message's time goes",
            ["benchmarks/profile_pipeline.py", "--participants", "20", "--top", "0"],
        )
        lines += _block("Redaction", ["benchmarks/redaction_bench.py", "heldout"])
        outbox = ["benchmarks/outbox_bench.py"]
        if args.postgres:
            outbox += ["--postgres", args.postgres]
        lines += _block("Outbox sender", outbox)
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write("\n" + "\n".join(lines) + "\n")
    print(f"appended to {RESULTS.relative_to(REPO)}")


def _telegram(
    runs: list[tuple[str, int]], sms: list[http_bench.Figures], args: argparse.Namespace
) -> list[str]:
    """The Telegram webhook on each database's 1-worker run, against that run's SMS."""
    lines = ["### Telegram webhook over HTTP", "", http_bench.HEADER]
    ratios = []
    for (database, workers), sms_app in zip(runs, sms, strict=True):
        if workers != 1:
            continue
        database = _fresh_database(args.postgres) if database else ""
        app, bare = telegram_bench.run(
            database, 1, args.participants, args.concurrency, args.postgres_pid
        )
        lines += [app.row(), bare.row()]
        ratios.append(telegram_bench.ratio_line(app, sms_app, bare))
        print(app.row(), bare.row(), ratios[-1], sep="\n", flush=True)
    note = (
        "(the fake Bot API runs in the load generator's process: its CPU is in the load "
        "generator's column; the bot's rate limit is raised to 1000/s)"
    )
    return [*lines, "", *ratios, "", note, ""]


def _memory(conversations: int, concurrency: int) -> list[str]:
    """`yousaid serve`'s resident memory idle and after that many short conversations."""
    memory = memory_bench.run(conversations, "sms", "", concurrency)
    command = f"benchmarks/memory_bench.py --conversations {conversations}"
    return ["### Resident memory", "", f"`{command}`", "", "```", *memory.lines(), "```", ""]


def _machine() -> str:
    memory = next(
        (
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        ),
        "0",
    )
    load = os.getloadavg()
    return (
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {int(memory) // 1024**2} GiB, "
        f"Python {platform.python_version()}, load average {load[0]:.1f} at the start "
        "(the load generator, the server and PostgreSQL share these cores)."
    )


def _fresh_database(server: str) -> str:
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server.rsplit('/', 1)[0]}/{name}"


def _block(title: str, command: list[str]) -> list[str]:
    print(f"running {' '.join(command)}", flush=True)
    done = subprocess.run(
        [sys.executable, *command],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    output = (done.stdout if done.returncode == 0 else done.stdout + done.stderr).strip()
    return [f"### {title}", "", f"`{' '.join(command)}`", "", "```", output, "```", ""]


if __name__ == "__main__":
    main()
