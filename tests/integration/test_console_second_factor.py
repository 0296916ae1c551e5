"""A second factor's secret at rest: encrypted, re-sealed by key rotation, gone with a
reset and with a purged account, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp

from bot.clock import FixedClock
from bot.services import officers, second_factor
from bot.services.keys import rotate_key
from bot.services.retention import purge
from storage.crypto import blob_key_id
from storage.models_console import Officer
from tests.integration.scheduler_harness import make_runtime

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_secret_is_resealed_by_rotation_and_goes_with_a_reset_and_the_account(
    tmp_path: Path, database_url: str
) -> None:
    runtime = make_runtime(tmp_path, database_url, START, disabled_account_days=90)
    clock = runtime.clock
    assert isinstance(clock, FixedClock)
    officers.add(runtime, "sam@council.gov.uk")
    sam = officers.all_officers(runtime)[0]
    enrolment = second_factor.start(runtime, sam)
    second_factor.confirm(runtime, sam, pyotp.TOTP(enrolment.secret).at(START))
    assert officers.all_officers(runtime)[0].second_factor
    key_id, _ = rotate_key(runtime)
    with runtime.db.unit_of_work() as uow:
        blob = uow.session.get(Officer, sam.id).totp_secret_enc  # type: ignore[union-attr]
        assert blob is not None
        assert blob_key_id(blob) == key_id
        assert uow.second_factor.state(sam.id).secret == enrolment.secret
    officers.reset(runtime, "sam@council.gov.uk")
    assert not officers.all_officers(runtime)[0].second_factor
    with runtime.db.unit_of_work() as uow:
        assert uow.session.get(Officer, sam.id).totp_secret_enc is None  # type: ignore[union-attr]
    officers.disable(runtime, "sam@council.gov.uk")
    clock.set(START + timedelta(days=91))
    purge(runtime)
    assert officers.all_officers(runtime) == []
