"""Re-imports: overlapping exports, platform changes, cancellations, atomicity, progress and cancel."""

from __future__ import annotations

import csv

import pytest
from shop_files import shopify_export
from sqlalchemy import select

from shopdesk.db.models import Event, Order, OrderChange, OrderStatus
from shopdesk.errors import IllegalTransition
from shopdesk.importers.service import accept_change, dismiss_change, import_files, pending_changes
from shopdesk.orders.status import change_status

# The same on PostgreSQL, for a shop shared by several packing stations.
pytestmark = pytest.mark.both_backends

SHOPIFY = "shopify/orders_export_1.csv"


def _rows(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _edited(path, target, number, **columns):
    """A copy of a Shopify export with some columns of an order's first row changed."""
    rows = _rows(path)
    header = rows[0]
    first = next(row for row in rows[1:] if row[0] == number)
    for name, value in columns.items():
        first[header.index(name.replace("_", " "))] = value
    return _write(target, rows)


def _only(path, target, numbers):
    rows = _rows(path)
    return _write(target, [rows[0], *(row for row in rows[1:] if row[0] in numbers)])


def _set_status(db, number, *statuses):
    with db.unit_of_work() as uow:
        order = uow.session.scalar(select(Order).where(Order.number == number))
        for status in statuses:
            if status == OrderStatus.PACKED and order.status == OrderStatus.NEW:
                order.check_skip_reason = "test"
            change_status(uow.session, order, status)
        uow.commit()


def _order(db, number):
    with db.reading() as session:
        order = session.scalar(select(Order).where(Order.number == number))
        return {
            "status": order.status,
            "ship_address1": order.ship_address1,
            "lines": sorted((line.sku, line.quantity) for line in order.lines),
        }


def test_overlapping_export_adds_only_the_new_orders(db, samples, tmp_path, stored_orders):
    early = _only(samples / SHOPIFY, tmp_path / "early.csv", {"#1041", "#1042", "#1043", "#1044", "#1045"})
    late = _only(samples / SHOPIFY, tmp_path / "late.csv", {"#1044", "#1045", "#1046", "#1047", "#1048"})

    [first] = import_files(db, [early])
    [second] = import_files(db, [late])

    assert (first.new, first.unchanged) == (5, 0)
    assert (second.new, second.unchanged, second.changed) == (3, 2, 0)
    orders = stored_orders(db, "shopify")
    assert len(orders) == 8
    assert orders["#1044"]["lines"] == [["NAME-TAG", 1], ["WING-L", 3], ["WING-S", 1]]


def test_changed_address_on_a_new_order_is_updated_and_logged(db, samples, tmp_path):
    import_files(db, [samples / SHOPIFY])
    moved = _edited(
        samples / SHOPIFY, tmp_path / "orders_export_1.csv", "#1041", Shipping_Address1="5 New Street"
    )

    [result] = import_files(db, [moved])

    assert (result.new, result.unchanged, result.changed, result.pending) == (0, 7, 1, 0)
    assert _order(db, "#1041")["ship_address1"] == "5 New Street"
    with db.reading() as session:
        [event] = session.scalars(select(Event).where(Event.kind == "updated"))
        assert event.details["changes"] == {"ship_address1": ["3 Fjord Way", "5 New Street"]}
        assert "address" in event.summary
        assert session.scalars(select(OrderChange)).all() == []


def test_changed_address_on_a_shipped_order_waits_for_the_owner(db, samples, tmp_path):
    import_files(db, [samples / SHOPIFY])
    _set_status(db, "#1041", OrderStatus.CHECKED, OrderStatus.PACKED, OrderStatus.SHIPPED)
    moved = _edited(
        samples / SHOPIFY, tmp_path / "orders_export_1.csv", "#1041", Shipping_Address1="5 New Street"
    )

    [result] = import_files(db, [moved])
    [again] = import_files(db, [moved])

    assert (result.changed, result.pending) == (1, 1)
    assert (again.changed, again.pending) == (1, 1)
    assert _order(db, "#1041") == {
        "status": OrderStatus.SHIPPED,
        "ship_address1": "3 Fjord Way",
        "lines": [("WING-L", 1), ("WING-S", 2)],
    }
    with db.reading() as session:
        [change] = pending_changes(session)
        assert change.changes == {"ship_address1": ["3 Fjord Way", "5 New Street"]}
        assert change.source_file == "orders_export_1.csv"
        kinds = [e.kind for e in session.scalars(select(Event).where(Event.order_id == change.order_id))]
        change_id = change.id
    assert kinds.count("change_found") == 1

    accept_change(db, change_id)

    assert _order(db, "#1041")["ship_address1"] == "5 New Street"
    assert _order(db, "#1041")["status"] == OrderStatus.SHIPPED
    with db.reading() as session:
        assert pending_changes(session) == []


def test_dismissed_change_is_not_raised_again(db, samples, tmp_path):
    import_files(db, [samples / SHOPIFY])
    _set_status(db, "#1042", OrderStatus.CHECKED)
    moved = _edited(samples / SHOPIFY, tmp_path / "orders_export_1.csv", "#1042", Shipping_Zip="'79102")
    import_files(db, [moved])
    with db.reading() as session:
        [change] = pending_changes(session)
        change_id, order_id = change.id, change.order_id

    dismiss_change(db, change_id)
    [again] = import_files(db, [moved])

    assert (again.changed, again.unchanged) == (0, 8)
    with db.reading() as session:
        assert pending_changes(session) == []
        assert session.get(Order, order_id).ship_postcode == "79101"


def test_order_with_a_check_under_way_is_not_changed(db, samples, tmp_path):
    import_files(db, [samples / SHOPIFY])
    with db.unit_of_work() as uow:
        order = uow.session.scalar(select(Order).where(Order.number == "#1047"))
        order.lines[0].counted = 1
        uow.commit()
    more = _edited(samples / SHOPIFY, tmp_path / "orders_export_1.csv", "#1047", Lineitem_quantity="3")

    [result] = import_files(db, [more])

    assert result.pending == 1
    assert _order(db, "#1047")["lines"] == [("NAME-TAG", 2)]


def test_cancelled_on_the_platform(db, samples, tmp_path):
    import_files(db, [samples / SHOPIFY])
    _set_status(db, "#1043", OrderStatus.CHECKED)
    cancelled = samples / SHOPIFY
    for number in ("#1042", "#1043"):
        cancelled = _edited(
            cancelled, tmp_path / "orders_export_1.csv", number, Cancelled_at="2026-11-09 10:00:00 -0500"
        )

    [result] = import_files(db, [cancelled])

    assert (result.changed, result.pending) == (2, 1)
    assert _order(db, "#1042")["status"] == OrderStatus.CANCELLED  # new: follows the platform
    assert _order(db, "#1043")["status"] == OrderStatus.CHECKED  # checked: waits for the owner
    with db.reading() as session:
        [change] = pending_changes(session)
        assert change.changes == {"status": ["checked", "cancelled"]}
        change_id = change.id

    accept_change(db, change_id)

    assert _order(db, "#1043")["status"] == OrderStatus.CANCELLED


def test_cancelling_a_shipped_order_cannot_be_accepted(db, samples, tmp_path):
    import_files(db, [samples / SHOPIFY])
    _set_status(db, "#1043", OrderStatus.CHECKED, OrderStatus.PACKED, OrderStatus.SHIPPED)
    cancelled = _edited(
        samples / SHOPIFY, tmp_path / "orders_export_1.csv", "#1043", Cancelled_at="2026-11-09 10:00:00 -0500"
    )
    import_files(db, [cancelled])
    with db.reading() as session:
        [change] = pending_changes(session)
        change_id = change.id

    with pytest.raises(IllegalTransition):
        accept_change(db, change_id)

    assert _order(db, "#1043")["status"] == OrderStatus.SHIPPED
    dismiss_change(db, change_id)


def test_order_cancelled_before_the_first_import_comes_in_cancelled(db, samples, tmp_path):
    cancelled = _edited(
        samples / SHOPIFY, tmp_path / "orders_export_1.csv", "#1048", Cancelled_at="2026-11-09 10:00:00 -0500"
    )

    [result] = import_files(db, [cancelled])

    assert result.new == 8
    assert _order(db, "#1048")["status"] == OrderStatus.CANCELLED


def test_one_bad_row_writes_nothing(db, samples, tmp_path, snapshot):
    early = _only(samples / SHOPIFY, tmp_path / "early.csv", {"#1041", "#1042"})
    import_files(db, [early])
    bad = _edited(samples / SHOPIFY, tmp_path / "orders_export_1.csv", "#1048", Lineitem_quantity="1.5")
    moved = _edited(bad, bad, "#1041", Shipping_Address1="5 New Street")
    before = snapshot(db)

    [result] = import_files(db, [moved])

    assert not result.imported
    [problem] = result.problems
    assert (problem.line, problem.column, problem.value) == (17, "Lineitem quantity", "1.5")
    assert result.refused == 8
    assert snapshot(db) == before


def test_progress_is_reported(db, samples):
    calls = []

    import_files(
        db, [samples / SHOPIFY], progress=lambda name, done, total: calls.append((name, done, total))
    )

    assert calls[0] == ("orders_export_1.csv", 0, 8)
    assert calls[-1] == ("orders_export_1.csv", 8, 8)


def test_storing_a_large_file_moves_the_progress_and_hears_cancel(db, tmp_path, snapshot):
    big = shopify_export(tmp_path / "orders_export_big.csv", 320, series=4)  # 2,560 orders
    calls = []
    import_files(db, [big], progress=lambda _name, done, total: calls.append((done, total)))
    # Comparing finds nothing there yet; then each stored chunk moves the bar.
    assert [done for done, _total in calls if done] == [1000, 2000, 2560]
    assert {total for _done, total in calls} == {2560}

    before = snapshot(db)
    again = shopify_export(tmp_path / "orders_export_more.csv", 320, series=5)
    stored: list[int] = []
    results = import_files(
        db,
        [again],
        progress=lambda _name, done, _total: stored.append(done),
        cancelled=lambda: bool(stored) and stored[-1] >= 1000,  # Cancel while storing
    )
    assert results[0].cancelled and results[0].new == 0
    assert max(stored) == 1000
    assert snapshot(db) == before


def test_cancel_rolls_the_file_back_and_skips_the_rest(db, samples, snapshot):
    before = snapshot(db)
    asked = []

    def cancelled():
        asked.append(True)
        return len(asked) > 1  # the first file starts, then the owner cancels

    results = import_files(db, [samples / SHOPIFY, samples / "squarespace/orders.csv"], cancelled=cancelled)

    assert [r.cancelled for r in results] == [True, True]
    assert all("cancelled" in r.summary() for r in results)
    assert snapshot(db) == before


def test_line_without_sku_gets_a_stable_one(db, samples, tmp_path):
    no_sku = _edited(samples / SHOPIFY, tmp_path / "orders_export_1.csv", "#1047", Lineitem_sku="")

    import_files(db, [no_sku])
    [again] = import_files(db, [no_sku])

    assert again.unchanged == 8
    [(sku, quantity)] = _order(db, "#1047")["lines"]
    assert sku.startswith("NOSKU-CUSTOM-NAME-TAG-PATCH-BLACK-")
    assert quantity == 2
