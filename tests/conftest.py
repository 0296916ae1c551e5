"""Shared fixtures: a fresh database on SQLite and on the real PostgreSQL server.

`make test` starts a throwaway PostgreSQL cluster and sets YOUSAID_TEST_POSTGRES_URL.
Without it the PostgreSQL cases are skipped locally and fail in CI (CI=true), so CI
never passes with them silently left out.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property-based tests: the "ci" profile (the default) keeps them cheap and repeatable on a
# shared 2-core machine: at most 100 examples, derandomized, no per-example deadline.
# HYPOTHESIS_PROFILE=dev searches harder and at random, for a local hunt. A test's own
# @settings(max_examples=...) still wins over the profile.
settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

POSTGRES_URL = os.environ.get("YOUSAID_TEST_POSTGRES_URL", "")


def _postgres_database() -> Iterator[str]:
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("YOUSAID_TEST_POSTGRES_URL is not set: run the tests with `make test`")
        pytest.skip("no PostgreSQL server (run `make test` to start one)")
    import psycopg

    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = POSTGRES_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'yousaid.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'yousaid.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()
