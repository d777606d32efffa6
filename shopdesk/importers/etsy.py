"""Etsy's two CSV exports: sold order items (one row per item) and sold orders (one row per order).

The items file is enough on its own. Given together with the orders file of the same period, the
orders file adds what only it has: the buyer's full name, both street lines and the order total.
UK sellers get renamed columns (``Delivery City``, ``Date Posted``…); both spellings are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from shopdesk.db.models import OrderStatus
from shopdesk.importers import fields
from shopdesk.importers.errors import ImportRefused
from shopdesk.importers.fields import Problems
from shopdesk.importers.reading import Row, Table
from shopdesk.orders.drafts import LineDraft, OrderDraft

SALE_DATE_FORMATS = ("%m/%d/%y", "%m/%d/%Y")

ORDER_ID = ("Order ID",)
QUANTITY = ("Quantity",)
SKU = ("SKU",)
SALE_DATE = ("Sale Date",)
SHIP_CITY = ("Ship City", "Delivery City")
SHIP_ZIPCODE = ("Ship Zipcode", "Delivery Zipcode")
SHIP_COUNTRY = ("Ship Country", "Delivery Country")
ORDER_SHIPPING = ("Order Shipping", "Order Delivery")
DATE_SHIPPED = ("Date Shipped", "Date Posted")

# "Label:value" pairs joined by commas; a new pair starts at a comma followed by "Label:".
_PAIR_START = re.compile(r",(?=[^,:\n\"]{1,60}:)")
# Free text after "Personalization:" runs to the end, commas, quotes and newlines included.
_PERSONALIZATION = re.compile(r"(?:^|,)\s*(Personali[sz]ation)\s*:", re.IGNORECASE)
# "Zoë Müller (rider001)": the buyer's name followed by their Etsy username.
_USERNAME = re.compile(r"\s*\([^()]*\)\s*$")


def variation_pairs(variations: str) -> list[tuple[str, str]]:
    """Etsy's ``Variations`` cell as (label, value) pairs, personalization text kept whole."""
    value = fields.text(variations)
    if not value:
        return []
    personalization = _PERSONALIZATION.search(value)
    head = value[: personalization.start()] if personalization else value
    pairs: list[tuple[str, str]] = []
    for part in _PAIR_START.split(head) if head.strip() else []:
        label, colon, text = part.partition(":")
        if colon:
            pairs.append((label.strip(), text.strip()))
        elif pairs:  # a comma inside a value that does not start a new pair
            pairs[-1] = (pairs[-1][0], f"{pairs[-1][1]},{part}".strip())
        else:
            pairs.append(("", part.strip()))
    if personalization:
        pairs.append((personalization.group(1), value[personalization.end() :].strip()))
    return pairs


def variation_text(variations: str) -> str:
    """The variations one pair per line, ``Label: value``, as the packing slip shows them."""
    return "\n".join(f"{label}: {text}" if label else text for label, text in variation_pairs(variations))


def buyer_name(buyer: str) -> str:
    return _USERNAME.sub("", fields.text(buyer))


def parse(items: Table, orders: Table | None = None) -> list[OrderDraft]:
    """Orders from an items file, completed from the orders file of the same period when given."""
    problems = Problems(items.name)
    groups = _group(items.rows(), problems)
    drafts = [draft for rows in groups.values() if (draft := _order(rows, problems)) is not None]
    order_problems = Problems(orders.name) if orders is not None else None
    if orders is not None and order_problems is not None:
        _merge(drafts, orders, order_problems)
    all_problems = problems.items + (order_problems.items if order_problems else [])
    if all_problems:
        raise ImportRefused(all_problems, orders=len(groups))
    return drafts


def parse_orders_alone(orders: Table) -> list[OrderDraft]:
    """An orders file has no items, so it cannot be checked: it is refused with what to do."""
    problems = Problems(orders.name)
    problems.add(
        "An Etsy sold orders file has no items, so its orders could not be checked. Import it "
        "together with the sold order items file (EtsySoldOrderItems….csv) of the same period, "
        "or import the items file alone."
    )
    problems.refuse_if_any(orders=len(orders))
    return []


