"""Squarespace's orders CSV: Shopify-like, one row per item.

Continuation rows repeat only ``Order ID``; there is a ``Lineitem variant`` column; countries are
full names; a file re-saved by Excel has ``TRUE`` and ``M/D/YYYY H:MM`` dates. ``Private Notes``
are the seller's own and are not the buyer's note.
"""

from __future__ import annotations

from shopdesk.importers.reading import Table
from shopdesk.importers.shopify import RowPerItem, parse_rows
from shopdesk.orders.drafts import OrderDraft

SQUARESPACE = RowPerItem(
    source="squarespace",
    number=("Order ID",),
    order_level=("Email", "Financial Status", "Currency", "Shipping Name", "Billing Name"),
    variation=("Lineitem variant",),
    note=(),
    external_id=("Order ID",),
)


def parse(table: Table) -> list[OrderDraft]:
    return parse_rows(table, SQUARESPACE)
