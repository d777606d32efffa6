"""The k-th file operation of an export or a backup fails (a full disk): the owner is told, nothing
partial is left, the old file and the older backups are intact, and the database checks ok.

Imports are in ``test_import_faults.py``, migrations in ``test_migration_faults.py``."""

from __future__ import annotations

import os
import sqlite3

import pytest
from faults import DiskFills, fail_file_operations
from shop_files import sqlite_health

import shopdesk.db.backup as backup_module
from shopdesk.cli import main
from shopdesk.db.backup import backup_database, list_backups
from shopdesk.errors import DatabaseError
from shopdesk.files import WriteFailed, write_atomically


def test_an_export_that_fails_at_any_step_leaves_the_old_file(tmp_path, monkeypatch):
    import shopdesk.files as files_module

    target = tmp_path / "pick-list.pdf"
    target.write_bytes(b"%PDF yesterday's pick list")
    steps = 0
    for fail_at in range(1, 20):
        disk = DiskFills(fail_at)
        with monkeypatch.context() as patch:
            fail_file_operations(patch, files_module, disk)
            try:
                write_atomically(target, b"%PDF today's pick list" * 1000)
            except WriteFailed as exc:
                assert "No space left on device" in str(exc) and str(target) in str(exc)
                assert target.read_bytes() == b"%PDF yesterday's pick list"
                assert sorted(p.name for p in tmp_path.iterdir()) == ["pick-list.pdf"]
                steps += 1
                continue
        assert not disk.failed
        break
    assert steps >= 4  # create, write, flush, fsync, rename: each one failed once
    assert target.read_bytes() == b"%PDF today's pick list" * 1000


def test_the_command_line_says_the_disk_is_full_in_one_line(demo_db, tmp_path, monkeypatch, capsys):
    import shopdesk.files as files_module

    target = tmp_path / "pick-list.pdf"
    target.write_bytes(b"old")
    fail_file_operations(monkeypatch, files_module, DiskFills(2))

    assert main(["--db", str(demo_db.sqlite_path), "picklist", "-o", str(target)]) == 1

    err = capsys.readouterr().err
    assert (
        err
        == f"shopdesk: Could not write {target}: No space left on device. Nothing was changed in that file.\n"
    )
    assert target.read_bytes() == b"old"
    assert sqlite_health(demo_db.sqlite_path) == ("ok", [])


class _SmallDisk:
    """``sqlite3.connect`` whose new files can grow by only ``pages`` pages: SQLite's own "full"."""

    def __init__(self, pages: int, disk: DiskFills) -> None:
        self.pages = pages
        self.disk = disk
        self.real = sqlite3.connect

    def __call__(self, target, *args, **kwargs):
        connection = self.real(target, *args, **kwargs)
        if str(target).endswith(".partial"):
            connection.execute(f"PRAGMA max_page_count = {self.pages}")
        return connection


def test_a_backup_that_fails_at_any_step_leaves_the_older_backups_and_no_partial_file(demo_db, monkeypatch):
    folder = demo_db.sqlite_path.parent / "backups"
    older = backup_database(demo_db, "by-hand")
    older_bytes = older.read_bytes()
    with sqlite3.connect(older) as raw:
        pages = raw.execute("PRAGMA page_count").fetchone()[0]

    failures = []
    # A disk that fills up while the copy is written, page by page …
    for room in (1, 2, pages // 2, pages - 1):
        with monkeypatch.context() as patch:
            patch.setattr(backup_module.sqlite3, "connect", _SmallDisk(room, DiskFills(0)))
            with pytest.raises(DatabaseError, match="Could not copy the database") as caught:
                backup_database(demo_db, "by-hand")
            failures.append(str(caught.value))
    # … and each file operation around it failing in turn.
    for fail_at in range(1, 10):
        disk = DiskFills(fail_at)
        with monkeypatch.context() as patch:
            patch.setattr(backup_module.os, "open", disk.wrap(os.open))
            patch.setattr(backup_module.os, "fsync", disk.wrap(os.fsync))
            patch.setattr(backup_module.os, "replace", disk.wrap(os.replace))
            patch.setattr(backup_module.os, "chmod", disk.wrap(os.chmod))
            try:
                made = backup_database(demo_db, "by-hand")
            except DatabaseError as exc:
                failures.append(str(exc))
            else:
                if not disk.failed:
                    made.unlink()
                    break
                # Only syncing the folder after the rename failed: the backup is whole.
                assert sqlite_health(made) == ("ok", [])
                made.unlink()
        assert [b.path for b in list_backups(folder)] == [older]
        assert older.read_bytes() == older_bytes
        assert list(folder.glob("*.partial")) == []

    assert len(failures) >= 8
    assert all("No space left on device" in text or "full" in text for text in failures), failures
    assert sqlite_health(demo_db.sqlite_path) == ("ok", [])
    backup_database(demo_db, "by-hand")  # the disk has room again: the next backup works
    assert len(list_backups(folder)) == 2
