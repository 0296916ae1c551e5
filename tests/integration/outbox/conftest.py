"""Fixtures of the outbox tests: a controlled clock, a rate-limited fake Twilio, a runtime."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.runtime import Runtime
from tests.integration.outbox.harness import START, PacedTwilio, runtime_for, settings_for


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def twilio(clock: FixedClock) -> Iterator[PacedTwilio]:
    with PacedTwilio(clock, rate=10) as fake:
        yield fake


@pytest.fixture
def runtime(
    database_url: str, tmp_path: Path, clock: FixedClock, twilio: PacedTwilio
) -> Iterator[Runtime]:
    built = runtime_for(settings_for(database_url, tmp_path, twilio=twilio), clock)
    yield built
    built.db.close()
