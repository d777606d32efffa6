"""Every sample export through the real import path, against expected.json; every broken file refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shopdesk.db.models import Event, Order, OrderLine, Product
from shopdesk.importers.service import import_files

# The same on PostgreSQL, for a shop shared by several packing stations.
pytestmark = pytest.mark.both_backends

SAMPLE_SETS = {
    "etsy": ["etsy/EtsySoldOrderItems2026-11.csv", "etsy/EtsySoldOrders2026-11.csv"],
    "shopify": ["shopify/orders_export_1.csv"],
    "squarespace": ["squarespace/orders.csv"],
    "woocommerce": ["woocommerce/orders-export-one-row-per-item.csv"],
}


@pytest.mark.parametrize("source", sorted(SAMPLE_SETS))
def test_sample_imports_the_expected_orders(db, samples, expected, source, stored_orders, expected_for):
    results = import_files(db, [samples / name for name in SAMPLE_SETS[source]])

    assert len(results) == 1
    [result] = results
    assert result.imported, result.problems
    want = expected_for(expected, source)
    assert result.new == len(want)
    assert stored_orders(db, source) == want


def test_etsy_items_file_alone_is_enough(db, samples, expected, stored_orders, expected_for):
    [result] = import_files(db, [samples / "etsy/EtsySoldOrderItems2026-11.csv"])

    assert result.imported and result.new == 8
    assert stored_orders(db, "etsy") == expected_for(expected, "etsy")


@pytest.mark.parametrize("source", sorted(SAMPLE_SETS))
def test_importing_again_twice_adds_nothing(db, samples, source, snapshot):
    paths = [samples / name for name in SAMPLE_SETS[source]]
    [first] = import_files(db, paths)
    before = snapshot(db)

    for _ in range(2):
        [again] = import_files(db, paths)
        assert (again.new, again.changed, again.refused) == (0, 0, 0)
        assert again.unchanged == first.new

    after = snapshot(db)
    for table in ("orders", "lines", "products", "changes"):
        assert after[table] == before[table]
    # Only the two "import" events were added.
    added = after["events"][len(before["events"]) :]
    assert [kind for _, kind, _ in added] == ["import", "import"]


def test_all_samples_together(db, samples, expected, stored_orders):
    paths = [samples / name for names in SAMPLE_SETS.values() for name in names]
    results = import_files(db, paths)

    assert [r.imported for r in results] == [True] * 4
    assert stored_orders(db) == {
        number: {**order, "lines": sorted(order["lines"])} for number, order in expected.items()
    }


def test_import_learns_products_and_logs_events(db, samples):
    [result] = import_files(db, [samples / "shopify/orders_export_1.csv"])

    assert result.imported
    with db.reading() as session:
        skus = set(session.scalars(select(Product.sku)))
        created = session.scalar(select(func.count()).select_from(Event).where(Event.kind == "created"))
        [event] = session.scalars(select(Event).where(Event.kind == "import"))
        details, summary = event.details, event.summary
    assert {"WING-S", "WING-L", "FLAG-CA", "RP-FALLEN", "NAME-TAG", "ROSE-RED", "IRON-1000"} <= skus
    assert created == 8
    assert details["file"] == "orders_export_1.csv"
    assert (details["new"], details["unchanged"], details["changed"]) == (8, 0, 0)
    assert details["refused"] == 0
    assert "orders_export_1.csv" in summary


def test_shopify_details_survive(db, samples):
    import_files(db, [samples / "shopify/orders_export_1.csv"])

    with db.reading() as session:
        order = session.scalar(select(Order).where(Order.number == "#1043"))
        walsh = session.scalar(select(Order).where(Order.number == "#1044"))
        assert order.buyer_note == "Gift for my dad's 60th.\nPlease no invoice in the box, thanks!"
        assert order.ship_address1 == "Calle Mayor 5"  # trailing space gone
        assert order.ship_address2 == "2º B"
        assert order.ship_city == "Madrid"
        assert order.email == "nuno@example.es"
        assert order.total_cents == 4100
        assert order.placed_at.isoformat() == "2026-11-03T16:14:13+00:00"
        assert walsh.customer_name == "Dan Walsh"
        assert [line.position for line in walsh.lines] == [0, 1, 2]


def test_etsy_details_survive(db, samples):
    import_files(
        db, [samples / "etsy/EtsySoldOrderItems2026-11.csv", samples / "etsy/EtsySoldOrders2026-11.csv"]
    )

    with db.reading() as session:
        order = session.scalar(select(Order).where(Order.number == "3002"))
        rose = session.scalar(select(OrderLine).where(OrderLine.sku == "ROSE-RED"))
        assert order.customer_name == "Marcus O'Neill"
        assert (order.ship_address1, order.ship_address2) == ("12 Quarry Lane", "Apt 3")
        name_tag = order.lines[0]
        assert name_tag.variation == 'Color: Black\nPersonalization: RIDER, "Doc"\nEst. 1987'
        assert name_tag.external_id == "3100003003"
        assert rose.title == "Red Rose Patch & Thorns"
        # Shipping 4.90 is on both rows of the order and is counted once: 11 + 21 + 4.90.
        assert order.total_cents == 3690


BROKEN = {
    "empty.csv": "empty",
    "etsy_items_bad_quantity.csv": "whole number",
    "etsy_items_missing_quantity.csv": '"Quantity"',
    "header_only_shopify.csv": "no orders",
    "not_a_csv.csv": "not a CSV file",
    "truncated_shopify.csv": "never ends",
    "unknown_columns.csv": "does not look like an order export",
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_file_is_refused_and_nothing_is_written(db, samples, name, snapshot):
    import_files(db, [samples / "squarespace/orders.csv"])  # something already in the shop
    before = snapshot(db)

    [result] = import_files(db, [samples / "broken" / name])

    assert not result.imported
    assert (result.new, result.unchanged, result.changed) == (0, 0, 0)
    assert result.problems and all(p.file == name for p in result.problems)
    assert BROKEN[name] in " ".join(str(p) for p in result.problems)
    assert "refused" in result.summary()
    assert snapshot(db) == before


def test_bad_quantities_are_pointed_at(db, samples):
    [result] = import_files(db, [samples / "broken/etsy_items_bad_quantity.csv"])

    quantity_problems = [(p.line, p.column, p.value) for p in result.problems if p.column == "Quantity"]
    assert quantity_problems == [(3, "Quantity", "two"), (4, "Quantity", "-1")]
    assert result.refused == 2


def test_missing_column_names_the_closest_format(db, samples):
    [result] = import_files(db, [samples / "broken/etsy_items_missing_quantity.csv"])

    [problem] = result.problems
    assert "Etsy sold order items" in problem.message
    assert '"Quantity"' in problem.message


def test_truncated_file_names_the_line(db, samples):
    [result] = import_files(db, [samples / "broken/truncated_shopify.csv"])

    [problem] = result.problems
    assert problem.line == 4
