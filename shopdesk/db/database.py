"""Opening the database and the unit of work every user action runs in.

The engine is built once at start-up (``Database.open``) and passed to whoever needs it; nothing
connects at import time, so each test can bring its own temporary database.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from shopdesk.errors import DatabaseBusy, DatabaseError, DiskProblem

log = logging.getLogger(__name__)

# Seconds a writer waits for another writer (another window, the CLI, a second station).
BUSY_TIMEOUT_S = 5


def _configure_sqlite(engine: Engine, busy_timeout_s: float) -> None:
    """WAL, full sync, foreign keys, and explicit transactions begun the way each unit asks.

    pysqlite's own transaction handling is switched off so that a writing unit of work can start
    with ``BEGIN IMMEDIATE``: a deferred transaction that later needs to write fails at once with
    "database is locked" whatever the timeout, while an immediate one waits its turn.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {round(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed order survives a power cut, not only a crash of the app.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        immediate = connection.get_execution_options().get("shopdesk_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# What SQLite (and PostgreSQL) say when the database stays locked, the disk is full or fails.
_BUSY_WORDS = ("database is locked", "database table is locked", "database is busy")
_FULL_WORDS = ("database or disk is full", "no space left on device", "disk full", "could not extend file")
_DISK_WORDS = ("disk i/o error", "input/output error")


def owner_error(exc: OperationalError, where: str, *, reading: bool = False) -> DatabaseError | None:
    """The error the owner sees for ``exc``, or None when it is not one of these (then it is a bug).

    ``reading``: it struck while reading (a list, a report), not while saving.
    """
    reason = str(exc.orig if exc.orig is not None else exc).lower()
    doing, done = ("read", "reading") if reading else ("save", "saving")
    if any(words in reason for words in _BUSY_WORDS):
        return DatabaseBusy(
            "The shop's database is busy: another window, command or packing station is saving to it. "
            "Nothing was changed; try again in a moment."
        )
    if any(words in reason for words in _FULL_WORDS):
        return DiskProblem(
            f"The disk is full, so ShopDesk could not {doing} ({where}). Nothing was changed; "
            "free some space and try again."
        )
    if any(words in reason for words in _DISK_WORDS):
        return DiskProblem(
            f"The disk reported an error while {done} ({where}). Nothing was changed; check the disk "
            "(or the network drive) and try again. Back up now if it happens again."
        )
    return None


def database_url(target: str | Path) -> URL:
    """A SQLAlchemy URL from what the owner typed: a URL, or a path to a SQLite file."""
    text = str(target)
    if "://" in text:
        try:
            return make_url(text)
        except ArgumentError as exc:
            raise DatabaseError(f"Not a database address ShopDesk understands: {text}") from exc
    return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().resolve()))


@dataclass
class Database:
    """The shop's database: an engine plus the sessions made from it."""

    engine: Engine
    station: str = socket.gethostname()
    # The shop's lock (``shopdesk.db.lock.ShopLock``) while a window holds it; released by ``dispose``.
    lock: Any = None

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def open(cls, target: str | Path | URL, *, busy_timeout_s: float = BUSY_TIMEOUT_S) -> Database:
        """``busy_timeout_s``: how long a SQLite writer waits for another before giving up."""
        url = target if isinstance(target, URL) else database_url(target)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            folder = Path(url.database).parent
            if not folder.is_dir():
                raise DatabaseError(f"The folder for the database does not exist: {folder}")
        try:
            engine = create_engine(url)
        except (ArgumentError, ImportError, SQLAlchemyError) as exc:
            raise DatabaseError(f"Cannot open the database {url.render_as_string()}: {exc}") from exc
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine, busy_timeout_s)
        return cls(engine)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        name = self.engine.url.database
        if not self.is_sqlite or not name or name == ":memory:":
            return None
        return Path(name)

    def describe(self) -> str:
        path = self.sqlite_path
        return str(path) if path else self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """One user action that writes: commits only when told, rolls back everything else.

        A database that stays busy past the timeout, a full disk or a disk error becomes a
        ``DatabaseBusy`` or ``DiskProblem`` with a sentence for the owner; nothing of the unit
        was saved.
        """
        try:
            with self.engine.connect() as connection:
                connection.execution_options(shopdesk_write=True)
                with Session(bind=connection, expire_on_commit=False) as session:
                    uow = UnitOfWork(session, self.station)
                    try:
                        yield uow
                    finally:
                        if not uow.committed:
                            session.rollback()
        except OperationalError as exc:
            problem = owner_error(exc, self.describe())
            if problem is None:
                raise
            log.warning("unit of work on %s failed: %s", self.describe(), exc.orig or exc)
            raise problem from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session; anything written in it is thrown away when it closes.

        Closing (not rolling back) keeps what was loaded readable afterwards, detached. A busy
        database, a full or failing disk becomes the same plain sentence as when saving.
        """
        try:
            with self._sessions() as session:
                yield session
        except OperationalError as exc:
            problem = owner_error(exc, self.describe(), reading=True)
            if problem is None:
                raise
            log.warning("reading %s failed: %s", self.describe(), exc.orig or exc)
            raise problem from exc

    def dispose(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


class UnitOfWork:
    def __init__(self, session: Session, station: str) -> None:
        self.session = session
        self.station = station
        self.committed = False

    def commit(self) -> None:
        self.session.commit()
        self.committed = True
