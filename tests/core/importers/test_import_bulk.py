"""A big export imports in a handful of statements, not one per order."""

from __future__ import annotations

import csv
import time

from sqlalchemy import event, func, select

from shopdesk.db.models import Order, OrderLine
from shopdesk.importers.service import import_files

ORDERS = 2_000


def _big_shopify_file(samples, path, copies):
    """``copies`` renumbered copies of the sample's 8 orders (#10410000, #10410001…)."""
    with (samples / "shopify/orders_export_1.csv").open(newline="", encoding="utf-8") as handle:
        header, *body = list(csv.reader(handle))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for copy in range(copies):
            for row in body:
                writer.writerow([f"#{int(row[0][1:]) * 10000 + copy}", *row[1:]])
    return path


def test_big_export_imports_in_few_statements(db, samples, tmp_path):
    path = _big_shopify_file(samples, tmp_path / "orders_export.csv", ORDERS // 8)
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    started = time.perf_counter()
    [result] = import_files(db, [path])
    first_seconds = time.perf_counter() - started
    first_statements = len(statements)
    statements.clear()
    [again] = import_files(db, [path])

    assert (result.new, again.unchanged) == (ORDERS, ORDERS)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Order)) == ORDERS
        assert session.scalar(select(func.count()).select_from(OrderLine)) == ORDERS // 8 * 15
    # Lookups go 500 order numbers at a time; inserts are one statement per table.
    assert first_statements < 40
    assert len(statements) < 40
    # A generous floor against a slide back to one query per order (2,000 orders take about 1 s).
    assert first_seconds < 20
