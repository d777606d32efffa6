"""Reading orders for the list, the detail pane, the command line and scripts.

Everything returned here is plain data (no live ORM objects), so the window can keep it after the
session has closed and the list never holds a database connection open.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from shopdesk.db.models import Event, Order, OrderLine, OrderStatus
from shopdesk.errors import NotFound


@dataclass(frozen=True, slots=True)
class OrderRow:
    """One row of the order list."""

    id: int
    number: str
    source: str
    placed_at: datetime
    customer: str
    units: int
    line_count: int
    status: OrderStatus
    # Lower-case text the search box matches: number, customer, email and every SKU.
    search_text: str


def order_rows(session: Session) -> list[OrderRow]:
    """Every order as a list row, newest first, in two queries whatever the number of orders."""
    totals = (
        select(
            OrderLine.order_id,
            func.sum(OrderLine.quantity).label("units"),
            func.count(OrderLine.id).label("line_count"),
        )
        .group_by(OrderLine.order_id)
        .subquery()
    )
    query = (
        select(
            Order.id,
            Order.number,
            Order.source,
            Order.placed_at,
            Order.customer_name,
            Order.ship_name,
            Order.email,
            Order.status,
            func.coalesce(totals.c.units, 0),
            func.coalesce(totals.c.line_count, 0),
        )
        .outerjoin(totals, totals.c.order_id == Order.id)
        .order_by(Order.placed_at.desc(), Order.id.desc())
    )
    skus: dict[int, list[str]] = {}
    for order_id, sku in session.execute(select(OrderLine.order_id, OrderLine.sku)):
        skus.setdefault(order_id, []).append(sku)
    rows = []
    for oid, number, source, placed, customer, ship_name, email, status, units, lines in session.execute(
        query
    ):
        name = customer or ship_name
        haystack = " ".join([number, name, ship_name, email or "", *skus.get(oid, [])]).lower()
        rows.append(OrderRow(oid, number, source, placed, name, units, lines, status, haystack))
    return rows


def status_counts(session: Session) -> Counter[OrderStatus]:
    counts = Counter({status: 0 for status in OrderStatus})
    for status, count in session.execute(select(Order.status, func.count()).group_by(Order.status)):
        counts[status] = count
    return counts


def count_orders(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Order)) or 0


def load_order(session: Session, order_id: int) -> Order:
    order = session.get(
        Order,
        order_id,
        options=[selectinload(Order.lines), selectinload(Order.events), selectinload(Order.parent)],
    )
    if order is None:
        raise NotFound(f"There is no order with id {order_id}.")
    return order


def find_order(session: Session, number: str) -> Order:
    """The order the owner means by ``number``: "#1041", "1041" and "1041-r1" all work.

    Raises ``NotFound`` when nothing matches, or when two platforms share the number (then the
    message lists them so the owner can say which, e.g. ``shopify:#1041``).
    """
    text = number.strip()
    source = None
    if ":" in text:
        source, text = (part.strip() for part in text.split(":", 1))
    bare = text.lstrip("#").lower()
    query = select(Order).where(
        or_(func.lower(Order.number) == text.lower(), func.lower(func.ltrim(Order.number, "#")) == bare)
    )
    if source:
        query = query.where(Order.source == source.lower())
    matches = session.scalars(query).all()
    if not matches:
        raise NotFound(f"No order numbered {number!r}.")
    if len(matches) > 1:
        names = ", ".join(f"{o.source}:{o.number}" for o in matches)
        raise NotFound(
            f"Several orders are numbered {number!r} ({names}); say which, e.g. {matches[0].source}:{text}."
        )
    return matches[0]


def orders_for_listing(session: Session, status: OrderStatus | None = None) -> list[Order]:
    query = select(Order).options(selectinload(Order.lines), selectinload(Order.parent))
    if status is not None:
        query = query.where(Order.status == status)
    return list(session.scalars(query.order_by(Order.placed_at, Order.id)))


def order_history(session: Session, order_id: int) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.order_id == order_id).order_by(Event.id)))
