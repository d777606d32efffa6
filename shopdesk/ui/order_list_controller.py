"""What the main window asks of the core: rows, counts, one order's detail, scanned slips, demo data."""

from __future__ import annotations

from collections import Counter

from shopdesk.checking import resolve_scan_target
from shopdesk.db.database import Database
from shopdesk.db.models import OrderStatus
from shopdesk.orders.demo import load_demo_data
from shopdesk.orders.queries import OrderDetail, OrderRow, order_detail, order_rows, status_counts


class OrderListController:
    def __init__(self, db: Database) -> None:
        self.db = db

    def rows_and_counts(self) -> tuple[list[OrderRow], Counter[OrderStatus]]:
        with self.db.reading() as session:
            return order_rows(session), status_counts(session)

    def detail(self, order_id: int) -> OrderDetail:
        with self.db.reading() as session:
            return order_detail(session, order_id)

    def order_for_scan(self, code: str) -> int | None:
        """The id of the order whose number ``code`` is (a scanned packing slip), or None."""
        if not code.strip():
            return None
        with self.db.reading() as session:
            target = resolve_scan_target(session, code)
        return target.order_id if target else None

    def load_demo(self, _control=None) -> int:
        return load_demo_data(self.db)
