"""WooCommerce orders through an order-export plugin, in the common "one row per item" layout.

Core WooCommerce exports no addresses, so shops use a plugin; its layout has ``order_id``,
``shipping_*`` address columns and one ``item_*`` group per row. Every row repeats the order.
"""

from __future__ import annotations

from shopdesk.db.models import OrderStatus
from shopdesk.importers import fields
from shopdesk.importers.fields import Problems
from shopdesk.importers.reading import Row, Table
from shopdesk.orders.drafts import LineDraft, OrderDraft

TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d")
ORDER_ID = ("order_id",)
QUANTITY = ("item_quantity",)
SKU = ("item_sku",)

_SHIPPED = {"completed"}
_CANCELLED = {"cancelled", "refunded", "failed", "trash"}


def parse(table: Table) -> list[OrderDraft]:
    problems = Problems(table.name)
    groups: dict[str, list[Row]] = {}
    for row in table.rows():
        order_id = fields.check_number(row, ORDER_ID, problems)
        if order_id is not None:
            groups.setdefault(order_id, []).append(row)
    drafts = [draft for rows in groups.values() if (draft := _order(rows, problems)) is not None]
    problems.refuse_if_any(orders=len(groups))
    return drafts


def _name(row: Row, prefix: str) -> str:
    return " ".join(
        part
        for part in (
            fields.text(row.get(f"{prefix}_first_name")),
            fields.text(row.get(f"{prefix}_last_name")),
        )
        if part
    )


def _order(rows: list[Row], problems: Problems) -> OrderDraft | None:
    first = rows[0]
    before = len(problems.items)
    placed_at = fields.parse_time(first, ("date", "order_date"), TIME_FORMATS, problems)
    lines = []
    for row in rows:
        title = fields.text(row.get("item_name"))
        quantity = fields.quantity(row, QUANTITY, problems)
        sku = fields.sku(row, SKU, title, problems)
        price = fields.cents(row, ("item_price",), problems)
        if quantity is not None:
            lines.append(
                LineDraft(
                    sku=sku,
                    title=title,
                    quantity=quantity,
                    variation=fields.text(row.get("item_meta")).replace(" | ", "\n"),
                    unit_price_cents=price,
                    external_id=row("item_id") or None,
                )
            )
    total = fields.cents(first, ("order_total",), problems)
    if len(problems.items) > before or placed_at is None:
        return None
    ship_name = _name(first, "shipping")
    billing_name = _name(first, "billing")
    status_text = first("status").casefold().removeprefix("wc-")
    if status_text in _CANCELLED:
        status = OrderStatus.CANCELLED
    elif status_text in _SHIPPED:
        status = OrderStatus.SHIPPED
    else:
        status = OrderStatus.NEW
    return OrderDraft(
        source="woocommerce",
        number=first("order_number") or first("order_id"),
        placed_at=placed_at,
        customer_name=billing_name or ship_name,
        email=first("billing_email") or None,
        ship_name=ship_name or billing_name,
        ship_address1=fields.text(first.get("shipping_address_1")),
        ship_address2=fields.text(first.get("shipping_address_2")),
        ship_city=fields.text(first.get("shipping_city")),
        ship_region=fields.text(first.get("shipping_state")),
        ship_postcode=fields.postcode(first.get("shipping_postcode")),
        ship_country=fields.text(first.get("shipping_country")),
        buyer_note=first.get("customer_note").strip(),
        currency=first("order_currency").upper()[:3],
        total_cents=total,
        external_id=first("order_id"),
        status=status,
        lines=lines,
    )
