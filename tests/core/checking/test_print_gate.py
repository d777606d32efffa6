"""The print gate: no packing slip, on any path, for an order that is not checked or skipped with a reason."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shopdesk.checking import (
    NotPrintable,
    check_state,
    ensure_printable,
    is_printable,
    printable_orders,
    scan,
    skip_check,
)
from shopdesk.db.models import Order, OrderStatus
from shopdesk.orders.drafts import LineDraft
from shopdesk.orders.status import change_status


def load(db, *order_ids) -> list[Order]:
    with db.reading() as session:
        orders = [session.get(Order, order_id) for order_id in order_ids]
        for order in orders:
            _ = order.lines  # loaded while the session is open
        session.expunge_all()  # keep them readable after the session closes
        return orders


def test_a_new_order_is_refused_with_its_progress(catalogue, order_id):
    scan(catalogue, order_id, "ROSE-RED")
    [order] = load(catalogue, order_id)
    assert not is_printable(order)
    with pytest.raises(NotPrintable) as refused:
        ensure_printable(order)
    assert str(refused.value).startswith(
        "The packing slip for order #1041 cannot be printed: 1 of 6 items checked."
    )
    assert [(r.number, r.reason) for r in refused.value.refusals] == [("#1041", "1 of 6 items checked")]


def test_checked_skipped_packed_and_shipped_orders_may_print(add_order, catalogue):
    flag = [LineDraft("FLAG-CA", "Canada Flag Patch", 1)]
    checked = add_order(catalogue, "#1", flag)
    scan(catalogue, checked, "FLAG-CA")
    skipped = add_order(catalogue, "#2", flag)
    skip_check(catalogue, skipped, "Customer collected it at the market")
    packed = add_order(catalogue, "#3", flag, OrderStatus.CHECKED)
    shipped = add_order(catalogue, "#4", flag, OrderStatus.CHECKED)
    with catalogue.unit_of_work() as uow:
        change_status(uow.session, uow.session.get(Order, packed), OrderStatus.PACKED)
        order = uow.session.get(Order, shipped)
        change_status(uow.session, order, OrderStatus.PACKED)
        change_status(uow.session, order, OrderStatus.SHIPPED)
        uow.commit()
    orders = load(catalogue, checked, skipped, packed, shipped)
    for order in orders:
        ensure_printable(order)
    assert printable_orders(orders) == orders


@pytest.mark.parametrize(
    ("status", "reason"),
    [(OrderStatus.ON_HOLD, "the order is on hold"), (OrderStatus.CANCELLED, "the order is cancelled")],
)
def test_held_and_cancelled_orders_never_print(add_order, catalogue, status, reason):
    order_id = add_order(catalogue, "#5", [LineDraft("FLAG-CA", "Canada Flag Patch", 1)], OrderStatus.CHECKED)
    with catalogue.unit_of_work() as uow:
        change_status(uow.session, uow.session.get(Order, order_id), status)
        uow.commit()
    [order] = load(catalogue, order_id)
    with pytest.raises(NotPrintable, match=reason):
        ensure_printable(order)


def test_a_blank_skip_reason_written_behind_the_services_back_does_not_open_the_gate(catalogue, order_id):
    with catalogue.unit_of_work() as uow:
        uow.session.get(Order, order_id).check_skip_reason = "   "
        uow.commit()
    with pytest.raises(NotPrintable):
        ensure_printable(load(catalogue, order_id)[0])


def test_a_batch_with_one_unchecked_order_is_refused_whole_and_names_it(add_order, catalogue, order_id):
    flag = [LineDraft("FLAG-CA", "Canada Flag Patch", 1)]
    ready = add_order(catalogue, "#7", flag)
    scan(catalogue, ready, "FLAG-CA")
    unchecked = add_order(catalogue, "#8", flag)
    with pytest.raises(NotPrintable) as refused:
        printable_orders(load(catalogue, ready, order_id, unchecked))
    assert [r.number for r in refused.value.refusals] == ["#1041", "#8"]
    assert "2 orders are not checked" in str(refused.value)
    assert "#8 (0 of 1 item checked)" in str(refused.value)


def test_the_screen_and_the_gate_agree(demo_db):
    with demo_db.reading() as session:
        for order in session.scalars(select(Order)):
            state = check_state(session, order.id)
            assert (state.blocked_reason is None) == is_printable(order), order.number
