"""The k-th database or file operation of an import fails: the owner is told in a sentence, the shop's
data is exactly as before, the database checks ok, and once the fault is gone the file imports whole.

For k = 1, 2, 3 … until the import completes without meeting its fault. The shop is the demo shop
with last week's export imported and one of its orders checked; this week's export changes an order
nobody has started on (updated), changes the checked one (a change waiting for the owner), brings a
product the shop has never seen and new orders: every kind of write an import makes. Each k runs on
the same shop and engine as the one before, so a lock or a connection left behind by one failure
shows in the next; the last k is the retry.
"""

from __future__ import annotations

import csv
import sqlite3
from contextlib import closing
from itertools import count
from pathlib import Path

import pytest
from faults import DatabaseFails, ShopFilesFail, SmallDisk
from shop_files import shopify_export, sqlite_health
from sqlalchemy import select

from shopdesk.cli import imports as cli_imports
from shopdesk.cli import main
from shopdesk.db.backup import list_backups
from shopdesk.db.database import Database
from shopdesk.db.models import Order, OrderStatus
from shopdesk.errors import DiskProblem, ShopDeskError
from shopdesk.importers.service import import_files
from shopdesk.orders.status import change_status

# What the owner reads when the database could not save (shopdesk.db.database.owner_error).
FULL = "The disk is full, so ShopDesk could not save"
FAILING = "The disk reported an error while saving"
SQLITE_SAYS = {"database or disk is full": FULL, "disk I/O error": FAILING}
# What a file operation failing says (the operating system's words, or SQLite's).
OS_SAYS = ("No space left on device", "Input/output error", "unable to open database file")

# Orders of this week's export (see ``shop``): 3 copies of the Shopify sample's 8, one copy already in.
NEW_ORDERS = 16
UPDATED = "#7000001041"  # new in the shop: follows the platform
WAITING = "#7000001042"  # checked in the shop: the difference waits for the owner
NEW_SKU = "MOTH-GLOW"


