"""Putting a backup back in place of the shop's SQLite database.

Only a file that passes ``integrity_check`` and holds a ShopDesk schema this version knows is
restored, and the current database is kept first (a checked backup, or a plain copy of its files
when it is damaged), so a restore never loses what was there. The copy is written in one SQLite
transaction through the online backup API, or, when the current file is damaged, put in place by
rename; either way an interruption leaves the old database or the restored one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from shopdesk.config import backup_dir_for
from shopdesk.db.backup import (
    backup_sqlite,
    copy_sqlite,
    make_private_folder,
    new_backup_name,
    prune_backups,
)
from shopdesk.db.integrity import damage_found, sqlite_problem
from shopdesk.db.lock import ShopLock
from shopdesk.db.types import utc_now
from shopdesk.errors import DatabaseError


@dataclass(frozen=True)
class RestoreResult:
    restored: Path
    # The database as it was before the restore, kept in the backup folder (None: there was none).
    kept: Path | None
    revision: str


def check_restorable(source: Path) -> str:
    """The schema revision of the backup at ``source``, or ``DatabaseError`` saying why not."""
    source = Path(source)
    if not source.is_file():
        raise DatabaseError(f"There is no backup file {source}.")
    problem = sqlite_problem(source)
    if problem is not None:
        raise DatabaseError(f"{source} is damaged or is not a database ({problem}); nothing was restored.")
    try:
        connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            tables = {
                row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise DatabaseError(f"{source} cannot be read ({exc}); nothing was restored.") from exc
    if revision is None or "orders" not in tables:
        raise DatabaseError(f"{source} is not a ShopDesk database; nothing was restored.")
    from alembic.script import ScriptDirectory  # only a restore needs the whole migration history

    from shopdesk.db.migrate import alembic_config

    known = {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision not in known:
        raise DatabaseError(
            f"{source} was made by a newer version of ShopDesk (schema {revision}). "
            "Update ShopDesk to restore it; nothing was restored."
        )
    return revision


def restore_sqlite(db_path: Path, source: Path, *, lock_held: bool = False) -> RestoreResult:
    """Replace the shop at ``db_path`` with the backup at ``source``, keeping the current one first.

    Refuses (``ShopAlreadyOpen``) while a ShopDesk window is open on the shop, unless the caller
    is that window (``lock_held``), which must have closed its connections first.
    """
    db_path, source = Path(db_path), Path(source)
    if source.resolve() == db_path.resolve():
        raise DatabaseError("That is the shop's own database, not a backup of it.")
    revision = check_restorable(source)
    with contextlib.nullcontext() if lock_held else ShopLock.acquire(db_path):
        folder = backup_dir_for(db_path)
        kept = None
        healthy = False
        if db_path.exists() and db_path.stat().st_size > 0:
            healthy = sqlite_problem(db_path, read_only=False) is None
            kept = backup_sqlite(db_path, folder, "before-restore") if healthy else _keep_damaged(db_path)
        if healthy:
            _restore_in_place(db_path, source)
        else:
            _restore_by_rename(db_path, source)
        prune_backups(folder)
    return RestoreResult(db_path, kept, revision)


def _restore_in_place(db_path: Path, source: Path) -> None:
    """Copy ``source`` into the live file in one SQLite transaction."""
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(db_path)
            try:
                dst.execute("PRAGMA busy_timeout = 5000")
                src.backup(dst)
                damage = damage_found(dst)
                dst.execute("PRAGMA journal_mode = WAL")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise DatabaseError(f"Could not restore {source}: {exc}. The database was left as it was.") from exc
    if damage is not None:
        raise DatabaseError(f"The restored database failed its check ({damage}); restore again.")
    os.chmod(db_path, 0o600)


def _restore_by_rename(db_path: Path, source: Path) -> None:
    staged = db_path.with_name(db_path.name + ".restoring")
    copy_sqlite(source, staged)
    try:
        # The log of the damaged database must not be replayed into the restored one.
        for suffix in ("-wal", "-shm"):
            db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        os.replace(staged, db_path)
    except OSError as exc:
        raise DatabaseError(f"Could not put {source} in place of {db_path}: {exc}") from exc
    finally:
        staged.unlink(missing_ok=True)


def _keep_damaged(db_path: Path) -> Path:
    """A plain copy of a damaged database's files (it cannot be copied any other way)."""
    folder = backup_dir_for(db_path)
    make_private_folder(folder)
    target = new_backup_name(folder, "before-restore-damaged", utc_now(), ".db")
    try:
        for suffix in ("", "-wal"):
            part = db_path.with_name(db_path.name + suffix)
            if part.exists():
                copy = target.with_name(target.name + suffix)
                shutil.copyfile(part, copy)
                os.chmod(copy, 0o600)
    except OSError as exc:
        raise DatabaseError(
            f"Could not keep a copy of the current database in {folder} ({exc}); nothing was restored."
        ) from exc
    return target
