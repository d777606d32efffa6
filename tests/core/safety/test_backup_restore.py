"""Backups made, thinned, restored; restore refuses what it must; "Check database" repairs safely."""

from __future__ import annotations

import random
import shutil
import sqlite3
from datetime import timedelta

import pytest
from shop_files import SAMPLES, flip_bytes, sqlite_health
from sqlalchemy import select

from shopdesk.app import open_shop
from shopdesk.db.backup import backup_database, list_backups, new_backup_name
from shopdesk.db.database import Database
from shopdesk.db.health import check_database
from shopdesk.db.lock import ShopAlreadyOpen
from shopdesk.db.models import Event, Order, OrderLine, OrderStatus
from shopdesk.db.restore import restore_sqlite
from shopdesk.db.types import utc_now
from shopdesk.errors import DatabaseError
from shopdesk.importers.service import import_files
from shopdesk.orders.queries import count_orders


def _orders(path) -> int:
    with sqlite3.connect(path) as raw:
        return raw.execute("SELECT count(*) FROM orders").fetchone()[0]


def test_a_backup_is_checked_private_and_thins_the_old_ones(demo_db):
    folder = demo_db.sqlite_path.parent / "backups"
    first = backup_database(demo_db, "by-hand")
    # A year and more of older backups, one a day.
    for days in range(2, 400):
        shutil.copyfile(first, new_backup_name(folder, "by-hand", utc_now() - timedelta(days=days), ".db"))

    newest = backup_database(demo_db, "by-hand")

    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct(newest.stat().st_mode & 0o777) == "0o600"
    assert sqlite_health(newest) == ("ok", [])
    assert _orders(newest) == 40
    kept = list_backups(folder)
    assert kept[0].path == newest
    assert 12 + 10 + 9 <= len(kept) <= 12 + 10 + 9 + 2
    assert list(folder.glob("*.partial")) == []


def test_every_kept_backup_restores_and_passes_the_check(db, tmp_path):
    path = db.sqlite_path
    files = [
        SAMPLES / "shopify/orders_export_1.csv",
        SAMPLES / "squarespace/orders.csv",
        SAMPLES / "woocommerce/orders-export-one-row-per-item.csv",
    ]
    taken = []
    for file in files:
        import_files(db, [file])
        with db.reading() as session:
            taken.append((backup_database(db, "by-hand"), count_orders(session)))
    db.dispose()
    assert [count for _, count in taken] == [8, 12, 16]

    for backup, count in reversed(taken):
        result = restore_sqlite(path, backup)
        assert result.kept is not None and result.kept.exists()
        reopened = open_shop(str(path))
        with reopened.reading() as session:
            assert count_orders(session) == count
        reopened.dispose()
        assert sqlite_health(path) == ("ok", [])


