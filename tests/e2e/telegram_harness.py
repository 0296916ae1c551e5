"""The real web app under uvicorn, the real python-telegram-bot, a fake Bot API: wired up.

Tests post the update JSON Telegram would post, over HTTP, to /webhooks/telegram, and read
what the bot did from the fake Bot API's chats and call log.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette

from bot.clock import FixedClock
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from bot.web import create_app
from tests.consultations import store_consultations
from tests.fakes.telegram_api import FakeBotApi, Stored

REPO = Path(__file__).resolve().parents[2]
CONFIG_DIR = REPO / "config"
FEELING_SAFE = CONFIG_DIR / "consultations" / "feeling-safe.yaml"
START = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
SECRET = "test-webhook-secret_1"
PUBLIC_URL = "https://yousaid.example.org"
SECRET_KEY = "5e" * 32
USER = 5873290146  # a Telegram user id; it must never reach the database in the clear


@dataclass
class Telegram:
    """One running app with its fake Bot API and a clock the test moves."""

    base_url: str
    http: httpx.Client
    runtime: Runtime
    api: FakeBotApi
    clock: FixedClock
    app: Starlette

    def post(self, update: dict[str, Any], secret: str | None = SECRET) -> httpx.Response:
        headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
        return self.http.post("/webhooks/telegram", json=update, headers=headers)

    def deliver(self, update: dict[str, Any]) -> httpx.Response:
        """Post an update the way Telegram does, expecting it to be taken."""
        response = self.post(update)
        assert response.status_code == 200, response.status_code
        return response

    def say(self, text: str, user: int = USER) -> list[Stored]:
        """The user sends `text`; returns the bot's new messages."""
        before = len(self.api.calls_to("sendMessage"))
        self.deliver(self.api.text(user, text))
        return self.new_messages(user, before)

    def tap(self, label: str, user: int = USER) -> list[Stored]:
        """The user taps the button labelled `label` on the bot's latest message with it."""
        message, data = self.button(label, user)
        before = len(self.api.calls_to("sendMessage"))
        self.deliver(self.api.tap(user, message.message_id, data))
        return self.new_messages(user, before)

    def button(self, label: str, user: int = USER) -> tuple[Stored, str]:
        for message in reversed(self.api.bot_messages(user)):
            for button in message.buttons:
                if button["text"].removeprefix("✓ ") == label:
                    return message, button["callback_data"]
        raise AssertionError(f"no button {label!r} in the chat")

    def new_messages(self, user: int, before: int) -> list[Stored]:
        sent = [c for c in self.api.calls_to("sendMessage") if c.status == 200][before:]
        ids = {c.result["message_id"] for c in sent if c.params.get("chat_id") == user}
        return [m for m in self.api.bot_messages(user) if m.message_id in ids]

    def later(self, delta: timedelta) -> None:
        self.clock.set(self.clock.now() + delta)


def make_settings(tmp_path: Path, database_url: str, api: FakeBotApi, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "var_dir": tmp_path / "var",
        "database_url": database_url,
        "secret_key": SECRET_KEY,
        "config_dir": CONFIG_DIR,
        "public_url": PUBLIC_URL,
        "telegram_bot_token": api.token,
        "telegram_api_url": api.url,
        "telegram_webhook_secret": SECRET,
        "telegram_rate": 1000.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


def open_rounds(runtime: Runtime, *files: Path) -> None:
    """Load consultations and open a round of each now, as `consultation load --open` does."""
    store_consultations(runtime, *files)


@contextmanager
def running(app: Starlette) -> Iterator[str]:
    """Serve `app` with uvicorn on a free port in a thread; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)  # requests wait in the backlog until uvicorn has started
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_config=None, access_log=False, lifespan="on", workers=1)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@contextmanager
def telegram_app(
    tmp_path: Path,
    database_url: str,
    *consultations: Path,
    **overrides: Any,
) -> Iterator[Telegram]:
    """The app on `database_url` with the given consultations open, and its fake Bot API."""
    clock = FixedClock(START)
    with FakeBotApi(now=clock.now) as api:
        runtime = open_runtime(make_settings(tmp_path, database_url, api, **overrides), clock)
        open_rounds(runtime, *(consultations or (FEELING_SAFE,)))
        app = create_app(runtime)
        with running(app) as base_url, httpx.Client(base_url=base_url, timeout=30) as http:
            assert http.get("/healthz").status_code == 200  # started, lifespan done
            yield Telegram(base_url, http, runtime, api, clock, app)
        runtime.db.close()
