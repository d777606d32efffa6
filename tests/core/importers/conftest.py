"""Fixtures for the importer tests: the sample exports, a fresh shop database, a database snapshot."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from shopdesk.db.models import Event, Order, OrderChange, OrderLine, Product, Setting

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "samples"


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def expected() -> dict[str, dict]:
    return json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def work(tmp_path, samples) -> Path:
    """A writable copy of the samples, to edit and re-encode."""
    target = tmp_path / "files"
    shutil.copytree(samples, target)
    for path in target.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return target


@pytest.fixture
def snapshot():
    return take_snapshot


@pytest.fixture
def stored_orders():
    return orders_as_expected


@pytest.fixture
def expected_for():
    return expected_of_source


def take_snapshot(db) -> dict[str, list[tuple]]:
    """Every row the import could touch, as plain tuples, to compare before and after."""
    with db.reading() as session:
        return {
            "orders": [
                (o.id, o.source, o.number, o.ship_name, o.ship_address1, o.ship_postcode, o.status.value)
                for o in session.scalars(select(Order).order_by(Order.id))
            ],
            "lines": [
                (line.id, line.order_id, line.sku, line.quantity, line.counted)
                for line in session.scalars(select(OrderLine).order_by(OrderLine.id))
            ],
            "products": [
                (p.id, p.sku, p.title) for p in session.scalars(select(Product).order_by(Product.id))
            ],
            "events": [(e.id, e.kind, e.summary) for e in session.scalars(select(Event).order_by(Event.id))],
            "changes": [
                (c.id, c.order_id, c.state, json.dumps(c.changes, sort_keys=True))
                for c in session.scalars(select(OrderChange).order_by(OrderChange.id))
            ],
            "settings": [(s.key, json.dumps(s.value)) for s in session.scalars(select(Setting))],
        }


def orders_as_expected(db, source: str | None = None) -> dict[str, dict]:
    """Orders as expected.json describes them: source, recipient, postcode, sorted (sku, quantity)."""
    with db.reading() as session:
        query = select(Order)
        if source:
            query = query.where(Order.source == source)
        return {
            order.number: {
                "source": order.source,
                "ship_name": order.ship_name,
                "postcode": order.ship_postcode,
                "lines": sorted([line.sku, line.quantity] for line in order.lines),
            }
            for order in session.scalars(query)
        }


def expected_of_source(expected: dict[str, dict], source: str) -> dict[str, dict]:
    return {
        number: {**order, "lines": sorted(order["lines"])}
        for number, order in expected.items()
        if order["source"] == source
    }
