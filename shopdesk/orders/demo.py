"""About forty realistic orders of a patch shop, for trying ShopDesk out.

The orders are the same every time (a fixed seed), so loading them twice adds nothing the second
time. Dates are recent, so the list looks like a working week.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopdesk.db.database import Database
from shopdesk.db.models import OrderStatus, Product
from shopdesk.db.types import utc_now
from shopdesk.orders.drafts import LineDraft, OrderDraft
from shopdesk.orders.intake import create_order, existing_order
from shopdesk.orders.status import change_status
from shopdesk.packing.profile import DEMO_PROFILE, put_profile, stored_profile

# sku, title, price in cents, barcode printed on the bag (None: scan the SKU), shelf bin
CATALOGUE = [
    ("ROSE-RED", "Red Rose Patch", 700, "0614141000012", "A1"),
    ("ROSE-PNK", "Pink Rose Patch", 700, "0614141000029", "A2"),
    ("RP-FALLEN", "Remembrance Patch - Fallen Rider", 1200, None, "B1"),
    ("RP-MISSING", "Remembrance Patch - Missing Man", 1200, None, "B2"),
    ("NAME-TAG", "Custom Name Tag Patch", 1100, None, "C1"),
    ("FLAG-CA", "Canada Flag Patch", 600, "0614141000036", "D1"),
    ("FLAG-US", "USA Flag Patch", 600, "0614141000043", "D2"),
    ("WING-L", "Winged Wheel Patch - Large", 1400, None, "E1"),
    ("WING-S", "Winged Wheel Patch - Small", 1000, None, "E2"),
    ("IRON-1000", "1000 Miles Iron Butt Patch", 800, "0614141000050", "F1"),
    ("SKULL-BLK", "Skull & Pistons Patch", 900, None, "F2"),
    ("MOUNTAIN", "Mountain Road Patch", 850, None, "G1"),
]

VARIATIONS = {
    "ROSE-RED": ["Backing: Sew-on", "Backing: Iron-on"],
    "ROSE-PNK": ["Backing: Sew-on", "Backing: Iron-on"],
    "RP-FALLEN": ["Size: 3 inch", "Size: 4 inch"],
    "RP-MISSING": ["Size: 3 inch", "Size: 4 inch"],
    "NAME-TAG": [
        'Color: Black\nPersonalization: RIDER "Doc"\nEst. 1987',
        "Color: Red\nPersonalization: ZOË, ROAD CAPTAIN",
        "Color: Black\nPersonalization: Big Jim",
        "Color: Navy\nPersonalization: Peña Riders MC",
    ],
}


@dataclass(frozen=True)
class Customer:
    name: str
    email: str | None
    address1: str
    address2: str
    city: str
    region: str
    postcode: str
    country: str


CUSTOMERS = [
    Customer("Zoë Müller", "zoe.m@example.de", "Auf der Röte 1", "", "Müllheim", "", "79379", "Germany"),
    Customer(
        "Marcus O'Neill",
        "moneill@example.com",
        "12 Quarry Lane",
        "Apt 3",
        "Sudbury",
        "ON",
        "P3A 4R7",
        "Canada",
    ),
    Customer("Linda Park", "lpark@example.com", "9 Elm St", "", "Portland", "ME", "04101", "United States"),
    Customer(
        "Renée Gagnon", "rgagnon@example.ca", "220 rue Principale", "", "Québec", "QC", "G1R 2J6", "Canada"
    ),
    Customer("Tom Becker", None, "88 Harbour View", "Unit 12", "Halifax", "NS", "B3H 1Y2", "Canada"),
    Customer("Ana Souza", None, "Rua das Flores 100", "", "Porto", "", "4050-262", "Portugal"),
    Customer("Ñuño Peña", "nuno@example.es", "Calle Mayor 5", "2º B", "Madrid", "", "28013", "Spain"),
    Customer("Kristina Lund", "klund@example.no", "3 Fjord Way", "", "Bergen", "", "5003", "Norway"),
    Customer(
        'Sam "Doc" Riley', "doc@example.com", "1500 Route 66", "", "Amarillo", "TX", "79101", "United States"
    ),
    Customer(
        "Dan Walsh", "dan.walsh@example.com", "41 Birch Rd", "", "Peterborough", "ON", "K9J 6X3", "Canada"
    ),
    Customer("Wang Fang", None, "5 Jade Court", "", "Vancouver", "BC", "V6B 1A1", "Canada"),
    Customer(
        "Jim Teal", "jteal@example.com", "7 Mill Pond Rd", "", "Mount Vernon", "WA", "98273", "United States"
    ),
    Customer(
        "Siobhán Kelly",
        "skelly@example.ie",
        "14 Harbour Road",
        "",
        "Dún Laoghaire",
        "Co. Dublin",
        "A96 K2F8",
        "Ireland",
    ),
    Customer("Hiroshi Tanaka", "tanaka@example.jp", "2-3-1 Shibuya", "", "Tokyo", "", "150-0002", "Japan"),
    Customer(
        "Olivia Brown",
        "obrown@example.co.uk",
        "27 Kings Road",
        "Flat 2",
        "Brighton",
        "",
        "BN1 2PF",
        "United Kingdom",
    ),
    Customer("Lucas Moreau", "lmoreau@example.fr", "8 rue des Lilas", "", "Lyon", "", "69003", "France"),
]

BUYER_NOTES = [
    "",
    "",
    "",
    "Gift for my dad's 60th.\nPlease no invoice in the box, thanks!",
    "Could you send it before Friday? Riding out Saturday.",
    "",
    "Same as last time please :)",
]

# How each platform numbers its orders, so demo orders look like the real exports.
SOURCES = [
    ("etsy", lambda i: str(2801 + i)),
    ("shopify", lambda i: f"#{901 + i}"),
    ("squarespace", lambda i: str(101 + i)),
    ("woocommerce", lambda i: str(4001 + i)),
    ("manual", lambda i: f"M-{i + 1:03d}"),
]

ORDER_COUNT = 40
# Oldest first: how far along each demo order is.
PROGRESS = (
    [OrderStatus.SHIPPED] * 14 + [OrderStatus.PACKED] * 4 + [OrderStatus.CHECKED] * 5 + [OrderStatus.ON_HOLD]
)


def demo_drafts(now: datetime) -> list[tuple[OrderDraft, OrderStatus]]:
    rng = random.Random(20261114)
    drafts = []
    for i in range(ORDER_COUNT):
        source, numbering = SOURCES[i % len(SOURCES)]
        customer = CUSTOMERS[rng.randrange(len(CUSTOMERS))]
        if source == "etsy":
            customer = Customer(**{**customer.__dict__, "email": None})  # Etsy exports carry no email
        line_count = rng.choice([1, 1, 1, 2, 2, 3])
        products = rng.sample(CATALOGUE, line_count)
        lines = [
            LineDraft(
                sku=sku,
                title=title,
                quantity=rng.choice([1, 1, 1, 2, 2, 3, 5]),
                variation=rng.choice(VARIATIONS.get(sku, [""])),
                unit_price_cents=price,
            )
            for sku, title, price, _barcode, _bin in products
        ]
        placed = now - timedelta(days=(ORDER_COUNT - i) * 0.4, minutes=rng.randrange(600))
        draft = OrderDraft(
            source=source,
            number=numbering(i // len(SOURCES)),
            placed_at=placed.replace(second=0, microsecond=0),
            customer_name=customer.name,
            email=customer.email,
            ship_name=customer.name,
            ship_address1=customer.address1,
            ship_address2=customer.address2,
            ship_city=customer.city,
            ship_region=customer.region,
            ship_postcode=customer.postcode,
            ship_country=customer.country,
            buyer_note=rng.choice(BUYER_NOTES),
            currency="CAD",
            total_cents=sum(line.quantity * (line.unit_price_cents or 0) for line in lines) + 490,
            lines=lines,
        )
        target = PROGRESS[i] if i < len(PROGRESS) else OrderStatus.NEW
        drafts.append((draft, target))
    return drafts


def load_demo_data(db: Database, now: datetime | None = None) -> int:
    """Add the demo orders that are not there yet; return how many were added."""
    now = now or utc_now()
    added = 0
    with db.unit_of_work() as uow:
        session = uow.session
        _add_catalogue(session)
        if stored_profile(session) is None:
            put_profile(session, DEMO_PROFILE)
        for draft, target in demo_drafts(now):
            if existing_order(session, draft.source, draft.number) is not None:
                continue
            order = create_order(session, draft, station=uow.station, how="as demo data")
            _bring_to(session, order, target, draft.placed_at, uow.station)
            added += 1
        uow.commit()
    return added


def _add_catalogue(session: Session) -> None:
    known = set(session.scalars(select(Product.sku)))
    for sku, title, _price, barcode, shelf in CATALOGUE:
        if sku not in known:
            session.add(Product(sku=sku, title=title, barcode=barcode, location=shelf))
    session.flush()


def _bring_to(session: Session, order, target: OrderStatus, placed: datetime, station: str) -> None:
    if target == OrderStatus.NEW:
        return
    session.flush()
    if target == OrderStatus.ON_HOLD:
        change_status(
            session,
            order,
            OrderStatus.ON_HOLD,
            reason="Waiting for the buyer to confirm the name",
            station=station,
        )
        return
    for line in order.lines:
        line.counted = line.quantity
    order.checked_at = placed + timedelta(hours=20)
    change_status(session, order, OrderStatus.CHECKED, station=station, method="scan")
    if target == OrderStatus.CHECKED:
        return
    change_status(session, order, OrderStatus.PACKED, station=station)
    if target == OrderStatus.PACKED:
        return
    order.tracking_number = f"LM{zlib.crc32(order.number.encode()) % 10**9:09d}CA"
    change_status(session, order, OrderStatus.SHIPPED, station=station, tracking=order.tracking_number)
