"""`yousaid serve` runs uvicorn with the limits in settings (docs/security.md)."""

from __future__ import annotations

import signal
import socket
from pathlib import Path

from tests.e2e.cli import environment
from tests.e2e.servers import start_serve
from tests.e2e.test_rounds_serve import WAIT, Lines, free_port


def test_serve_answers_503_past_the_concurrency_limit(tmp_path: Path, sqlite_url: str) -> None:
    port = free_port()
    env = environment(tmp_path, sqlite_url, YOUSAID_LIMIT_CONCURRENCY="2")
    server = start_serve(env, port)
    try:
        lines = Lines(server.stdout)
        lines.until("Uvicorn running")
        with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as held:
            # One request in flight, its body not sent: it holds one of the two places. The
            # "100 Continue" says the app is reading its body, so it is counted.
            held.sendall(
                b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n"
                b"Expect: 100-continue\r\n\r\n"
            )
            assert held.recv(65536).startswith(b"HTTP/1.1 100")
            with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as second:
                second.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                refused = second.recv(65536)
            held.sendall(b"abcdefghij")
            served = held.recv(65536)
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=WAIT) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    assert refused.startswith(b"HTTP/1.1 503")
    assert served.startswith(b"HTTP/1.1 405")  # the held request was still served
    assert "Traceback" not in "".join(lines.seen)
