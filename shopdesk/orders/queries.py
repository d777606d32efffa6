"""Reading orders for the list, the detail pane, the command line and scripts.

Everything returned here is plain data (no live ORM objects), so the window can keep it after the
session has closed and the list never holds a database connection open.
"""

from __future__ import annotations

import sys
import unicodedata
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from shopdesk.db.models import Event, Order, OrderLine, OrderStatus
from shopdesk.errors import NotFound


def fold_text(text: str) -> str:
    """Case- and accent-free text, so that typing "muller" or "pena" finds Müller and Peña."""
    if text.isascii():
        return text.lower()
    return _fold_unicode(text)


@lru_cache(maxsize=65_536)
def _fold_unicode(text: str) -> str:
    # Cached: the same customers, cities and titles come back order after order.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


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
    # What the search box matches: number, customer, email and every SKU, folded by ``fold_text``.
    search_text: str


def order_rows(
    session: Session, newest: int | None = None, ids: Collection[int] | None = None
) -> list[OrderRow]:
    """Every order (or only the ``newest`` few, or those with ``ids``) as list rows, newest first,
    in one query.

    Run through Core rather than the ORM (no identity map, no objects): a shop with years of
    orders loads its list in a fraction of a second.
    """
    newest_first = (Order.placed_at.desc(), Order.id.desc())
    totals = select(
        OrderLine.order_id,
        func.sum(OrderLine.quantity).label("units"),
        func.count(OrderLine.id).label("line_count"),
        func.aggregate_strings(OrderLine.sku, " ").label("skus"),
    ).group_by(OrderLine.order_id)
    query = select(
        Order.id,
        Order.number,
        Order.source,
        Order.placed_at,
        Order.customer_name,
        Order.ship_name,
        Order.email,
        Order.status,
    ).order_by(*newest_first)
    # Some orders only (the first screen's newest, or a few that just changed): their lines alone
    # are summed, not the whole history's, which would cost the first screen most of its time.
    only = ids if newest is None else select(Order.id).order_by(*newest_first).limit(newest).scalar_subquery()
    if only is not None:
        totals = totals.where(OrderLine.order_id.in_(only))
        query = query.where(Order.id.in_(only))
    totals = totals.subquery()
    query = query.add_columns(
        func.coalesce(totals.c.units, 0),
        func.coalesce(totals.c.line_count, 0),
        totals.c.skus,
    ).outerjoin(totals, totals.c.order_id == Order.id)
    rows = []
    for (
        oid,
        number,
        source,
        placed,
        customer,
        ship_name,
        email,
        status,
        units,
        lines,
        skus,
    ) in session.connection().execute(query):
        name = customer or ship_name
        haystack = " ".join(
            (
                fold_text(number),
                fold_text(name),
                fold_text(ship_name) if ship_name != name else "",
                (email or "").lower(),
                (skus or "").lower(),
            )
        )
        # A shop has a handful of sources: one string each, not one per order.
        source = sys.intern(source)
        rows.append(OrderRow(oid, number, source, placed, name, units, lines, status, haystack))
    return rows


def status_counts(session: Session) -> Counter[OrderStatus]:
    counts = Counter({status: 0 for status in OrderStatus})
    for status, count in session.execute(select(Order.status, func.count()).group_by(Order.status)):
        counts[status] = count
    return counts


def count_orders(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Order)) or 0


@dataclass(frozen=True, slots=True)
class LineView:
    sku: str
    title: str
    variation: str
    quantity: int
    counted: int


@dataclass(frozen=True, slots=True)
class EventView:
    at: datetime
    kind: str
    summary: str
    station: str


@dataclass(frozen=True)
class OrderDetail:
    """Everything the detail pane shows about one order."""

    id: int
    number: str
    source: str
    status: OrderStatus
    placed_at: datetime
    customer: str
    email: str | None
    ship_to_lines: tuple[str, ...]
    buyer_note: str
    lines: tuple[LineView, ...]
    events: tuple[EventView, ...]
    parent_number: str | None
    check_skip_reason: str | None
    tracking_number: str | None

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)


def order_detail(session: Session, order_id: int) -> OrderDetail:
    order = load_order(session, order_id)
    city_line = " ".join(part for part in (order.ship_city, order.ship_region, order.ship_postcode) if part)
    address = (order.ship_name, order.ship_address1, order.ship_address2, city_line, order.ship_country)
    return OrderDetail(
        id=order.id,
        number=order.number,
        source=order.source,
        status=order.status,
        placed_at=order.placed_at,
        customer=order.customer_name or order.ship_name,
        email=order.email,
        ship_to_lines=tuple(part for part in address if part),
        buyer_note=order.buyer_note,
        lines=tuple(LineView(ln.sku, ln.title, ln.variation, ln.quantity, ln.counted) for ln in order.lines),
        events=tuple(EventView(ev.at, ev.kind, ev.summary, ev.station) for ev in order.events),
        parent_number=order.parent.number if order.parent else None,
        check_skip_reason=order.check_skip_reason,
        tracking_number=order.tracking_number,
    )


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
