"""Body limits at the HTTP edge, over real HTTP against the app under uvicorn.

What an outsider without a signature can make the server do: a huge declared body is
refused before it is read, a huge streamed body is refused at the limit (the client is
still sending when the 413 arrives), a form of too many fields is refused before it is
parsed or signed, a slow body is cut off, and a client that goes away is one INFO line.
"""

from __future__ import annotations

import logging
import select
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.twilio_harness import INBOUND, STATUS, Phone, TwilioHarness, running_app

GIGABYTE = 1024**3
CHUNK = 64 * 1024


@pytest.fixture
def app(tmp_path: Path, sqlite_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, sqlite_url, body_timeout=0.5) as harness:
        yield harness


def connect(app: TwilioHarness) -> socket.socket:
    url = urlsplit(app.base_url)
    sock = socket.create_connection((url.hostname or "", url.port or 80), timeout=30)
    return sock


def head(path: str, *lines: str) -> bytes:
    request = [f"POST {path} HTTP/1.1", "Host: council.example", *lines, "", ""]
    return "\r\n".join(request).encode()


def part_of_a_form(start: bytes) -> bytes:
    """The head of a 1,000-byte form and only its first few bytes."""
    form = "Content-Type: application/x-www-form-urlencoded"
    return head(INBOUND, form, "Content-Length: 1000") + start


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def read_response(sock: socket.socket) -> bytes:
    response = b""
    while b"\r\n\r\n" not in response:
        data = sock.recv(65536)
        if not data:
            break
        response += data
    return response


def test_a_declared_gigabyte_is_refused_before_a_byte_of_it_is_read(app: TwilioHarness) -> None:
    with connect(app) as sock:
        sock.sendall(
            head(
                INBOUND,
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {GIGABYTE}",
            )
        )
        # No body is sent: the answer comes from the header alone.
        response = read_response(sock)

    assert status_of(response) == 413
    assert b"connection: close" in response.lower()


@pytest.mark.parametrize("path", [INBOUND, STATUS])
def test_a_streamed_gigabyte_is_refused_at_the_limit_while_still_sending(
    app: TwilioHarness, path: str
) -> None:
    chunk = f"{CHUNK:x}\r\n".encode() + b"a" * CHUNK + b"\r\n"
    sent = 0
    response = b""
    with connect(app) as sock:
        sock.sendall(
            head(
                path,
                "Content-Type: application/x-www-form-urlencoded",
                "Transfer-Encoding: chunked",
            )
        )
        try:
            while sent < GIGABYTE:
                readable, _, _ = select.select([sock], [], [], 0)
                if readable:
                    break
                sock.sendall(chunk)
                sent += CHUNK
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed the connection on us: it stopped reading
        response = read_response(sock)

    assert status_of(response) == 413
    # The server answered while the client was still sending: far less than 1 GB went.
    assert sent < 64 * 1024 * 1024


def test_too_many_fields_are_refused_before_the_form_is_parsed(
    app: TwilioHarness, caplog: pytest.LogCaptureFixture
) -> None:
    # 201 fields, and not even UTF-8: parsing would answer 400, signing 403. It is neither.
    body = b"&".join(b"f%d=\xff" % i for i in range(201))

    with caplog.at_level(logging.WARNING):
        reply = app.post(INBOUND, {}, body=body, signature="x")

    assert reply.status == 413
    assert "before parsing" in caplog.text


def test_a_body_over_64_kb_is_refused_before_its_content_type_is_looked_at(
    app: TwilioHarness,
) -> None:
    reply = app.post(INBOUND, {}, body=b"a" * (64 * 1024 + 1), content_type="text/plain")

    assert reply.status == 413


def test_200_fields_and_64_kb_still_reach_the_signature_check(app: TwilioHarness) -> None:
    fields = {f"f{i}": "x" for i in range(199)}
    fields["Body"] = "a" * (64 * 1024 - len("&".join(f"{k}=x" for k in fields)) - 200)

    reply = app.post(INBOUND, fields, signature="wrong")

    assert reply.status == 403  # read, parsed, and refused only for its signature


def test_a_real_message_is_still_answered(app: TwilioHarness) -> None:
    reply = Phone(app, "+447700900123").send("SAFE")

    assert reply.status == 200
    assert reply.texts


class Waiter(logging.Handler):
    """Collects the records of one logger and lets the test wait for the first."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.arrived = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.arrived.set()


@pytest.fixture
def edge_log() -> Iterator[Waiter]:
    waiter = Waiter()
    logger = logging.getLogger("bot.web_limits")
    logger.addHandler(waiter)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    yield waiter
    logger.removeHandler(waiter)
    logger.setLevel(level)


def test_a_client_gone_mid_body_is_one_info_line_not_an_error(
    app: TwilioHarness, edge_log: Waiter, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO), connect(app) as sock:
        sock.sendall(part_of_a_form(b"Body=half"))
        sock.close()
        assert edge_log.arrived.wait(10)

    assert [(r.levelno, r.getMessage()) for r in edge_log.records] == [
        (logging.INFO, "request to /webhooks/twilio abandoned: the client went away mid-body")
    ]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Exception in ASGI application" not in caplog.text


def test_a_body_too_slow_to_arrive_is_cut_off_with_408(app: TwilioHarness) -> None:
    with connect(app) as sock:
        sock.sendall(part_of_a_form(b"Body=slow"))
        # The rest never comes; the server gives up after YOUSAID_BODY_TIMEOUT (0.5 s here).
        response = read_response(sock)

    assert status_of(response) == 408
