"""A real YouSaid web app on 127.0.0.1, fed form posts signed the way Twilio signs them.

The app runs under uvicorn in a thread, on SQLite or PostgreSQL, with a fixed clock, the
sample consultations loaded and a round open for each. Its Twilio REST calls (deleting
Twilio's copies) go to a local fake of the Messages API. `Phone` plays a participant.
"""

from __future__ import annotations

import socket
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from bot.channels.twilio.routes import TwilioWebhooks
from bot.channels.twilio.transport import TwilioTransport
from bot.clock import FixedClock
from bot.outbox.loop import OutboxSender
from bot.pipeline import Pipeline
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from bot.web import create_app
from tests.consultations import store_consultations
from tests.fakes.twilio_api import FakeTwilio

REPO = Path(__file__).resolve().parents[2]
CONFIG_DIR = REPO / "config"
PUBLIC_URL = "https://council.example"
INBOUND = "/webhooks/twilio"
STATUS = "/webhooks/twilio/status"
START = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # a Monday afternoon
SECRET = "5e" * 32


@dataclass
class Reply:
    """What a webhook answered: the status and, for TwiML, each <Message>."""

    status: int
    texts: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.texts)


@dataclass
class TwilioHarness:
    runtime: Runtime
    fake: FakeTwilio
    base_url: str
    token: str
    app: Starlette

    @property
    def clock(self) -> FixedClock:
        clock = self.runtime.clock
        assert isinstance(clock, FixedClock)
        return clock

    @property
    def pipeline(self) -> Pipeline:
        pipeline = self.app.state.pipeline
        assert isinstance(pipeline, Pipeline)
        return pipeline

    @property
    def webhooks(self) -> TwilioWebhooks:
        """The app's Twilio routes' owner (its eraser, its pipeline)."""
        for route in self.app.routes:
            if isinstance(route, Route) and route.path == INBOUND:
                owner = route.endpoint.__self__  # type: ignore[attr-defined]
                assert isinstance(owner, TwilioWebhooks)
                return owner
        raise AssertionError("no Twilio webhook route")

    def erase_copies(self) -> int:
        """What the outbox sender's Twilio lane does between pushes: delete Twilio's copies
        due now (the webhooks only record them); how many were dealt with."""
        transport = TwilioTransport(self.runtime.settings, eraser=self.webhooks.eraser)
        return OutboxSender(self.runtime, [transport]).tidy()

    def sign(self, url: str, params: Mapping[str, str]) -> str:
        return str(RequestValidator(self.token).compute_signature(url, dict(params)))

    def post(
        self,
        path: str,
        params: Mapping[str, str],
        *,
        query: str = "",
        signed_url: str | None = None,
        signature: str | None = "sign",
        body: bytes | None = None,
        content_type: str = "application/x-www-form-urlencoded",
    ) -> Reply:
        """POST to the app as Twilio would; `signature="sign"` signs it correctly."""
        target = path + (f"?{query}" if query else "")
        headers = {"Content-Type": content_type}
        if signature == "sign":
            signature = self.sign(signed_url or PUBLIC_URL + target, params)
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        content = body if body is not None else urlencode(dict(params)).encode()
        with httpx.Client(base_url=self.base_url, timeout=30) as client:
            response = client.post(target, content=content, headers=headers)
        return parse_reply(response)


class Phone:
    """One participant's phone: texts the council's number on SMS or WhatsApp."""

    def __init__(self, harness: TwilioHarness, number: str, *, whatsapp: bool = False) -> None:
        self.harness = harness
        self.number = number
        self.whatsapp = whatsapp
        self.sids: list[str] = []

    @property
    def sender(self) -> str:
        return f"whatsapp:{self.number}" if self.whatsapp else self.number

    def params(self, text: str, *, media: int = 0, sid: str | None = None) -> dict[str, str]:
        """The form Twilio posts for one inbound message; the message is stored at the fake."""
        fake = self.harness.fake
        sid = sid or fake.receive(self.sender, text, media=media)
        self.sids.append(sid)
        to = "whatsapp:+447700900001" if self.whatsapp else "+447700900000"
        params = {
            "ToCountry": "GB",
            "SmsMessageSid": sid,
            "NumMedia": str(media),
            "SmsSid": sid,
            "SmsStatus": "received",
            "Body": text,
            "To": to,
            "NumSegments": "1",
            "MessageSid": sid,
            "AccountSid": fake.account_sid,
            "From": self.sender,
            "ApiVersion": "2010-04-01",
            "FromCountry": "GB",
        }
        media_sids = sorted(fake.media_sids(sid))
        for index, media_sid in enumerate(media_sids):
            params[f"MediaUrl{index}"] = (
                f"https://api.twilio.com/2010-04-01/Accounts/{fake.account_sid}"
                f"/Messages/{sid}/Media/{media_sid}"
            )
            params[f"MediaContentType{index}"] = "image/jpeg"
        if self.whatsapp:
            params["ProfileName"] = "Sam"
            params["WaId"] = self.number.lstrip("+")
        return params

    def send(self, text: str, *, media: int = 0) -> Reply:
        """Text the bot; returns what it answered."""
        reply = self.harness.post(INBOUND, self.params(text, media=media))
        assert reply.status == 200, f"the webhook answered {reply.status}"
        return reply


def parse_reply(response: httpx.Response) -> Reply:
    reply = Reply(response.status_code)
    if response.headers.get("content-type", "").startswith(("application/xml", "text/xml")):
        root = ET.fromstring(response.content)
        assert root.tag == "Response"
        for message in root.iter("Message"):
            reply.texts.append(message.text or "")
            reply.actions.append(message.get("action", ""))
    return reply


def load_samples(runtime: Runtime) -> None:
    """Load the sample consultations and open a round for each, now, with no end."""
    store_consultations(runtime)


def settings_for(tmp_path: Path, database_url: str, fake: FakeTwilio, **extra: object) -> Settings:
    values: dict[str, object] = {
        "var_dir": tmp_path / "var",
        "database_url": database_url,
        "secret_key": SECRET,
        "public_url": PUBLIC_URL,
        "config_dir": CONFIG_DIR,
        "twilio_account_sid": fake.account_sid,
        "twilio_auth_token": fake.auth_token,
        "twilio_from": "+447700900000",
        "twilio_whatsapp_from": "+447700900001",
        "twilio_api_url": fake.url,
        "erase_provider_copies": True,
        **extra,
    }
    return Settings(**values)  # type: ignore[arg-type]


@contextmanager
def running_app(tmp_path: Path, database_url: str, **extra: object) -> Iterator[TwilioHarness]:
    """The whole app on a free port, with its fake Twilio API; stopped afterwards."""
    with FakeTwilio() as fake:
        settings = settings_for(tmp_path, database_url, fake, **extra)
        runtime = open_runtime(settings, FixedClock(START))
        load_samples(runtime)
        app = create_app(runtime)
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        port = listener.getsockname()[1]
        config = uvicorn.Config(
            app, log_config=None, access_log=False, lifespan="off", timeout_graceful_shutdown=5
        )
        server = uvicorn.Server(config)
        # The socket already listens, so requests queue until uvicorn accepts them.
        thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
        thread.start()
        try:
            yield TwilioHarness(runtime, fake, f"http://127.0.0.1:{port}", fake.auth_token, app)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            listener.close()
            runtime.db.close()
