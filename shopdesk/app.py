"""Start-up: choose the database, check it, open it, bring its schema up to date."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from shopdesk.config import backup_dir_for, chosen_database
from shopdesk.db.database import Database, database_url, owner_error
from shopdesk.db.health import damaged_message, ensure_sound_sqlite
from shopdesk.db.integrity import StartupCheck
from shopdesk.db.lock import ShopLock
from shopdesk.db.migrate import upgrade_database
from shopdesk.errors import DatabaseError

log = logging.getLogger(__name__)

# What SQLite says about a file that is not (or no longer) a database.
_DAMAGE_WORDS = ("malformed", "not a database", "corrupt", "disk image")


def open_shop(
    db_choice: str | None = None, *, exclusive: bool = False, started: StartupCheck | None = None
) -> Database:
    """Open the shop's database (``--db``, ``$SHOPDESK_DB`` or the default) and upgrade it.

    A damaged SQLite file is refused before anything writes to it, with the newest good backup
    named. ``exclusive`` (the window) takes the shop's lock first, so that a second window on the
    same file says so (``ShopAlreadyOpen``) and writes nothing. Raises ``DatabaseError`` with a
    sentence for the owner when the database cannot be used.

    ``started`` is the file's soundness check begun earlier (``begin_startup_check``), so that it
    ran while the caller loaded the rest of the app.
    """
    url = database_url(chosen_database(db_choice))
    path = (
        Path(url.database)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
        else None
    )
    lock = None
    if path is not None:
        if not path.parent.is_dir():
            raise DatabaseError(f"The folder for the database does not exist: {path.parent}")
        if exclusive:
            lock = ShopLock.acquire(path)
        try:
            _make_private(path)
            ensure_sound_sqlite(path, started)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
    try:
        db = _open_and_upgrade(url, path)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    db.lock = lock
    return db


def _open_and_upgrade(url, path: Path | None) -> Database:
    db = Database.open(url)
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        result = upgrade_database(db, backup_dir_for(path) if path else None)
    except SQLAlchemyError as exc:
        db.dispose()
        reason = str(exc.orig) if getattr(exc, "orig", None) else str(exc)
        if path is not None and any(word in reason.lower() for word in _DAMAGE_WORDS):
            raise DatabaseError(damaged_message(path, reason)) from exc
        # Busy, full or failing while checking or upgrading: the sentence every action gives.
        problem = owner_error(exc, db.describe()) if isinstance(exc, OperationalError) else None
        if problem is not None:
            raise problem from exc
        raise DatabaseError(f"Cannot open the database {db.describe()}: {reason}") from exc
    except DatabaseError:
        db.dispose()
        raise
    if result.changed:
        log.info(
            "database %s upgraded %s → %s (backup %s)",
            db.describe(),
            result.from_revision,
            result.to_revision,
            result.backup,
        )
    return db


def _make_private(path: Path) -> None:
    """The database and its log readable by the owner only; SQLite gives its log the file's mode."""
    try:
        exists = path.exists()
    except OSError:
        return  # a failing disk or a permission: the soundness check says so in plain words
    if not exists:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return
    for suffix in ("", "-wal", "-shm"):
        part = path.with_name(path.name + suffix)
        try:
            if part.exists() and part.stat().st_mode & 0o077:
                os.chmod(part, 0o600)
        except OSError:
            pass  # not ours to change; SQLite will say if it cannot be used
