"""Shopify's ``orders_export_1.csv`` (one row per line item), and the row-per-item reading it shares.

Order-level columns (totals, status, addresses, notes) are on the first row of an order only;
continuation rows repeat the order number. Large exports are split into ``_1``, ``_2``…: the parts
are read together as one file, so an order that straddles two parts stays whole. Old exports have
fewer columns; columns are found by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shopdesk.db.models import OrderStatus
from shopdesk.importers import fields
from shopdesk.importers.fields import Problems
from shopdesk.importers.reading import Row, Table
from shopdesk.orders.drafts import LineDraft, OrderDraft

TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S%z",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
)


@dataclass(frozen=True)
class RowPerItem:
    """How one row-per-item export names things; the reading is the same for Shopify and Squarespace."""

    source: str
    number: tuple[str, ...]
    # Columns of which at least one is filled on the first row of every order.
    order_level: tuple[str, ...]
    variation: tuple[str, ...]
    note: tuple[str, ...]
    external_id: tuple[str, ...]
    time_formats: tuple[str, ...] = TIME_FORMATS


SHOPIFY = RowPerItem(
    source="shopify",
    number=("Name",),
    order_level=("Financial Status", "Currency", "Total", "Shipping Name", "Billing Name"),
    variation=(),
    note=("Notes",),
    external_id=("Id",),
)

QUANTITY = ("Lineitem quantity",)
SKU = ("Lineitem sku",)
CREATED_AT = ("Created at",)


def parse(table: Table) -> list[OrderDraft]:
    return parse_rows(table, SHOPIFY)


def parse_rows(
    table: Table, layout: RowPerItem, *, extra: Callable[[Row, OrderDraft], None] | None = None
) -> list[OrderDraft]:
    problems = Problems(table.name)
    groups: dict[str, list[Row]] = {}
    for row in table.rows():
        number = fields.check_number(row, layout.number, problems)
        if number is not None:
            groups.setdefault(number, []).append(row)
    drafts: list[OrderDraft] = []
    for number, rows in groups.items():
        first = rows[0]
        if not any(first(name) for name in layout.order_level):
            problems.on(
                first,
                f"Order {number} starts without its order details (name, address, total), so its "
                "first rows must be in another part of a split export. Import all the parts "
                "(…_1.csv, …_2.csv) together.",
            )
            continue
        draft = _order(number, rows, layout, problems)
        if draft is not None:
            if extra is not None:
                extra(first, draft)
            drafts.append(draft)
    problems.refuse_if_any(orders=len(groups))
    return drafts


def _order(number: str, rows: list[Row], layout: RowPerItem, problems: Problems) -> OrderDraft | None:
    first = rows[0]
    before = len(problems.items)
    placed_at = fields.parse_time(first, CREATED_AT, layout.time_formats, problems)
    lines = []
    for row in rows:
        title = fields.text(row.get("Lineitem name"))
        quantity = fields.quantity(row, QUANTITY, problems)
        sku = fields.sku(row, SKU, title, problems)
        price = fields.cents(row, ("Lineitem price",), problems)
        if quantity is not None:
            variation = fields.text(row.get(*layout.variation)) if layout.variation else ""
            lines.append(
                LineDraft(
                    sku=sku, title=title, quantity=quantity, variation=variation, unit_price_cents=price
                )
            )
    total = fields.cents(first, ("Total",), problems)
    if len(problems.items) > before or placed_at is None:
        return None
    ship_name = fields.text(first.get("Shipping Name"))
    billing_name = fields.text(first.get("Billing Name"))
    if first("Cancelled at"):
        status = OrderStatus.CANCELLED
    elif first("Fulfillment Status").casefold() == "fulfilled":
        status = OrderStatus.SHIPPED
    else:
        status = OrderStatus.NEW
    note = first.get(*layout.note).strip() if layout.note else ""
    attributes = first("Note Attributes")
    return OrderDraft(
        source=layout.source,
        number=number,
        placed_at=placed_at,
        customer_name=billing_name or ship_name,
        email=first("Email") or None,
        ship_name=ship_name or billing_name,
        ship_address1=fields.text(first.get("Shipping Address1")),
        ship_address2=fields.text(first.get("Shipping Address2")),
        ship_city=fields.text(first.get("Shipping City")),
        ship_region=fields.text(first.get("Shipping Province")),
        ship_postcode=fields.postcode(first.get("Shipping Zip")),
        ship_country=fields.text(first.get("Shipping Country")),
        buyer_note="\n".join(part for part in (note, attributes) if part),
        currency=first("Currency").upper()[:3],
        total_cents=total,
        external_id=first(*layout.external_id) or None,
        status=status,
        lines=lines,
    )
