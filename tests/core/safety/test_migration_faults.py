"""The k-th database or file operation of a schema upgrade fails: the shop stays at its old revision
with its old schema and data, checks ok, the owner reads a sentence, and the next start upgrades it.

For k = 1, 2, 3 … until the start-up completes without meeting its fault, on a demo shop taken back
to revision 0001 (the upgrade adds tables, indexes and columns, and moves the version twice). Each k
starts the shop again with ``open_shop``, as the window and the command line do: that start is the
rerun of the one before.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from itertools import count
from pathlib import Path

import pytest
from faults import DatabaseFails, ShopFilesFail, SmallDisk
from shop_files import sqlite_health

from shopdesk.app import open_shop
from shopdesk.cli import main
from shopdesk.db.backup import list_backups
from shopdesk.db.migrate import downgrade_database, head_revision
from shopdesk.errors import DatabaseError
from shopdesk.orders.demo import load_demo_data

OLD = "0001"
SQLITE_SAYS = {
    "database or disk is full": "The disk is full, so ShopDesk could not save",
    "disk I/O error": "The disk reported an error while saving",
}

CANNOT_OPEN = "Cannot open the database "
NOT_BACKED_UP = (
    "This version of ShopDesk needs to update the database, and the backup made first failed, "
    "so nothing was changed. "
)
OS_SAYS = ("No space left on device", "Input/output error", "unable to open database file")


@pytest.fixture
def old_shop(tmp_path: Path) -> Path:
    """A demo shop at revision 0001, closed."""
    path = tmp_path / "shop.db"
    db = open_shop(str(path))
    load_demo_data(db)
    downgrade_database(db, OLD)
    db.dispose()
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("VACUUM")  # as a shop that never had the newer tables: no free pages to reuse
    return path


def copy_shop(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as raw:
        return list(raw.iterdump())


def revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def assert_sound(path: Path) -> None:
    """Checks ok, and nothing holds the database: another writer gets it at once."""
    assert sqlite_health(path) == ("ok", [])
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def assert_upgraded(path: Path, orders: int) -> None:
    assert revision(path) == head_revision()
    with closing(sqlite3.connect(path)) as raw:
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = {row[1] for row in raw.execute("PRAGMA table_info(orders)")}
        assert raw.execute("SELECT count(*) FROM orders").fetchone()[0] == orders
    assert {"corrections", "correction_lines", "sent_messages", "follow_ups"} <= tables
    assert {"check_station", "check_started_at"} <= columns
    assert_sound(path)


def _orders(path: Path) -> int:
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute("SELECT count(*) FROM orders").fetchone()[0]


def test_the_kth_database_operation_of_an_upgrade_failing_leaves_the_old_shop(old_shop, monkeypatch):
    """Odd k: the disk is full; even k: the disk fails."""
    before = dump(old_shop)
    orders = _orders(old_shop)
    failed = []
    for k in count(1):
        said = list(SQLITE_SAYS)[(k - 1) % 2]
        fault = DatabaseFails(k, said)
        with monkeypatch.context() as patch, fault.installed(patch):
            try:
                db = open_shop(str(old_shop))
            except DatabaseError as exc:
                failed.append(fault.failed_at)
                assert str(exc).startswith(SQLITE_SAYS[said]), f"k={k}: {fault.failed_at}: {exc}"
                assert revision(old_shop) == OLD and dump(old_shop) == before, f"k={k}: {fault.failed_at}"
                assert_sound(old_shop)
                continue
        db.dispose()
        assert not fault.failed, f"k={k}: {fault.failed_at} failed and the shop opened"
        break
    assert_upgraded(old_shop, orders)
    # Each step of the upgrade failed once: creating tables and indexes, adding columns, moving the
    # version, the final check of the links and the commit.
    assert len(failed) >= 30 and failed[-1] == "COMMIT", failed
    assert any(step.startswith("ALTER TABLE orders ADD COLUMN") for step in failed), failed


def test_an_upgrade_on_a_disk_that_fills_up_leaves_the_old_shop(old_shop):
    """SQLite's own "database or disk is full", with room for 0, 1, 2 … more pages."""
    before = dump(old_shop)
    orders = _orders(old_shop)
    rooms = []
    for room in count(0):
        with SmallDisk(room).installed():
            try:
                db = open_shop(str(old_shop))
            except DatabaseError as exc:
                rooms.append(room)
                assert str(exc).startswith(SQLITE_SAYS["database or disk is full"]), f"room {room}: {exc}"
                assert revision(old_shop) == OLD and dump(old_shop) == before, f"room for {room} pages"
                assert_sound(old_shop)
                continue
        db.dispose()
        break
    assert_upgraded(old_shop, orders)
    assert len(rooms) >= 5, rooms


def test_the_kth_file_operation_of_an_upgrade_failing_leaves_the_old_shop(old_shop, monkeypatch):
    """The backup taken before the upgrade, and the opening of the database's file."""
    folder = old_shop.parent / "backups"
    before = dump(old_shop)
    orders = _orders(old_shop)
    pristine = old_shop.with_name("pristine.db")
    copy_shop(old_shop, pristine)
    told, harmless = [], []
    for k in count(1):
        older = {backup.path: backup.path.stat().st_mtime_ns for backup in list_backups(folder)}
        fault = ShopFilesFail(old_shop.parent, k)
        with monkeypatch.context() as patch:
            fault.install(patch)
            try:
                db = open_shop(str(old_shop))
            except DatabaseError as exc:
                told.append((fault.failed_at, str(exc)))
                assert revision(old_shop) == OLD and dump(old_shop) == before, f"k={k}: {fault.failed_at}"
            else:
                db.dispose()
                if not fault.failed:
                    break
                # A fault the start could do without (syncing the backups' folder): it is upgraded.
                harmless.append(fault.failed_at)
                assert_upgraded(old_shop, orders)
                copy_shop(pristine, old_shop)  # back to the old shop, for the next k
        assert_sound(old_shop)
        assert list(folder.glob("*.partial")) == []
        for backup, modified in older.items():
            assert backup.stat().st_mtime_ns == modified, f"k={k}: {fault.failed_at} touched {backup}"
    assert_upgraded(old_shop, orders)
    # Opening the file (twice: the start-up check), then each step of the backup before the upgrade.
    assert [step.split()[0] for step, _ in told[:4]] == ["sqlite", "sqlite", "mkdir", "chmod"], told
    assert len(told) >= 10 and harmless, (told, harmless)
    for step, said in told:
        assert "damaged" not in said, f"{step}: {said}"  # nothing to restore: the file is fine
        assert said.startswith((CANNOT_OPEN, NOT_BACKED_UP)), f"{step}: {said}"
        assert said.endswith(OS_SAYS) or "the disk would not let ShopDesk open it" in said, f"{step}: {said}"


def test_the_command_line_says_the_upgrade_failed_in_one_line(old_shop, monkeypatch, capsys):
    before = dump(old_shop)
    fault = DatabaseFails(30)
    with monkeypatch.context() as patch, fault.installed(patch):
        assert main(["--db", str(old_shop), "orders"]) == 1
    out, err = capsys.readouterr()
    assert fault.failed_at.startswith("ALTER TABLE orders ADD COLUMN") and out == ""
    assert err.startswith("shopdesk: The disk is full") and err.count("\n") == 1, err
    assert dump(old_shop) == before
    assert main(["--db", str(old_shop), "orders"]) == 0  # room again: the next start upgrades it
    assert revision(old_shop) == head_revision()
