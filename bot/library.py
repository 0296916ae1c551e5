"""Consultations as stored in the database, parsed once per version, and the rounds open now."""

from __future__ import annotations

import threading
from datetime import datetime, tzinfo

from conversations.engine import OpenRound
from conversations.loader import load_consultation
from conversations.model import Consultation
from storage.uow import UnitOfWork


class Library:
    """Parses each stored consultation version once; safe to share between threads."""

    def __init__(self) -> None:
        self._parsed: dict[tuple[str, str], Consultation] = {}
        self._lock = threading.Lock()

    def version(self, uow: UnitOfWork, consultation_id: str, version: str) -> Consultation | None:
        """One stored version of a consultation, or None when it is not stored."""
        key = (consultation_id, version)
        with self._lock:
            if key in self._parsed:
                return self._parsed[key]
        source = uow.consultations.get(consultation_id, version)
        if source is None:
            return None
        result = load_consultation(source, f"{consultation_id}@{version}")
        if result.consultation is None:
            return None
        with self._lock:
            self._parsed[key] = result.consultation
        return result.consultation

    def open_rounds(self, uow: UnitOfWork, now: datetime, zone: tzinfo) -> tuple[OpenRound, ...]:
        """Rounds taking answers at `now`, each on its consultation's latest version.

        Close times are given in the local `zone`: the consent message names the last day
        answers can be withdrawn, and that day is a local one.
        """
        rounds = []
        for row in uow.rounds.open_rounds(now):
            latest = uow.consultations.latest(row.consultation_id)
            if latest is None:
                continue
            consultation = self.version(uow, row.consultation_id, latest.version)
            if consultation is None:
                continue
            keyword = (row.keyword or consultation.keyword).upper()
            closes_at = row.closes_at.astimezone(zone) if row.closes_at else None
            rounds.append(OpenRound(row.round_id, consultation, keyword, closes_at))
        return tuple(rounds)
