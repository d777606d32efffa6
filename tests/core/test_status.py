from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from shopdesk.db.models import Event, Order, OrderStatus
from shopdesk.errors import IllegalTransition
from shopdesk.orders.drafts import LineDraft, OrderDraft
from shopdesk.orders.intake import create_order
from shopdesk.orders.status import change_status, put_on_hold, release_hold

# The same on PostgreSQL, for a shop shared by several packing stations.
pytestmark = pytest.mark.both_backends

S = OrderStatus


def new_order(session) -> Order:
    draft = OrderDraft(
        source="shopify",
        number="#1041",
        placed_at=datetime(2026, 11, 1, 14, 0, tzinfo=UTC),
        customer_name="Kristina Lund",
        lines=[LineDraft("WING-S", "Winged Wheel Patch - Small", 2)],
    )
    order = create_order(session, draft)
    session.flush()
    return order


def test_the_happy_path_logs_every_step(db):
    with db.unit_of_work() as uow:
        order = new_order(uow.session)
        for status in (S.CHECKED, S.PACKED, S.SHIPPED):
            change_status(uow.session, order, status, station="desk")
        uow.commit()
    with db.reading() as session:
        kinds = session.execute(select(Event.kind, Event.details)).all()
    moves = [(d["old"], d["new"]) for kind, d in kinds if kind == "status"]
    assert moves == [("new", "checked"), ("checked", "packed"), ("packed", "shipped")]


@pytest.mark.parametrize(
    ("path", "illegal"),
    [((), S.SHIPPED), ((S.CHECKED, S.PACKED, S.SHIPPED), S.NEW), ((S.CANCELLED,), S.NEW)],
)
def test_illegal_moves_are_refused_with_a_sentence(db, path, illegal):
    with db.unit_of_work() as uow:
        order = new_order(uow.session)
        for status in path:
            change_status(uow.session, order, status)
        with pytest.raises(IllegalTransition, match="#1041"):
            change_status(uow.session, order, illegal)


def test_packing_an_unchecked_order_needs_a_reason(db):
    with db.unit_of_work() as uow:
        order = new_order(uow.session)
        with pytest.raises(IllegalTransition, match="not been checked"):
            change_status(uow.session, order, S.PACKED)
        order.check_skip_reason = "Scanner broken, counted by hand twice"
        change_status(uow.session, order, S.PACKED)
        assert order.status == S.PACKED


def test_hold_returns_where_it_came_from(db):
    with db.unit_of_work() as uow:
        order = new_order(uow.session)
        change_status(uow.session, order, S.CHECKED)
        put_on_hold(uow.session, order, "buyer asked to wait")
        with pytest.raises(IllegalTransition):
            change_status(uow.session, order, S.NEW)
        release_hold(uow.session, order)
        assert order.status == S.CHECKED
        assert order.held_from is None


def test_an_uncommitted_unit_of_work_leaves_nothing(db):
    with db.unit_of_work() as uow:
        new_order(uow.session)
    with db.reading() as session:
        assert session.scalars(select(Order)).all() == []
        assert session.scalars(select(Event)).all() == []
