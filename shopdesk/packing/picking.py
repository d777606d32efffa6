"""Pick lists (pick once for many orders, then check per order) and shelf labels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shopdesk.db.database import Database
from shopdesk.db.models import Order, OrderStatus, Product
from shopdesk.db.types import utc_now
from shopdesk.documents.data import PickListEntry, ShelfLabel
from shopdesk.errors import ShopDeskError
from shopdesk.packing.profile import shop_profile


def pick_entries(orders: Sequence[Order], locations: dict[str, str]) -> list[PickListEntry]:
    totals: dict[str, tuple[str, int, list[str]]] = {}
    for order in orders:
        for line in order.lines:
            title, units, numbers = totals.get(line.sku, (line.title, 0, []))
            if order.number not in numbers:
                numbers.append(order.number)
            totals[line.sku] = (title, units + line.quantity, numbers)
    return [
        PickListEntry(sku, title, units, tuple(numbers), locations.get(sku, ""))
        for sku, (title, units, numbers) in totals.items()
    ]


def pick_list_pdf(
    db: Database, status: OrderStatus = OrderStatus.NEW, now: datetime | None = None
) -> tuple[bytes, int]:
    """The pick list for every order with ``status``; returns the PDF and how many orders it covers."""
    with db.reading() as session:
        orders = list(
            session.scalars(
                select(Order)
                .where(Order.status == status)
                .options(selectinload(Order.lines))
                .order_by(Order.placed_at)
            )
        )
        if not orders:
            raise ShopDeskError(f"No {status.label.lower()} orders to pick.")
        locations = {sku: loc for sku, loc in session.execute(select(Product.sku, Product.location)) if loc}
        entries = pick_entries(orders, locations)
        from shopdesk.documents.pick_list import render_pick_list  # ReportLab: only when printing

        return render_pick_list(entries, shop_profile(session), now or utc_now()), len(orders)


def shelf_labels_pdf(db: Database, include_with_barcode: bool = False) -> tuple[bytes, int]:
    """Barcode labels for the products the scanner cannot read yet (all products if asked)."""
    with db.reading() as session:
        query = select(Product).order_by(Product.sku)
        if not include_with_barcode:
            query = query.where(Product.barcode.is_(None))
        products = list(session.scalars(query))
        if not products:
            raise ShopDeskError("Every product has a barcode of its own; no shelf labels needed.")
        labels = [ShelfLabel(product.sku, product.title) for product in products]
        from shopdesk.documents.shelf_labels import render_shelf_labels  # ReportLab: only when printing

        return render_shelf_labels(labels, shop_profile(session)), len(labels)
