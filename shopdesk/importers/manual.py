"""Orders typed in by hand (by phone, by email, at a show): checked before they are saved.

The "New order" dialog builds an ``OrderDraft`` and shows ``manual_order_problems`` next to the
fields; ``add_manual_order`` saves it through the same path as imported orders.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopdesk.db.database import Database
from shopdesk.db.models import Order
from shopdesk.errors import ShopDeskError
from shopdesk.importers.fields import MAX_NUMBER, MAX_SKU, generated_sku
from shopdesk.orders.drafts import OrderDraft
from shopdesk.orders.intake import create_order, existing_order

SOURCE = "manual"
_NUMBER = re.compile(r"M-(\d+)")


class ManualOrderInvalid(ShopDeskError):
    """The order cannot be saved yet; ``problems`` maps a field (``lines.0.quantity``) to what to fix."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__(" ".join(problems.values()))


def next_manual_number(session: Session) -> str:
    """The next free ``M-###`` number (M-001, M-002…)."""
    numbers = session.scalars(select(Order.number).where(Order.source == SOURCE, Order.number.like("M-%")))
    highest = max((int(m[1]) for n in numbers if (m := _NUMBER.fullmatch(n))), default=0)
    return f"M-{highest + 1:03d}"


def manual_order_problems(session: Session, draft: OrderDraft) -> dict[str, str]:
    """What must be fixed before ``draft`` can be saved, by field; empty when it is ready."""
    problems: dict[str, str] = {}
    number = draft.number.strip()
    if not number:
        problems["number"] = "Give the order a number."
    elif len(number) > MAX_NUMBER:
        problems["number"] = f"The order number is longer than {MAX_NUMBER} characters."
    elif existing_order(session, draft.source or SOURCE, number) is not None:
        problems["number"] = (
            f"There is already an order {number}; the next free number is {next_manual_number(session)}."
        )
    if draft.placed_at is None or draft.placed_at.tzinfo is None:
        problems["placed_at"] = "Give the date of the order."
    if not draft.ship_name.strip():
        problems["ship_name"] = "Give the name to ship to."
    if not draft.ship_address1.strip():
        problems["ship_address1"] = "Give the street to ship to."
    if not draft.ship_city.strip():
        problems["ship_city"] = "Give the city to ship to."
    if not draft.ship_country.strip():
        problems["ship_country"] = "Give the country to ship to."
    if not draft.lines:
        problems["lines"] = "Add at least one item."
    for position, line in enumerate(draft.lines):
        where = f"lines.{position}"
        if not line.sku.strip() and not line.title.strip():
            problems[f"{where}.sku"] = f"Item {position + 1}: give a SKU or a name."
        elif len(line.sku.strip()) > MAX_SKU:
            problems[f"{where}.sku"] = f"Item {position + 1}: the SKU is longer than {MAX_SKU} characters."
        if isinstance(line.quantity, bool) or not isinstance(line.quantity, int) or line.quantity < 1:
            problems[f"{where}.quantity"] = (
                f"Item {position + 1}: the quantity must be a whole number, 1 or more."
            )
    return problems


def add_manual_order(db: Database, draft: OrderDraft) -> int:
    """Check and save a hand-entered order; returns its id. Raises ``ManualOrderInvalid``."""
    draft.source = draft.source or SOURCE
    draft.number = draft.number.strip()
    with db.unit_of_work() as uow:
        problems = manual_order_problems(uow.session, draft)
        if problems:
            raise ManualOrderInvalid(problems)
        for line in draft.lines:
            line.sku = line.sku.strip() or generated_sku(line.title)
            line.title = line.title.strip() or line.sku
        order = create_order(uow.session, draft, station=uow.station, how="by hand")
        uow.session.flush()
        order_id = order.id
        uow.commit()
    return order_id
