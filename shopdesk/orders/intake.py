"""Saving new orders, and learning the product catalogue from their lines."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopdesk.db.models import Order, OrderLine, Product
from shopdesk.orders.drafts import OrderDraft
from shopdesk.orders.history import record_event

# Every field of a draft but its lines is a column of the order of the same name.
ORDER_FIELDS = [field.name for field in dataclasses.fields(OrderDraft) if field.name != "lines"]


def existing_order(session: Session, source: str, number: str) -> Order | None:
    return session.scalar(select(Order).where(Order.source == source, Order.number == number))


def create_order(session: Session, draft: OrderDraft, *, station: str = "", how: str = "") -> Order:
    """Add ``draft`` as a new order (the caller has made sure it is new) and log where it came from."""
    order = Order(**{name: getattr(draft, name) for name in ORDER_FIELDS})
    order.lines = [
        OrderLine(
            position=position,
            sku=line.sku,
            title=line.title,
            variation=line.variation,
            quantity=line.quantity,
            unit_price_cents=line.unit_price_cents,
            external_id=line.external_id,
            counted=0,
        )
        for position, line in enumerate(draft.lines)
    ]
    session.add(order)
    learn_products(session, ((line.sku, line.title) for line in draft.lines))
    record_event(
        session,
        "created",
        f"Order {draft.number} added" + (f" {how}" if how else ""),
        order=order,
        station=station,
        source=draft.source,
        units=draft.units,
    )
    return order


def learn_products(session: Session, sku_titles: Iterable[tuple[str, str]]) -> None:
    """Add products the catalogue does not know yet; never overwrite what the owner edited."""
    wanted = dict(sku_titles)
    if not wanted:
        return
    known = set(session.scalars(select(Product.sku).where(Product.sku.in_(wanted))))
    pending = {p.sku for p in session.new if isinstance(p, Product)}
    for sku, title in wanted.items():
        if sku not in known and sku not in pending:
            session.add(Product(sku=sku, title=title))
