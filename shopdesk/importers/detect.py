"""Which export a file is, told from its header alone (columns by name, never by position)."""

from __future__ import annotations

from dataclasses import dataclass

from shopdesk.importers.errors import UnknownLayout
from shopdesk.importers.reading import Table


@dataclass(frozen=True)
class Format:
    """A known export layout. Each required column lists its names (US first, then UK and older)."""

    key: str
    label: str
    source: str
    required: tuple[tuple[str, ...], ...]

    def missing(self, table: Table) -> list[str]:
        return [names[0] for names in self.required if not table.has(*names)]


ETSY_ITEMS = Format(
    "etsy_items",
    "an Etsy sold order items export (EtsySoldOrderItems….csv)",
    "etsy",
    (
        ("Sale Date",),
        ("Order ID",),
        ("Transaction ID",),
        ("Item Name",),
        ("Quantity",),
        ("Ship Name",),
        ("Ship Zipcode", "Delivery Zipcode"),
    ),
)
ETSY_ORDERS = Format(
    "etsy_orders",
    "an Etsy sold orders export (EtsySoldOrders….csv)",
    "etsy",
    (
        ("Sale Date",),
        ("Order ID",),
        ("Full Name",),
        ("Number of Items",),
        ("Street 1",),
        ("Ship Zipcode", "Delivery Zipcode"),
    ),
)
SHOPIFY = Format(
    "shopify",
    "a Shopify orders export (orders_export….csv)",
    "shopify",
    (
        ("Name",),
        ("Created at",),
        ("Lineitem quantity",),
        ("Lineitem name",),
        ("Lineitem sku",),
        ("Shipping Name",),
        ("Shipping Zip",),
    ),
)
SQUARESPACE = Format(
    "squarespace",
    "a Squarespace orders export",
    "squarespace",
    (
        ("Order ID",),
        ("Created at",),
        ("Lineitem quantity",),
        ("Lineitem name",),
        ("Lineitem sku",),
        ("Lineitem variant",),
        ("Shipping Name",),
        ("Shipping Zip",),
    ),
)
WOOCOMMERCE = Format(
    "woocommerce",
    "a WooCommerce one-row-per-item orders export",
    "woocommerce",
    (
        ("order_id",),
        ("date",),
        ("item_name",),
        ("item_quantity",),
        ("shipping_first_name",),
        ("shipping_last_name",),
        ("shipping_postcode",),
    ),
)

FORMATS = (ETSY_ITEMS, ETSY_ORDERS, SHOPIFY, SQUARESPACE, WOOCOMMERCE)


def detect(table: Table) -> Format:
    """The known format whose required columns the file has (the most specific if several).

    Raises ``UnknownLayout`` naming the closest format and the columns it lacks.
    """
    complete = [fmt for fmt in FORMATS if not fmt.missing(table)]
    if complete:
        return max(complete, key=lambda fmt: len(fmt.required))
    closest, missing = closest_format(table)
    raise UnknownLayout(table.name, table.header, closest.label if closest else None, missing)


def closest_format(table: Table) -> tuple[Format | None, list[str]]:
    """The format with the largest share of its required columns present, and what it lacks."""

    def share(fmt: Format) -> tuple[float, int]:
        found = len(fmt.required) - len(fmt.missing(table))
        return found / len(fmt.required), found

    best = max(FORMATS, key=share)
    if share(best)[1] == 0:
        return None, []
    return best, best.missing(table)
