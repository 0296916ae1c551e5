"""Property-based tests over real HTTP: no body an outsider (or Telegram) sends gets a 500.

Unsigned Twilio bodies get a clear 4xx; Telegram bodies with the right secret get 200
(taken, or acknowledged and dropped). The app runs once per module under uvicorn; the
"ci" hypothesis profile (tests/conftest.py) keeps it to at most 100 derandomized examples.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.e2e.telegram_harness import SECRET, USER, Telegram, telegram_app
from tests.e2e.twilio_harness import INBOUND, STATUS, TwilioHarness, running_app

FORM = "application/x-www-form-urlencoded"
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def twilio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwilioHarness]:
    tmp = tmp_path_factory.mktemp("twilio")
    with running_app(tmp, f"sqlite:///{tmp / 'yousaid.db'}") as harness:
        yield harness


@pytest.fixture(scope="module")
def telegram(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Telegram]:
    tmp = tmp_path_factory.mktemp("telegram")
    with telegram_app(tmp, f"sqlite:///{tmp / 'yousaid.db'}") as harness:
        yield harness


@given(
    path=st.sampled_from([INBOUND, STATUS]),
    body=st.binary(max_size=4000)
    | st.lists(st.tuples(st.text(max_size=12), st.text(max_size=40)), max_size=300).map(
        lambda pairs: "&".join(f"{k}={v}" for k, v in pairs).encode()
    ),
    content_type=st.sampled_from([FORM, "application/json", "", "multipart/form-data"]),
    signature=st.none() | st.text(max_size=40).filter(lambda s: s.isascii() and s.isprintable()),
)
def test_no_unsigned_twilio_body_gets_past_a_4xx(
    twilio: TwilioHarness, path: str, body: bytes, content_type: str, signature: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    with httpx.Client(base_url=twilio.base_url, timeout=30) as client:
        response = client.post(path, content=body, headers=headers)

    assert response.status_code in (400, 403, 413)


def _update(text: object, update_id: int) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1772467200,
            "chat": {"id": USER, "type": "private"},
            "from": {"id": USER, "is_bot": False, "first_name": "A"},
            "text": text,
        },
    }


@given(
    body=st.binary(max_size=2000)
    | JSON.map(lambda v: json.dumps(v).encode())
    | st.builds(_update, JSON, st.integers(min_value=-(2**70), max_value=2**70)).map(
        lambda u: json.dumps(u).encode()
    )
)
def test_no_telegram_body_gets_a_500(telegram: Telegram, body: bytes) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}

    response = telegram.http.post("/webhooks/telegram", content=body, headers=headers)

    assert response.status_code == 200
