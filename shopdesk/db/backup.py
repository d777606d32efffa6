"""Backups of the shop's database: made, kept, found again and restored.

A SQLite database is copied with SQLite's online backup API, never as a plain file copy: it may be
open in WAL mode with pages still in the log. Every copy is written under a temporary name, checked
with ``integrity_check``, and only then renamed into place, so an interrupted backup never leaves a
damaged file where a good one is expected, and never touches the backups made before it.

Backups are kept like Anki keeps them: everything from the last day, then the newest of each of 12
days, of 10 weeks before those and of 9 months before those (``backups_to_keep``).

A PostgreSQL database is dumped with ``pg_dump`` into the same folder.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from shopdesk.config import backup_dir_for, data_dir
from shopdesk.db.integrity import damage_found, sqlite_problem
from shopdesk.db.types import utc_now
from shopdesk.errors import DatabaseError

log = logging.getLogger(__name__)

DAILY = 12
WEEKLY = 10
MONTHLY = 9
# Every backup younger than this is kept, whatever the rules above say: a backup made before a
# restore or an upgrade must not disappear because a routine one followed it the same day.
RECENT = timedelta(hours=24)
# A temporary file older than this was left by a backup that was interrupted.
_STALE_PARTIAL = timedelta(hours=1)

_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(
    r"^shopdesk-(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z0-9-]+?)(?:-(?P<counter>\d+))?\.(?:db|dump)$"
)


@dataclass(frozen=True)
class Backup:
    path: Path
    made_at: datetime
    reason: str


def backup_dir(db) -> Path:
    """Where the backups of ``db`` go: beside a SQLite file, else in the user data folder."""
    path = db.sqlite_path
    return backup_dir_for(path) if path is not None else data_dir() / "backups"


def list_backups(folder: Path) -> list[Backup]:
    """The backups ShopDesk made in ``folder``, newest first."""
    found = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            made_at = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
            found.append((made_at, int(match["counter"] or 1), Backup(path, made_at, match["reason"])))
    found.sort(key=lambda item: item[:2], reverse=True)
    return [backup for _, _, backup in found]


def backups_to_keep(
    times: Iterable[datetime],
    now: datetime,
    daily: int = DAILY,
    weekly: int = WEEKLY,
    monthly: int = MONTHLY,
) -> set[datetime]:
    """Which of the backups made at ``times`` to keep.

    Newest first: everything younger than a day; then the newest backup of each day until
    ``daily`` days are kept; then the newest of each older week until ``weekly`` weeks are; then
    the newest of each older month until ``monthly`` months are. A kept backup covers its day, its
    week and its month, so each rule reaches further back than the one before it.
    """
    keep: set[datetime] = set()
    days: set[object] = set()
    weeks: set[object] = set()
    months: set[object] = set()
    kept_by = {"daily": 0, "weekly": 0, "monthly": 0}
    for time in sorted(set(times), reverse=True):
        day, week, month = time.date(), time.isocalendar()[:2], (time.year, time.month)
        if now - time < RECENT:
            rule = "recent"
        elif day not in days and kept_by["daily"] < daily:
            rule = "daily"
        elif week not in weeks and kept_by["weekly"] < weekly:
            rule = "weekly"
        elif month not in months and kept_by["monthly"] < monthly:
            rule = "monthly"
        else:
            continue
        if rule != "recent":
            kept_by[rule] += 1
        keep.add(time)
        days.add(day)
        weeks.add(week)
        months.add(month)
    return keep


def prune_backups(folder: Path, now: datetime | None = None) -> list[Path]:
    """Delete the backups ``backups_to_keep`` lets go, and temporary files of interrupted ones.

    Never fails: it runs after a backup or a restore that is already made, which a folder that
    cannot be tidied up must not undo or report as failed. What is left is removed next time.
    """
    now = now or utc_now()
    removed: list[Path] = []
    try:
        backups = list_backups(folder)
        # Two backups made in the same second are one moment: the newest name stands for it.
        newest_at: dict[datetime, Path] = {}
        for backup in backups:
            newest_at.setdefault(backup.made_at, backup.path)
        keep = backups_to_keep(newest_at, now)
        for backup in backups:
            if backup.made_at not in keep:
                backup.path.unlink(missing_ok=True)
                removed.append(backup.path)
        for partial in folder.glob("*.partial"):
            if now - datetime.fromtimestamp(partial.stat().st_mtime, UTC) > _STALE_PARTIAL:
                partial.unlink(missing_ok=True)
                removed.append(partial)
    except OSError as exc:
        log.warning("could not remove old backups from %s (will try again next time): %s", folder, exc)
    if removed:
        log.info("removed %d old backups from %s", len(removed), folder)
    return removed


def new_backup_name(folder: Path, reason: str, now: datetime, suffix: str) -> Path:
    stamp = now.strftime(_STAMP)
    target = folder / f"shopdesk-{stamp}-{reason}{suffix}"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"shopdesk-{stamp}-{reason}-{counter}{suffix}"
    return target


def make_private_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)


def copy_sqlite(source: Path, target: Path) -> Path:
    """Copy the SQLite database at ``source`` to ``target``, checked, readable by the owner only.

    The copy is a single self-contained file (no WAL beside it). ``target`` is replaced only by a
    copy that passed ``integrity_check``; on any failure it is left as it was.
    """
    # Named for this process and thread: two stations backing up in the same second (each before
    # its import) must not write into, or delete, each other's copy. Left-overs of a killed backup
    # are removed by ``prune_backups``.
    partial = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.partial")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(descriptor)
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
                damage = damage_found(dst)
            finally:
                dst.close()
        finally:
            src.close()
        if damage is not None:
            raise DatabaseError(f"The copy of {source} failed its check ({damage}); nothing was replaced.")
        _fsync(partial)
        os.replace(partial, target)
        _fsync_folder(target.parent)
    except (sqlite3.Error, OSError) as exc:
        raise DatabaseError(f"Could not copy the database to {target}: {_reason(exc)}") from exc
    finally:
        # Tidying up must not hide what happened; a left-over is removed by ``prune_backups``.
        with suppress(OSError):
            partial.unlink(missing_ok=True)
    return target


def backup_sqlite(source: Path, backup_dir: Path, reason: str, now: datetime | None = None) -> Path:
    """Copy the database at ``source`` into ``backup_dir``; return the new file's path."""
    try:
        make_private_folder(backup_dir)
    except OSError as exc:
        raise DatabaseError(f"Could not back up the database to {backup_dir}: {_reason(exc)}") from exc
    return copy_sqlite(source, new_backup_name(backup_dir, reason, now or utc_now(), ".db"))


