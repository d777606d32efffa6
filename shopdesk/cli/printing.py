"""``shopdesk slip``, ``label``, ``picklist``, ``shelf-labels``: documents written to PDF files."""

from __future__ import annotations

from pathlib import Path

from shopdesk.db.models import OrderStatus
from shopdesk.errors import ShopDeskError
from shopdesk.files import write_atomically
from shopdesk.orders.queries import find_order
from shopdesk.packing.picking import pick_list_pdf, shelf_labels_pdf
from shopdesk.packing.returns import make_return_label
from shopdesk.packing.slips import record_printed, render_slips


def _output(parser) -> None:
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE.pdf", help="where to write the PDF"
    )


def register(subparsers) -> None:
    slip = subparsers.add_parser(
        "slip",
        help="packing slips for checked orders, as one PDF",
        description="Write the packing slips of ORDERs into one PDF. Every order must be checked (or packed "
        "without checking, with a reason); otherwise nothing is written. Printed orders become packed.",
    )
    slip.add_argument("orders", nargs="+", metavar="ORDER", help='order numbers, e.g. 1041 or "#1041"')
    _output(slip)
    slip.add_argument(
        "--no-pack", action="store_true", help="write the PDF without marking the orders packed"
    )
    slip.set_defaults(handler=run_slip)

    label = subparsers.add_parser(
        "label", help="a return label for an order", description="Write a return label (with its RMA number)."
    )
    label.add_argument("order", metavar="ORDER")
    _output(label)
    label.add_argument(
        "--item", action="append", default=[], metavar="SKU=N", help="what comes back (default: all)"
    )
    label.add_argument(
        "--prepaid", type=Path, metavar="CARRIER.pdf", help="a prepaid carrier label to print after it"
    )
    label.set_defaults(handler=run_label)

    picklist = subparsers.add_parser(
        "picklist",
        help="units to pick per SKU",
        description="Total units per SKU for all orders with a status.",
    )
    picklist.add_argument(
        "--status", default="new", choices=[s.value for s in OrderStatus], help="default: new"
    )
    _output(picklist)
    picklist.set_defaults(handler=run_picklist)

    shelf = subparsers.add_parser(
        "shelf-labels",
        help="barcode labels for products without a barcode",
        description="A sheet of Code 128 labels (SKU and title) for the products that have no barcode.",
    )
    shelf.add_argument("--all", action="store_true", help="every product, even those with a barcode")
    _output(shelf)
    shelf.set_defaults(handler=run_shelf_labels)


def parse_counts(pairs: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for pair in pairs:
        sku, _, number = pair.partition("=")
        if not sku or not number.isdigit() or int(number) < 1:
            raise ShopDeskError(
                f"Write items as SKU=N with N a whole number above 0, e.g. ROSE-RED=2 (got {pair!r})."
            )
        counts[sku.strip()] = counts.get(sku.strip(), 0) + int(number)
    return counts


def run_slip(args, db) -> int:
    with db.reading() as session:
        order_ids = [find_order(session, number).id for number in args.orders]
    batch = render_slips(db, order_ids)
    write_atomically(args.output, batch.pdf)
    if not args.no_pack:
        record_printed(db, order_ids, how="saved as PDF")
    print(f"{len(order_ids)} packing slip{'s' if len(order_ids) != 1 else ''} written to {args.output}")
    return 0


def run_label(args, db) -> int:
    prepaid = args.prepaid.read_bytes() if args.prepaid else None
    with db.reading() as session:
        order_id = find_order(session, args.order).id
    label = make_return_label(db, order_id, parse_counts(args.item) or None, prepaid)
    write_atomically(args.output, label.pdf)
    print(f"Return label {label.rma} written to {args.output}")
    return 0


def run_picklist(args, db) -> int:
    pdf, orders = pick_list_pdf(db, OrderStatus(args.status))
    write_atomically(args.output, pdf)
    print(f"Pick list for {orders} order{'s' if orders != 1 else ''} written to {args.output}")
    return 0


def run_shelf_labels(args, db) -> int:
    pdf, count = shelf_labels_pdf(db, include_with_barcode=args.all)
    write_atomically(args.output, pdf)
    print(f"{count} shelf label{'s' if count != 1 else ''} written to {args.output}")
    return 0
