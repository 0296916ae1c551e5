"""Starting `yousaid serve` as a real process, and waiting for it (tests and benchmarks)."""

from __future__ import annotations

import subprocess
import time

import httpx

from tests.e2e.cli import REPO, SCRIPT


def start_serve(env: dict[str, str], port: int, *args: str) -> subprocess.Popen[str]:
    """`yousaid serve --port PORT ARGS` in the background; its stdout carries what it
    prints and what it logs, in order. The caller stops it."""
    return subprocess.Popen(
        [str(SCRIPT), "serve", "--port", str(port), *args],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until_up(base: str, timeout: float = 90.0) -> None:
    """Wait for a starting server to answer /healthz (polling it, not timing anything)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the server at {base} never answered /healthz")
