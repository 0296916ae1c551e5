"""`yousaid serve --workers N`: N web worker processes on one PostgreSQL database.

The same participants are driven through the workers at once, each message signed the
way Twilio signs it, some sent twice at the same moment (a provider's retry racing the
first delivery): every answer is stored once and every reply given once. On SQLite the
option is refused with a plain reason.
"""

from __future__ import annotations

import signal
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import Connection, create_engine, func, select
from twilio.request_validator import RequestValidator

from storage.models import OutboxMessage, PendingAnswer, Response
from tests.e2e.cli import SAMPLES, environment, yousaid
from tests.e2e.servers import start_serve, wait_until_up
from tests.e2e.test_rounds_serve import WAIT, Lines, free_port
from tests.e2e.test_twilio_conversation import FEELING_SAFE

PUBLIC_URL = "https://council.example"
TOKEN = "0f" * 16
ACCOUNT = "AC" + "1" * 32
PEOPLE = 6


def test_more_than_one_worker_is_refused_on_sqlite(tmp_path: Path, sqlite_url: str) -> None:
    result = yousaid(environment(tmp_path, sqlite_url), "serve", "--workers", "2")

    assert result.code == 1
    assert "--workers above 1 needs PostgreSQL" in result.err
    assert "YOUSAID_DATABASE_URL" in result.err
    assert "Traceback" not in result.err


def test_two_workers_store_every_answer_once_and_give_every_reply_once(
    tmp_path: Path, postgres_url: str
) -> None:
    env = environment(
        tmp_path,
        postgres_url,
        YOUSAID_PUBLIC_URL=PUBLIC_URL,
        TWILIO_AUTH_TOKEN=TOKEN,
        YOUSAID_ERASE_PROVIDER_COPIES="false",
    )
    assert yousaid(env, "consultation", "load", str(SAMPLES), "--open").code == 0
    port = free_port()
    server = start_serve(env, port, "--workers", "2")
    try:
        lines = Lines(server.stdout)
        assert "2 processes" in lines.until("Web workers:")
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
            heard = list(pool.map(lambda n: _consultation(base, n), range(PEOPLE)))
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=WAIT) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert "Traceback" not in "".join(lines.seen)

    engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        statuses = connection.execute(
            select(Response.status, func.count()).group_by(Response.status)
        ).all()
        answered = connection.execute(
            select(PendingAnswer.respondent_key, PendingAnswer.question_id, func.count()).group_by(
                PendingAnswer.respondent_key, PendingAnswer.question_id
            )
        ).all()
        outbox = connection.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    engine.dispose()
    assert dict(statuses) == {"finished": PEOPLE}
    assert len(answered) == PEOPLE * (len(FEELING_SAFE) - 2)
    assert {count for *_, count in answered} == {1}
    # One row per reply given, marked sent in its message's transaction.
    assert dict(outbox) == {"sent": sum(len(texts) for texts in heard)}


# --- helpers -----------------------------------------------------------------------------


def _consultation(base: str, n: int) -> list[str]:
    """One person's whole consultation; every second message is sent twice at once."""
    number = f"+447700900{400 + n:03d}"
    heard: list[str] = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for step, (text, expected) in enumerate(FEELING_SAFE):
            params = _params(number, text, f"SM{n:04d}{step:04d}" + "0" * 24)
            if step % 2:
                with ThreadPoolExecutor(max_workers=2) as pool:
                    first, again = pool.map(_post, [client, client], [params, params])
                assert first == again, "a retry racing the first delivery got other replies"
            else:
                first = _post(client, params)
            assert expected in "\n".join(first), f"after {text!r}: {first!r}"
            heard.extend(first)
    return heard


def _counts(connection: Connection, column: Any) -> list[Any]:
    return list(connection.execute(select(column, func.count()).group_by(column)).all())


def _params(number: str, text: str, sid: str) -> dict[str, str]:
    return {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": ACCOUNT,
        "From": number,
        "To": "+447700900000",
        "Body": text,
        "NumMedia": "0",
    }


def _post(client: httpx.Client, params: dict[str, str]) -> list[str]:
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC_URL + "/webhooks/twilio", params)
    response = client.post(
        "/webhooks/twilio",
        content=urlencode(params).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
        },
    )
    assert response.status_code == 200, response.status_code
    return [m.text or "" for m in ET.fromstring(response.content).iter("Message")]
