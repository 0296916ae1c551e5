"""The database handle and the unit of work: one inbound message = one transaction.

Storage is synchronous SQLAlchemy. The async web app calls it from a thread pool; each call
opens its own unit of work, which commits when its block ends normally and rolls back on
any error.
"""

from __future__ import annotations

import random
import threading
from datetime import datetime
from types import TracebackType

from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from storage import catalogue_version
from storage.crypto import Keys
from storage.db import BUSY_TIMEOUT_MS, SQLITE_BEGIN, check_available, make_engine
from storage.decisions import DecisionWriter
from storage.errors import LockOrderError
from storage.keys import current_key_id, ensure_key_check
from storage.migrate import upgrade
from storage.models import Participant
from storage.recorder import Recorder
from storage.release import last_released, release_pending, waiting
from storage.repositories import (
    ConsultationsRepository,
    ConversationsRepository,
    InboundRepository,
    OutboxRepository,
    ParticipantsRepository,
    ResultsRepository,
    ReviewRepository,
    RoundsRepository,
)
from storage.repositories.audit import AuditRepository
from storage.repositories.officers import OfficersRepository
from storage.repositories.outbox_claims import PushClaimsRepository
from storage.repositories.participants import ensure_row
from storage.repositories.provider_messages import ProviderMessagesRepository
from storage.repositories.schedule import ScheduleRepository
from storage.repositories.second_factor import SecondFactorRepository
from storage.repositories.telegram_messages import TelegramRepository
from storage.repositories.updates import UpdatesRepository
from storage.sealing import Sealer

__all__ = ["Database", "UnitOfWork"]


class Database:
    """An engine, its session factory and the keys. Share one per process."""

    def __init__(self, engine: Engine, keys: Keys) -> None:
        self.engine = engine
        self.keys = keys
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # SQLite has one write lock, and its busy handler waits for it by sleeping and
        # trying again: under load an unlucky writer kept losing the race for more than the
        # busy timeout (a 500). Writers of this process queue on a lock of their own first,
        # and wake as soon as it is free; other processes still meet SQLite's own lock.
        self._writer = threading.Lock() if engine.dialect.name == "sqlite" else None

    @classmethod
    def open(cls, url: str, keys: Keys, *, migrate: bool = True) -> Database:
        """Connect, migrate under a lock (unless `migrate` is False) and check the key.

        Raises DatabaseURLError, DatabaseUnavailable or WrongKeyError, each with a fix.
        """
        engine = make_engine(url)
        try:
            check_available(engine)
            if migrate:
                upgrade(engine)
            ensure_key_check(engine, keys)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, keys)

    @property
    def dialect(self) -> str:
        """The SQLAlchemy dialect name: sqlite or postgresql."""
        return self.engine.dialect.name

    def unit_of_work(self) -> UnitOfWork:
        """A new transaction: `with db.unit_of_work() as uow: ...`."""
        return UnitOfWork(self._sessions(), self.keys, self._writer)

    def compact(self) -> bool:
        """After a purge: fold the SQLite WAL back into the file (secure_delete has zeroed
        the erased rows) and empty it, or rewrite PostgreSQL's tables, so erased data leaves
        the database's files. False when SQLite could not finish (another process was
        reading): run it again later."""
        if self.dialect == "sqlite":
            # On the raw connection, outside any transaction: a checkpoint can't complete
            # inside one.
            raw = self.engine.raw_connection()
            try:
                busy, _, _ = raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                raw.close()
            return not busy
        with self.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            # A plain VACUUM only marks dead rows reusable: their bytes stay in the table's
            # files until overwritten. VACUUM FULL writes each table anew without them (it
            # locks the table meanwhile: seconds at a borough's scale).
            for table in inspect(connection).get_table_names():
                connection.execute(text(f'VACUUM FULL "{table}"'))
        return True

    def close(self) -> None:
        self.engine.dispose()


