"""The print gate: no packing slip for an order that has not been checked.

Every path that prints a packing slip — the check screen, a batch print, the command line —
calls ``ensure_printable`` (one order) or ``printable_orders`` (several) on the orders it is about
to print, inside the unit of work that prints them. The buttons are disabled as well, but it is
this module that makes the rule hold.

An order can be printed when it is checked (every unit counted), when it was packed without
checking and the owner gave a reason, and again later once it is packed or shipped (reprints).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shopdesk.db.models import Order, OrderStatus
from shopdesk.errors import ShopDeskError

S = OrderStatus

_PRINTABLE = frozenset({S.CHECKED, S.PACKED, S.SHIPPED})


@dataclass(frozen=True, slots=True)
class Refusal:
    order_id: int
    number: str
    reason: str


class NotPrintable(ShopDeskError):
    """One or more orders are not checked (nor skipped with a reason): their slips cannot print."""

    def __init__(self, refusals: Iterable[Refusal]) -> None:
        self.refusals = tuple(refusals)
        if len(self.refusals) == 1:
            refusal = self.refusals[0]
            message = (
                f"The packing slip for order {refusal.number} cannot be printed: {refusal.reason}. "
                "Check every item first, or pack it without checking and give a reason."
            )
        else:
            listed = "; ".join(f"{r.number} ({r.reason})" for r in self.refusals)
            message = (
                f"{len(self.refusals)} orders are not checked, so their packing slips cannot be "
                f"printed: {listed}. Check them first, or pack them without checking and give a reason."
            )
        super().__init__(message)


def block_reason(status: OrderStatus, skip_reason: str | None, progress_text: str) -> str | None:
    """Why a slip cannot be printed ("2 of 3 items checked"), or None when it can."""
    if status in _PRINTABLE:
        return None
    if status == S.NEW:
        return None if skip_reason and skip_reason.strip() else progress_text
    if status == S.ON_HOLD:
        return "the order is on hold"
    return f"the order is {status.label.lower()}"


def print_block_reason(order: Order) -> str | None:
    total = order.units
    progress = f"{order.units_counted} of {total} item{'' if total == 1 else 's'} checked"
    return block_reason(order.status, order.check_skip_reason, progress)


def is_printable(order: Order) -> bool:
    return print_block_reason(order) is None


def ensure_printable(order: Order) -> None:
    """Raise ``NotPrintable`` unless ``order``'s packing slip may be printed."""
    reason = print_block_reason(order)
    if reason is not None:
        raise NotPrintable([Refusal(order.id, order.number, reason)])


def printable_orders(orders: Iterable[Order]) -> list[Order]:
    """All of ``orders``, in the same order, or ``NotPrintable`` naming every one that may not print.

    A batch is refused whole rather than printed in part, so the owner never finds half a pile of
    slips and wonders which orders are missing.
    """
    orders = list(orders)
    refusals = [
        Refusal(order.id, order.number, reason)
        for order in orders
        if (reason := print_block_reason(order)) is not None
    ]
    if refusals:
        raise NotPrintable(refusals)
    return orders