def test_restore_keeps_the_database_it_replaces(demo_db, tmp_path):
    path = demo_db.sqlite_path
    empty = open_shop(str(tmp_path / "other.db"))
    empty.dispose()
    demo_db.dispose()

    result = restore_sqlite(path, tmp_path / "other.db")

    assert _orders(path) == 0
    assert _orders(result.kept) == 40
    assert oct(path.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("kind", ["damaged", "not sqlite", "not shopdesk", "newer shopdesk", "missing"])
def test_restore_refuses_a_file_that_is_not_a_good_backup(demo_db, tmp_path, kind):
    path = demo_db.sqlite_path
    candidate = tmp_path / "candidate.db"
    if kind == "damaged":
        backup = backup_database(demo_db, "by-hand")
        shutil.copyfile(backup, candidate)
        data = bytearray(candidate.read_bytes())
        data[4096 * 3 : 4096 * 3 + 64] = bytes(64)  # a page of the orders' tables, zeroed
        candidate.write_bytes(bytes(data))
        if _readable_and_sound(candidate):
            pytest.fail("the damage did not reach a page SQLite checks")
    elif kind == "not sqlite":
        candidate.write_text("Order,Date\n1001,2026-11-02\n")
    elif kind == "not shopdesk":
        with sqlite3.connect(candidate) as raw:
            raw.execute("CREATE TABLE notes (text)")
    elif kind == "newer shopdesk":
        shutil.copyfile(backup_database(demo_db, "by-hand"), candidate)
        with sqlite3.connect(candidate) as raw:
            raw.execute("UPDATE alembic_version SET version_num = 'zz_from_the_future'")
    demo_db.dispose()
    before = path.read_bytes()

    with pytest.raises(DatabaseError, match=r"nothing was restored|no backup file"):
        restore_sqlite(path, candidate)

    assert path.read_bytes() == before
    assert _orders(path) == 40


def _readable_and_sound(path) -> bool:
    try:
        return sqlite_health(path)[0] == "ok"
    except sqlite3.DatabaseError:
        return False


def test_restore_replaces_a_damaged_database_and_keeps_its_files(demo_db):
    path = demo_db.sqlite_path
    good = backup_database(demo_db, "by-hand")
    demo_db.dispose()
    data = bytearray(path.read_bytes())
    data[0:16] = b"not a database!!"
    path.write_bytes(bytes(data))

    result = restore_sqlite(path, good)

    assert result.kept is not None and result.kept.read_bytes()[:16] == b"not a database!!"
    assert sqlite_health(path) == ("ok", [])
    assert _orders(path) == 40


def test_restore_is_refused_while_the_window_holds_the_shop(demo_db, tmp_path):
    good = backup_database(demo_db, "by-hand")
    demo_db.dispose()
    window = open_shop(str(demo_db.sqlite_path), exclusive=True)
    try:
        with pytest.raises(ShopAlreadyOpen, match="ShopDesk is already open on this shop"):
            restore_sqlite(window.sqlite_path, good)
    finally:
        window.dispose()
    restore_sqlite(demo_db.sqlite_path, good)  # and once it is closed, it restores


def test_importing_backs_up_first(db):
    import_files(db, [SAMPLES / "shopify/orders_export_1.csv"])
    import_files(db, [SAMPLES / "squarespace/orders.csv"])

    backups = list_backups(db.sqlite_path.parent / "backups")
    assert [backup.reason for backup in backups] == ["before-import", "before-import"]
    # Each holds the shop as it was before its import.
    assert sorted(_orders(backup.path) for backup in backups) == [0, 8]


def test_the_same_export_again_changes_nothing_and_takes_no_backup(db):
    import_files(db, [SAMPLES / "shopify/orders_export_1.csv"])
    [again] = import_files(db, [SAMPLES / "shopify/orders_export_1.csv"])

    assert again.imported and (again.new, again.unchanged) == (0, 8)
    backups = list_backups(db.sqlite_path.parent / "backups")
    assert [backup.reason for backup in backups] == ["before-import"]
    with db.reading() as session:
        said = session.scalars(select(Event.summary).where(Event.kind == "import").order_by(Event.id)).all()
    assert len(said) == 2 and "8 unchanged" in said[1]  # the history still says it was imported


def _break_the_rules(path) -> dict[str, int]:
    """Damage the shop's rules the way a bug or a hand edit could; SQLite's own checks off."""
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute("PRAGMA ignore_check_constraints = ON")
    over = raw.execute("SELECT id FROM order_lines ORDER BY id LIMIT 1").fetchone()[0]
    raw.execute("UPDATE order_lines SET counted = quantity + 2 WHERE id = ?", (over,))
    checked = raw.execute("SELECT id FROM orders WHERE status = 'checked' ORDER BY id LIMIT 1").fetchone()[0]
    raw.execute("UPDATE order_lines SET counted = 0 WHERE order_id = ?", (checked,))
    raw.execute(
        "INSERT INTO order_lines (order_id, position, sku, title, variation, quantity, counted) "
        "VALUES (99999, 0, 'LOST-SKU', '', '', 3, 1)"
    )
    replacement = raw.execute("SELECT id FROM orders WHERE status = 'new' ORDER BY id LIMIT 1").fetchone()[0]
    raw.execute("UPDATE orders SET parent_id = 88888 WHERE id = ?", (replacement,))
    raw.execute(
        "INSERT INTO events (at, order_id, kind, summary, details, station) "
        "VALUES ('2026-11-02 10:00:00', 77777, 'note', 'about a lost order', '{}', 'desk')"
    )
    raw.commit()
    raw.close()
    return {"over": over, "checked": checked, "replacement": replacement}


def test_check_database_repairs_what_is_safe_and_a_second_run_finds_nothing(demo_db):
    broken = _break_the_rules(demo_db.sqlite_path)

    report = check_database(demo_db)

    assert report.problems == []
    assert len(report.repaired) == 5, report.repaired
    assert report.backup is not None and _orders(report.backup) == 40
    assert sqlite_health(demo_db.sqlite_path) == ("ok", [])
    with demo_db.reading() as session:
        assert (
            session.get(OrderLine, broken["over"]).counted == session.get(OrderLine, broken["over"]).quantity
        )
        assert session.get(Order, broken["checked"]).status == OrderStatus.NEW
        assert session.get(Order, broken["replacement"]).parent_id is None
        assert session.scalar(select(OrderLine).where(OrderLine.sku == "LOST-SKU")) is None
        check_event = session.scalar(
            select(Event).where(Event.kind == "database_check", Event.order_id.is_(None))
        )
        assert any("LOST-SKU" in line for line in check_event.details["repaired"])

    again = check_database(demo_db)
    assert again.clean, again.repaired + again.problems


def test_check_database_on_a_damaged_file_writes_nothing_and_names_the_backup(demo_db):
    good = backup_database(demo_db, "by-hand")
    path = demo_db.sqlite_path
    demo_db.dispose()
    rng = random.Random(8)
    for _ in range(50):
        flip_bytes(path, rng, 200)
        if not _readable_and_sound(path):
            break
    before = path.read_bytes()
    damaged = Database.open(path)
    try:
        report = check_database(damaged)
    finally:
        damaged.dispose()
    assert len(report.problems) == 1 and str(good) in report.problems[0]
    assert report.backup is None
    assert path.read_bytes() == before


def test_postgresql_backup_without_pg_dump_says_what_to_install(monkeypatch):
    db = Database.open("postgresql+psycopg://shop@localhost/shop")
    monkeypatch.setattr("shopdesk.db.backup.shutil.which", lambda _name: None)
    with pytest.raises(DatabaseError, match="pg_dump is not installed"):
        backup_database(db, "by-hand")
