"""A participant's reply time while 32 connections send unsigned junk to the Twilio webhook.

Run: PYTHONPATH=. .venv/bin/python benchmarks/edge_bench.py [--messages N] [--connections C]

The whole app runs under uvicorn (SQLite, the local fake of Twilio's API), as in the
end-to-end tests. One participant texts through a whole consultation, message after
message, first alone and then while C connections (in separate processes, so they don't
share this process's GIL) post junk as fast as they can: half the largest forms the
limits let through (just under 64 KB and 200 fields, with a wrong signature, so each is
parsed and its signature computed before the 403), half the 249 KB, 20,000-field forms
that are refused unread.
Prints the participant's p50 and p99 reply time, alone and under junk, and the junk rate.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from tests.e2e.twilio_harness import INBOUND, Phone, running_app

SCRIPT = ["SAFE", "yes", "3", "the underpass, no lights", "4", "1 3", "2", "yes", "no"]
ALLOWED = "&".join(f"f{i}={'x' * 300}" for i in range(199)).encode()  # ~61 KB, 199 fields
REFUSED = "&".join(f"f{i}=xxxxxxxx" for i in range(20_000)).encode()  # ~249 KB


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=45)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_app(Path(tmp), f"sqlite:///{tmp}/yousaid.db") as app,
    ):
        alone = _participant(app, args.messages, "+447700900001")
        stop = multiprocessing.Event()
        sent = multiprocessing.Value("i", 0)
        workers = [
            multiprocessing.Process(target=_junk, args=(app.base_url, 8, stop, sent))
            for _ in range(max(1, args.connections // 8))
        ]
        for worker in workers:
            worker.start()
        started = time.perf_counter()
        busy = _participant(app, args.messages, "+447700900002")
        elapsed = time.perf_counter() - started
        stop.set()
        for worker in workers:
            worker.join()
    print(f"alone:      p50 {_ms(alone, 50)}  p99 {_ms(alone, 99)}")
    print(f"under junk: p50 {_ms(busy, 50)}  p99 {_ms(busy, 99)}")
    print(f"junk: {sent.value / elapsed:.0f} requests/s from {args.connections} connections")


def _participant(app: object, messages: int, number: str) -> list[float]:
    phone = Phone(app, number)  # type: ignore[arg-type]
    times = []
    for index in range(messages):
        text = SCRIPT[index % len(SCRIPT)]
        start = time.perf_counter()
        phone.send(text)
        times.append(time.perf_counter() - start)
    return times


def _junk(base_url: str, threads: int, stop: object, sent: object) -> None:
    def post_junk(body: bytes) -> None:
        # A wrong signature, so each allowed form is parsed and its HMAC computed.
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x"}
        with httpx.Client(base_url=base_url, timeout=30) as client:
            while not stop.is_set():  # type: ignore[attr-defined]
                try:
                    client.post(INBOUND, content=body, headers=headers)
                except httpx.HTTPError:
                    continue
                with sent.get_lock():  # type: ignore[attr-defined]
                    sent.value += 1  # type: ignore[attr-defined]

    pool = [
        threading.Thread(target=post_junk, args=(ALLOWED if i % 2 else REFUSED,))
        for i in range(threads)
    ]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()


def _ms(times: list[float], percentile: int) -> str:
    cut = statistics.quantiles(times, n=100, method="inclusive")[percentile - 1]
    return f"{cut * 1000:.0f} ms"


if __name__ == "__main__":
    main()
