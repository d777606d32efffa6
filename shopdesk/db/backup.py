"""Copies of a SQLite database made with SQLite's online backup API.

Never a plain file copy: the database may be open in WAL mode with pages still in the log. The copy
is written under a temporary name, checked, and only then renamed into place, so an interrupted
backup never leaves a damaged file where a good one is expected.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from shopdesk.db.types import utc_now
from shopdesk.errors import DatabaseError


def backup_sqlite(source: Path, backup_dir: Path, reason: str, now: datetime | None = None) -> Path:
    """Copy the database at ``source`` into ``backup_dir``; return the new file's path."""
    stamp = (now or utc_now()).strftime("%Y%m%d-%H%M%S")
    backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = backup_dir / f"shopdesk-{stamp}-{reason}.db"
    counter = 1
    while target.exists():
        counter += 1
        target = backup_dir / f"shopdesk-{stamp}-{reason}-{counter}.db"
    partial = target.with_name(target.name + ".partial")
    try:
        with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
            src.backup(dst)
            result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise DatabaseError(
                f"The backup of {source} failed its check ({result}); the database was not changed."
            )
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"Could not back up the database to {backup_dir}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return target
