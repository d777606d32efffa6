"""``shopdesk orders``: list orders as a table or as JSON for scripts."""

from __future__ import annotations

import json

from shopdesk.db.models import OrderStatus
from shopdesk.orders.export import order_as_json
from shopdesk.orders.queries import orders_for_listing


def register(subparsers) -> None:
    parser = subparsers.add_parser("orders", help="list orders", description="List orders, oldest first.")
    parser.add_argument(
        "--status",
        choices=[status.value for status in OrderStatus],
        help="only orders with this status",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON array (for scripts)")
    parser.set_defaults(handler=run)


def run(args, db) -> int:
    with db.reading() as session:
        orders = orders_for_listing(session, OrderStatus(args.status) if args.status else None)
        if args.json:
            print(json.dumps([order_as_json(order) for order in orders], ensure_ascii=False, indent=2))
            return 0
        if not orders:
            print("No orders.")
            return 0
        width = max(len(order.number) for order in orders)
        for order in orders:
            units = order.units
            print(
                f"{order.number:<{width}}  {order.source:<11}  {order.placed_at:%Y-%m-%d}  "
                f"{order.status.value:<9}  {units:>3} unit{'s' if units != 1 else ' '}  {order.customer_name}"
            )
    return 0
