"""A YouSaid installation on a real database with a fixed clock, a scheduler to tick by hand,
and participants texting on SMS through the real pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.addresses import Address
from bot.clock import FixedClock
from bot.pipeline import Pipeline, Received
from bot.runtime import Runtime, open_runtime
from bot.scheduler import Scheduler, TickReport
from bot.services.rounds import RoundRequest, schedule_round
from bot.settings import Settings
from conversations.messages import Channel, Inbound
from storage.models import OutboxMessage, Response
from storage.repositories.round_rows import RoundRow
from tests.consultations import store_consultations

REPO = Path(__file__).resolve().parents[2]
CONFIG_DIR = REPO / "config"
SECRET = "7c" * 32
LONDON = ZoneInfo("Europe/London")


def local(text: str) -> datetime:
    """A London wall-clock time (unambiguous ones only) as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@dataclass(frozen=True)
class Push:
    """A queued push as the sender will find it."""

    pseudonym: str
    channel: str
    dedupe_key: str
    text: str
    not_before: datetime | None
    language: str | None


def make_runtime(tmp_path: Path, database_url: str, start: datetime, **settings: object) -> Runtime:
    values: dict[str, object] = {
        "var_dir": tmp_path / "var",
        "database_url": database_url,
        "secret_key": SECRET,
        "config_dir": CONFIG_DIR,
        **settings,
    }
    return open_runtime(Settings(**values), FixedClock(start))  # type: ignore[arg-type]


def load_samples(runtime: Runtime) -> None:
    """The sample consultations, with no round open."""
    store_consultations(runtime, open_round=False)


class Installation:
    """One installation: its runtime, a scheduler, and phones texting it."""

    def __init__(self, runtime: Runtime, scheduler: Scheduler | None = None) -> None:
        self.runtime = runtime
        self.scheduler = scheduler or Scheduler(runtime)
        self.pipeline = Pipeline(runtime)

    @property
    def clock(self) -> FixedClock:
        clock = self.runtime.clock
        assert isinstance(clock, FixedClock)
        return clock

    def at(self, when: str | datetime) -> None:
        self.clock.set(local(when) if isinstance(when, str) else when)

    def tick(self) -> TickReport:
        report = self.scheduler.tick()
        assert report.leader
        assert report.failed == [], report.failed
        return report

    def schedule(self, consultation: str = "feeling-safe", **options: object) -> str:
        """`round schedule` as an officer types it: every value a string."""
        request = RoundRequest(consultation, **options)  # type: ignore[arg-type]
        now = self.clock.now()
        with self.runtime.db.unit_of_work() as uow:
            uow.begin_write()
            return schedule_round(uow, request, self.runtime.settings.zone, now)

    def round(self, round_id: str) -> RoundRow:
        with self.runtime.db.unit_of_work() as uow:
            row = uow.rounds.get(round_id)
        assert row is not None
        return row

    def text(self, number: str, message: str, channel: Channel = Channel.SMS) -> list[str]:
        """A participant texts the bot; returns the replies' texts."""
        received = Received(
            Address.phone(number), Inbound(channel, message), "twilio", replies_in_response=True
        )
        handled = self.pipeline.receive(received)
        return [reply.text for reply in handled.replies]

    def pseudonym(self, number: str) -> str:
        return self.runtime.keys.pseudonym(Address.phone(number).namespaced)

    def pushes(self) -> list[Push]:
        with self.runtime.db.unit_of_work() as uow:
            rows = list(
                uow.session.scalars(
                    select(OutboxMessage)
                    .where(OutboxMessage.kind == "push")
                    .order_by(OutboxMessage.created_at, OutboxMessage.dedupe_key)
                )
            )
            items = {item.id: item for item in uow.outbox.get([row.id for row in rows])}
        return [
            Push(
                row.pseudonym,
                row.channel,
                row.dedupe_key,
                items[row.id].message.text,
                row.next_attempt_at,
                row.language,
            )
            for row in rows
        ]

    def pushes_to(self, number: str) -> list[Push]:
        pseudonym = self.pseudonym(number)
        return [push for push in self.pushes() if push.pseudonym == pseudonym]

    def response_statuses(self, round_id: str) -> list[str]:
        with self.runtime.db.unit_of_work() as uow:
            return sorted(
                uow.session.scalars(select(Response.status).where(Response.round_id == round_id))
            )

    def close(self) -> None:
        self.scheduler.shutdown()
        self.runtime.db.close()
