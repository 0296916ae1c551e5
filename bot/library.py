"""Consultations as stored in the database, parsed once per version, and the rounds open now."""

from __future__ import annotations

import threading
from datetime import datetime, tzinfo

from conversations.engine import KnownRound, OpenRound
from conversations.keywords import normalise
from conversations.loader import load_consultation
from conversations.messages import Channel
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
            channels = self._channels(uow, row.round_id)
            rounds.append(OpenRound(row.round_id, consultation, keyword, closes_at, channels))
        return tuple(rounds)

    def other_rounds(self, uow: UnitOfWork, now: datetime, zone: tzinfo) -> tuple[KnownRound, ...]:
        """Rounds not open at `now`, one per keyword: the next to open, else the last to
        close. Their keywords get a kind "not open yet" or "closed" line. Times are local."""
        keywords: dict[str, str] = {}
        chosen: dict[str, KnownRound] = {}
        for row in uow.rounds.not_open(now):
            keyword = row.keyword or keywords.get(row.consultation_id)
            if keyword is None:
                stored = uow.consultations.latest(row.consultation_id)
                if stored is None:
                    continue
                keyword = keywords[row.consultation_id] = stored.keyword
            chosen.setdefault(
                normalise(keyword),
                KnownRound(
                    round_id=row.id,
                    keyword=keyword.upper(),
                    opens_at=row.opens_at.astimezone(zone),
                    closes_at=row.closes_at.astimezone(zone) if row.closes_at else None,
                    results_at=row.results_at.astimezone(zone) if row.results_at else None,
                ),
            )
        return tuple(chosen.values())

    @staticmethod
    def _channels(uow: UnitOfWork, round_id: str) -> tuple[Channel, ...] | None:
        row = uow.rounds.get(round_id)
        return None if row is None else row.channels
