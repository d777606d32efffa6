"""Orders as JSON for scripts (``shopdesk orders --json``). The key names are a promise: keep them."""

from __future__ import annotations

from typing import Any

from shopdesk.db.models import Order


def order_as_json(order: Order) -> dict[str, Any]:
    return {
        "number": order.number,
        "source": order.source,
        "status": order.status.value,
        "placed_at": order.placed_at.isoformat(),
        "customer": order.customer_name,
        "email": order.email,
        "ship_to": {
            "name": order.ship_name,
            "address1": order.ship_address1,
            "address2": order.ship_address2,
            "city": order.ship_city,
            "region": order.ship_region,
            "postcode": order.ship_postcode,
            "country": order.ship_country,
        },
        "note": order.buyer_note,
        "lines": [
            {
                "sku": line.sku,
                "title": line.title,
                "variation": line.variation,
                "quantity": line.quantity,
                "unit_price_cents": line.unit_price_cents,
                "counted": line.counted,
            }
            for line in order.lines
        ],
        "currency": order.currency,
        "total_cents": order.total_cents,
        "tracking_number": order.tracking_number,
        "parent": order.parent.number if order.parent else None,
    }
