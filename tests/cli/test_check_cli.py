"""``shopdesk check`` through ``shopdesk.cli.main``, asserted on its output, exit code and the database."""

from __future__ import annotations

from sqlalchemy import select

from shopdesk.cli import main
from shopdesk.db.models import Event, Order, OrderLine, OrderStatus

# Demo order 4007 (Linda Park): USA Flag Patch ×5 (barcode 0614141000043), Fallen Rider ×1 (no barcode).
US_FLAG = "0614141000043"


def check(db, *args: str) -> int:
    return main(["--db", str(db.sqlite_path), "check", *args])


def saved(db, number: str) -> tuple[OrderStatus, dict[str, int]]:
    with db.reading() as session:
        order = session.scalar(select(Order).where(Order.number == number))
        return order.status, {line.sku: line.counted for line in order.lines}


def test_every_code_counts_one_unit_and_a_complete_order_exits_0(demo_db, capsys):
    assert check(demo_db, "4007", *[US_FLAG] * 4, "flag-us", "RP-FALLEN") == 0
    out = capsys.readouterr().out
    assert "Order 4007 — Linda Park" in out
    assert "✓ 5 / 5  USA Flag Patch (FLAG-US)" in out
    assert "✓ 1 / 1  Remembrance Patch - Fallen Rider (RP-FALLEN)" in out
    assert "Size: 4 inch" in out
    assert out.rstrip().endswith("Checked: all 6 items.")
    assert "Not counted" not in out
    assert saved(demo_db, "4007") == (OrderStatus.CHECKED, {"FLAG-US": 5, "RP-FALLEN": 1})


def test_an_unfinished_check_exits_1_and_resumes_on_the_next_call(demo_db, capsys):
    assert check(demo_db, "#4007", US_FLAG, US_FLAG) == 1
    out = capsys.readouterr().out
    assert "  2 / 5  USA Flag Patch (FLAG-US)" in out
    assert "Not finished: 2 of 6 items checked." in out
    assert check(demo_db, "woocommerce:4007", US_FLAG, US_FLAG, US_FLAG, "rp-fallen") == 0
    assert saved(demo_db, "4007") == (OrderStatus.CHECKED, {"FLAG-US": 5, "RP-FALLEN": 1})


def test_wrong_and_over_scans_are_listed_and_not_counted(demo_db, capsys):
    assert check(demo_db, "4007", "RP-FALLEN", "rp-fallen", "ROSE-PNK", "NOPE-1") == 1
    out = capsys.readouterr().out
    not_counted = out.split("Not counted:", 1)[1]
    assert "too many    rp-fallen: Line complete: 1 of 1 Remembrance Patch - Fallen Rider" in not_counted
    assert (
        "wrong item  ROSE-PNK: Wrong item: Pink Rose Patch (ROSE-PNK) — not in this order. Order 4007"
        in not_counted
    )
    assert "wrong item  NOPE-1:" in not_counted
    assert "USA Flag Patch (FLAG-US) ×5" in not_counted
    assert saved(demo_db, "4007") == (OrderStatus.NEW, {"FLAG-US": 0, "RP-FALLEN": 1})
    with demo_db.reading() as session:
        kinds = session.scalars(select(Event.kind).join(Order).where(Order.number == "4007")).all()
    assert kinds.count("check_wrong_item") == 2 and kinds.count("check_over") == 1


def test_without_codes_it_shows_where_the_check_stands(demo_db, capsys):
    with demo_db.reading() as session:
        checked = session.scalar(select(Order.number).where(Order.status == OrderStatus.CHECKED).limit(1))
    assert check(demo_db, checked) == 0
    assert "Checked: all" in capsys.readouterr().out
    assert check(demo_db, "4007") == 1
    assert "Not finished: 0 of 6 items checked." in capsys.readouterr().out


def test_an_unknown_order_is_one_line_and_exit_1(demo_db, capsys):
    assert check(demo_db, "99999", US_FLAG) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "shopdesk: No order numbered '99999'.\n"


def test_a_shipped_order_cannot_be_scanned(demo_db, capsys):
    with demo_db.reading() as session:
        shipped = session.scalar(select(Order).where(Order.status == OrderStatus.SHIPPED).limit(1))
        number, sku = (
            shipped.number,
            session.scalar(select(OrderLine.sku).where(OrderLine.order_id == shipped.id)),
        )
    assert check(demo_db, number, sku) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already shipped; its check is over" in err
