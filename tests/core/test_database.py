from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest
from sqlalchemy import text

from shopdesk.app import open_shop
from shopdesk.db.backup import backup_sqlite
from shopdesk.db.migrate import current_revision, head_revision
from shopdesk.errors import DatabaseError
from shopdesk.orders.demo import load_demo_data
from shopdesk.orders.queries import count_orders


def test_a_new_database_is_at_the_newest_schema_with_wal_and_foreign_keys(db):
    assert current_revision(db) == head_revision()
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_times_come_back_timezone_aware(demo_db):
    with demo_db.reading() as session:
        placed = session.execute(text("SELECT placed_at FROM orders LIMIT 1")).scalar()
        from shopdesk.orders.queries import order_rows

        row = order_rows(session)[0]
    assert isinstance(placed, str)  # stored as UTC text in SQLite …
    assert row.placed_at.tzinfo is not None  # … and returned aware
    assert row.placed_at.utcoffset().total_seconds() == 0


def test_a_database_from_a_newer_shopdesk_is_refused_untouched(db_path):
    db = open_shop(str(db_path))
    load_demo_data(db)
    db.dispose()
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = 'zz_from_the_future'")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="newer version of ShopDesk"):
        open_shop(str(db_path))
    assert db_path.read_bytes() == before


def test_a_backup_of_a_live_database_holds_what_was_committed(demo_db, tmp_path):
    # The demo data sits partly in the WAL file; the online backup API must still carry it.
    copy = backup_sqlite(demo_db.sqlite_path, tmp_path / "backups", reason="test")
    assert copy.name.endswith("-test.db")
    assert list((tmp_path / "backups").glob("*.partial")) == []
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    with sqlite3.connect(copy) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("SELECT count(*) FROM orders").fetchone()[0] == 40
    with demo_db.reading() as session:
        assert count_orders(session) == 40


def test_naive_datetimes_are_refused(db):
    from shopdesk.orders.drafts import OrderDraft
    from shopdesk.orders.intake import create_order

    with db.unit_of_work() as uow, pytest.raises(Exception, match="naive datetime"):
        create_order(uow.session, OrderDraft(source="manual", number="M-1", placed_at=datetime(2026, 1, 1)))
        uow.session.flush()


def test_the_quick_head_read_at_start_up_is_alembics_head():
    from shopdesk.db.migrate import quick_head_revision

    assert quick_head_revision() == head_revision()