def _edit(path: Path, edits: dict[str, dict[str, str]]) -> Path:
    """Change columns of the first row of some orders: ``{number: {column: value}}``."""
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    for number, columns in edits.items():
        row = next(row for row in rows if row[0] == number)
        for column, value in columns.items():
            row[header.index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


@pytest.fixture
def shop(demo_db: Database, tmp_path: Path) -> tuple[Database, Path]:
    """The demo shop after last week's import, and this week's export (in the shop's folder)."""
    last_week = shopify_export(tmp_path / "last-week.csv", copies=1, series=7)
    assert import_files(demo_db, [last_week])[0].imported
    with demo_db.unit_of_work() as uow:
        order = uow.session.scalar(select(Order).where(Order.number == WAITING))
        change_status(uow.session, order, OrderStatus.CHECKED)
        uow.commit()
    this_week = shopify_export(tmp_path / "orders_export_1.csv", copies=3, series=7)
    _edit(
        this_week,
        {
            UPDATED: {"Shipping Address1": "5 New Street"},
            WAITING: {"Shipping Address1": "12 Moved Lane"},
            "#7000011043": {"Lineitem sku": NEW_SKU, "Lineitem name": "Glow Moth Patch"},
        },
    )
    return demo_db, this_week


def dump(path: Path) -> list[str]:
    """Every table's rows (and the schema), as SQL, the way a fresh connection reads the file."""
    with closing(sqlite3.connect(path)) as raw:
        return list(raw.iterdump())


def copy_shop(source: Path, target: Path) -> None:
    """``source`` over ``target`` through SQLite (a live database's log is part of it)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def assert_sound(path: Path) -> None:
    """Checks ok, and no writer was left holding the database: another one gets it at once."""
    assert sqlite_health(path) == ("ok", [])
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def assert_backups_whole(folder: Path) -> None:
    """Nothing half-written is left among the backups; each one there is a sound copy."""
    assert list(folder.glob("*.partial")) == []
    for backup in list_backups(folder):
        assert sqlite_health(backup.path) == ("ok", []), backup.path


def assert_imported_whole(path: Path) -> None:
    with closing(sqlite3.connect(path)) as raw:

        def one(query: str, *args):
            return raw.execute(query, args).fetchone()[0]

        new = "SELECT count(*) FROM orders WHERE number LIKE '#70000%' AND number NOT LIKE '#700000%'"
        assert one(new) == NEW_ORDERS
        assert one("SELECT ship_address1 FROM orders WHERE number = ?", UPDATED) == "5 New Street"
        assert one("SELECT ship_address1 FROM orders WHERE number = ?", WAITING) != "12 Moved Lane"
        assert one("SELECT count(*) FROM order_changes WHERE state = 'pending'") == 1
        assert one("SELECT count(*) FROM products WHERE sku = ?", NEW_SKU) == 1
        assert (
            one("SELECT count(*) FROM events WHERE kind = 'import' AND summary LIKE ?", "%orders_export_1%")
            == 1
        )


@pytest.mark.parametrize("said", list(SQLITE_SAYS))
def test_the_kth_database_operation_of_an_import_failing_changes_nothing(shop, said, monkeypatch):
    db, export = shop
    path = db.sqlite_path
    before = dump(path)
    failed = []
    for k in count(1):
        fault = DatabaseFails(k, said)
        with monkeypatch.context() as patch, fault.installed(patch):
            try:
                [result] = import_files(db, [export])
            except DiskProblem as exc:
                failed.append(fault.failed_at)
                assert str(exc).startswith(SQLITE_SAYS[said]) and "Nothing was changed" in str(exc), exc
                assert dump(path) == before, f"k={k}: {fault.failed_at}"
                assert_sound(path)
                continue
        assert not fault.failed, f"k={k}: {fault.failed_at} failed and the import said {result.summary()}"
        break
    # The fault is gone: the same file, on the same shop, imports whole.
    assert result.imported and (result.new, result.changed, result.pending) == (NEW_ORDERS, 2, 1), result
    assert_imported_whole(path)
    assert_sound(path)
    assert_backups_whole(path.parent / "backups")
    # Each statement of the import and its commit failed once.
    assert len(failed) >= 10 and failed[0] == "BEGIN IMMEDIATE" and failed[-1] == "COMMIT", failed


def test_the_kth_file_operation_of_an_import_failing_changes_nothing(shop, monkeypatch):
    db, export = shop
    path = db.sqlite_path
    folder = path.parent / "backups"
    before = dump(path)
    pristine = path.with_name("pristine.db")
    copy_shop(path, pristine)
    told, harmless = [], []
    for k in count(1):
        older = {backup.path: backup.path.stat().st_mtime_ns for backup in list_backups(folder)}
        fault = ShopFilesFail(path.parent, k)
        with monkeypatch.context() as patch:
            fault.install(patch)
            try:
                [result] = import_files(db, [export])
            except ShopDeskError as exc:
                said = str(exc)
            else:
                said = "\n".join(str(problem) for problem in result.problems)
        if not fault.failed:
            break
        if said:
            told.append(fault.failed_at)
            assert any(words in said for words in OS_SAYS), f"k={k}: {fault.failed_at}: {said}"
            assert dump(path) == before, f"k={k}: {fault.failed_at}"
        else:
            # A fault the import could do without (syncing the backups' folder, say): all of it is in.
            harmless.append(fault.failed_at)
            assert result.imported, f"k={k}: {fault.failed_at}"
            assert_imported_whole(path)
            db.engine.dispose()
            copy_shop(pristine, path)  # back to before, for the next k
        assert_sound(path)
        assert_backups_whole(folder)
        for backup, modified in older.items():
            assert backup.stat().st_mtime_ns == modified, f"k={k}: {fault.failed_at} touched {backup}"
    assert result.imported and result.new == NEW_ORDERS, result
    assert_imported_whole(path)
    assert_sound(path)
    assert_backups_whole(folder)
    # Reading the export, and each step of the backup before it: a folder, a copy, its sync, its rename.
    assert told[0].startswith("read ") and len(told) >= 8, told


def test_an_import_on_a_disk_that_fills_up_changes_nothing(shop, monkeypatch):
    """SQLite's own "database or disk is full", with room for 0, 1, 2 … more pages."""
    db, export = shop
    big = shopify_export(export.with_name("orders_export_2.csv"), copies=10, series=8)
    path = db.sqlite_path
    before = dump(path)
    rooms = []
    for room in count(0):
        db.engine.dispose()  # the connections made from now on have the limit
        with SmallDisk(room).installed():
            try:
                [result] = import_files(db, [big])
            except DiskProblem as exc:
                rooms.append(room)
                assert str(exc).startswith(FULL), exc
                assert dump(path) == before, f"room for {room} pages"
                assert_sound(path)
                continue
        break
    db.engine.dispose()
    assert result.imported and result.new == 10 * 8, result
    assert_sound(path)
    assert len(rooms) >= 3, rooms


def test_a_failed_backup_before_the_import_says_nothing_was_imported(shop, monkeypatch):
    db, export = shop
    before = dump(db.sqlite_path)
    with monkeypatch.context() as patch:
        ShopFilesFail(db.sqlite_path.parent, 4).install(patch)  # the backup's copy cannot be made
        with pytest.raises(ShopDeskError) as caught:
            import_files(db, [export])
    assert str(caught.value).startswith("Nothing was imported: the backup made before every import failed.")
    assert str(caught.value).endswith(": No space left on device")
    assert dump(db.sqlite_path) == before


def _shopdesk(db: Database, *args: str) -> int:
    return main(["--db", str(db.sqlite_path), *args])


def test_the_command_line_says_what_failed_in_one_line_whatever_operation_fails(shop, monkeypatch, capsys):
    """``shopdesk import``, from its start-up on: one line on stderr, exit 1, nothing written."""
    db, export = shop
    db.dispose()
    path = db.sqlite_path
    before = dump(path)
    steps = 0
    for k in count(1):
        fault = DatabaseFails(k, "database or disk is full" if k % 2 else "disk I/O error")
        with monkeypatch.context() as patch, fault.installed(patch):
            code = _shopdesk(db, "import", str(export))
        out, err = capsys.readouterr()
        if not fault.failed:
            assert code == 0 and out.startswith("orders_export_1.csv: 16 new"), (out, err)
            break
        steps += 1
        assert code == 1 and out == "", f"k={k}: {fault.failed_at}: {out}"
        assert err.startswith("shopdesk: ") and err.count("\n") == 1, f"k={k}: {fault.failed_at}: {err}"
        assert "something went wrong" not in err and "Traceback" not in err, f"k={k}: {err}"
        assert dump(path) == before, f"k={k}: {fault.failed_at}"
        assert_sound(path)
    assert_imported_whole(path)
    assert steps >= 12, steps


def test_the_command_line_says_which_file_operation_failed_in_one_line(shop, monkeypatch, capsys):
    """``shopdesk import`` with the k-th file operation of the import itself failing."""
    db, export = shop
    db.dispose()
    path = db.sqlite_path
    before = dump(path)
    pristine = path.with_name("pristine.db")
    copy_shop(path, pristine)
    real_import = cli_imports.import_files
    told = 0
    for k in count(1):
        fault = ShopFilesFail(path.parent, k)
        with monkeypatch.context() as patch:

            def importing(*args, fault=fault, patch=patch, **kwargs):
                fault.install(patch)  # once the shop is open: from the import's first step on
                return real_import(*args, **kwargs)

            patch.setattr(cli_imports, "import_files", importing)
            code = _shopdesk(db, "import", str(export))
        out, err = capsys.readouterr()
        if not fault.failed or code == 0:
            assert code == 0 and out.startswith("orders_export_1.csv: 16 new"), (k, fault.failed_at, out, err)
            if not fault.failed:
                break
            copy_shop(pristine, path)  # a fault it could do without: back to before, for the next k
            continue
        told += 1
        assert code == 1 and err.count("\n") == 1, f"k={k}: {fault.failed_at}: {out} {err}"
        if fault.failed_at.startswith("read "):
            assert out == "orders_export_1.csv: refused, nothing imported (1 problem)\n"
            assert err == "  orders_export_1.csv: The file cannot be read: Input/output error.\n"
        else:
            assert out == "" and err.startswith("shopdesk: Nothing was imported: the backup made before"), err
            assert any(words in err for words in OS_SAYS), f"k={k}: {fault.failed_at}: {err}"
        assert dump(path) == before, f"k={k}: {fault.failed_at}"
        assert_sound(path)
    assert_imported_whole(path)
    assert told >= 8, told