class UnitOfWork:
    """One transaction with every repository bound to it."""

    def __init__(self, session: Session, keys: Keys, writer: threading.Lock | None = None) -> None:
        self.session = session
        self.keys = keys
        self._writer = writer
        self._holding = False
        self._sealer = Sealer(keys, lambda: current_key_id(session))
        self.participants = ParticipantsRepository(session, self._sealer)
        self.conversations = ConversationsRepository(session, self._sealer)
        self.consultations = ConsultationsRepository(session)
        self.rounds = RoundsRepository(session)
        self.inbound = InboundRepository(session, self._sealer)
        self.outbox = OutboxRepository(session, self._sealer)
        self.pushes = PushClaimsRepository(session, self._sealer)
        self.results = ResultsRepository(session)
        self.reviews = ReviewRepository(session)
        self.schedule = ScheduleRepository(session)
        self.updates = UpdatesRepository(session)
        self.audit = AuditRepository(session)
        self.officers = OfficersRepository(session)
        self.second_factor = SecondFactorRepository(session, self._sealer)
        self.provider_messages = ProviderMessagesRepository(session)
        self.telegram = TelegramRepository(session, keys)
        recorder = Recorder(
            session, keys, self.participants, self.conversations, self.reviews, self.updates
        )
        self.decisions = DecisionWriter(recorder, self.participants, self.conversations)
        self._writing = False

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self.session.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()
            self._let_go()

    @property
    def key_id(self) -> int:
        """The encryption key id this unit of work seals new values with."""
        return self._sealer.key_id

    def lock_participant(self, pseudonym: str, *, create: bool = True) -> bool:
        """Serialise all work on one participant until this unit of work ends: the one
        participant lock, taken the same way by the pipeline, the privacy jobs and the
        outbox sender. Returns whether the participant's row exists (always, with `create`).

        SQLite: the transaction starts with BEGIN IMMEDIATE (the database's one write lock),
        so this must come first (or after `begin_write`). PostgreSQL: the participant's row
        is created if missing (unless `create` is False) and locked with SELECT ... FOR
        UPDATE.
        """
        sqlite = self.session.get_bind().dialect.name == "sqlite"
        if sqlite:
            self.begin_write()
        elif create:
            ensure_row(self.session, pseudonym)
        if create and sqlite:
            return True
        statement = select(Participant.pseudonym).where(Participant.pseudonym == pseudonym)
        return self.session.scalar(statement if sqlite else statement.with_for_update()) is not None

    def begin_write(self) -> None:
        """Start as a writer: on SQLite, BEGIN IMMEDIATE, so the transaction never fails half
        way on a lock upgrade (the busy timeout waits for the lock instead). Must come first;
        a no-op on PostgreSQL, whose row locks need no such thing."""
        if self._writing or self.session.get_bind().dialect.name != "sqlite":
            return
        if self.session.in_transaction():
            raise LockOrderError(
                "lock_participant / begin_write must come before any other use of the unit "
                "of work (on SQLite the transaction has to start as a writer)"
            )
        if self._writer is not None:
            # Bounded like SQLite's own wait: past it, carry on and let SQLite decide (a
            # unit of work nested in another on one thread must not wait here forever).
            self._holding = self._writer.acquire(timeout=BUSY_TIMEOUT_MS / 1000)
        self.session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
        self._writing = True

    def release_pending(self, now: datetime, rng: random.Random | None = None) -> int:
        """Release every ended response's pending answers in one shuffled batch."""
        return release_pending(self.session, now, rng or random.SystemRandom())

    def catalogue_version(self) -> int:
        """The counter that moves whenever rounds or consultations change (one SELECT)."""
        return catalogue_version.current(self.session)

    def waiting_to_release(self) -> int:
        """How many ended responses have answers waiting to be released."""
        return waiting(self.session)

    def last_release(self) -> datetime | None:
        """When answers were last released (None: never)."""
        return last_released(self.session)

    def commit(self) -> None:
        """Commit now and carry on in a new transaction (long batch jobs)."""
        self.session.commit()
        self._writing = False
        self._let_go()

    def _let_go(self) -> None:
        if self._holding and self._writer is not None:
            self._holding = False
            self._writer.release()