def backup_database(db, reason: str, output: Path | None = None) -> Path:
    """Back up ``db`` (to ``output``, or into its backup folder, thinning old backups there).

    SQLite: the online backup API. PostgreSQL: ``pg_dump`` in its custom format, which
    ``pg_restore`` reads. Raises ``DatabaseError`` with a sentence for the owner.
    """
    if db.sqlite_path is not None:
        if output is not None:
            return copy_sqlite(db.sqlite_path, Path(output))
        folder = backup_dir(db)
        target = backup_sqlite(db.sqlite_path, folder, reason)
        prune_backups(folder)
        return target
    if db.engine.dialect.name == "postgresql":
        return _pg_dump(db, reason, output)
    raise DatabaseError(f"ShopDesk cannot back up a {db.engine.dialect.name} database.")


def backup_before(db, reason: str) -> Path | None:
    """The automatic backup before an import, a restore or a check: SQLite shops only.

    A PostgreSQL server is backed up by whoever runs it (or ``shopdesk backup``); dumping the whole
    server before every import would make each import wait for it.
    """
    if db.sqlite_path is None:
        return None
    return backup_database(db, f"before-{reason}")


def _pg_dump(db, reason: str, output: Path | None) -> Path:
    program = shutil.which("pg_dump")
    if program is None:
        raise DatabaseError(
            "pg_dump is not installed, so the PostgreSQL database was not backed up. "
            "Install PostgreSQL's client programs (on Debian or Ubuntu: apt install postgresql-client)."
        )
    if output is None:
        folder = backup_dir(db)
        make_private_folder(folder)
        target = new_backup_name(folder, reason, utc_now(), ".dump")
    else:
        target = Path(output)
    url = db.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    address = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    partial = target.with_name(target.name + ".partial")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(descriptor)
        finished = subprocess.run(
            [program, "--format=custom", f"--file={partial}", f"--dbname={address}"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if finished.returncode != 0:
            raise DatabaseError(f"pg_dump could not back up the database: {finished.stderr.strip()}")
        _fsync(partial)
        os.replace(partial, target)
    except OSError as exc:
        raise DatabaseError(f"Could not back up the database to {target}: {_reason(exc)}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return target


def newest_good_backup(folder: Path) -> Backup | None:
    """The newest SQLite backup in ``folder`` that passes ``integrity_check``."""
    for backup in list_backups(folder):
        if backup.path.suffix == ".db" and sqlite_problem(backup.path) is None:
            return backup
    return None


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_folder(folder: Path) -> None:
    """Make a rename inside ``folder`` survive a power cut."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
