"""The database handle and the unit of work: one inbound message = one transaction.

Storage is synchronous SQLAlchemy. The async web app calls it from a thread pool; each call
opens its own unit of work, which commits when its block ends normally and rolls back on
any error.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from types import TracebackType

from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session, sessionmaker

from conversations.facts import Fact
from conversations.messages import Channel
from storage.crypto import Keys
from storage.db import SQLITE_BEGIN, check_available, make_engine
from storage.errors import LockOrderError
from storage.keys import current_key_id, ensure_key_check
from storage.migrate import upgrade
from storage.models import Participant
from storage.recorder import Recorder
from storage.release import release_pending
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
from storage.repositories.schedule import ScheduleRepository
from storage.repositories.updates import UpdatesRepository
from storage.sealing import Sealer

__all__ = ["Database", "UnitOfWork"]


class Database:
    """An engine, its session factory and the keys. Share one per process."""

    def __init__(self, engine: Engine, keys: Keys) -> None:
        self.engine = engine
        self.keys = keys
        self._sessions = sessionmaker(engine, expire_on_commit=False)

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
        return UnitOfWork(self._sessions(), self.keys)

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

    def __init__(self, session: Session, keys: Keys) -> None:
        self.session = session
        self.keys = keys
        self._sealer = Sealer(keys, lambda: current_key_id(session))
        self.participants = ParticipantsRepository(session, self._sealer)
        self.conversations = ConversationsRepository(session, self._sealer)
        self.consultations = ConsultationsRepository(session)
        self.rounds = RoundsRepository(session)
        self.inbound = InboundRepository(session, self._sealer)
        self.outbox = OutboxRepository(session, self._sealer)
        self.results = ResultsRepository(session)
        self.reviews = ReviewRepository(session)
        self.schedule = ScheduleRepository(session)
        self.updates = UpdatesRepository(session)
        self.audit = AuditRepository(session)
        self._recorder = Recorder(
            session, keys, self.participants, self.conversations, self.reviews
        )

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

    @property
    def key_id(self) -> int:
        """The encryption key id this unit of work seals new values with."""
        return self._sealer.key_id

    def lock_participant(self, pseudonym: str) -> None:
        """Serialise all work on one participant until this unit of work ends.

        SQLite: the transaction starts with BEGIN IMMEDIATE (the database's one write lock),
        so this must be the first thing the unit of work does. PostgreSQL: the participant's
        row is created if missing and locked with SELECT ... FOR UPDATE.
        """
        if self.session.get_bind().dialect.name == "sqlite":
            self.begin_write()
            return
        self.session.execute(
            postgresql.insert(Participant).values(pseudonym=pseudonym).on_conflict_do_nothing()
        )
        self.session.execute(
            select(Participant.pseudonym)
            .where(Participant.pseudonym == pseudonym)
            .with_for_update()
        )

    def begin_write(self) -> None:
        """Start as a writer: on SQLite, BEGIN IMMEDIATE, so the transaction never fails half
        way on a lock upgrade (the busy timeout waits for the lock instead). Must come first;
        a no-op on PostgreSQL, whose row locks need no such thing."""
        if self.session.get_bind().dialect.name != "sqlite":
            return
        if self.session.in_transaction():
            raise LockOrderError(
                "lock_participant / begin_write must come before any other use of the unit "
                "of work (on SQLite the transaction has to start as a writer)"
            )
        self.session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})

    def record(
        self,
        facts: Sequence[Fact],
        channel: Channel,
        pseudonym: str,
        now: datetime,
        preview: bool = False,
    ) -> None:
        """Apply the engine's facts (see storage.recorder); a preview records no answers."""
        self._recorder.record(facts, channel, pseudonym, now, preview=preview)

    def release_pending(self, now: datetime, rng: random.Random | None = None) -> int:
        """Release every ended response's pending answers in one shuffled batch."""
        return release_pending(self.session, now, rng or random.SystemRandom())

    def commit(self) -> None:
        """Commit now and carry on in a new transaction (long batch jobs)."""
        self.session.commit()
