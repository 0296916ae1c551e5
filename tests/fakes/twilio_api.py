"""A small fake of Twilio's Messages API over real HTTP on 127.0.0.1, run in a thread.

It behaves like the real API where YouSaid depends on it: basic auth, the form fields of
Messages.json, the 1,600-character body limit (21617), invalid numbers (21211), opted-out
recipients (21610), landlines (21614), WhatsApp outside the 24-hour window (63016),
carrier filtering (30007), DELETE of a message and of its media (404 once gone, 20009
while the message is still in progress), and scripted 429s, 500s and stalls for
timeouts. Every call is recorded so tests can assert what was sent and deleted.

The real API reports 30007 and 63016 later, in a status callback; here a recipient put in
`filtered` or `outside_window` gets them at once, so a sender's handling of the code can be
tested in one call.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from conversations.segments import count_segments

API_VERSION = "2010-04-01"
MAX_BODY = 1600

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_MESSAGES = re.compile(rf"^/{API_VERSION}/Accounts/(AC\w+)/Messages\.json$")
_MESSAGE = re.compile(rf"^/{API_VERSION}/Accounts/(AC\w+)/Messages/(\w+)\.json$")
_MEDIA = re.compile(rf"^/{API_VERSION}/Accounts/(AC\w+)/Messages/(\w+)/Media/(\w+)\.json$")


@dataclass(frozen=True)
class Call:
    """One request the fake answered."""

    method: str
    path: str
    form: dict[str, str]
    status: int

    @property
    def sid(self) -> str | None:
        """The message SID a DELETE named, if any."""
        match = _MESSAGE.match(self.path) or _MEDIA.match(self.path)
        return match.group(2) if match else None


@dataclass
class Scripted:
    """A response the fake gives instead of the real behaviour, once."""

    status: int = 500
    code: int | None = None
    retry_after: int | None = None
    stall: bool = False  # hold the request until the client gives up (a timeout)


@dataclass
class FakeTwilio:
    """Start with `with FakeTwilio() as fake:`; point the sender at `fake.url`."""

    account_sid: str = "AC" + "f" * 32
    auth_token: str = "fake-auth-token"
    numbers: frozenset[str] = frozenset({"+447700900000", "whatsapp:+447700900001"})
    unsubscribed: set[str] = field(default_factory=set)  # 21610
    landlines: set[str] = field(default_factory=set)  # 21614
    outside_window: set[str] = field(default_factory=set)  # 63016 (WhatsApp)
    filtered: set[str] = field(default_factory=set)  # 30007
    in_progress: set[str] = field(default_factory=set)  # DELETE answers 20009
    calls: list[Call] = field(default_factory=list)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    media: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._script: dict[str, deque[Scripted]] = {"create": deque(), "delete": deque()}
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._changed = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # Lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> FakeTwilio:
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

    # Test controls -------------------------------------------------------------------------

    def fail_next(
        self,
        kind: str = "create",
        *,
        status: int = 500,
        code: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next `kind` ("create" or "delete") request with an error."""
        with self._lock:
            self._script[kind].append(Scripted(status, code, retry_after))

    def stall_next(self, kind: str = "create") -> None:
        """Hold the next `kind` request without answering until the client times out."""
        with self._lock:
            self._script[kind].append(Scripted(stall=True))

    def receive(self, from_: str, body: str = "", *, media: int = 0, to: str | None = None) -> str:
        """Store an inbound message as Twilio would before its webhook; returns its SID."""
        sid = ("MM" if media else "SM") + secrets.token_hex(16)
        channel_to = to or (
            "whatsapp:+447700900001" if from_.startswith("whatsapp:") else "+447700900000"
        )
        with self._lock:
            self.messages[sid] = {
                "sid": sid,
                "from": from_,
                "to": channel_to,
                "body": body,
                "direction": "inbound",
                "status": "received",
                "num_media": str(media),
            }
            self.media[sid] = {"ME" + secrets.token_hex(16) for _ in range(media)}
        return sid

    def store_reply(self, to: str, body: str) -> str:
        """Store an outbound message as Twilio does for a TwiML <Message>; returns its SID."""
        sid = "SM" + secrets.token_hex(16)
        with self._lock:
            self.messages[sid] = {
                "sid": sid,
                "to": to,
                "body": body,
                "direction": "outbound-reply",
                "status": "sent",
                "num_media": "0",
            }
        return sid

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Block until `predicate()` holds after some request (or the timeout passes)."""
        with self._changed:
            return self._changed.wait_for(predicate, timeout)

    def media_sids(self, sid: str) -> set[str]:
        with self._lock:
            return set(self.media.get(sid, set()))

    def sent(self) -> list[dict[str, Any]]:
        """Outbound messages Twilio accepted, oldest first."""
        with self._lock:
            return [m for m in self.messages.values() if m["direction"] == "outbound-api"]

    def deleted(self) -> list[str]:
        """SIDs of messages deleted, in order."""
        return [
            c.sid
            for c in list(self.calls)
            if c.method == "DELETE" and c.status == 204 and _MESSAGE.match(c.path) and c.sid
        ]

    def holds(self, text: str) -> bool:
        """Whether any stored message still has `text` in its number or body."""
        with self._lock:
            return any(text in json.dumps(m) for m in self.messages.values())

    # Behaviour -----------------------------------------------------------------------------

    def _next_scripted(self, kind: str) -> Scripted | None:
        with self._lock:
            queue = self._script[kind]
            return queue.popleft() if queue else None

    def _authorised(self, header: str | None) -> bool:
        if not header or not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return user == self.account_sid and password == self.auth_token

    def _create(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        refused = self._address_refusal(form) or self._delivery_refusal(form)
        if refused is not None:
            return refused
        to = form.get("To", "")
        sender = form.get("From", "")
        service = form.get("MessagingServiceSid", "")
        body = form.get("Body")
        sid = "SM" + secrets.token_hex(16)
        message = {
            "sid": sid,
            "account_sid": self.account_sid,
            "to": to,
            "from": sender or None,
            "messaging_service_sid": service or None,
            "body": body or "",
            "status": "accepted" if service else "queued",
            "direction": "outbound-api",
            "num_media": "0",
            "num_segments": str(count_segments(body or "").segments),
            "error_code": None,
            "error_message": None,
            "api_version": API_VERSION,
            "status_callback": form.get("StatusCallback"),
            "content_sid": form.get("ContentSid"),
        }
        with self._lock:
            self.messages[sid] = message
        return 201, {k: v for k, v in message.items() if k not in ("status_callback",)}

    def _address_refusal(self, form: dict[str, str]) -> tuple[int, dict[str, Any]] | None:
        """Twilio's error for a message's To, From or service, checked in Twilio's order."""
        to = form.get("To", "")
        sender = form.get("From", "")
        service = form.get("MessagingServiceSid", "")
        number = to.removeprefix("whatsapp:")
        if not to:
            return _error(400, 21604, "A 'To' phone number is required.")
        if not _E164.match(number):
            return _error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if not sender and not service:
            return _error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required.")
        if service and not service.startswith("MG"):
            return _error(400, 21701, "The Messaging Service Sid is invalid.")
        if sender and sender not in self.numbers:
            return _error(400, 21606, "The From number is not a number of this account.")
        if sender and sender.startswith("whatsapp:") != to.startswith("whatsapp:"):
            return _error(400, 21910, "Invalid From and To pair. They must use the same channel.")
        return None

    def _delivery_refusal(self, form: dict[str, str]) -> tuple[int, dict[str, Any]] | None:
        """Twilio's error for a message's body or its recipient, after the address checks."""
        to = form.get("To", "")
        body = form.get("Body")
        number = to.removeprefix("whatsapp:")
        if body is None and "ContentSid" not in form:
            return _error(400, 21602, "Message body is required.")
        if body is not None and len(body) > MAX_BODY:
            return _error(400, 21617, "The message body exceeds the 1600 character limit.")
        if to in self.unsubscribed or number in self.unsubscribed:
            return _error(400, 21610, "Attempt to send to unsubscribed recipient")
        if number in self.landlines:
            return _error(400, 21614, f"'To' number {to} is not a valid mobile number")
        freeform = "ContentSid" not in form
        if to.startswith("whatsapp:") and number in self.outside_window and freeform:
            return _error(400, 63016, "Outside the allowed window. Please use a Template.")
        if number in self.filtered:
            return _error(400, 30007, "Message filtered by the carrier.")
        return None

    def _delete(self, sid: str, media_sid: str | None) -> tuple[int, dict[str, Any] | None]:
        with self._lock:
            if sid not in self.messages:
                return _error(404, 20404, "The requested resource was not found")
            if media_sid is not None:
                if media_sid not in self.media.get(sid, set()):
                    return _error(404, 20404, "The requested resource was not found")
                self.media[sid].discard(media_sid)
                return 204, None
            if sid in self.in_progress:
                return _error(409, 20009, "Cannot delete message because it is in progress.")
            del self.messages[sid]
            self.media.pop(sid, None)
        return 204, None


