"""The fake Twilio's HTTP side: the server thread, routes, basic auth, scripted answers.

Runs on 127.0.0.1 in a thread. A request for another account gets 404, bad credentials
401 (20003), and a response scripted with `fail_next` or `stall_next` comes before the
rules; every request is recorded so tests can assert what was sent and deleted.
"""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs

from tests.fakes.twilio.messages import TwilioMessages, error
from tests.fakes.twilio.records import MEDIA, MESSAGE, MESSAGES, Call, Scripted


class TwilioServer(TwilioMessages):
    """Serves the rules over HTTP while started (or in a `with` block)."""

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        fake = self

        class Handler(_Handler):
            owner = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._release.set()  # let stalled requests finish
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        """The base URL to use as TWILIO_API_URL."""
        assert self._server is not None, "start the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def _authorised(self, header: str | None) -> bool:
        if not header or not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return user == self.account_sid and password == self.auth_token


class _Handler(BaseHTTPRequestHandler):
    owner: TwilioServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the default handler prints every request (with paths) to stderr."""

    def do_POST(self) -> None:
        form = self._form()
        match = MESSAGES.match(self.path)
        if match is None or match.group(1) != self.owner.account_sid:
            self._answer("POST", form, *error(404, 20404, "The requested resource was not found"))
            return
        if not self.owner._authorised(self.headers.get("Authorization")):
            self._answer("POST", form, *error(401, 20003, "Authenticate"))
            return
        scripted = self.owner._next_scripted("create")
        if scripted is not None:
            self._scripted("POST", form, scripted)
            return
        self._answer("POST", form, *self.owner._create(form))

    def do_DELETE(self) -> None:
        self._form()
        media = MEDIA.match(self.path)
        message = media or MESSAGE.match(self.path)
        if message is None or message.group(1) != self.owner.account_sid:
            self._answer("DELETE", {}, *error(404, 20404, "The requested resource was not found"))
            return
        if not self.owner._authorised(self.headers.get("Authorization")):
            self._answer("DELETE", {}, *error(401, 20003, "Authenticate"))
            return
        scripted = self.owner._next_scripted("delete")
        if scripted is not None:
            self._scripted("DELETE", {}, scripted)
            return
        media_sid = media.group(3) if media else None
        self._answer("DELETE", {}, *self.owner._delete(message.group(2), media_sid))

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        return {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    def _scripted(self, method: str, form: dict[str, str], scripted: Scripted) -> None:
        if scripted.stall:
            self.owner.calls.append(Call(method, self.path, form, 0))
            self.owner._release.wait(30)
            self.close_connection = True
            return
        status, payload = error(scripted.status, scripted.code or scripted.status, "Scripted")
        headers = {"Retry-After": str(scripted.retry_after)} if scripted.retry_after else {}
        self._answer(method, form, status, payload, headers)

    def _answer(
        self,
        method: str,
        form: dict[str, str],
        status: int,
        payload: dict[str, Any] | None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.owner.calls.append(Call(method, self.path, form, status))
        with self.owner._changed:
            self.owner._changed.notify_all()
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
