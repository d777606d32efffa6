"""Faults for the I/O tests: the k-th file or database operation fails, as a full or failing disk makes it.

``DiskFills`` wraps chosen functions; ``ShopFilesFail`` counts every operation on the files under
one folder (the shop, its backups, the export being read); ``DatabaseFails`` makes the k-th
statement or commit sent to SQLite fail with SQLite's own error; ``SmallDisk`` lets SQLite itself
run out of room. Each counts, so that a test can go on with k = 1, 2, 3 … until the operation
completes without reaching the fault.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite


def _no_space() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _input_output() -> OSError:
    return OSError(errno.EIO, os.strerror(errno.EIO))


def _cannot_open() -> sqlite3.Error:
    """What ``sqlite3.connect`` raises when the disk will not give it the file."""
    return sqlite3.OperationalError("unable to open database file")


class DiskFills:
    """Counts the operations it wraps; the ``fail_at``-th raises ENOSPC, as a full disk does."""

    def __init__(self, fail_at: int) -> None:
        self.fail_at = fail_at
        self.calls = 0

    @property
    def failed(self) -> bool:
        return self.calls >= self.fail_at

    def wrap(self, function):
        def operation(*args, **kwargs):
            self.calls += 1
            if self.calls == self.fail_at:
                raise _no_space()
            return function(*args, **kwargs)

        return operation


class _File:
    """A file object whose writes count as operations."""

    def __init__(self, file, disk: DiskFills) -> None:
        self._file = file
        self.write = disk.wrap(file.write)
        self.flush = disk.wrap(file.flush)

    def fileno(self) -> int:
        return self._file.fileno()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._file.close()


def fail_file_operations(monkeypatch, module, disk: DiskFills) -> None:
    """The atomic writes of ``module`` (temporary file, write, flush, fsync, rename) count on ``disk``."""
    real_fdopen = os.fdopen
    monkeypatch.setattr(module.tempfile, "mkstemp", disk.wrap(module.tempfile.mkstemp))
    monkeypatch.setattr(module.os, "fdopen", lambda *a, **k: _File(real_fdopen(*a, **k), disk))
    monkeypatch.setattr(module.os, "fsync", disk.wrap(os.fsync))
    monkeypatch.setattr(module.os, "replace", disk.wrap(os.replace))


class ShopFilesFail:
    """The ``fail_at``-th operation on a file or folder under ``root`` raises an ``OSError``.

    Counted: opening (``os.open``, SQLite opening a file, opening a file to read it), creating a folder,
    changing a mode, syncing and closing what was opened there, renaming, deleting and listing.
    Writing operations fail with ENOSPC (a full disk), reading ones with EIO (a failing disk), and
    SQLite's open as SQLite says it.
    Operations elsewhere (the log, Python's own files) are left alone.
    """

    def __init__(self, root: Path, fail_at: int) -> None:
        self.root = str(root.resolve())
        self.fail_at = fail_at
        self.calls = 0
        self.failed_at: str | None = None
        self._descriptors: set[int] = set()

    @property
    def failed(self) -> bool:
        return self.failed_at is not None

    def _ours(self, path) -> bool:
        if isinstance(path, int):
            return path in self._descriptors
        if not isinstance(path, (str, bytes, os.PathLike)):
            return False
        text = os.fsdecode(path)
        if text.startswith("file:"):  # SQLite's URI form, as in file:/path/shop.db?mode=ro
            text = text.removeprefix("file:").partition("?")[0]
        text = os.path.abspath(text)
        return text == self.root or text.startswith(self.root + os.sep)

    def _step(self, name: str, path, error) -> None:
        if not self._ours(path):
            return
        self.calls += 1
        if self.calls == self.fail_at:
            self.failed_at = f"{name} {path}"
            raise error()

    def _wrap(self, name: str, function, error=_no_space):
        def operation(path, *args, **kwargs):
            self._step(name, path, error)
            return function(path, *args, **kwargs)

        return operation

    def install(self, patch) -> None:
        """Install with a ``monkeypatch`` (or its ``context()``), which takes it away again."""
        real_open, real_close = os.open, os.close

        def opening(path, *args, **kwargs):
            self._step("open", path, _no_space)
            descriptor = real_open(path, *args, **kwargs)
            if self._ours(path):
                self._descriptors.add(descriptor)
            return descriptor

        def closing(descriptor):
            try:
                self._step("close", descriptor, _no_space)
            finally:
                self._descriptors.discard(descriptor)
            real_close(descriptor)

        patch.setattr(os, "open", opening)
        patch.setattr(os, "close", closing)
        for name in ("fsync", "chmod", "mkdir", "replace", "rename", "unlink"):
            patch.setattr(os, name, self._wrap(name, getattr(os, name)))
        for name in ("listdir", "scandir"):
            patch.setattr(os, name, self._wrap(name, getattr(os, name), _input_output))
        patch.setattr(Path, "read_bytes", self._wrap("read", Path.read_bytes, _input_output))
        real_path_open = Path.open

        def opening_to_read(path, mode="r", *args, **kwargs):
            if "r" in mode and "+" not in mode:  # an export being read
                self._step("read", path, _input_output)
            return real_path_open(path, mode, *args, **kwargs)

        patch.setattr(Path, "open", opening_to_read)
        patch.setattr(sqlite3, "connect", self._wrap("sqlite open", sqlite3.connect, _cannot_open))


class DatabaseFails:
    """The ``fail_at``-th statement or commit any SQLAlchemy engine sends fails with SQLite's ``said``.

    Raised where the driver would raise it, so SQLAlchemy wraps it as it wraps a real one.
    """

    def __init__(self, fail_at: int, said: str = "database or disk is full") -> None:
        self.fail_at = fail_at
        self.said = said
        self.calls = 0
        self.failed_at: str | None = None

    @property
    def failed(self) -> bool:
        return self.failed_at is not None

    def _step(self, what: str) -> None:
        self.calls += 1
        if self.calls == self.fail_at:
            self.failed_at = what
            raise sqlite3.OperationalError(self.said)

    def _statement(self, _conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        self._step(" ".join(statement.split())[:60])

    @contextmanager
    def installed(self, patch) -> Iterator[DatabaseFails]:
        real_commit = SQLiteDialect_pysqlite.do_commit

        def commit(dialect, dbapi_connection) -> None:
            self._step("COMMIT")
            real_commit(dialect, dbapi_connection)

        patch.setattr(SQLiteDialect_pysqlite, "do_commit", commit)
        event.listen(Engine, "before_cursor_execute", self._statement)
        try:
            yield self
        finally:
            event.remove(Engine, "before_cursor_execute", self._statement)


class SmallDisk:
    """Every SQLite connection an engine opens may grow the file by ``room`` pages only: SQLite's own
    "database or disk is full", wherever the pages run out."""

    def __init__(self, room: int) -> None:
        self.room = room

    def _limit(self, dbapi_connection, _record) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + self.room}")

    @contextmanager
    def installed(self) -> Iterator[SmallDisk]:
        event.listen(Engine, "connect", self._limit)
        try:
            yield self
        finally:
            event.remove(Engine, "connect", self._limit)