class _Handler(BaseHTTPRequestHandler):
    owner: FakeTwilio
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the default handler prints every request (with paths) to stderr."""

    def do_POST(self) -> None:
        form = self._form()
        match = _MESSAGES.match(self.path)
        if match is None or match.group(1) != self.owner.account_sid:
            self._answer("POST", form, *_error(404, 20404, "The requested resource was not found"))
            return
        if not self.owner._authorised(self.headers.get("Authorization")):
            self._answer("POST", form, *_error(401, 20003, "Authenticate"))
            return
        scripted = self.owner._next_scripted("create")
        if scripted is not None:
            self._scripted("POST", form, scripted)
            return
        self._answer("POST", form, *self.owner._create(form))

    def do_DELETE(self) -> None:
        self._form()
        media = _MEDIA.match(self.path)
        message = media or _MESSAGE.match(self.path)
        if message is None or message.group(1) != self.owner.account_sid:
            self._answer("DELETE", {}, *_error(404, 20404, "The requested resource was not found"))
            return
        if not self.owner._authorised(self.headers.get("Authorization")):
            self._answer("DELETE", {}, *_error(401, 20003, "Authenticate"))
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
        status, payload = _error(scripted.status, scripted.code or scripted.status, "Scripted")
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


def _error(status: int, code: int, message: str) -> tuple[int, dict[str, Any]]:
    return status, {
        "code": code,
        "message": message,
        "status": status,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
    }
