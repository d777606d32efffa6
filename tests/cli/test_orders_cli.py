"""The command line through its real entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from shopdesk.cli import main

EXPECTED_KEYS = {"number", "source", "status", "placed_at", "customer", "email", "ship_to", "lines", "parent"}


def run_shopdesk(*args: str, env_db: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if env_db:
        env["SHOPDESK_DB"] = env_db
    return subprocess.run(
        [sys.executable, "-m", "shopdesk", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_demo_then_orders_json_through_the_real_command(db_path):
    first = run_shopdesk("demo", env_db=str(db_path))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("40 demo orders added")
    again = run_shopdesk("demo", env_db=str(db_path))
    assert again.returncode == 0 and "already there" in again.stdout

    listed = run_shopdesk("orders", "--json", env_db=str(db_path))
    assert listed.returncode == 0, listed.stderr
    orders = json.loads(listed.stdout)
    assert len(orders) == 40
    for order in orders:
        assert order.keys() >= EXPECTED_KEYS
        assert set(order["ship_to"]) == {
            "name",
            "address1",
            "address2",
            "city",
            "region",
            "postcode",
            "country",
        }
        assert order["lines"] and all(line["quantity"] >= 1 for line in order["lines"])
        assert order["placed_at"].endswith("+00:00")
    sources = {order["source"] for order in orders}
    assert {"etsy", "shopify", "squarespace", "woocommerce"} <= sources
    statuses = {order["status"] for order in orders}
    assert {"new", "checked", "shipped"} <= statuses
    assert any(line["quantity"] > 1 for order in orders for line in order["lines"])
    assert any("Personalization" in line["variation"] for order in orders for line in order["lines"])
    assert len({order["ship_to"]["country"] for order in orders}) >= 5


def test_orders_filtered_by_status(demo_db, capsys):
    assert main(["--db", str(demo_db.sqlite_path), "orders", "--status", "checked", "--json"]) == 0
    orders = json.loads(capsys.readouterr().out)
    assert orders and {order["status"] for order in orders} == {"checked"}


def test_plain_listing_shows_number_status_and_customer(demo_db, capsys):
    assert main(["--db", str(demo_db.sqlite_path), "orders", "--status", "on_hold"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "on_hold" in out[0]


def test_a_bad_status_is_a_usage_error_without_traceback(db_path):
    result = run_shopdesk("--db", str(db_path), "orders", "--status", "lost")
    assert result.returncode == 2
    assert "invalid choice: 'lost'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_that_cannot_be_opened_is_one_line_and_exit_1(tmp_path):
    not_a_db = tmp_path / "photo.db"
    not_a_db.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    result = run_shopdesk("--db", str(not_a_db), "orders")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Cannot open the database" in result.stderr
    assert "Traceback" not in result.stderr

    missing_folder = run_shopdesk("--db", str(tmp_path / "no" / "such" / "shop.db"), "orders")
    assert (
        missing_folder.returncode == 1 and "folder for the database does not exist" in missing_folder.stderr
    )


def test_version_and_help():
    version = run_shopdesk("--version")
    assert version.returncode == 0 and version.stdout.startswith("ShopDesk ")
    for args in (["--help"], ["orders", "--help"], ["demo", "--help"]):
        shown = run_shopdesk(*args)
        assert shown.returncode == 0 and "usage: shopdesk" in shown.stdout


def test_desktop_entry_points_at_the_command_and_its_icon(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["desktop-entry"]) == 0
    entry = (tmp_path / "applications" / "shopdesk.desktop").read_text()
    assert "Name=ShopDesk" in entry and "Icon=shopdesk" in entry
    exec_line = next(line for line in entry.splitlines() if line.startswith("Exec="))
    assert "shopdesk" in exec_line and exec_line != "Exec="
    assert (tmp_path / "icons/hicolor/scalable/apps/shopdesk.svg").read_text().startswith("<svg")


def test_slip_for_an_unchecked_order_writes_nothing_and_exits_1(demo_db, tmp_path, capsys):
    target = tmp_path / "slip.pdf"
    assert main(["--db", str(demo_db.sqlite_path), "slip", "M-008", "-o", str(target)]) == 1
    assert "cannot be printed" in capsys.readouterr().err
    assert not target.exists()


def test_slip_label_picklist_and_shelf_labels_write_readable_pdfs(demo_db, tmp_path, capsys):
    from readback import decode_barcodes, pdf_text

    db = ["--db", str(demo_db.sqlite_path)]
    assert main([*db, "slip", "105", "#905", "-o", str(tmp_path / "s.pdf")]) == 0
    text = pdf_text((tmp_path / "s.pdf").read_bytes())
    assert "105" in text and "905" in text
    assert main([*db, "orders", "--status", "packed", "--json"]) == 0
    packed = {o["number"] for o in json.loads(capsys.readouterr().out.split("\n", 1)[1])}
    assert {"105", "#905"} <= packed

    assert main([*db, "label", "105", "--item", "MOUNTAIN=1", "-o", str(tmp_path / "l.pdf")]) == 1
    assert "Order 105 has no line MOUNTAIN; it has IRON-1000" in capsys.readouterr().err
    assert not (tmp_path / "l.pdf").exists()
    assert main([*db, "label", "105", "-o", str(tmp_path / "l.pdf")]) == 0
    assert "RMA-105-1" in decode_barcodes((tmp_path / "l.pdf").read_bytes())
    assert main([*db, "picklist", "-o", str(tmp_path / "p.pdf")]) == 0
    assert main([*db, "shelf-labels", "-o", str(tmp_path / "sh.pdf")]) == 0
    assert "Pick list" in pdf_text((tmp_path / "p.pdf").read_bytes())
