"""Storing consultation files the way `yousaid consultation load [--open]` does, for tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.config_files import consultation_files
from bot.runtime import Runtime
from conversations.loader import load_consultation

SAMPLES = Path(__file__).resolve().parents[1] / "config" / "consultations"


def store_consultations(
    runtime: Runtime,
    *paths: Path,
    open_round: bool = True,
    closes: datetime | None = None,
) -> dict[str, str]:
    """Load each file (default: the samples), opening a round now unless told not to.

    Returns consultation id -> the id of the round opened (empty without `open_round`).
    """
    now = runtime.clock.now()
    rounds: dict[str, str] = {}
    with runtime.db.unit_of_work() as uow:
        for path in paths or (SAMPLES,):
            for source in consultation_files(path):
                result = load_consultation(source.text, str(source.path))
                assert result.consultation is not None, result
                uow.consultations.save(result.consultation, source.text, now)
                if open_round:
                    consultation_id = result.consultation.id
                    rounds[consultation_id] = uow.rounds.open_now(consultation_id, now, closes)
    return rounds
