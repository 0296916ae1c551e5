"""A borough in a test: the sample consultations, a round that closes, people who text in.

Used by the privacy tests. People talk to the real pipeline (the one every channel feeds),
by SMS number, Telegram id or terminal name; the clock is fixed and moves when told.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.addresses import Address
from bot.clock import FixedClock
from bot.pipeline import Pipeline, Received
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from conversations.messages import Channel, Inbound
from storage.models import Participant
from storage.sealing import participant_state_aad
from storage.serialization import decode_participant
from tests.consultations import store_consultations

REPO = Path(__file__).resolve().parents[2]
CONFIG_DIR = REPO / "config"
SECRET = "7f" * 32
START = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # a Monday afternoon
CLOSES = START + timedelta(days=7)
WINDOW_DAYS = 14  # feeling-safe's withdrawal_days
# The consent says "until 23 March 2026" (close + 14 days, London time): erasable all day.
LAST_DAY = datetime(2026, 3, 23, 23, 0, tzinfo=UTC)
AFTER_WINDOW = datetime(2026, 3, 24, 0, 30, tzinfo=UTC)

# (what the person texts) for a whole feeling-safe response with free text, asking for news.
FEELING_SAFE = ["SAFE", "yes", "3", "{text}", "4", "1 3", "skip", "yes", "no"]
# The same, not asking for news.
FEELING_SAFE_QUIET = ["SAFE", "yes", "3", "{text}", "4", "1 3", "skip", "no", "no"]


def open_world(
    tmp_path: Path,
    database_url: str,
    *,
    closes: datetime | None = CLOSES,
    **settings: object,
) -> tuple[Runtime, dict[str, str]]:
    """A runtime on a fresh database with the samples loaded; returns it and the round id
    of each consultation (opened at START, closing at `closes`)."""
    values: dict[str, object] = {
        "var_dir": tmp_path / "var",
        "database_url": database_url,
        "secret_key": SECRET,
        "config_dir": CONFIG_DIR,
        **settings,
    }
    runtime = open_runtime(Settings(**values), FixedClock(START))  # type: ignore[arg-type]
    return runtime, store_consultations(runtime, closes=closes)


def clock(runtime: Runtime) -> FixedClock:
    found = runtime.clock
    assert isinstance(found, FixedClock)
    return found


class Person:
    """Someone texting the bot: an SMS number, a Telegram id or a terminal name."""

    def __init__(self, runtime: Runtime, address: Address, channel: Channel) -> None:
        self.runtime = runtime
        self.address = address
        self.channel = channel
        self.pipeline = Pipeline(runtime)
        self.heard: list[str] = []

    @classmethod
    def sms(cls, runtime: Runtime, number: str) -> Person:
        return cls(runtime, Address.phone(number), Channel.SMS)

    @classmethod
    def telegram(cls, runtime: Runtime, user_id: int) -> Person:
        return cls(runtime, Address.telegram(user_id), Channel.TELEGRAM)

    @classmethod
    def terminal(cls, runtime: Runtime, name: str) -> Person:
        return cls(runtime, Address.terminal(name), Channel.TERMINAL)

    @property
    def pseudonym(self) -> str:
        return self.runtime.keys.pseudonym(self.address.namespaced)

    def say(self, text: str) -> str:
        """Send one message; returns the bot's replies as one text."""
        provider = {Channel.SMS: "twilio", Channel.TELEGRAM: "telegram"}.get(self.channel)
        received = Received(
            self.address,
            Inbound(self.channel, text),
            provider or "terminal",
            f"SM{secrets.token_hex(16)}" if provider else None,
            replies_in_response=True,
        )
        handled = self.pipeline.receive(received)
        said = "\n\n".join(reply.text for reply in handled.replies)
        self.heard.append(said)
        return said

    def answer(self, script: list[str], text: str) -> str:
        """Go through a consultation; `{text}` in the script becomes `text`."""
        said = ""
        for line in script:
            said = self.say(line.replace("{text}", text))
        return said

    def tokens(self) -> dict[str, str]:
        """Round id -> respondent token, as the person's encrypted state holds them."""
        with self.runtime.db.unit_of_work() as uow:
            state = uow.participants.get_state(self.pseudonym)
        return dict(state.responses) if state is not None else {}


def stored_tokens(runtime: Runtime) -> set[str]:
    """Every respondent token any participant's state still holds."""
    found: set[str] = set()
    with runtime.db.unit_of_work() as uow:
        for row in uow.session.scalars(select(Participant)):
            if row.state_enc is not None:
                plain = runtime.keys.decrypt(row.state_enc, participant_state_aad(row.pseudonym))
                found |= set(decode_participant(plain).responses.values())
    return found
