"""Large shops made up for the benchmarks: a database of N orders, a Shopify export of N orders."""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from shopdesk.app import open_shop
from shopdesk.db.models import Order, OrderLine, OrderStatus, Product
from shopdesk.orders.demo import CATALOGUE, CUSTOMERS

STATUSES = (
    [OrderStatus.SHIPPED] * 80 + [OrderStatus.NEW] * 12 + [OrderStatus.CHECKED] * 4 + [OrderStatus.PACKED] * 4
)


def build_database(path: Path, orders: int, seed: int = 7) -> Path:
    """A migrated SQLite shop with ``orders`` orders (≈1.7 lines each), written in bulk."""
    path.unlink(missing_ok=True)
    db = open_shop(str(path))
    rng = random.Random(seed)
    start = datetime(2019, 1, 1, tzinfo=UTC)
    with db.unit_of_work() as uow:
        session = uow.session
        session.execute(
            insert(Product),
            [{"sku": s, "title": t, "barcode": b, "location": loc} for s, t, _p, b, loc in CATALOGUE],
        )
        batch_orders, batch_lines = [], []
        line_id = 0
        for number in range(1, orders + 1):
            customer = rng.choice(CUSTOMERS)
            status = rng.choice(STATUSES)
            batch_orders.append(
                {
                    "id": number,
                    "source": "shopify",
                    "number": f"#{10000 + number}",
                    "placed_at": start + timedelta(minutes=number * 37),
                    "customer_name": customer.name,
                    "email": customer.email,
                    "ship_name": customer.name,
                    "ship_address1": customer.address1,
                    "ship_address2": customer.address2,
                    "ship_city": customer.city,
                    "ship_region": customer.region,
                    "ship_postcode": customer.postcode,
                    "ship_country": customer.country,
                    "buyer_note": "",
                    "currency": "CAD",
                    "status": status,
                }
            )
            for position in range(rng.choice((1, 1, 2, 3))):
                sku, title, price, _barcode, _bin = rng.choice(CATALOGUE)
                quantity = rng.choice((1, 1, 2, 3))
                line_id += 1
                counted = quantity if status != OrderStatus.NEW else 0
                batch_lines.append(
                    {
                        "id": line_id,
                        "order_id": number,
                        "position": position,
                        "sku": sku,
                        "title": title,
                        "variation": "",
                        "quantity": quantity,
                        "unit_price_cents": price,
                        "counted": counted,
                    }
                )
            if len(batch_orders) >= 5000:
                session.execute(insert(Order), batch_orders)
                session.execute(insert(OrderLine), batch_lines)
                batch_orders, batch_lines = [], []
        if batch_orders:
            session.execute(insert(Order), batch_orders)
            session.execute(insert(OrderLine), batch_lines)
        uow.commit()
    db.dispose()
    return path


SHOPIFY_HEADER = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Street",
    "Billing Address1",
    "Billing Address2",
    "Billing Company",
    "Billing City",
    "Billing Zip",
    "Billing Province",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping Company",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Notes",
    "Note Attributes",
    "Cancelled at",
    "Payment Method",
    "Payment Reference",
    "Refunded Amount",
    "Vendor",
    "Outstanding Balance",
    "Employee",
    "Location",
    "Device ID",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
]


def build_shopify_export(path: Path, orders: int, seed: int = 11) -> int:
    """A Shopify ``orders_export`` of ``orders`` orders; returns the number of rows (≈1.7 per order)."""
    rng = random.Random(seed)
    rows = 0
    start = datetime(2026, 1, 1, 9, 0)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(SHOPIFY_HEADER)
        for number in range(1, orders + 1):
            customer = rng.choice(CUSTOMERS)
            created = (start + timedelta(minutes=number * 13)).strftime("%Y-%m-%d %H:%M:%S -0500")
            for position in range(rng.choice((1, 1, 2, 3))):
                sku, title, price, _barcode, _bin = rng.choice(CATALOGUE)
                row = dict.fromkeys(SHOPIFY_HEADER, "")
                row.update(
                    {
                        "Name": f"#{50000 + number}",
                        "Email": customer.email or "",
                        "Created at": created,
                        "Lineitem quantity": str(rng.choice((1, 1, 2, 3))),
                        "Lineitem name": title,
                        "Lineitem price": f"{price / 100:.2f}",
                        "Lineitem sku": sku,
                        "Vendor": "Belt Drive Betty",
                    }
                )
                if position == 0:
                    row.update(
                        {
                            "Financial Status": "paid",
                            "Currency": "CAD",
                            "Total": "20.00",
                            "Shipping Name": customer.name,
                            "Shipping Address1": customer.address1,
                            "Shipping Address2": customer.address2,
                            "Shipping City": customer.city,
                            "Shipping Zip": customer.postcode,
                            "Shipping Province": customer.region,
                            "Shipping Country": customer.country,
                        }
                    )
                writer.writerow(row[name] for name in SHOPIFY_HEADER)
                rows += 1
    return rows
