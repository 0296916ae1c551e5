"""The servers the HTTP benchmarks start (`yousaid serve`, the bare ASGI endpoint), and
what they read from /proc about them: CPU and memory of the process and its workers."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.e2e.servers import wait_until_up

REPO = Path(__file__).resolve().parents[1]
YOUSAID = Path(sys.executable).with_name("yousaid")
PUBLIC_URL = "https://council.example"
TOKEN = "0f" * 16  # Twilio's auth token, which signs the requests
TICKS = os.sysconf("SC_CLK_TCK")


def app_command(workers: int) -> list[str]:
    return [str(YOUSAID), "serve", "--workers", str(workers)]


def bare_command(workers: int) -> list[str]:
    """benchmarks/bare_app.py on the same uvicorn `yousaid serve` runs."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "benchmarks.bare_app:app",
        "--log-level",
        "warning",
        "--no-access-log",
        "--workers",
        str(workers),
    ]


def bare_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def app_env(var_dir: Path, database: str) -> dict[str, str]:
    """The server's environment: this one without any provider settings, plus Twilio's."""
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


def load_consultations(env: dict[str, str]) -> None:
    """`yousaid consultation load config/consultations --open` on the server's database."""
    subprocess.run(
        [str(YOUSAID), "consultation", "load", str(REPO / "config" / "consultations"), "--open"],
        env=env,
        check=True,
        capture_output=True,
    )


@contextlib.contextmanager
def serving(command: list[str], env: dict[str, str]) -> Iterator[tuple[int, str, str]]:
    """The server started on a free port and answering /healthz: (pid, base URL, log
    path); stopped with SIGTERM afterwards."""
    port = free_port()
    # The server's own lines (no personal data: its logging scrubs them), for a failure.
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept after the run, to be read
        "w+", prefix="yousaid-bench-", suffix=".log", delete=False
    )
    server = subprocess.Popen(
        [*command, "--port", str(port)], env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, 60)
        yield server.pid, base, log.name
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def tree_cpu(pid: int) -> float:
    """User + system CPU seconds of `pid` and every descendant alive now."""
    total = 0.0
    for each in tree(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return total


def tree_rss(pid: int) -> float:
    """Resident memory (MiB) of `pid` and its descendants (each worker counts)."""
    total = 0
    for each in tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def tree(pid: int) -> list[int]:
    """`pid` and its descendants, from each task's children list."""
    found, todo = [], [pid]
    while todo:
        each = todo.pop()
        found.append(each)
        for task in Path(f"/proc/{each}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
