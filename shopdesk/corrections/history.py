"""What earlier mistakes teach: a customer's history, and look-alike products that get swapped.

Plain data only, for the order detail, the check screen's "take extra care" note, and the mistake report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from shopdesk.db.models import Correction, CorrectionKind, CorrectionLine, Order, OrderStatus
from shopdesk.orders.queries import fold_text


def lookalike_pairs(session: Session) -> list[tuple[str, str, int]]:
    """(ordered SKU, SKU sent instead, how many times), most often swapped first."""
    count = func.count(CorrectionLine.id)
    rows = session.execute(
        select(CorrectionLine.sku, CorrectionLine.sent_sku, count)
        .where(CorrectionLine.kind == "wrong_item", CorrectionLine.sent_sku.is_not(None))
        .group_by(CorrectionLine.sku, CorrectionLine.sent_sku)
        .order_by(count.desc(), CorrectionLine.sku, CorrectionLine.sent_sku)
    )
    return [(sku, sent, int(times)) for sku, sent, times in rows]


def lookalikes_for(session: Session, skus: Iterable[str]) -> dict[str, list[tuple[str, int]]]:
    """For the check screen: each of ``skus`` that has been mixed up before, with what it was mixed
    up with (either way round) and how often."""
    wanted = {sku.upper(): sku for sku in skus}
    found: dict[str, list[tuple[str, int]]] = {}
    for ordered, sent, times in lookalike_pairs(session):
        for mine, other in ((ordered, sent), (sent, ordered)):
            if mine.upper() in wanted:
                found.setdefault(wanted[mine.upper()], []).append((other, times))
    return found


@dataclass(frozen=True)
class PastOrder:
    id: int
    number: str
    source: str
    placed_at: datetime
    status: OrderStatus
    units: int


@dataclass(frozen=True)
class PastCorrection:
    id: int
    order_number: str
    created_at: datetime
    kind: CorrectionKind
    replacement_number: str
    what_we_will_change: str


@dataclass(frozen=True)
class CustomerHistory:
    orders: tuple[PastOrder, ...]
    corrections: tuple[PastCorrection, ...]

    @property
    def had_problem(self) -> bool:
        """Something went wrong with an earlier order: take extra care with this one."""
        return bool(self.corrections)


def _postcode(text: str) -> str:
    return "".join(text.split()).upper()


def _name(order: Order) -> str:
    return " ".join(fold_text(order.ship_name or order.customer_name).split())


# How many of a customer's earlier orders the history looks at, newest first.
HISTORY_LIMIT = 50


def customer_history(session: Session, order: Order) -> CustomerHistory:
    """The customer's orders placed before ``order`` and the corrections made on them.

    The same customer is the same email (any case), or the same name (accents and case aside) at the
    same postcode (spaces aside).
    """
    conditions = []
    if order.email:
        conditions.append(func.lower(Order.email) == order.email.strip().lower())
    postcode = _postcode(order.ship_postcode)
    name = _name(order)
    if postcode and name:
        conditions.append(func.upper(func.replace(Order.ship_postcode, " ", "")) == postcode)
    if not conditions:
        return CustomerHistory((), ())
    candidates = session.scalars(
        select(Order)
        .where(or_(*conditions), Order.id != order.id, Order.placed_at <= order.placed_at)
        .options(
            selectinload(Order.lines), selectinload(Order.corrections).selectinload(Correction.replacement)
        )
        .order_by(Order.placed_at.desc(), Order.id.desc())
        # The detail pane shows recent history; a regular with years of orders would otherwise
        # load them all, with their lines, each time one of her orders is selected.
        .limit(HISTORY_LIMIT)
    )
    email = (order.email or "").strip().lower()
    same = [
        other
        for other in candidates
        if (email and (other.email or "").strip().lower() == email)
        or (postcode and name and _postcode(other.ship_postcode) == postcode and _name(other) == name)
    ]
    orders = tuple(PastOrder(o.id, o.number, o.source, o.placed_at, o.status, o.units) for o in same)
    corrections = tuple(
        PastCorrection(c.id, o.number, c.created_at, c.kind, c.replacement.number, c.what_we_will_change)
        for o in same
        for c in o.corrections
    )
    return CustomerHistory(orders, corrections)


@dataclass(frozen=True)
class CorrectionSummary:
    """A correction as the order detail lists it."""

    id: int
    created_at: datetime
    kind: CorrectionKind
    cause: str
    replacement_number: str
    replacement_status: OrderStatus
    rma: str | None
    return_received_at: datetime | None
    what_we_will_change: str
    lines: tuple[tuple[str, str, int, str | None], ...]
    """(problem, SKU, units, SKU sent instead)."""


def corrections_for_order(session: Session, order_id: int) -> list[CorrectionSummary]:
    corrections = session.scalars(
        select(Correction)
        .where(Correction.order_id == order_id)
        .options(selectinload(Correction.lines), selectinload(Correction.replacement))
        .order_by(Correction.id)
    )
    return [
        CorrectionSummary(
            c.id,
            c.created_at,
            c.kind,
            c.cause.value,
            c.replacement.number,
            c.replacement.status,
            c.rma,
            c.return_received_at,
            c.what_we_will_change,
            tuple((line.kind, line.sku, line.units, line.sent_sku) for line in c.lines),
        )
        for c in corrections
    ]
