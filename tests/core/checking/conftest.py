from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shopdesk.db.database import Database
from shopdesk.db.models import OrderStatus, Product
from shopdesk.orders.drafts import LineDraft, OrderDraft
from shopdesk.orders.intake import create_order
from shopdesk.orders.status import change_status


def _add_order(db: Database, number: str, lines: list[LineDraft], status: OrderStatus | None = None) -> int:
    with db.unit_of_work() as uow:
        order = create_order(
            uow.session,
            OrderDraft(
                source="shopify",
                number=number,
                placed_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
                customer_name="Zoë Müller",
                ship_name="Zoë Müller",
                lines=lines,
            ),
        )
        uow.session.flush()
        if status == OrderStatus.CHECKED:
            for line in order.lines:
                line.counted = line.quantity
        if status is not None:
            change_status(uow.session, order, status)
        uow.commit()
        return order.id


@pytest.fixture
def add_order():
    """``add_order(db, number, lines, status=None) -> order id``."""
    return _add_order


@pytest.fixture
def catalogue(db: Database) -> Database:
    with db.unit_of_work() as uow:
        uow.session.add_all(
            [
                Product(sku="ROSE-RED", title="Red Rose Patch", barcode="0614141000012"),
                Product(sku="ROSE-PNK", title="Pink Rose Patch", barcode="0614141000029"),
                Product(sku="NAME-TAG", title="Custom Name Tag Patch"),
                Product(sku="FLAG-CA", title="Canada Flag Patch", barcode="0614141000036"),
            ]
        )
        uow.commit()
    return db


@pytest.fixture
def order_id(catalogue: Database) -> int:
    """Order #1041: two red roses (barcode), three name tags (no barcode), one Canada flag."""
    return _add_order(
        catalogue,
        "#1041",
        [
            LineDraft("ROSE-RED", "Red Rose Patch", 2, "Backing: Iron-on"),
            LineDraft(
                "NAME-TAG", "Custom Name Tag Patch", 3, "Color: Red\nPersonalization: ZOË, ROAD CAPTAIN"
            ),
            LineDraft("FLAG-CA", "Canada Flag Patch", 1),
        ],
    )
