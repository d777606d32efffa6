"""What the owner does during a check: scan, count by hand, start over, skip. One unit of work each.

Every action reads the order, changes it and commits before it returns, so the counts on screen
are always the counts on disk: closing the window or a crash mid-check resumes at the same place.
Each scan counts one unit, never more. A scan that matches no line, or a line that is already
complete, is refused, counted nowhere, and logged (kinds ``check_wrong_item`` and ``check_over``)
so the mistake report can show how often it happens. When the last unit is counted the order
becomes ``checked`` through ``change_status``, with an event that lists every line's count.

Every action first takes (or keeps) the order's check lock for its station
(``shopdesk.checking.lock``): while another station checks the order, each action is refused with
``CheckedElsewhere`` and nothing is counted. Checking the last unit, or skipping, releases it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from shopdesk.checking.lock import claim_check, clear_check_lock
from shopdesk.checking.state import CheckLine, CheckState, normalise_code, plural, state_of_order
from shopdesk.db.database import Database
from shopdesk.db.models import Event, Order, OrderLine, OrderStatus, Product
from shopdesk.db.types import utc_now
from shopdesk.errors import NotFound, ShopDeskError
from shopdesk.orders.history import record_event
from shopdesk.orders.queries import find_order, load_order
from shopdesk.orders.status import change_status

S = OrderStatus

# Event kinds written by the check, for the history and the mistake report.
WRONG_ITEM_EVENT = "check_wrong_item"
OVER_EVENT = "check_over"
BY_HAND_EVENT = "check_by_hand"
START_OVER_EVENT = "check_start_over"
SKIPPED_EVENT = "check_skipped"


class NotCheckable(ShopDeskError):
    """The order is past its check (packed, shipped), on hold or cancelled."""


class BlankReason(ShopDeskError):
    """Packing without checking was asked for without saying why."""


class ScanResult(enum.StrEnum):
    COUNTED = "counted"
    WRONG_ITEM = "wrong_item"
    OVER = "over"
    # The order is already checked: nothing more is counted until the check is started over.
    ALREADY_CHECKED = "already_checked"


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    result: ScanResult
    # What was scanned (or "+1" for a unit counted by hand), as given.
    code: str
    # For the owner: what was scanned and, when refused, what the order holds (second line).
    message: str
    # The check after this scan, as saved.
    state: CheckState
    # The line the scan counted toward or was refused for (None for a wrong item).
    line: CheckLine | None = None
    # True when this very scan counted the order's last unit.
    completed: bool = False

    @property
    def counted(self) -> bool:
        return self.result == ScanResult.COUNTED


@dataclass(frozen=True, slots=True)
class OrderTarget:
    """A scanned code that is an order number (the barcode on a packing slip)."""

    order_id: int
    number: str


# -- actions -------------------------------------------------------------------------------------


def scan(db: Database, order_id: int, code: str) -> ScanOutcome:
    """Count one unit of the line ``code`` names (its SKU or its product's barcode), or refuse it."""
    text = code.strip()
    if not normalise_code(text):
        raise ShopDeskError("Nothing was scanned.")
    with db.unit_of_work() as uow:
        session = uow.session
        order = _order_to_check(session, order_id, uow.station)
        state = state_of_order(session, order)
        matching = state.lines_matching(text)
        if not matching:
            outcome = _wrong_item(session, order, state, text, uow.station)
        elif state.status == S.CHECKED:
            outcome = _refuse_over(session, order, state, matching[-1], text, uow.station, already=True)
        elif (line := next((line for line in matching if not line.is_complete), None)) is None:
            outcome = _refuse_over(session, order, state, matching[-1], text, uow.station)
        else:
            outcome = _count_one(session, order, line.id, text, uow.station, by_hand=False)
        uow.commit()
    return outcome


def add_one(db: Database, order_id: int, line_id: int) -> ScanOutcome:
    """The per-line "+1" for an item that has no barcode: one unit, exactly like one scan."""
    with db.unit_of_work() as uow:
        session = uow.session
        order = _order_to_check(session, order_id, uow.station)
        state = state_of_order(session, order)
        line = state.line(line_id)
        if line is None:
            raise NotFound(f"Order {order.number} has no line with id {line_id}.")
        if state.status == S.CHECKED:
            outcome = _refuse_over(session, order, state, line, "+1", uow.station, already=True)
        elif line.is_complete:
            outcome = _refuse_over(session, order, state, line, "+1", uow.station)
        else:
            outcome = _count_one(session, order, line.id, "+1", uow.station, by_hand=True)
        uow.commit()
    return outcome


def start_over(db: Database, order_id: int) -> CheckState:
    """Set every line's count back to zero (a checked order becomes new again), and log it."""
    with db.unit_of_work() as uow:
        session = uow.session
        order = _order_to_check(session, order_id, uow.station)
        before = {line.sku: line.counted for line in order.lines}
        units = order.units_counted
        for line in order.lines:
            line.counted = 0
        order.checked_at = None
        if order.status == S.CHECKED:
            change_status(session, order, S.NEW, station=uow.station, reason="the check was started over")
        record_event(
            session,
            START_OVER_EVENT,
            f"Check started over ({plural(units, 'item')} had been counted)",
            order=order,
            station=uow.station,
            counted_before=before,
        )
        state = state_of_order(session, order)
        uow.commit()
    return state


def skip_check(db: Database, order_id: int, reason: str) -> CheckState:
    """Let the order be packed without the check; ``reason`` (in words) is kept and printed on the slip."""
    reason = reason.strip()
    if not reason:
        raise BlankReason("Say in a few words why this order is packed without checking.")
    with db.unit_of_work() as uow:
        session = uow.session
        order = _order_to_check(session, order_id, uow.station)
        if order.status == S.CHECKED:
            raise NotCheckable(f"Order {order.number} is already checked; there is nothing to skip.")
        order.check_skip_reason = reason
        clear_check_lock(order)
        record_event(
            session,
            SKIPPED_EVENT,
            f"Packed without checking: {reason} ({order.units_counted} of {order.units} counted)",
            order=order,
            station=uow.station,
            reason=reason,
            counted={line.sku: line.counted for line in order.lines},
        )
        state = state_of_order(session, order)
        uow.commit()
    return state


def resolve_scan_target(session: Session, code: str) -> OrderTarget | None:
    """The order whose number ``code`` is (a packing slip's barcode), or None.

    A code that is any product's SKU or barcode is an item, never an order, so a scan can only
    switch orders when it cannot be a patch. Accepts what ``find_order`` accepts: "#1041", "1041",
    "shopify:#1041". A number two platforms share is not resolved (None): the owner picks the order
    from the list instead.
    """
    wanted = normalise_code(code)
    if not wanted or _is_item_code(session, wanted):
        return None
    try:
        order = find_order(session, code.strip())
    except NotFound:
        return None
    return OrderTarget(order.id, order.number)


# -- the steps -----------------------------------------------------------------------------------


def _order_to_check(session: Session, order_id: int, station: str) -> Order:
    """The order, its check held by ``station`` (taken before the order is loaded), or a refusal."""
    status = session.scalar(select(Order.status).where(Order.id == order_id))
    if status in (S.NEW, S.CHECKED):
        claim_check(session, order_id, station)
    order = load_order(session, order_id)
    if order.status in (S.NEW, S.CHECKED):
        return order
    if order.status == S.ON_HOLD:
        raise NotCheckable(f"Order {order.number} is on hold; release it before checking it.")
    if order.status == S.CANCELLED:
        raise NotCheckable(f"Order {order.number} is cancelled; it is not packed.")
    raise NotCheckable(f"Order {order.number} is already {order.status.label.lower()}; its check is over.")


def _count_one(
    session: Session, order: Order, line_id: int, code: str, station: str, *, by_hand: bool
) -> ScanOutcome:
    line = next(line for line in order.lines if line.id == line_id)
    line.counted += 1
    if by_hand:
        record_event(
            session,
            BY_HAND_EVENT,
            f"Counted by hand: {line.title or line.sku} ({line.counted} of {line.quantity})",
            order=order,
            station=station,
            sku=line.sku,
            counted=line.counted,
            quantity=line.quantity,
        )
    completed = all(ln.counted >= ln.quantity for ln in order.lines)
    if completed:
        _finish(session, order, station)
    session.flush()
    state = state_of_order(session, order)
    counted_line = state.line(line_id)
    assert counted_line is not None
    if completed:
        message = f"All {plural(state.units_total, 'item')} checked — print the packing slip."
    else:
        message = (
            f"Counted {counted_line.title or counted_line.sku}: "
            f"{counted_line.counted} of {counted_line.quantity}."
        )
    return ScanOutcome(ScanResult.COUNTED, code, message, state, counted_line, completed=completed)


def _finish(session: Session, order: Order, station: str) -> None:
    by_hand = _units_counted_by_hand(session, order)
    lines = [
        {
            "sku": line.sku,
            "title": line.title,
            "quantity": line.quantity,
            "counted": line.counted,
            "by_hand": by_hand.get(line.sku, 0),
        }
        for line in order.lines
    ]
    hand_total = sum(by_hand.values())
    method = "scan" if hand_total == 0 else "scan and by hand"
    skipped = order.check_skip_reason
    order.check_skip_reason = None  # checked after all: the slip says "checked", not "not checked"
    order.checked_at = utc_now()
    clear_check_lock(order)
    change_status(
        session,
        order,
        S.CHECKED,
        station=station,
        reason=f"all {plural(order.units, 'item')} counted"
        + (f", {hand_total} by hand" if hand_total else ""),
        method=method,
        units=order.units,
        lines=lines,
        skip_reason_cleared=skipped,
    )


def _units_counted_by_hand(session: Session, order: Order) -> dict[str, int]:
    """Units counted with "+1" since the check was last started over, per SKU."""
    events = session.scalars(
        select(Event)
        .where(Event.order_id == order.id, Event.kind.in_((BY_HAND_EVENT, START_OVER_EVENT)))
        .order_by(Event.id)
    )
    counts: dict[str, int] = {}
    for event in events:
        if event.kind == START_OVER_EVENT:
            counts.clear()
        else:
            sku = event.details.get("sku", "")
            counts[sku] = counts.get(sku, 0) + 1
    return counts


def _wrong_item(session: Session, order: Order, state: CheckState, code: str, station: str) -> ScanOutcome:
    product = _product_for_code(session, code)
    if product is not None:
        scanned = f"{product.title} ({product.sku})" if product.title else product.sku
        what = f"{scanned} — not in this order"
    else:
        scanned = f"“{code}”"
        what = f"{scanned} — no product has this code"
    message = f"Wrong item: {what}.\nOrder {state.number} contains {state.contents_text}."
    record_event(
        session,
        WRONG_ITEM_EVENT,
        f"Wrong item scanned: {scanned}",
        order=order,
        station=station,
        code=code,
        sku=product.sku if product else None,
        expected=[line.sku for line in state.lines],
    )
    return ScanOutcome(ScanResult.WRONG_ITEM, code, message, state)


def _refuse_over(
    session: Session,
    order: Order,
    state: CheckState,
    line: CheckLine,
    code: str,
    station: str,
    *,
    already: bool = False,
) -> ScanOutcome:
    if already:
        message = (
            f"Already checked — line complete: {line.counted} of {line.quantity} {line.name}.\n"
            f"Nothing more goes in the box of order {state.number}."
        )
        result = ScanResult.ALREADY_CHECKED
    else:
        message = f"Line complete: {line.counted} of {line.quantity} {line.name}.\nPut the extra one back."
        result = ScanResult.OVER
    record_event(
        session,
        OVER_EVENT,
        f"One too many scanned: {line.name} ({line.counted} of {line.quantity} already)",
        order=order,
        station=station,
        code=code,
        sku=line.sku,
        counted=line.counted,
        quantity=line.quantity,
    )
    return ScanOutcome(result, code, message, state, line)


def _product_for_code(session: Session, code: str) -> Product | None:
    wanted = normalise_code(code)
    query = select(Product).where(or_(_folded(Product.sku) == wanted, _folded(Product.barcode) == wanted))
    return session.scalars(query.limit(1)).first()


def _is_item_code(session: Session, wanted: str) -> bool:
    if _product_for_code(session, wanted) is not None:
        return True
    line = select(OrderLine.id).where(_folded(OrderLine.sku) == wanted).limit(1)
    return session.scalar(line) is not None


def _folded(column):
    """The column compared as ``normalise_code`` compares: spaces dropped, lower case (ASCII)."""
    return func.lower(func.replace(func.replace(column, " ", ""), "\t", ""))
