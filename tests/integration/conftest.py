"""The scheduler tests' shared fixture: an installation with the sample consultations loaded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.scheduler_harness import Installation, load_samples, local, make_runtime

START = local("2026-06-01T10:00")  # a Monday morning in London: the clock starts here


@pytest.fixture
def bot(tmp_path: Path, database_url: str) -> Iterator[Installation]:
    """The bot installed at START on a fresh database, the samples loaded; closed after."""
    runtime = make_runtime(tmp_path, database_url, START)
    load_samples(runtime)
    installation = Installation(runtime)
    yield installation
    installation.close()
