"""``shopdesk demo``: fill the database with demo orders."""

from __future__ import annotations

from shopdesk.orders.demo import load_demo_data


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="add about forty demo orders (running it again adds nothing)",
        description="Add about forty realistic demo orders of a patch shop. Running it again adds nothing.",
    )
    parser.set_defaults(handler=run)


def run(args, db) -> int:
    added = load_demo_data(db)
    print(f"{added} demo orders added to {db.describe()}." if added else "The demo orders are already there.")
    return 0
