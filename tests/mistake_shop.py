"""A shop with a known history of shipped orders and corrections, built through the real services, for
the mistake report's tests (core, command line and window).

Times are UTC. Every order is checked unit by unit (``add_one``) or packed without a check
(``skip_check``), printed (``record_printed``) and shipped (``mark_shipped``); the shipped event is then
dated to the day the story says it shipped. Corrections are made with ``apologise_and_reship`` at their
own date.

    order  source   how       shipped        corrections (made on)
    S00    shopify  checked   10 Dec 2025    C0 wrong item ROSE-RED→ROSE-PNK, kept (10 Jan): before the range
    S0     shopify  checked   20 Jan 2026    C5 lost, 2 × MOUNTAIN resent (3 Feb)
    E1     etsy     checked    2 Feb
    E2     etsy     skipped    3 Feb         C1 missing ROSE-RED + extra BEE, note, change (5 Feb)
                                             C8 damaged 1 BEE, supplier (6 Feb)
    S1     shopify  checked    4 Feb         C3 damaged 1 FERN, carrier (20 Feb)
    S2     shopify  checked    5 Feb
    S3     shopify  skipped   10 Feb         C2 wrong item ROSE-RED→ROSE-PNK, comes back (12 Feb)
    S4     shopify  checked   11 Feb
    E3     etsy     checked    3 Mar
    S5     shopify  checked    4 Mar         C4 wrong item ROSE-RED→ROSE-PNK, kept, change (9 Mar)
    S6     shopify  checked    5 Mar         C7 missing BEE (10 Mar), replacement cancelled: withdrawn
    S7     shopify  checked    2 Mar 03:00   (1 Mar in Toronto)
    X      shopify  imported as shipped      C6 short 1 of 3 FERN, stock (16 Feb): never shipped in ShopDesk
    E2-R1  reship   checked   20 Feb         (C1's replacement; its follow-up is due by 2 Mar)

Postage per reship is set to 6.20.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from shopdesk.app import open_shop
from shopdesk.checking.service import add_one, skip_check
from shopdesk.corrections.service import CorrectionRequest, OwedLine, apologise_and_reship
from shopdesk.db.database import Database
from shopdesk.db.models import CorrectionCause, CorrectionKind, Event, Order, OrderStatus
from shopdesk.orders.demo import CATALOGUE
from shopdesk.orders.drafts import LineDraft, OrderDraft
from shopdesk.orders.intake import create_order
from shopdesk.orders.status import change_status
from shopdesk.packing.profile import DEMO_PROFILE, put_profile
from shopdesk.packing.slips import mark_shipped, record_printed
from shopdesk.reports.mistakes import set_postage_per_reship

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
TITLES = {sku: title for sku, title, *_ in CATALOGUE} | {"BEE": "Honey Bee Patch", "FERN": "Fern Patch"}

# number, source, lines (sku, units), packed without a check?, shipped at
ORDERS = [
    ("S00", "shopify", [("ROSE-RED", 1)], False, datetime(2025, 12, 10, 12, tzinfo=UTC)),
    ("S0", "shopify", [("MOUNTAIN", 2)], False, datetime(2026, 1, 20, 12, tzinfo=UTC)),
    ("E1", "etsy", [("FERN", 1)], False, datetime(2026, 2, 2, 12, tzinfo=UTC)),
    ("E2", "etsy", [("ROSE-RED", 1), ("BEE", 2)], True, datetime(2026, 2, 3, 12, tzinfo=UTC)),
    ("S1", "shopify", [("FERN", 2)], False, datetime(2026, 2, 4, 12, tzinfo=UTC)),
    ("S2", "shopify", [("BEE", 1)], False, datetime(2026, 2, 5, 12, tzinfo=UTC)),
    ("S3", "shopify", [("ROSE-RED", 2)], True, datetime(2026, 2, 10, 12, tzinfo=UTC)),
    ("S4", "shopify", [("ROSE-PNK", 1)], False, datetime(2026, 2, 11, 12, tzinfo=UTC)),
    ("E3", "etsy", [("FERN", 1)], False, datetime(2026, 3, 3, 12, tzinfo=UTC)),
    ("S5", "shopify", [("ROSE-RED", 1)], False, datetime(2026, 3, 4, 12, tzinfo=UTC)),
    ("S6", "shopify", [("BEE", 1)], False, datetime(2026, 3, 5, 12, tzinfo=UTC)),
    ("S7", "shopify", [("FLAG-CA", 1)], False, datetime(2026, 3, 2, 3, tzinfo=UTC)),
]

CHANGE_1 = "Scan every patch before it goes in the envelope"
CHANGE_2 = "Red and pink roses in separate bins, labelled"


@dataclass
class MistakeShop:
    db: Database
    ids: dict[str, int]
    """Order ids by number (and correction ids as "C0"…"C8")."""


def _draft(number: str, source: str, lines, status=OrderStatus.NEW) -> OrderDraft:
    return OrderDraft(
        source=source,
        number=number,
        placed_at=datetime(2025, 12, 1, tzinfo=UTC),
        customer_name=f"Customer {number}",
        email=f"{number.lower()}@example.com" if source != "etsy" else None,
        ship_name=f"Customer {number}",
        ship_address1="1 Main St",
        ship_city="Guelph",
        ship_postcode="N1H 3T5",
        ship_country="Canada",
        currency="CAD",
        total_cents=1000,
        status=status,
        lines=[LineDraft(sku, TITLES[sku], units, unit_price_cents=700) for sku, units in lines],
    )


def check_every_unit(db: Database, order_id: int) -> None:
    with db.reading() as session:
        lines = [(line.id, line.quantity) for line in session.get(Order, order_id).lines]
    for line_id, units in lines:
        for _ in range(units):
            add_one(db, order_id, line_id)


def ship_on(db: Database, order_id: int, when: datetime, skipped: bool = False) -> None:
    """Check (or skip the check), print, ship, and date the shipping ``when``."""
    if skipped:
        skip_check(db, order_id, "rush before the post office closed")
    else:
        check_every_unit(db, order_id)
    record_printed(db, [order_id])
    mark_shipped(db, [order_id], tracking="LM123")
    with db.unit_of_work() as uow:
        uow.session.execute(
            update(Event)
            .where(
                Event.order_id == order_id,
                Event.kind == "status",
                Event.details["new"].as_string() == "shipped",
            )
            .values(at=when)
        )
        uow.commit()


def _correct(db: Database, ids: dict[str, int], number: str, at: datetime, **request) -> int:
    result = apologise_and_reship(db, CorrectionRequest(order_id=ids[number], **request), now=at)
    ids[result.replacement_number] = result.replacement_id
    return result.correction_id


def build_mistake_shop(path: Path) -> MistakeShop:
    db = open_shop(str(path))
    with db.unit_of_work() as uow:
        put_profile(uow.session, DEMO_PROFILE)
        orders = {
            number: create_order(uow.session, _draft(number, source, lines))
            for number, source, lines, *_ in ORDERS
        }
        orders["X"] = create_order(
            uow.session, _draft("X", "shopify", [("FERN", 3)], status=OrderStatus.SHIPPED)
        )
        uow.session.flush()
        ids = {number: order.id for number, order in orders.items()}
        uow.commit()
    for number, _source, _lines, skipped, when in ORDERS:
        ship_on(db, ids[number], when, skipped)

    d = lambda month, day, year=2026: datetime(year, month, day, 15, tzinfo=UTC)  # noqa: E731
    packing, keep = CorrectionCause.PACKING, True
    ids["C0"] = _correct(
        db, ids, "S00", d(1, 10), lines=[OwedLine("ROSE-RED", 1, "wrong_item", "ROSE-PNK")],
        cause=packing, keep_wrong_item=keep, what_we_will_change="Check the bin label",
    )  # fmt: skip
    ids["C5"] = _correct(db, ids, "S0", d(2, 3), kind=CorrectionKind.LOST, cause=CorrectionCause.CARRIER)
    ids["C1"] = _correct(
        db, ids, "E2", d(2, 5), lines=[OwedLine("ROSE-RED", 1, "missing")], cause=packing,
        extra={"BEE": 1}, goodwill_note="10% off your next order: SORRY10",
        what_we_will_change=CHANGE_1,
    )  # fmt: skip
    ids["C8"] = _correct(
        db, ids, "E2", d(2, 6), lines=[OwedLine("BEE", 1, "damaged")], cause=CorrectionCause.SUPPLIER
    )
    ids["C2"] = _correct(
        db, ids, "S3", d(2, 12), lines=[OwedLine("ROSE-RED", 1, "wrong_item", "ROSE-PNK")], cause=packing
    )
    ids["C6"] = _correct(
        db, ids, "X", d(2, 16), lines=[OwedLine("FERN", 1, "missing")], cause=CorrectionCause.STOCK
    )
    ids["C3"] = _correct(
        db, ids, "S1", d(2, 20), lines=[OwedLine("FERN", 1, "damaged")], cause=CorrectionCause.CARRIER
    )
    ids["C4"] = _correct(
        db, ids, "S5", d(3, 9), lines=[OwedLine("ROSE-RED", 1, "wrong_item", "ROSE-PNK")],
        cause=packing, keep_wrong_item=keep, what_we_will_change=CHANGE_2,
    )  # fmt: skip
    ids["C7"] = _correct(db, ids, "S6", d(3, 10), lines=[OwedLine("BEE", 1, "missing")], cause=packing)
    with db.unit_of_work() as uow:
        replacement = uow.session.get(Order, ids["S6-R1"])
        change_status(uow.session, replacement, OrderStatus.CANCELLED, reason="found it in the parcel")
        uow.commit()
    ship_on(db, ids["E2-R1"], datetime(2026, 2, 20, 12, tzinfo=UTC))
    set_postage_per_reship(db, 620)
    return MistakeShop(db, ids)


def copy_shop(template: MistakeShop, path: Path) -> MistakeShop:
    """A copy of a built shop, so a test can change it without touching the others."""
    template.db.dispose()
    shutil.copyfile(template.db.sqlite_path, path)
    wal = Path(f"{template.db.sqlite_path}-wal")
    if wal.exists():
        shutil.copyfile(wal, f"{path}-wal")
    return MistakeShop(open_shop(str(path)), dict(template.ids))


@pytest.fixture(scope="session")
def mistake_template(tmp_path_factory) -> MistakeShop:
    shop = build_mistake_shop(tmp_path_factory.mktemp("mistakes") / "template.db")
    shop.db.dispose()
    return shop


@pytest.fixture
def mistake_shop(mistake_template, tmp_path) -> MistakeShop:
    """A fresh copy of the shop above, for one test."""
    shop = copy_shop(mistake_template, tmp_path / "shop.db")
    yield shop
    shop.db.dispose()
