"""Data for the document and scan benchmarks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from shopdesk.app import open_shop
from shopdesk.db.database import Database
from shopdesk.documents.data import Address, CheckStamp, PackingSlipData, SlipLine
from shopdesk.orders.demo import CATALOGUE
from shopdesk.orders.drafts import LineDraft, OrderDraft
from shopdesk.orders.intake import create_order
from shopdesk.packing.profile import DEMO_PROFILE


def slip_batch(count: int) -> tuple[list[PackingSlipData], object]:
    slips = []
    for number in range(count):
        lines = tuple(
            SlipLine(sku, title, 1 + (number + i) % 3, "Backing: Sew-on" if i == 0 else "")
            for i, (sku, title, _p, _b, _l) in enumerate(CATALOGUE[number % 5 : number % 5 + 3])
        )
        units = sum(line.quantity for line in lines)
        slips.append(
            PackingSlipData(
                order_number=f"#{10000 + number}",
                order_date=date(2026, 11, 14),
                ship_to=Address("Zoë Müller", "Auf der Röte 1", "", "Müllheim", "", "79379", "Germany"),
                lines=lines,
                check=CheckStamp.by_scan(units, units, datetime(2026, 11, 22, 10, 14, tzinfo=UTC)),
                channel="Shopify",
            )
        )
    return slips, DEMO_PROFILE


def big_order_database(path: Path, units: int) -> tuple[Database, int, str]:
    """A shop with one order of ``units`` units of one patch (scanned one by one)."""
    path.unlink(missing_ok=True)
    db = open_shop(str(path))
    sku, title = CATALOGUE[0][0], CATALOGUE[0][1]
    with db.unit_of_work() as uow:
        order = create_order(
            uow.session,
            OrderDraft(
                source="shopify",
                number="#777",
                placed_at=datetime(2026, 11, 20, tzinfo=UTC),
                ship_name="Tom Becker",
                lines=[LineDraft(sku, title, units)],
            ),
        )
        uow.session.flush()
        order_id = order.id
        uow.commit()
    return db, order_id, sku
