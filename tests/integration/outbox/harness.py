"""What the outbox tests share: fakes that enforce rate limits, a runtime on a fixed clock,
people put straight into storage, and an update queued the way `yousaid update send` does.

The fakes keep to a rate the way a provider's limit works: a message may go once the
previous ones' cost has drained at `rate` a second (Twilio counts SMS segments; Telegram
counts messages, and one a second per chat); anything sooner is answered 429. Their time
is the test's FixedClock, which the sender's injected sleep moves on: nobody sleeps.
"""

from __future__ import annotations

import math
import socketserver
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.addresses import Address
from bot.channels.telegram.transport import TelegramTransport
from bot.channels.twilio.transport import TwilioTransport
from bot.clock import Clock, FixedClock
from bot.outbox.loop import OutboxSender
from bot.pipeline import Pipeline, Received
from bot.runtime import Runtime, open_runtime
from bot.services.update_queue import queue
from bot.services.updates import prepare
from bot.settings import Settings
from conversations.facts import Subscribed
from conversations.loader import load_consultation
from conversations.messages import Channel, Inbound
from conversations.model import UpdatesScope
from conversations.segments import count_segments
from conversations.state import ParticipantState
from tests.fakes.telegram_api import TOKEN, ApiError, FakeBotApi
from tests.fakes.twilio_api import FakeTwilio

REPO = Path(__file__).resolve().parents[3]
CONFIG_DIR = REPO / "config"
SAMPLE = CONFIG_DIR / "consultations" / "feeling-safe.yaml"
EXAMPLE = CONFIG_DIR / "updates" / "feeling-safe-example.yaml"
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday, noon in London
SECRET = "6b" * 32
TOLERANCE = 1e-6  # seconds: float rounding between the sender's and the fake's sums


