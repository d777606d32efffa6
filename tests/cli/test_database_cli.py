"""``shopdesk backup``, ``restore`` and ``check-db`` through ``shopdesk.cli.main``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from shopdesk.app import open_shop
from shopdesk.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


def _orders(path) -> int:
    with sqlite3.connect(path) as raw:
        return raw.execute("SELECT count(*) FROM orders").fetchone()[0]


def test_backup_to_a_chosen_file_then_restore_it(demo_db, tmp_path, capsys):
    shop = str(demo_db.sqlite_path)
    demo_db.dispose()
    copy = tmp_path / "elsewhere" / "copy.db"
    copy.parent.mkdir()

    assert main(["--db", shop, "backup", "-o", str(copy)]) == 0
    assert capsys.readouterr().out == f"Backed up {shop} to {copy}\n"
    assert _orders(copy) == 40 and oct(copy.stat().st_mode & 0o777) == "0o600"

    assert main(["--db", shop, "import", str(SAMPLES / "shopify/orders_export_1.csv")]) == 0
    assert _orders(shop) == 48
    capsys.readouterr()

    assert main(["--db", shop, "restore", str(copy), "--yes"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Restored {copy} to {shop}"
    assert out[1].startswith("The database as it was is kept in ") and "before-restore" in out[1]
    assert _orders(shop) == 40
    kept = Path(out[1].removeprefix("The database as it was is kept in "))
    assert _orders(kept) == 48


def test_backup_without_output_goes_to_the_backups_folder(db, capsys):
    shop = str(db.sqlite_path)
    assert main(["--db", shop, "backup"]) == 0
    out = capsys.readouterr().out
    assert f"{db.sqlite_path.parent / 'backups'}/shopdesk-" in out and "-by-hand.db" in out


def test_restore_without_yes_and_without_a_terminal_asks_for_yes(demo_db, tmp_path, capsys, monkeypatch):
    shop = str(demo_db.sqlite_path)
    copy = tmp_path / "copy.db"
    assert main(["--db", shop, "backup", "-o", str(copy)]) == 0
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    capsys.readouterr()

    assert main(["--db", shop, "restore", str(copy)]) == 2
    assert "add --yes" in capsys.readouterr().err


def test_restore_refuses_a_file_that_is_not_a_shopdesk_backup(db, tmp_path, capsys):
    text = tmp_path / "orders.db"
    text.write_text("not a database")
    assert main(["--db", str(db.sqlite_path), "restore", str(text), "--yes"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("shopdesk: ") and "nothing was restored" in err and err.count("\n") == 1


def test_restore_is_refused_while_the_window_is_open(demo_db, tmp_path, capsys):
    shop = str(demo_db.sqlite_path)
    copy = tmp_path / "copy.db"
    assert main(["--db", shop, "backup", "-o", str(copy)]) == 0
    window = open_shop(shop, exclusive=True)
    try:
        assert main(["--db", shop, "restore", str(copy), "--yes"]) == 1
        assert "ShopDesk is already open on this shop" in capsys.readouterr().err
        assert main(["--db", shop, "check-db"]) == 1
        assert "ShopDesk is already open on this shop" in capsys.readouterr().err
    finally:
        window.dispose()


def test_check_db_repairs_then_finds_nothing(demo_db, capsys):
    shop = str(demo_db.sqlite_path)
    with sqlite3.connect(shop) as raw:
        raw.execute("PRAGMA ignore_check_constraints = ON")
        raw.execute("UPDATE order_lines SET counted = quantity + 1 WHERE id = 1")
    capsys.readouterr()

    assert main(["--db", shop, "check-db"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Backed up to ") and "before-check" in out[0]
    assert out[1].startswith("repaired: Order ") and "set to" in out[1]
    assert out[-1] == "1 problem repaired."

    assert main(["--db", shop, "check-db"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "The database is sound: nothing to repair."
