"""Is a SQLite file sound? SQLite's own checks, and the start-up check run while the app loads.

Standard library only, on purpose: ``shopdesk`` starts the check of the shop's file on a thread of
its own before it imports SQLAlchemy and Qt (``StartupCheck``). SQLite lets go of Python's lock
while it reads the file, so on a machine with two cores the check of a large shop runs beside the
imports instead of after them, and the window still opens only once the file is known to be sound.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from shopdesk.config import chosen_database

# Up to this size the whole integrity check runs at every start (a shop of 10,000 orders is ~10 MB).
FULL_CHECK_BYTES = 256 * 1024 * 1024

# SQLite's words for a file it cannot open at all, and for a read the disk refused: the disk or
# the permissions are at fault, not the file's content, so there is nothing to restore.
CANNOT_OPEN = "unable to open database file"
DISK_FAILED = "disk I/O error"

# What ``integrity_check`` says about a row that breaks a rule, in a file that is otherwise sound.
_RULE_BROKEN = ("CHECK constraint failed", "NULL value in")


def sqlite_problem(path: Path, quick: bool = False, read_only: bool = True) -> str | None:
    """Why the SQLite file at ``path`` is damaged, or None.

    A row breaking a CHECK or NOT NULL rule is not damage to the file: ``check_database``
    repairs or reports it.

    ``read_only=False`` is for a live database, whose log a killed process may have left for the
    next connection to recover; nothing else is written either way.
    """
    try:
        connection = sqlite3.connect(f"file:{path}?mode={'ro' if read_only else 'rw'}", uri=True)
        try:
            return damage_found(connection, quick)
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return str(exc)
    except UnicodeDecodeError:
        # SQLite's own report quotes bytes that are no longer text: damage all the same.
        return "SQLite's report on it is garbled"


def damage_found(connection: sqlite3.Connection, quick: bool = False) -> str | None:
    """What ``integrity_check`` (or ``quick_check``) finds wrong with the file, or None."""
    # A damaged file can make SQLite quote names that are no longer valid UTF-8.
    connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
    rows = connection.execute(f"PRAGMA {'quick_check' if quick else 'integrity_check'}").fetchall()
    damage = [str(row[0]) for row in rows if row != ("ok",) and not str(row[0]).startswith(_RULE_BROKEN)]
    return "; ".join(damage[:3]) if damage else None


def start_problem(path: Path) -> str | None:
    """What is wrong with the shop file at ``path`` before anything may write to it, or None.

    The full ``integrity_check`` (indexes against tables too) for any shop of a normal size; past
    ``FULL_CHECK_BYTES`` only the quick check, which reads every page, so that opening stays fast.
    A missing or empty file is no problem: it becomes a new shop.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    except OSError:
        return CANNOT_OPEN  # the disk or the permissions, not the file's content
    if size == 0:
        return None
    problem = sqlite_problem(path, quick=size > FULL_CHECK_BYTES, read_only=False)
    return problem if problem is not None else _missing_tables(path)


def _missing_tables(path: Path) -> str | None:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
        try:
            names = {
                row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            connection.close()
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        return str(exc)
    if "alembic_version" not in names or "orders" not in names:
        return "it holds no ShopDesk tables"
    return None


def sqlite_file_of(target: str) -> Path | None:
    """The file a ``--db`` value names when it is a plain path (as ``database_url`` reads it).

    URLs are left to the full start-up, which checks a SQLite URL's file itself.
    """
    if not target or "://" in target:
        return None
    return Path(target).expanduser().resolve()


def begin_startup_check(db_choice: str | None) -> StartupCheck | None:
    """Start checking the shop file that ``open_shop(db_choice)`` will open, if it is a file."""
    path = sqlite_file_of(chosen_database(db_choice))
    return StartupCheck(path) if path is not None else None


class StartupCheck:
    """``start_problem`` of one file, begun on a thread at once; ``problem()`` waits for the answer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._problem: str | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="shopdesk-startup-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._problem = start_problem(self.path)
        except BaseException as exc:  # handed to the thread that asks, which reports it
            self._error = exc

    def problem(self) -> str | None:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._problem
