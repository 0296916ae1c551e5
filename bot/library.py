"""Consultations as stored in the database, parsed once per version, and the rounds open now.

The rounds and each consultation's latest version are held in memory and loaded again only
when the database's catalogue version has moved (storage/catalogue_version.py): one small
SELECT per message instead of a query per round, and every worker process sees an officer's
change at its next message.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime, tzinfo

from conversations.engine import KnownRound, OpenRound
from conversations.keywords import normalise
from conversations.loader import load_consultation
from conversations.model import Consultation
from storage.repositories.consultations import StoredConsultation
from storage.repositories.round_rows import RoundRow
from storage.repositories.round_selection import not_open_among, open_among
from storage.uow import UnitOfWork


class Library:
    """Parses each stored consultation version once; safe to share between threads."""

    def __init__(self) -> None:
        self._parsed: dict[tuple[str, str], Consultation] = {}
        self._lock = threading.Lock()
        self._seen: int | None = None
        self._rounds: tuple[RoundRow, ...] = ()
        self._latest: dict[str, StoredConsultation] = {}
        self._closes: dict[str, datetime | None] = {}

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
        rounds_, latest = self._current(uow)
        rounds = []
        for row in open_among(rounds_, now):
            stored = latest.get(row.consultation_id)
            if stored is None:
                continue
            consultation = self.version(uow, row.consultation_id, stored.version)
            if consultation is None:
                continue
            keyword = (row.keyword or consultation.keyword).upper()
            closes_at = row.closes_at.astimezone(zone) if row.closes_at else None
            rounds.append(OpenRound(row.id, consultation, keyword, closes_at, row.channels))
        return tuple(rounds)

    def other_rounds(self, uow: UnitOfWork, now: datetime, zone: tzinfo) -> tuple[KnownRound, ...]:
        """Rounds not open at `now`, one per keyword: the next to open, else the last to
        close. Their keywords get a kind "not open yet" or "closed" line. Times are local."""
        rounds_, latest = self._current(uow)
        chosen: dict[str, KnownRound] = {}
        for row in not_open_among(rounds_, now):
            stored = latest.get(row.consultation_id)
            keyword = row.keyword or (stored.keyword if stored is not None else None)
            if keyword is None:
                continue
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

    def closes(self, uow: UnitOfWork) -> Mapping[str, datetime | None]:
        """Every round's close time (UTC, as stored) by round id, for the conversation's
        expiry: the same rows as the rounds above, so no query of its own."""
        self._current(uow)
        with self._lock:
            return self._closes

    def _current(
        self, uow: UnitOfWork
    ) -> tuple[tuple[RoundRow, ...], dict[str, StoredConsultation]]:
        """The rounds and latest consultations, loaded again when the counter has moved."""
        # The counter first: a change committed after it is read makes the next call load
        # again; one committed before is in what is loaded now.
        seen = uow.catalogue_version()
        with self._lock:
            if seen == self._seen:
                return self._rounds, self._latest
        rounds = tuple(uow.rounds.all())
        latest = {stored.id: stored for stored in uow.consultations.all_latest()}
        closes = {row.id: row.closes_at for row in rounds}
        with self._lock:
            self._seen, self._rounds, self._latest = seen, rounds, latest
            self._closes = closes
        return rounds, latest