def _group(rows: Iterable[Row], problems: Problems) -> dict[str, list[Row]]:
    groups: dict[str, list[Row]] = {}
    seen_transactions: dict[str, int] = {}
    for row in rows:
        number = fields.check_number(row, ORDER_ID, problems)
        if number is None:
            continue
        transaction = row("Transaction ID")
        if transaction:
            first = seen_transactions.setdefault(transaction, row.line)
            if first != row.line:
                problems.at(
                    row,
                    ("Transaction ID",),
                    f"This item is already on line {first}; the file repeats a row. Export it again.",
                )
                continue
        groups.setdefault(number, []).append(row)
    return groups


def _order(rows: list[Row], problems: Problems) -> OrderDraft | None:
    first = rows[0]
    before = len(problems.items)
    placed_at = fields.parse_time(first, SALE_DATE, SALE_DATE_FORMATS, problems)
    lines: list[LineDraft] = []
    item_totals: list[int | None] = []
    for row in rows:
        title = fields.text(row.get("Item Name"))
        quantity = fields.quantity(row, QUANTITY, problems)
        sku = fields.sku(row, SKU, title, problems)
        price = fields.cents(row, ("Price",), problems)
        item_totals.append(fields.cents(row, ("Item Total",), problems))
        if quantity is not None:
            lines.append(
                LineDraft(
                    sku=sku,
                    title=title,
                    quantity=quantity,
                    variation=variation_text(row.get("Variations")),
                    unit_price_cents=price,
                    external_id=row("Transaction ID") or None,
                )
            )
    # Shipping, tax and discounts repeat on every row of an order: they are taken once.
    once = [fields.cents(first, names, problems) or 0 for names in (ORDER_SHIPPING, ("Order Sales Tax",))]
    off = [
        fields.cents(first, names, problems) or 0 for names in (("Discount Amount",), ("Shipping Discount",))
    ]
    if len(problems.items) > before or placed_at is None:
        return None
    total = None
    if all(value is not None for value in item_totals):
        total = sum(value or 0 for value in item_totals) + sum(once) - sum(off)
    return OrderDraft(
        source="etsy",
        number=first("Order ID"),
        placed_at=placed_at,
        customer_name=buyer_name(first.get("Buyer")) or fields.text(first.get("Ship Name")),
        ship_name=fields.text(first.get("Ship Name")),
        ship_address1=fields.text(first.get("Ship Address1")),
        ship_address2=fields.text(first.get("Ship Address2")),
        ship_city=fields.text(first.get(*SHIP_CITY)),
        ship_region=fields.text(first.get("Ship State")),
        ship_postcode=fields.postcode(first.get(*SHIP_ZIPCODE)),
        ship_country=fields.text(first.get(*SHIP_COUNTRY)),
        currency=first("Currency").upper()[:3],
        total_cents=total,
        external_id=first("Order ID"),
        status=OrderStatus.SHIPPED if first(*DATE_SHIPPED) else OrderStatus.NEW,
        lines=lines,
    )


def _merge(drafts: list[OrderDraft], orders: Table, problems: Problems) -> None:
    by_number = {draft.number: draft for draft in drafts}
    for row in orders.rows():
        number = fields.check_number(row, ORDER_ID, problems)
        if number is None:
            continue
        draft = by_number.get(number)
        if draft is None:
            problems.at(
                row,
                ORDER_ID,
                "This order is not in the items file. Export both Etsy files for the same dates "
                "and import them together.",
            )
            continue
        count = row("Number of Items")
        if count and count.isdigit() and int(count) != draft.units:
            problems.at(
                row,
                ("Number of Items",),
                f"The items file has {draft.units} item{'s' if draft.units != 1 else ''} for order "
                f"{number}. Export both Etsy files for the same dates and import them together.",
            )
        full_name = fields.text(row.get("Full Name")) or " ".join(
            part for part in (fields.text(row.get("First Name")), fields.text(row.get("Last Name"))) if part
        )
        if full_name:
            draft.customer_name = full_name
        if row("Street 1"):
            draft.ship_address1 = fields.text(row.get("Street 1"))
            draft.ship_address2 = fields.text(row.get("Street 2"))
        total = fields.cents(row, ("Order Total",), problems)
        if total is not None:
            draft.total_cents = total
        if row(*DATE_SHIPPED):
            draft.status = OrderStatus.SHIPPED
