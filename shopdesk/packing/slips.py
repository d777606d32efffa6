"""Packing slips for orders, and what printing and shipping do to an order.

Every slip goes through the print gate (``shopdesk.checking.gate``) here, in the core, so no path —
the check screen, a batch print, the command line — prints a slip for an unchecked order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from shopdesk.checking.gate import printable_orders
from shopdesk.db.database import Database
from shopdesk.db.models import Order, OrderStatus
from shopdesk.db.types import utc_now
from shopdesk.documents.data import Address, CheckStamp, PackingSlipData, Replacement, SlipLine
from shopdesk.errors import ShopDeskError
from shopdesk.orders.history import record_event
from shopdesk.orders.sources import source_name
from shopdesk.orders.status import change_status
from shopdesk.packing.profile import shop_profile

S = OrderStatus

# A replacement made without a correction (by hand) says this; one made by "Apologise and reship"
# carries the first paragraph of its own apology note.
DEFAULT_APOLOGY = (
    "We got your order wrong, and we're sorry. This package brings what was missing, at no charge to you."
)


def split_variation(text: str) -> tuple[str, str]:
    """(variation, personalization): the buyer's own words start at "Personalization:" and run to the end."""
    marker = "personalization:"
    at = text.lower().find(marker)
    if at < 0:
        return text.strip(), ""
    return text[:at].strip().rstrip(",").strip(), text[at + len(marker) :].strip()


def slip_data(order: Order) -> PackingSlipData:
    if order.check_skip_reason and order.status != S.CHECKED:
        check = CheckStamp.skipped(order.check_skip_reason, at=None)
    else:
        check = CheckStamp.by_scan(order.units_counted, order.units, at=order.checked_at or utc_now())
    lines = []
    for line in order.lines:
        variation, personalization = split_variation(line.variation)
        lines.append(SlipLine(line.sku, line.title, line.quantity, variation, personalization))
    replacement = Replacement(order.parent.number, apology_for_slip(order)) if order.parent else None
    return PackingSlipData(
        order_number=order.number,
        order_date=order.placed_at.astimezone().date(),
        ship_to=ship_to(order),
        lines=tuple(lines),
        check=check,
        buyer_note=order.buyer_note,
        channel=source_name(order.source),
        replacement=replacement,
    )


def apology_for_slip(order: Order) -> str:
    """The apology on a replacement's slip: the opening of its apology note, or the default words."""
    correction = order.correction_for
    if correction is not None and correction.apology_text.strip():
        return correction.apology_text.strip().split("\n\n")[0].strip()
    return DEFAULT_APOLOGY


def ship_to(order: Order) -> Address:
    return Address(
        name=order.ship_name or order.customer_name,
        address1=order.ship_address1,
        address2=order.ship_address2,
        city=order.ship_city,
        region=order.ship_region,
        postcode=order.ship_postcode,
        country=order.ship_country,
    )


def _load(session: Session, order_ids: Sequence[int]) -> list[Order]:
    query = (
        select(Order)
        .where(Order.id.in_(order_ids))
        .options(selectinload(Order.lines), selectinload(Order.parent))
    )
    found = {order.id: order for order in session.scalars(query)}
    missing = [order_id for order_id in order_ids if order_id not in found]
    if missing:
        raise ShopDeskError(f"These orders no longer exist: {missing}")
    return [found[order_id] for order_id in order_ids]


@dataclass(frozen=True)
class SlipBatch:
    pdf: bytes
    order_ids: tuple[int, ...]
    order_numbers: tuple[str, ...]
    # One sentence per slip with characters no font has: they print as "[U+…]", so the owner
    # checks that order's label by hand.
    warnings: tuple[str, ...] = ()


def render_slips(db: Database, order_ids: Sequence[int]) -> SlipBatch:
    """One PDF with the slips of ``order_ids``; refuses the whole batch if any is not ready."""
    if not order_ids:
        raise ShopDeskError("No orders to print.")
    with db.reading() as session:
        orders = _load(session, order_ids)
        printable_orders(orders)
        from shopdesk.documents.packing_slip import render_packing_slips  # ReportLab: only when printing

        slips = [slip_data(order) for order in orders]
        pdf = render_packing_slips(slips, shop_profile(session))
        return SlipBatch(
            pdf, tuple(order_ids), tuple(order.number for order in orders), unprintable_warnings(slips)
        )


def unprintable_warnings(slips: Sequence[PackingSlipData]) -> tuple[str, ...]:
    """A sentence for each slip whose address, lines or note hold characters no font can print."""
    from shopdesk.documents.fonts import unprintable_characters
    from shopdesk.documents.packing_slip import order_label

    warnings = []
    for slip in slips:
        address = slip.ship_to
        texts = [
            address.name,
            address.address1,
            address.address2,
            address.city,
            address.region,
            address.postcode,
            address.country,
            slip.buyer_note or "",
        ]
        for line in slip.lines:
            texts += [line.title, line.variation, line.personalization]
        found = unprintable_characters("\n".join(texts))
        if found:
            characters = ", ".join(f"{character} (U+{ord(character):04X})" for character in found)
            warnings.append(
                f"Order {order_label(slip.order_number)}: {characters} cannot be printed and shows on "
                "the slip as its code in brackets. Check the address on the parcel and write it by "
                "hand if needed."
            )
    return tuple(warnings)


def record_printed(db: Database, order_ids: Sequence[int], how: str = "printed") -> None:
    """After the slips went out: checked orders become packed, reprints are logged."""
    with db.unit_of_work() as uow:
        orders = _load(uow.session, order_ids)
        printable_orders(orders)
        for order in orders:
            if order.status in (S.PACKED, S.SHIPPED):
                record_event(
                    uow.session, "reprinted", f"Packing slip {how} again", order=order, station=uow.station
                )
            else:
                change_status(uow.session, order, S.PACKED, station=uow.station, reason=f"packing slip {how}")
        uow.commit()


def mark_shipped(db: Database, order_ids: Sequence[int], tracking: str = "") -> list[str]:
    """Move packed orders to shipped, keeping the tracking number; returns their numbers."""
    with db.unit_of_work() as uow:
        orders = _load(uow.session, order_ids)
        for order in orders:
            if tracking:
                order.tracking_number = tracking.strip()
            change_status(uow.session, order, S.SHIPPED, station=uow.station, tracking=tracking.strip())
        uow.commit()
        return [order.number for order in orders]


def checked_order_ids(session: Session) -> list[int]:
    """Orders ready for a batch print, oldest first."""
    return list(
        session.scalars(select(Order.id).where(Order.status == S.CHECKED).order_by(Order.placed_at, Order.id))
    )
