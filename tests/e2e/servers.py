"""Waiting for a `yousaid serve` started as a real process (tests and benchmarks)."""

from __future__ import annotations

import time

import httpx


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
