"""``shopdesk ship``: mark packed orders shipped."""

from __future__ import annotations

from shopdesk.orders.queries import find_order
from shopdesk.packing.slips import mark_shipped


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "ship", help="mark packed orders shipped", description="Mark packed ORDERs shipped."
    )
    parser.add_argument("orders", nargs="+", metavar="ORDER")
    parser.add_argument("--tracking", default="", help="the tracking number (for a single order)")
    parser.set_defaults(handler=run)


def run(args, db) -> int:
    with db.reading() as session:
        order_ids = [find_order(session, number).id for number in args.orders]
    numbers = mark_shipped(db, order_ids, args.tracking)
    print(f"Shipped: {', '.join(numbers)}")
    return 0
