"""Random damage to a valid export never crashes the import and never leaves half a file behind."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from shopdesk.db.models import Order, OrderLine
from shopdesk.errors import ShopDeskError
from shopdesk.importers.service import import_files

VALID = [
    "shopify/orders_export_1.csv",
    "etsy/EtsySoldOrderItems2026-11.csv",
    "squarespace/orders.csv",
    "woocommerce/orders-export-one-row-per-item.csv",
]


def _truncate(data: bytes, draw) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def _flip(data: bytes, draw) -> bytes:
    position = draw(st.integers(0, len(data) - 1))
    return data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1 :]


def _delete_line(data: bytes, draw) -> bytes:
    lines = data.splitlines(keepends=True)
    del lines[draw(st.integers(0, len(lines) - 1))]
    return b"".join(lines)


def _duplicate_line(data: bytes, draw) -> bytes:
    lines = data.splitlines(keepends=True)
    position = draw(st.integers(0, len(lines) - 1))
    lines.insert(position, lines[position])
    return b"".join(lines)


def _shuffle_columns(data: bytes, draw) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    order = draw(st.permutations(range(len(rows[0]))))
    out = io.StringIO()
    csv.writer(out).writerows([row[i] for i in order] for row in rows)
    return out.getvalue().encode("utf-8")


DAMAGE = [_truncate, _flip, _delete_line, _duplicate_line]


@st.composite
def damaged_files(draw, samples):
    name = draw(st.sampled_from(VALID))
    data = (samples / name).read_bytes()
    if draw(st.booleans()):
        data = _shuffle_columns(data, draw)
    for damage in draw(st.lists(st.sampled_from(DAMAGE), min_size=0, max_size=3)):
        if data:
            data = damage(data, draw)
    return name.split("/")[1], data


def _counts(db):
    with db.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(Order)),
            session.scalar(select(func.count()).select_from(OrderLine)),
        )


def test_damaged_files_are_refused_whole_or_imported_whole(db, samples, tmp_path, snapshot):
    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.data())
    def check(data):
        name, content = data.draw(damaged_files(samples))
        path = tmp_path / name
        path.write_bytes(content)
        before = snapshot(db)
        try:
            [result] = import_files(db, [path])
        except ShopDeskError:
            assert snapshot(db) == before
            return
        if not result.imported:
            assert result.problems
            assert snapshot(db) == before
            return
        # Imported whole: every order has its lines, and importing it again changes nothing.
        with db.reading() as session:
            empty = session.scalar(select(func.count()).select_from(Order).where(~Order.lines.any()))
        assert empty == 0
        counts = _counts(db)
        [again] = import_files(db, [path])
        assert again.imported
        assert (again.new, again.changed) == (0, 0)
        assert _counts(db) == counts

    check()
