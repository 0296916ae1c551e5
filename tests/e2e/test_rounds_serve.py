"""`yousaid serve` runs the scheduler beside the web app and stops it cleanly."""

from __future__ import annotations

import queue
import signal
import socket
import threading
from pathlib import Path

from tests.e2e.cli import SAMPLES, environment, yousaid
from tests.e2e.servers import start_serve

WAIT = 90.0  # seconds at most for each line; the lines come as soon as the work is done


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Lines:
    """A process's output, line by line, as it comes."""

    def __init__(self, stream: object) -> None:
        self._lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self._lines.put(line)
        self._lines.put(None)

    def until(self, text: str) -> str:
        while True:
            line = self._lines.get(timeout=WAIT)
            if line is None:
                raise AssertionError(f"ended before {text!r}:\n{''.join(self.seen)}")
            self.seen.append(line)
            if text in line:
                return line


def test_serve_opens_a_due_round_at_once_and_stops_the_scheduler_cleanly(
    tmp_path: Path, sqlite_url: str
) -> None:
    env = environment(tmp_path, sqlite_url)
    assert yousaid(env, "consultation", "load", str(SAMPLES)).code == 0
    scheduled = yousaid(
        env, "round", "schedule", "feeling-safe", "--opens", "now", "--closes", "2031-01-31"
    )
    assert scheduled.code == 0, scheduled.err
    server = start_serve(env, free_port())
    try:
        lines = Lines(server.stdout)
        lines.until("this process runs the schedule")
        # One line each for the scheduler and the sender: running, or off and why.
        assert "Scheduler: running" in lines.until("Scheduler:")
        sender = lines.until("Outbox sender:")
        assert "off (no provider is set up" in sender
        assert "TELEGRAM_BOT_TOKEN" in sender
        lines.until("opened")  # the first tick runs at start, not a tick later
        server.send_signal(signal.SIGTERM)
        lines.until("scheduler stopped")
        assert server.wait(timeout=WAIT) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert "Traceback" not in "".join(lines.seen)
    # The lock went with it: a scheduler started now leads at once.
    after = yousaid(env, "scheduler", "run", "--once")
    assert after.code == 0, after.err
    assert "Another scheduler" not in after.out
