"""What the fake Twilio holds and what happened: messages, media, recorded calls, routes.

Every part of the fake works on `TwilioState`. Tests read it through `sent`, `deleted`,
`holds`, `media_sids` and `wait_until`; the recipients in its sets get Twilio's errors.
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

API_VERSION = "2010-04-01"

MESSAGES = re.compile(rf"^/{API_VERSION}/Accounts/(AC\w+)/Messages\.json$")
MESSAGE = re.compile(rf"^/{API_VERSION}/Accounts/(AC\w+)/Messages/(\w+)\.json$")
MEDIA = re.compile(rf"^/{API_VERSION}/Accounts/(AC\w+)/Messages/(\w+)/Media/(\w+)\.json$")


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
        match = MESSAGE.match(self.path) or MEDIA.match(self.path)
        return match.group(2) if match else None


@dataclass
class Scripted:
    """A response the fake gives instead of the real behaviour, once."""

    status: int = 500
    code: int | None = None
    retry_after: int | None = None
    stall: bool = False  # hold the request until the client gives up (a timeout)


@dataclass
class TwilioState:
    """What the fake holds; the fields are `FakeTwilio`'s (tests/fakes/twilio_api.py)."""

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
            if c.method == "DELETE" and c.status == 204 and MESSAGE.match(c.path) and c.sid
        ]

    def holds(self, text: str) -> bool:
        """Whether any stored message still has `text` in its number or body."""
        with self._lock:
            return any(text in json.dumps(m) for m in self.messages.values())

    def _next_scripted(self, kind: str) -> Scripted | None:
        with self._lock:
            queue = self._script[kind]
            return queue.popleft() if queue else None
