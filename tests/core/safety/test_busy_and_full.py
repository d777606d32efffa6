"""A locked database or a full disk reaches the owner as a sentence, never as a traceback.

The unit of work turns SQLite's "database is locked", "database or disk is full" and "disk I/O
error" into ``DatabaseBusy`` / ``DiskProblem``; nothing of the action is saved, and the shop
carries on once the other writer is done or there is room again.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime

import pytest
from faults import DatabaseFails
from shop_files import sqlite_health
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from shopdesk.db.database import Database, owner_error
from shopdesk.db.models import Order
from shopdesk.errors import DatabaseBusy, DiskProblem, ShopDeskError
from shopdesk.orders.drafts import LineDraft, OrderDraft
from shopdesk.orders.intake import create_order

WAIT_S = 0.3


def _add_order(db: Database, number: str) -> None:
    with db.unit_of_work() as uow:
        create_order(
            uow.session,
            OrderDraft(
                source="manual",
                number=number,
                placed_at=datetime(2026, 11, 2, 10, 0, tzinfo=UTC),
                customer_name="Busy Bee",
                lines=[LineDraft(sku="ROSE-RED", title="Red Rose Patch", quantity=2)],
            ),
        )
        uow.commit()


def _orders(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count(Order.id)))


def test_a_writer_holding_the_lock_past_the_timeout_gives_a_plain_busy_message(demo_db):
    db = Database.open(demo_db.sqlite_path, busy_timeout_s=WAIT_S)
    before = _orders(db)
    other = sqlite3.connect(demo_db.sqlite_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another station in the middle of saving
    other.execute("UPDATE settings SET key = key")
    try:
        started = time.perf_counter()
        with pytest.raises(DatabaseBusy) as busy:
            _add_order(db, "B-1")
        waited = time.perf_counter() - started
        assert str(busy.value) == (
            "The shop's database is busy: another window, command or packing station is saving to it. "
            "Nothing was changed; try again in a moment."
        )
        assert WAIT_S * 0.9 <= waited < WAIT_S + 3, waited  # it waited its turn before giving up
        assert _orders(db) == before  # reading is never blocked by the writer
    finally:
        other.execute("ROLLBACK")
        other.close()
    _add_order(db, "B-1")  # the other writer is done: the shop carries on
    assert _orders(db) == before + 1
    db.dispose()


class _DiskFills:
    """Each new connection may grow the file by ``room`` pages only: SQLite's own "full" error."""

    def __init__(self, db: Database, room: int) -> None:
        self.room = room
        event.listen(db.engine, "connect", self._limit)
        db.engine.dispose()  # connections made from now on have the limit

    def _limit(self, dbapi_connection, _record) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + self.room}")


def test_a_full_disk_gives_a_plain_message_and_saves_nothing(demo_db):
    before = _orders(demo_db)
    _DiskFills(demo_db, room=0)
    with pytest.raises(DiskProblem) as full:
        # Big enough to need new pages whatever free space the file holds.
        for number in range(400):
            _add_order(demo_db, f"F-{number}")
    assert str(full.value).startswith("The disk is full, so ShopDesk could not save")
    assert "Nothing was changed" in str(full.value)
    added = _orders(demo_db) - before
    demo_db.dispose()
    assert sqlite_health(demo_db.sqlite_path) == ("ok", [])
    # Every order either saved whole before the disk filled, or not at all.
    with sqlite3.connect(demo_db.sqlite_path) as raw:
        empty = raw.execute(
            "SELECT count(*) FROM orders WHERE number LIKE 'F-%' "
            "AND id NOT IN (SELECT order_id FROM order_lines)"
        ).fetchone()[0]
        assert empty == 0
        assert raw.execute("SELECT count(*) FROM orders WHERE number LIKE 'F-%'").fetchone()[0] == added
    # Room again (a fresh engine, no limit): the shop carries on.
    db = Database.open(demo_db.sqlite_path)
    _add_order(db, "F-after")
    assert _orders(db) == before + added + 1
    db.dispose()


@pytest.mark.parametrize(
    ("said", "kind", "words"),
    [
        ("database is locked", DatabaseBusy, "busy"),
        ("database or disk is full", DiskProblem, "disk is full"),
        ("disk I/O error", DiskProblem, "disk reported an error"),
        ('could not extend file "base/16384/2619": No space left on device', DiskProblem, "disk is full"),
    ],
)
def test_each_kind_of_database_trouble_has_its_sentence(said, kind, words):
    error = owner_error(OperationalError("INSERT …", {}, sqlite3.OperationalError(said)), "shop.db")
    assert isinstance(error, kind) and isinstance(error, ShopDeskError)
    assert words in str(error) and "Nothing was changed" in str(error)


def test_other_operational_errors_stay_bugs():
    assert (
        owner_error(OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x")), "") is None
    )


def test_a_failing_disk_while_reading_gives_the_reading_sentence(demo_db, monkeypatch):
    with (
        DatabaseFails(1, "disk I/O error").installed(monkeypatch),
        pytest.raises(DiskProblem) as caught,
        demo_db.reading() as session,
    ):
        session.scalar(select(func.count()).select_from(Order))
    said = str(caught.value)
    assert said.startswith("The disk reported an error while reading") and "Nothing was changed" in said
