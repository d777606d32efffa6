"""The same shop on SQLite and on PostgreSQL: migrations, demo, queries and the command line."""

from __future__ import annotations

import json
import shutil

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from shopdesk.cli import main
from shopdesk.db.migrate import current_revision, head_revision
from shopdesk.db.models import Base, OrderStatus
from shopdesk.orders.demo import load_demo_data
from shopdesk.orders.queries import count_orders, find_order, order_rows, status_counts

pytestmark = pytest.mark.both_backends


def test_the_migrated_schema_is_the_models_schema(db):
    assert current_revision(db) == head_revision()
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_demo_orders_load_once_and_read_back_the_same(db):
    assert load_demo_data(db) == 40
    assert load_demo_data(db) == 0
    with db.reading() as session:
        rows = order_rows(session)
        counts = status_counts(session)
        order = find_order(session, rows[0].number)
        lines, events = len(order.lines), len(order.events)
    assert count_orders_of(db) == 40 and sum(counts.values()) == 40
    assert counts[OrderStatus.NEW] > 0 and counts[OrderStatus.SHIPPED] > 0
    assert all(row.placed_at.utcoffset().total_seconds() == 0 for row in rows)
    assert lines > 0 and events > 0


def test_the_first_screen_and_changed_orders_read_the_same_rows_as_the_whole_list(db):
    load_demo_data(db)
    with db.reading() as session:
        everything = order_rows(session)
        first_screen = order_rows(session, newest=7)
    assert first_screen == everything[:7]
    chosen = [everything[3].id, everything[20].id]
    with db.reading() as session:
        assert order_rows(session, ids=chosen) == [everything[3], everything[20]]
    assert any(row.line_count > 1 for row in first_screen) or any(row.units > 1 for row in first_screen)


def count_orders_of(db) -> int:
    with db.reading() as session:
        return count_orders(session)


def test_the_command_line_lists_backs_up_and_checks(db, shop_target, tmp_path, capsys):
    load_demo_data(db)
    assert main(["--db", shop_target, "orders", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 40

    assert main(["--db", shop_target, "check-db"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "The database is sound: nothing to repair."

    if db.engine.dialect.name == "postgresql" and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    target = tmp_path / "copy.backup"
    assert main(["--db", shop_target, "backup", "-o", str(target)]) == 0
    assert target.stat().st_size > 0 and oct(target.stat().st_mode & 0o777) == "0o600"
    head = target.read_bytes()[:5]
    assert head == (b"PGDMP" if db.engine.dialect.name == "postgresql" else b"SQLit")
