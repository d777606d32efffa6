"""Two packing stations on one shop: never the same check twice, never the same order twice.

Each station is its own ``Database`` (its own engine and connections) on the same SQLite file or
the same PostgreSQL database, as two computers sharing a shop would be.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from shop_files import order_numbers, shopify_export
from sqlalchemy import func, select, update

from shopdesk.checking import (
    CheckedElsewhere,
    add_one,
    check_holder,
    release_check,
    scan,
    skip_check,
    start_check,
    start_over,
    take_over_check,
)
from shopdesk.checking.lock import STALE_AFTER, TAKEN_OVER_EVENT
from shopdesk.db.database import Database
from shopdesk.db.models import Event, Order, OrderLine, OrderStatus
from shopdesk.db.types import utc_now
from shopdesk.importers.service import import_files
from shopdesk.orders.demo import load_demo_data

pytestmark = pytest.mark.both_backends


@pytest.fixture
def bench1(db: Database) -> Database:
    load_demo_data(db)
    db.station = "bench-1"
    return db


@pytest.fixture
def bench2(bench1: Database, shop_target: str) -> Database:
    other = Database.open(shop_target)
    other.station = "bench-2"
    yield other
    other.dispose()


def _new_orders(db: Database) -> list[int]:
    with db.reading() as session:
        return list(
            session.scalars(select(Order.id).where(Order.status == OrderStatus.NEW).order_by(Order.id))
        )


def _counted(db: Database, order_id: int) -> int:
    with db.reading() as session:
        return session.scalar(select(func.sum(OrderLine.counted)).where(OrderLine.order_id == order_id))


def _first_sku(db: Database, order_id: int) -> str:
    with db.reading() as session:
        return session.scalar(
            select(OrderLine.sku).where(OrderLine.order_id == order_id).order_by(OrderLine.position)
        )


def _takeovers(db: Database, order_id: int) -> list[Event]:
    with db.reading() as session:
        return list(
            session.scalars(select(Event).where(Event.order_id == order_id, Event.kind == TAKEN_OVER_EVENT))
        )


def test_the_second_station_is_told_who_is_checking_and_counts_nothing(bench1, bench2):
    order_id = _new_orders(bench1)[0]
    start_check(bench1, order_id)
    sku = _first_sku(bench1, order_id)
    scan(bench1, order_id, sku)

    with pytest.raises(CheckedElsewhere) as refused:
        start_check(bench2, order_id)
    since = refused.value.since.astimezone().strftime("%H:%M")
    assert str(refused.value) == f"Order {refused.value.number} is being checked at bench-1 since {since}."
    for action in (
        lambda: scan(bench2, order_id, sku),
        lambda: start_over(bench2, order_id),
        lambda: skip_check(bench2, order_id, "scanner broken"),
    ):
        with pytest.raises(CheckedElsewhere):
            action()
    assert _counted(bench1, order_id) == 1
    # The first station carries on as before, and its lock keeps the time its check started.
    start_check(bench1, order_id)
    with bench1.reading() as session:
        assert check_holder(session, order_id).station == "bench-1"
        assert check_holder(session, order_id).since == refused.value.since


def test_taking_over_is_deliberate_logged_and_locks_the_first_station_out(bench1, bench2):
    order_id = _new_orders(bench1)[0]
    start_check(bench1, order_id)
    holder = take_over_check(bench2, order_id)
    assert holder is not None and holder.station == "bench-1"
    [event] = _takeovers(bench1, order_id)
    assert event.station == "bench-2" and event.details["previous_station"] == "bench-1"
    assert event.details["stale"] is False
    with pytest.raises(CheckedElsewhere, match="being checked at bench-2"):
        scan(bench1, order_id, _first_sku(bench1, order_id))
    scan(bench2, order_id, _first_sku(bench1, order_id))
    assert _counted(bench1, order_id) == 1


def test_the_lock_is_released_on_closing_on_checking_and_on_skipping(bench1, bench2):
    first, second, third = _new_orders(bench1)[:3]
    # Closed: the other station may start at once.
    start_check(bench1, first)
    release_check(bench1, first)
    start_check(bench2, first)
    # Another station's release does not release what it does not hold.
    release_check(bench1, first)
    with pytest.raises(CheckedElsewhere):
        start_check(bench1, first)

    # Checked: the last unit counted lets go of the order.
    with bench1.reading() as session:
        lines = session.execute(
            select(OrderLine.id, OrderLine.quantity).where(OrderLine.order_id == second)
        ).all()
    for line_id, quantity in lines:
        for _ in range(quantity):
            outcome = add_one(bench1, second, line_id)
    assert outcome.completed
    with bench1.reading() as session:
        assert check_holder(session, second) is None

    # Skipped: packed without checking, nobody holds the check any more.
    start_check(bench1, third)
    skip_check(bench1, third, "scanner broken")
    with bench1.reading() as session:
        assert check_holder(session, third) is None
    assert _takeovers(bench1, first) == []


def test_a_stale_lock_is_taken_without_asking_and_logged(bench1, bench2):
    order_id = _new_orders(bench1)[0]
    start_check(bench1, order_id)
    # Not stale yet, a minute short of the rule.
    almost = utc_now() - STALE_AFTER + timedelta(minutes=1)
    with bench1.unit_of_work() as uow:
        uow.session.execute(update(Order).where(Order.id == order_id).values(check_started_at=almost))
        uow.commit()
    with pytest.raises(CheckedElsewhere):
        start_check(bench2, order_id)
    with bench1.unit_of_work() as uow:
        uow.session.execute(
            update(Order)
            .where(Order.id == order_id)
            .values(check_started_at=utc_now() - STALE_AFTER - timedelta(minutes=1))
        )
        uow.commit()
    scan(bench2, order_id, _first_sku(bench1, order_id))
    [event] = _takeovers(bench1, order_id)
    assert event.details["stale"] is True and event.details["previous_station"] == "bench-1"
    with bench1.reading() as session:
        assert check_holder(session, order_id).station == "bench-2"


def _at_once(*actions) -> list[object]:
    """Run ``actions`` on their own threads, released together; what each returned or raised."""
    gate = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(index: int, action) -> None:
        gate.wait()
        try:
            results[index] = action()
        except Exception as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
        assert not thread.is_alive(), "a station hung"
    return results


def test_two_stations_starting_the_same_check_at_the_same_moment_exactly_one_wins(bench1, bench2):
    orders = _new_orders(bench1)
    assert len(orders) >= 10
    winners = {"bench-1": 0, "bench-2": 0}
    for order_id in orders:
        results = _at_once(
            lambda o=order_id: start_check(bench1, o), lambda o=order_id: start_check(bench2, o)
        )
        refused = [r for r in results if isinstance(r, CheckedElsewhere)]
        assert len(refused) == 1 and results.count(None) == 1, results
        with bench1.reading() as session:
            holder = check_holder(session, order_id).station
        assert refused[0].station == holder
        winners[holder] += 1
    print(f"\nsimultaneous starts on {len(orders)} orders: {winners}")


def test_two_stations_importing_the_same_file_at_once_add_each_order_once(bench1, bench2, tmp_path):
    export = shopify_export(tmp_path / "orders_export.csv", 40, series=7)
    wanted = order_numbers(export)
    results = _at_once(lambda: import_files(bench1, [export]), lambda: import_files(bench2, [export]))
    with bench1.reading() as session:
        numbers = list(session.scalars(select(Order.number).where(Order.source == "shopify")))
    assert sorted(n for n in numbers if n in wanted) == sorted(wanted), "each order exactly once"
    print(f"\nsame file at once: {results}")


def test_two_stations_importing_the_same_file_at_once_both_hear_what_happened(
    bench1, bench2, tmp_path, backend
):
    # On PostgreSQL the second station's INSERT waits for the first's commit and then meets the
    # unique (source, number); its unit of work is rolled back and tried once more.
    export = shopify_export(tmp_path / "orders_export.csv", 40, series=7)
    wanted = order_numbers(export)
    results = _at_once(lambda: import_files(bench1, [export]), lambda: import_files(bench2, [export]))
    assert not [r for r in results if isinstance(r, Exception)], results
    [first], [second] = results
    # One station stored the file; the other found it already there, or was told to import it
    # again because the same orders were being added at that moment (nothing of its own stored).
    outcomes = sorted(
        "stored" if r.new == len(wanted) else "already there" if r.unchanged == len(wanted) else "refused"
        for r in (first, second)
    )
    assert outcomes in (["already there", "stored"], ["refused", "stored"]), (first, second)
    for result in (first, second):
        if result.problems:
            assert "added at the same moment by another window or packing station" in str(result.problems)