class PacedTwilio(FakeTwilio):
    """The fake Messages API with a rate limit in SMS segments a second (None: none)."""

    def __init__(self, clock: Clock, rate: float | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.clock = clock
        self.rate = rate
        self.rejected = 0  # 429s given for going too fast
        self.accepted_at: list[tuple[float, int]] = []  # (time, segments) of each accepted
        self._due = 0.0
        self._pace = threading.Lock()

    def __enter__(self) -> PacedTwilio:
        self.start()
        return self

    def start(self) -> None:
        super().start()
        _no_delay(self._server)

    def _create(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        body = form.get("Body") or ""
        cost = 1 if form.get("To", "").startswith("whatsapp:") else count_segments(body).segments
        with self._pace:
            now = self.clock.now().timestamp()
            if self.rate is not None and now < self._due - TOLERANCE:
                self.rejected += 1
                return 429, {"code": 20429, "message": "Too Many Requests", "status": 429}
            status, payload = super()._create(form)
            if status == 201:
                self.accepted_at.append((now, cost))
                if self.rate is not None:
                    self._due = max(self._due, now) + cost / self.rate
        return status, payload

    def sent_to(self) -> list[str]:
        """The number each accepted message went to, in order."""
        return [m["to"] for m in self.sent()]


class PacedBotApi(FakeBotApi):
    """The fake Bot API with Telegram's limits: `rate` messages a second, one a second a chat."""

    def __init__(self, clock: Clock, rate: float | None = None, **kwargs: Any) -> None:
        super().__init__(now=clock.now, **kwargs)
        self.clock = clock
        self.rate = rate
        self.rejected = 0
        self.accepted_at: list[tuple[float, int]] = []  # (time, chat id)
        self._due = 0.0
        self._chat_due: dict[int, float] = {}

    def __enter__(self) -> PacedBotApi:
        super().__enter__()
        _no_delay(self._server)
        return self

    def know(self, chat_ids: Sequence[int]) -> None:
        """These users have written to the bot, so it may write to them."""
        with self._lock:
            self._known_chats.update(chat_ids)

    def _dispatch(self, method: str, params: dict[str, Any]) -> Any:
        if method.lower() != "sendmessage":
            return super()._dispatch(method, params)
        now = self.clock.now().timestamp()
        chat = params.get("chat_id")
        too_soon = isinstance(chat, int) and (
            now < self._due - TOLERANCE or now < self._chat_due.get(chat, 0.0) - TOLERANCE
        )
        if self.rate is not None and too_soon:
            self.rejected += 1
            raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        result = super()._dispatch(method, params)
        if isinstance(chat, int):
            self.accepted_at.append((now, chat))
            if self.rate is not None:
                self._due = max(self._due, now) + 1 / self.rate
                self._chat_due[chat] = now + 1.0
        return result


def _no_delay(server: socketserver.BaseServer | None) -> None:
    """Answer without Nagle's delay: a reply written in two parts otherwise waits ~40 ms for
    the client's delayed ACK, which is all the time a thousand sends take."""
    assert server is not None
    handler = server.RequestHandlerClass  # made afresh for each fake: only this one changes
    handler.disable_nagle_algorithm = True  # type: ignore[attr-defined]


def settings_for(
    database_url: str,
    tmp_path: Path,
    *,
    twilio: FakeTwilio | None = None,
    telegram: FakeBotApi | None = None,
    **overrides: object,
) -> Settings:
    values: dict[str, object] = {
        "var_dir": tmp_path / "var",
        "database_url": database_url,
        "secret_key": SECRET,
        "config_dir": CONFIG_DIR,
        "quiet_hours": "21:00-08:00",
        "min_count": 10,
    }
    if twilio is not None:
        values.update(
            twilio_account_sid=twilio.account_sid,
            twilio_auth_token=twilio.auth_token,
            twilio_from="+447700900000",
            twilio_whatsapp_from="+447700900001",
            twilio_api_url=twilio.url,
        )
    if telegram is not None:
        values.update(telegram_bot_token=TOKEN, telegram_api_url=telegram.url)
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def runtime_for(settings: Settings, clock: Clock) -> Runtime:
    runtime = open_runtime(settings, clock)
    text = SAMPLE.read_text(encoding="utf-8")
    consultation = load_consultation(text, str(SAMPLE)).consultation
    assert consultation is not None
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.consultations.save(consultation, text, clock.now())
        if not uow.rounds.open_rounds(clock.now()):
            uow.rounds.open_now(consultation.id, clock.now() - timedelta(days=30))
    return runtime


def sleeper(clock: FixedClock) -> Callable[[float], None]:
    """A sleep that moves the fixed clock on instead of waiting."""
    lock = threading.Lock()

    def sleep(seconds: float) -> None:
        with lock:
            clock.set(clock.now() + timedelta(microseconds=math.ceil(seconds * 1_000_000)))

    return sleep


@dataclass(frozen=True)
class Person:
    address: str  # namespaced: tel:+44..., tg:123
    pseudonym: str

    @property
    def number(self) -> str:
        return self.address.partition(":")[2]


def phone_number(n: int) -> str:
    return f"+44770{n:07d}"


def add_people(
    runtime: Runtime,
    count: int,
    *,
    first: int = 0,
    channel: Channel = Channel.SMS,
    language: str = "en",
    consultation_id: str = "feeling-safe",
    scope: UpdatesScope | None = UpdatesScope.THIS,
    opted_out: bool = False,
    last_message_at: datetime | None = None,
) -> list[Person]:
    """People who took part, straight into storage: address, channel, language, and (with
    `scope`) a subscription, as the pipeline leaves them."""
    keys, when = runtime.keys, last_message_at or runtime.clock.now()
    people = []
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        for n in range(first, first + count):
            if channel is Channel.TELEGRAM:
                address = f"tg:{100_000 + n}"
            elif channel is Channel.TERMINAL:
                address = f"term:kiosk-{n}"
            else:
                address = f"tel:{phone_number(n)}"
            pseudonym = keys.pseudonym(address)
            state = ParticipantState(language=language, opted_out=opted_out)
            uow.participants.save_state(pseudonym, state, when)
            uow.participants.set_channel(pseudonym, channel)
            uow.participants.set_address(pseudonym, address)
            if scope is not None:
                subscribed = Subscribed(consultation_id, "", scope, language, channel)
                uow.decisions.record_facts([subscribed], channel, pseudonym, when)
            people.append(Person(address, pseudonym))
    return people


def queue_update(runtime: Runtime, text: str | None = None, at: datetime | None = None) -> str:
    """What `yousaid update send` does: check, render, and queue; returns the update id."""
    source = text if text is not None else EXAMPLE.read_text(encoding="utf-8")
    prepared = prepare(runtime, "feeling-safe", source, "update.yaml")
    return queue(runtime, prepared, at or runtime.clock.now()).update_id


def twilio_sender(
    runtime: Runtime, clock: FixedClock, *, rate: float | None = None
) -> OutboxSender:
    transport = TwilioTransport(runtime.settings)
    if rate is not None:
        transport.rate = rate
    return OutboxSender(runtime, [transport], clock=clock, sleep=sleeper(clock))


def telegram_sender(runtime: Runtime, clock: FixedClock) -> OutboxSender:
    return OutboxSender(runtime, [TelegramTransport(runtime)], clock=clock, sleep=sleeper(clock))


def text_in(
    runtime: Runtime, person: Person, text: str, channel: Channel = Channel.SMS
) -> list[str]:
    """The person texts the bot (through the real pipeline); returns the replies."""
    scheme, _, value = person.address.partition(":")
    received = Received(Address(scheme, value), Inbound(channel, text), "test", None)
    return [r.text for r in Pipeline(runtime).receive(received).replies]


def counts(runtime: Runtime, update_id: str) -> dict[str, int]:
    """An update's outbox rows by state, leaving out the states with none."""
    with runtime.db.unit_of_work() as uow:
        found = uow.updates.counts(update_id)
    return {k: v for k, v in vars(found).items() if v}
