from __future__ import annotations

import pytest
import shop_orders

from shopdesk.db.database import Database
from shopdesk.db.models import Product
from shopdesk.orders.drafts import LineDraft


@pytest.fixture
def add_order():
    """``add_order(db, number, lines, status=None) -> order id``."""
    return shop_orders.add_order


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
    return shop_orders.add_order(
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
