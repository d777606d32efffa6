"""Return labels for orders: a return number (RMA) per label, logged with what is to come back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select

from shopdesk.db.database import Database
from shopdesk.db.models import Event
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
        earlier = session.scalar(
            select(func.count()).where(Event.order_id == order.id, Event.kind == RETURN_LABEL_EVENT)
        )
        rma = next_rma(order.number, earlier or 0)
        data = ReturnLabelData(
            rma_number=rma,
            sender=ship_to(order),
            items=tuple(chosen),
            order_number=order.number,
            prepaid_label_pdf=prepaid_label_pdf,
        )
        from shopdesk.documents.return_label import render_return_label  # ReportLab: only when printing

        pdf = render_return_label(data, shop_profile(session))
        record_event(
            session,
            RETURN_LABEL_EVENT,
            f"Return label {rma}",
            order=order,
            station=uow.station,
            rma=rma,
            items={item.sku: item.quantity for item in chosen},
        )
        uow.commit()
        return ReturnLabel(rma, pdf)
