"""Orders put in a test shop through the core's own intake, as an import would add them."""

from __future__ import annotations

from datetime import UTC, datetime

from shopdesk.db.database import Database
from shopdesk.db.models import OrderStatus
from shopdesk.orders.drafts import LineDraft, OrderDraft
from shopdesk.orders.intake import create_order
from shopdesk.orders.status import change_status


def add_order(db: Database, number: str, lines: list[LineDraft], status: OrderStatus | None = None) -> int:
    """Zoë Müller's Shopify order ``number``; ``status`` moves it on (checked: every unit counted)."""
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
