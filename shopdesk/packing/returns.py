"""Return labels for orders: a return number (RMA) per label, logged with what is to come back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shopdesk.db.database import Database
from shopdesk.db.models import Event, Order
from shopdesk.documents.data import ReturnItem, ReturnLabelData
from shopdesk.errors import ShopDeskError
from shopdesk.orders.history import record_event
from shopdesk.orders.queries import load_order
from shopdesk.packing.profile import shop_profile
from shopdesk.packing.slips import ship_to

RETURN_LABEL_EVENT = "return_label"


@dataclass(frozen=True)
class ReturnLabel:
    rma: str
    pdf: bytes


def next_rma(order_number: str, labels_so_far: int) -> str:
    """Return numbers read like the order they belong to: RMA-1041-1, RMA-1041-2, …"""
    bare = "".join(char for char in order_number if char.isalnum() or char == "-").strip("-")
    return f"RMA-{bare}-{labels_so_far + 1}"


def make_return_label(
    db: Database,
    order_id: int,
    items: Mapping[str, int] | None = None,
    prepaid_label_pdf: bytes | None = None,
) -> ReturnLabel:
    """A return label for ``order_id``; ``items`` maps SKU → units to send back (default: everything).

    The label's return number is recorded on the order in the same unit of work.
    """
    with db.unit_of_work() as uow:
        session = uow.session
        order = load_order(session, order_id)
        by_sku = {line.sku.upper(): line for line in order.lines}
        if items:
            unknown = [sku for sku in items if sku.upper() not in by_sku]
            if unknown:
                raise ShopDeskError(
                    f"Order {order.number} has no line {', '.join(unknown)}; it has {', '.join(by_sku)}."
                )
            chosen = [ReturnItem(by_sku[s.upper()].sku, by_sku[s.upper()].title, n) for s, n in items.items()]
        else:
            chosen = [ReturnItem(line.sku, line.title, line.quantity) for line in order.lines]
        label = add_return_label(
            session, order, chosen, station=uow.station, prepaid_label_pdf=prepaid_label_pdf
        )
        uow.commit()
        return label


def upcoming_rma(session: Session, order: Order) -> str:
    """The return number the next return label of ``order`` will carry."""
    earlier = session.scalar(
        select(func.count()).where(Event.order_id == order.id, Event.kind == RETURN_LABEL_EVENT)
    )
    return next_rma(order.number, earlier or 0)


def add_return_label(
    session: Session,
    order: Order,
    items: Sequence[ReturnItem],
    *,
    station: str = "",
    prepaid_label_pdf: bytes | None = None,
    **details: Any,
) -> ReturnLabel:
    """Number and draw a return label for ``order`` inside the caller's unit of work.

    ``items`` may name SKUs that are not lines of the order (a wrong item that went out instead).
    The return number is logged on the order and is only kept if the caller commits.
    """
    rma = upcoming_rma(session, order)
    pdf = return_label_pdf(session, order, rma, items, prepaid_label_pdf)
    record_event(
        session,
        RETURN_LABEL_EVENT,
        f"Return label {rma}",
        order=order,
        station=station,
        rma=rma,
        items={item.sku: item.quantity for item in items},
        **details,
    )
    return ReturnLabel(rma, pdf)


def return_label_pdf(
    session: Session,
    order: Order,
    rma: str,
    items: Sequence[ReturnItem],
    prepaid_label_pdf: bytes | None = None,
) -> bytes:
    """The label for a return number already given out (used again to reprint or attach it)."""
    from shopdesk.documents.return_label import render_return_label  # ReportLab: only when printing

    data = ReturnLabelData(
        rma_number=rma,
        sender=ship_to(order),
        items=tuple(items),
        order_number=order.number,
        prepaid_label_pdf=prepaid_label_pdf,
    )
    return render_return_label(data, shop_profile(session))
