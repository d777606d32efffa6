"""What the main window asks of the core: rows, counts, one order's detail, scanned slips, demo data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from shopdesk.checking import resolve_scan_target
from shopdesk.db.database import Database
from shopdesk.db.models import OrderStatus, prepare_models
from shopdesk.importers.service import explain_changes, pending_changes
from shopdesk.orders.demo import load_demo_data
from shopdesk.orders.queries import OrderDetail, OrderRow, order_detail, order_rows, status_counts


class OrderListController:
    def __init__(self, db: Database) -> None:
        self.db = db

    def rows_and_counts(
        self, newest: int | None = None, ids: Collection[int] | None = None
    ) -> tuple[list[OrderRow], Counter[OrderStatus]]:
        """The list's rows (all, the ``newest`` few for the first screen, or those of ``ids`` that
        just changed) and the status counts."""
        with self.db.reading() as session:
            return order_rows(session, newest, ids), status_counts(session)

    def prepare(self) -> None:
        """Work the database layer does once, on its first order read in full, done ahead."""
        prepare_models()

    def detail(self, order_id: int) -> OrderDetail:
        with self.db.reading() as session:
            return order_detail(session, order_id)

    def pending_changes(self, order_id: int) -> list[tuple[int, str]]:
        """What re-imports found changed on the platform, waiting for the owner: (id, description)."""
        with self.db.reading() as session:
            return [
                (change.id, "; ".join(explain_changes(change.changes)))
                for change in pending_changes(session, order_id)
            ]

    def order_for_scan(self, code: str) -> int | None:
        """The id of the order whose number ``code`` is (a scanned packing slip), or None."""
        if not code.strip():
            return None
        with self.db.reading() as session:
            target = resolve_scan_target(session, code)
        return target.order_id if target else None

    def load_demo(self, _control=None) -> int:
        return load_demo_data(self.db)
