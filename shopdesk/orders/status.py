"""The one place where an order's status changes.

new ──check──▶ checked ──print slip──▶ packed ──mark shipped──▶ shipped
 │  └──────── pack without checking (reason kept) ───────▲
 └─ on_hold / cancelled from any unfinished status; on_hold returns where it came from.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from shopdesk.db.models import Order, OrderStatus
from shopdesk.errors import IllegalTransition
from shopdesk.orders.history import record_event

S = OrderStatus

_ALLOWED: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.NEW: frozenset({S.CHECKED, S.PACKED, S.ON_HOLD, S.CANCELLED}),
    # Back to new when the owner starts the check over.
    S.CHECKED: frozenset({S.NEW, S.PACKED, S.ON_HOLD, S.CANCELLED}),
    S.PACKED: frozenset({S.SHIPPED, S.ON_HOLD, S.CANCELLED}),
    S.ON_HOLD: frozenset({S.NEW, S.CHECKED, S.PACKED, S.CANCELLED}),
    S.SHIPPED: frozenset(),
    S.CANCELLED: frozenset(),
}


def allowed_next(status: OrderStatus) -> frozenset[OrderStatus]:
    return _ALLOWED[status]


def change_status(
    session: Session,
    order: Order,
    new_status: OrderStatus,
    *,
    station: str = "",
    reason: str = "",
    **details,
) -> None:
    """Move ``order`` to ``new_status`` and log it, or raise ``IllegalTransition`` saying why not."""
    old = order.status
    if new_status == old:
        return
    if new_status not in _ALLOWED[old]:
        raise IllegalTransition(
            f"Order {order.number} is {old.label.lower()} and cannot become {new_status.label.lower()}."
        )
    returning_elsewhere = order.held_from and new_status.value != order.held_from
    if old == S.ON_HOLD and returning_elsewhere and new_status != S.CANCELLED:
        raise IllegalTransition(
            f"Order {order.number} was {OrderStatus(order.held_from).label.lower()} before it was "
            "put on hold and goes back to that."
        )
    if new_status == S.PACKED and old in (S.NEW, S.ON_HOLD) and not order.check_skip_reason:
        raise IllegalTransition(
            f"Order {order.number} has not been checked. Check every item first, "
            "or pack it without checking and give a reason."
        )
    if new_status == S.ON_HOLD:
        order.held_from = old.value
    elif old == S.ON_HOLD:
        order.held_from = None
    order.status = new_status
    summary = f"{old.label} → {new_status.label}" + (f": {reason}" if reason else "")
    record_event(
        session,
        "status",
        summary,
        order=order,
        station=station,
        old=old.value,
        new=new_status.value,
        reason=reason,
        **details,
    )


def put_on_hold(session: Session, order: Order, reason: str, station: str = "") -> None:
    change_status(session, order, S.ON_HOLD, reason=reason, station=station)


def release_hold(session: Session, order: Order, station: str = "") -> None:
    if order.status != S.ON_HOLD:
        raise IllegalTransition(f"Order {order.number} is not on hold.")
    change_status(session, order, OrderStatus(order.held_from or S.NEW.value), station=station)
