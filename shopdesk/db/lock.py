"""One ShopDesk at a time on a SQLite file: a lock the operating system releases when we die.

The lock is ``flock`` on ``<database>.lock`` beside the database. The kernel drops it when the
process ends in any way, SIGKILL and power cuts included, so a crash never leaves a stale lock
behind; the file itself stays and means nothing on its own. The window holds the lock while it is
open; ``shopdesk restore`` and ``shopdesk check-db`` hold it while they work, and refuse to start
while the window is open.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from shopdesk.errors import DatabaseError

ALREADY_OPEN = "ShopDesk is already open on this shop"


class ShopAlreadyOpen(DatabaseError):
    """Another ShopDesk holds the shop's lock."""


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class ShopLock:
    """The exclusive lock on one SQLite shop; ``release`` (or the end of the process) lets it go."""

    def __init__(self, db_path: Path) -> None:
        self.path = lock_path_for(Path(db_path))
        self._descriptor: int | None = None

    @classmethod
    def acquire(cls, db_path: Path) -> ShopLock:
        """Take the lock at once, or raise ``ShopAlreadyOpen``; never waits."""
        lock = cls(db_path)
        descriptor = os.open(lock.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(descriptor)
            os.close(descriptor)
            raise ShopAlreadyOpen(
                f"{ALREADY_OPEN} ({db_path}{', ' + holder if holder else ''}). "
                "Use that window, or close it first."
            ) from None
        except OSError:
            os.close(descriptor)
            raise
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"process {os.getpid()}\n".encode())
        lock._descriptor = descriptor
        return lock

    @property
    def held(self) -> bool:
        return self._descriptor is not None

    def release(self) -> None:
        if self._descriptor is not None:
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)
            os.close(self._descriptor)
            self._descriptor = None

    def __enter__(self) -> ShopLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _read_holder(descriptor: int) -> str:
    try:
        return os.pread(descriptor, 64, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""
