"""What the fake Bot API holds and what happened: its state, the recorded calls, the chats.

Every part of the fake works on `BotState`: the messages in each chat, who blocked the bot,
the webhook, the failures scripted for later, and the list of calls answered so far, which
tests read through `calls_to`, `chat` and `wait_for`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from typing import Any

BOT_ID = 7000000001
TOKEN = f"{BOT_ID}:AAFakeFakeFakeFakeFakeFakeFakeFake_x"
USERNAME = "yousaid_test_bot"


@dataclass(frozen=True)
class Call:
    """One request the fake answered."""

    method: str
    params: dict[str, Any]
    status: int
    result: Any = None


@dataclass
class Stored:
    """One message in a chat, as the server keeps it."""

    chat_id: int
    message_id: int
    date: datetime
    from_bot: bool
    text: str  # "" for a sticker, photo or voice note without a caption
    reply_markup: dict[str, Any] | None = None
    protected: bool = False
    deleted: bool = False
    kind: str = "text"

    @property
    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]


@dataclass
class Scripted:
    """A failure the fake gives once, for the next call of `method`."""

    method: str
    status: int = 500
    description: str = "Internal Server Error"
    retry_after: int | None = None


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


@dataclass
class BotState:
    """What the fake holds; the fields are `FakeBotApi`'s (tests/fakes/telegram_api.py)."""

    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    messages: dict[tuple[int, int], Stored] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    webhook: dict[str, Any] | None = None
    scripted: list[Scripted] = field(default_factory=list)
    poll_wait_cap: float = 5.0
    # HTTP/1.1 keep-alive, as api.telegram.org does; off by default so each test's calls
    # stay one connection each, as they always were (the benchmarks turn it on).
    keep_alive: bool = False

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._next_message: dict[int, int] = {}
        self._next_update = 400_000
        self._queries: dict[str, bool] = {}  # callback query id -> answered
        self._pending: list[dict[str, Any]] = []  # updates for getUpdates
        self._known_chats: set[int] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def fail_next(
        self,
        method: str,
        status: int = 500,
        description: str = "Internal Server Error",
        retry_after: int | None = None,
    ) -> None:
        """Make the next call of `method` fail like this, once."""
        with self._lock:
            self.scripted.append(Scripted(method, status, description, retry_after))

    # --- what happened ----------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def chat(self, chat_id: int) -> list[Stored]:
        """The messages the user still sees in the chat, in order."""
        with self._lock:
            found = [m for m in self.messages.values() if m.chat_id == chat_id and not m.deleted]
        return sorted(found, key=lambda m: m.message_id)

    def bot_messages(self, chat_id: int) -> list[Stored]:
        return [m for m in self.chat(chat_id) if m.from_bot]

    def last_bot_message(self, chat_id: int) -> Stored:
        return self.bot_messages(chat_id)[-1]

    def wait_for(self, check: Callable[[], bool], timeout: float = 20.0) -> None:
        """Block until `check()` holds after some call (the bot works in another thread)."""
        with self._changed:
            if not self._changed.wait_for(check, timeout):
                raise AssertionError("the bot did not do what was expected in time")

    # --- keeping it ----------------------------------------------------------------------

    def _record(self, method: str, params: dict[str, Any], status: int, result: Any) -> None:
        with self._lock:
            self.calls.append(Call(method, params, status, result))

    def _new_message_id(self, chat_id: int) -> int:
        number = self._next_message.get(chat_id, 0) + 1
        self._next_message[chat_id] = number
        return number

    def _update(self, body: dict[str, Any]) -> dict[str, Any]:
        self._next_update += 1
        return {"update_id": self._next_update, **body}


def every_message_ever(api: BotState) -> Iterator[Stored]:
    """Every message, deleted or not (for asserting what was deleted)."""
    with api._lock:
        yield from list(api.messages.values())
