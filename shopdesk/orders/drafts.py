"""Orders before they are saved: what an importer, the demo data or the "New order" dialog produce.

Plain data with no database attached, so every source of orders can be tested on its own and
saved through the same path (``shopdesk.orders.intake``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from shopdesk.db.models import OrderStatus


@dataclass
class LineDraft:
    sku: str
    title: str
    quantity: int
    variation: str = ""
    unit_price_cents: int | None = None
    external_id: str | None = None


@dataclass
class OrderDraft:
    source: str
    number: str
    placed_at: datetime
    customer_name: str = ""
    email: str | None = None
    ship_name: str = ""
    ship_address1: str = ""
    ship_address2: str = ""
    ship_city: str = ""
    ship_region: str = ""
    ship_postcode: str = ""
    ship_country: str = ""
    buyer_note: str = ""
    currency: str = ""
    total_cents: int | None = None
    external_id: str | None = None
    # What the platform says: an export may carry orders that were shipped or cancelled there.
    status: OrderStatus = OrderStatus.NEW
    lines: list[LineDraft] = field(default_factory=list)

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)
