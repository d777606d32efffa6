"""The double-check without any window: every scan outcome and every rule, asserted on the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shopdesk.app import open_shop
from shopdesk.checking import (
    BlankReason,
    NotCheckable,
    ScanResult,
    add_one,
    check_state,
    resolve_scan_target,
    scan,
    skip_check,
    start_over,
)
from shopdesk.db.models import Event, Order, OrderLine, OrderStatus
from shopdesk.errors import NotFound, ShopDeskError
from shopdesk.orders.drafts import LineDraft
from shopdesk.orders.status import change_status

RED = "0614141000012"
FLAG = "0614141000036"


def counts(db, order_id) -> dict[str, int]:
    with db.reading() as session:
        rows = session.execute(select(OrderLine.sku, OrderLine.counted).where(OrderLine.order_id == order_id))
        return dict(rows.all())


def status(db, order_id) -> OrderStatus:
    with db.reading() as session:
        return session.get(Order, order_id).status


def events(db, order_id, kind: str) -> list[Event]:
    with db.reading() as session:
        query = select(Event).where(Event.order_id == order_id, Event.kind == kind).order_by(Event.id)
        found = list(session.scalars(query))
        session.expunge_all()  # keep them readable after the session closes
        return found


def name_tag_line(db, order_id) -> int:
    with db.reading() as session:
        return session.scalar(
            select(OrderLine.id).where(OrderLine.order_id == order_id, OrderLine.sku == "NAME-TAG")
        )


def test_each_scan_counts_one_unit_by_barcode_or_by_sku(catalogue, order_id):
    first = scan(catalogue, order_id, RED)
    assert first.result == ScanResult.COUNTED
    assert first.message == "Counted Red Rose Patch: 1 of 2."
    assert (first.line.sku, first.line.counted, first.line.quantity) == ("ROSE-RED", 1, 2)
    assert counts(catalogue, order_id) == {"ROSE-RED": 1, "NAME-TAG": 0, "FLAG-CA": 0}

    second = scan(catalogue, order_id, "ROSE-RED")  # the SKU counts toward the same line
    assert second.counted and second.line.counted == 2
    assert counts(catalogue, order_id)["ROSE-RED"] == 2
    assert second.state.progress_text == "2 of 6 items checked"
    assert status(catalogue, order_id) == OrderStatus.NEW


@pytest.mark.parametrize("typed", ["rose-red", "  ROSE-RED\n", "Rose - Red", " 0614 1410 00012 ", "name-tag"])
def test_codes_match_whatever_their_case_and_spacing(catalogue, order_id, typed):
    outcome = scan(catalogue, order_id, typed)
    assert outcome.result == ScanResult.COUNTED
    assert sum(counts(catalogue, order_id).values()) == 1


def test_a_wrong_item_is_counted_nowhere_names_both_sides_and_is_logged(catalogue, order_id):
    scan(catalogue, order_id, RED)
    outcome = scan(catalogue, order_id, "0614141000029")  # the pink rose, not in this order
    assert outcome.result == ScanResult.WRONG_ITEM
    assert outcome.line is None
    assert outcome.message.startswith("Wrong item: Pink Rose Patch (ROSE-PNK) — not in this order.\n")
    assert "Red Rose Patch (ROSE-RED) ×2" in outcome.message
    assert "Custom Name Tag Patch (NAME-TAG) ×3" in outcome.message
    assert counts(catalogue, order_id) == {"ROSE-RED": 1, "NAME-TAG": 0, "FLAG-CA": 0}
    [logged] = events(catalogue, order_id, "check_wrong_item")
    assert logged.details["sku"] == "ROSE-PNK"
    assert logged.details["code"] == "0614141000029"
    assert logged.details["expected"] == ["ROSE-RED", "NAME-TAG", "FLAG-CA"]


def test_an_unknown_code_says_so(catalogue, order_id):
    outcome = scan(catalogue, order_id, "XYZ-999")
    assert outcome.result == ScanResult.WRONG_ITEM
    assert outcome.message.startswith(
        "Wrong item: “XYZ-999” — no product has this code.\nOrder #1041 contains"
    )
    assert sum(counts(catalogue, order_id).values()) == 0
    assert events(catalogue, order_id, "check_wrong_item")[0].details["sku"] is None


def test_a_scan_beyond_the_ordered_quantity_is_refused_and_logged(catalogue, order_id):
    scan(catalogue, order_id, RED)
    scan(catalogue, order_id, RED)
    over = scan(catalogue, order_id, RED)
    assert over.result == ScanResult.OVER
    assert over.message == "Line complete: 2 of 2 Red Rose Patch (ROSE-RED).\nPut the extra one back."
    assert counts(catalogue, order_id)["ROSE-RED"] == 2
    [logged] = events(catalogue, order_id, "check_over")
    assert (logged.details["sku"], logged.details["counted"], logged.details["quantity"]) == (
        "ROSE-RED",
        2,
        2,
    )


def test_plus_one_counts_one_unit_and_never_beyond_the_quantity(catalogue, order_id):
    line_id = name_tag_line(catalogue, order_id)
    for expected in (1, 2, 3):
        outcome = add_one(catalogue, order_id, line_id)
        assert outcome.counted and outcome.line.counted == expected
    refused = add_one(catalogue, order_id, line_id)
    assert refused.result == ScanResult.OVER
    assert counts(catalogue, order_id)["NAME-TAG"] == 3
    assert len(events(catalogue, order_id, "check_by_hand")) == 3


def test_plus_one_on_a_line_of_another_order_is_refused(add_order, catalogue, order_id):
    other = add_order(catalogue, "#1042", [LineDraft("NAME-TAG", "Custom Name Tag Patch", 1)])
    with pytest.raises(NotFound):
        add_one(catalogue, order_id, name_tag_line(catalogue, other))
    assert counts(catalogue, other) == {"NAME-TAG": 0}


def test_counting_the_last_unit_checks_the_order_with_every_lines_count(catalogue, order_id):
    line_id = name_tag_line(catalogue, order_id)
    outcomes = [scan(catalogue, order_id, RED), scan(catalogue, order_id, "rose-red")]
    outcomes += [add_one(catalogue, order_id, line_id) for _ in range(3)]
    assert not any(outcome.completed for outcome in outcomes)
    assert status(catalogue, order_id) == OrderStatus.NEW

    last = scan(catalogue, order_id, FLAG)
    assert last.completed and last.state.is_complete
    assert last.message == "All 6 items checked — print the packing slip."
    assert last.state.blocked_reason is None
    assert status(catalogue, order_id) == OrderStatus.CHECKED
    with catalogue.reading() as session:
        assert session.get(Order, order_id).checked_at is not None
    [checked] = [e for e in events(catalogue, order_id, "status") if e.details["new"] == "checked"]
    assert checked.details["method"] == "scan and by hand"
    assert checked.details["units"] == 6
    assert [(ln["sku"], ln["counted"], ln["quantity"], ln["by_hand"]) for ln in checked.details["lines"]] == [
        ("ROSE-RED", 2, 2, 0),
        ("NAME-TAG", 3, 3, 3),
        ("FLAG-CA", 1, 1, 0),
    ]
    assert checked.summary == "New → Checked: all 6 items counted, 3 by hand"


def test_a_checked_order_takes_no_more_units(add_order, catalogue):
    order_id = add_order(catalogue, "#1050", [LineDraft("ROSE-RED", "Red Rose Patch", 1)])
    assert scan(catalogue, order_id, RED).completed
    again = scan(catalogue, order_id, RED)
    assert again.result == ScanResult.ALREADY_CHECKED
    assert again.message.startswith("Already checked — line complete: 1 of 1 Red Rose Patch")
    assert counts(catalogue, order_id) == {"ROSE-RED": 1}
    assert status(catalogue, order_id) == OrderStatus.CHECKED


def test_progress_survives_closing_and_reopening_the_database(catalogue, order_id, db_path):
    scan(catalogue, order_id, RED)
    add_one(catalogue, order_id, name_tag_line(catalogue, order_id))
    catalogue.dispose()

    reopened = open_shop(str(db_path))
    try:
        with reopened.reading() as session:
            state = check_state(session, order_id)
        assert [(line.sku, line.counted, line.quantity) for line in state.lines] == [
            ("ROSE-RED", 1, 2),
            ("NAME-TAG", 1, 3),
            ("FLAG-CA", 0, 1),
        ]
        assert state.progress_text == "2 of 6 items checked"
        assert state.blocked_reason == "2 of 6 items checked"
        assert scan(reopened, order_id, RED).line.counted == 2
    finally:
        reopened.dispose()


def test_a_failed_scan_changes_nothing(catalogue, order_id, monkeypatch):
    from shopdesk.checking import service

    def broken_finish(*_args, **_kwargs):
        raise RuntimeError("disk full")

    with pytest.raises(ShopDeskError):
        scan(catalogue, order_id, "   ")
    scan(catalogue, order_id, FLAG)
    scan(catalogue, order_id, RED)
    scan(catalogue, order_id, RED)
    line_id = name_tag_line(catalogue, order_id)
    add_one(catalogue, order_id, line_id)
    add_one(catalogue, order_id, line_id)
    monkeypatch.setattr(service, "_finish", broken_finish)
    with pytest.raises(RuntimeError):
        add_one(catalogue, order_id, line_id)
    assert counts(catalogue, order_id)["NAME-TAG"] == 2  # the last unit was not half-saved
    assert status(catalogue, order_id) == OrderStatus.NEW


def test_start_over_resets_every_count_and_is_logged(catalogue, order_id):
    scan(catalogue, order_id, RED)
    scan(catalogue, order_id, FLAG)
    state = start_over(catalogue, order_id)
    assert state.units_counted == 0
    assert counts(catalogue, order_id) == {"ROSE-RED": 0, "NAME-TAG": 0, "FLAG-CA": 0}
    [logged] = events(catalogue, order_id, "check_start_over")
    assert logged.details["counted_before"] == {"ROSE-RED": 1, "NAME-TAG": 0, "FLAG-CA": 1}
    assert logged.summary == "Check started over (2 items had been counted)"


def test_starting_over_a_checked_order_makes_it_new_again(add_order, catalogue):
    order_id = add_order(catalogue, "#1051", [LineDraft("FLAG-CA", "Canada Flag Patch", 1)])
    scan(catalogue, order_id, FLAG)
    assert status(catalogue, order_id) == OrderStatus.CHECKED
    start_over(catalogue, order_id)
    assert status(catalogue, order_id) == OrderStatus.NEW
    assert counts(catalogue, order_id) == {"FLAG-CA": 0}
    with catalogue.reading() as session:
        assert session.get(Order, order_id).checked_at is None


def test_by_hand_counts_before_a_start_over_are_not_reported_after_it(add_order, catalogue):
    order_id = add_order(catalogue, "#1052", [LineDraft("NAME-TAG", "Custom Name Tag Patch", 1)])
    line_id = name_tag_line(catalogue, order_id)
    add_one(catalogue, order_id, line_id)
    start_over(catalogue, order_id)
    scan(catalogue, order_id, "NAME-TAG")
    checked = [e for e in events(catalogue, order_id, "status") if e.details["new"] == "checked"][-1]
    assert checked.details["method"] == "scan"
    assert checked.details["lines"][0]["by_hand"] == 0


def test_skipping_needs_a_reason_and_records_it(catalogue, order_id):
    for blank in ("", "   ", "\n\t"):
        with pytest.raises(BlankReason):
            skip_check(catalogue, order_id, blank)
    with catalogue.reading() as session:
        assert session.get(Order, order_id).check_skip_reason is None
    assert events(catalogue, order_id, "check_skipped") == []

    scan(catalogue, order_id, RED)
    state = skip_check(catalogue, order_id, "  Scanner broken, counted by eye  ")
    assert state.skip_reason == "Scanner broken, counted by eye"
    assert state.blocked_reason is None
    [logged] = events(catalogue, order_id, "check_skipped")
    assert logged.details["reason"] == "Scanner broken, counted by eye"
    assert logged.details["counted"] == {"ROSE-RED": 1, "NAME-TAG": 0, "FLAG-CA": 0}
    assert "Packed without checking: Scanner broken" in logged.summary
    # Still unchecked, but it may now be packed.
    with catalogue.unit_of_work() as uow:
        order = uow.session.get(Order, order_id)
        assert order.status == OrderStatus.NEW
        change_status(uow.session, order, OrderStatus.PACKED)
        uow.commit()


def test_checking_a_skipped_order_after_all_clears_the_skip(add_order, catalogue):
    order_id = add_order(catalogue, "#1053", [LineDraft("FLAG-CA", "Canada Flag Patch", 1)])
    skip_check(catalogue, order_id, "in a hurry")
    scan(catalogue, order_id, FLAG)
    with catalogue.reading() as session:
        order = session.get(Order, order_id)
        assert order.status == OrderStatus.CHECKED and order.check_skip_reason is None


@pytest.mark.parametrize(
    ("where", "words"),
    [
        (OrderStatus.PACKED, "already packed"),
        (OrderStatus.ON_HOLD, "on hold"),
        (OrderStatus.CANCELLED, "cancelled"),
    ],
)
def test_orders_past_or_outside_their_check_refuse_scans(add_order, catalogue, where, words):
    lines = [LineDraft("FLAG-CA", "Canada Flag Patch", 1)]
    order_id = add_order(catalogue, "#2000", lines, OrderStatus.CHECKED)
    with catalogue.unit_of_work() as uow:
        change_status(uow.session, uow.session.get(Order, order_id), where)
        uow.commit()
    for action in (
        lambda: scan(catalogue, order_id, FLAG),
        lambda: start_over(catalogue, order_id),
        lambda: skip_check(catalogue, order_id, "why not"),
    ):
        with pytest.raises(NotCheckable, match=words):
            action()


def test_an_unknown_order_is_not_found(catalogue):
    with pytest.raises(NotFound):
        scan(catalogue, 9999, RED)


def test_an_order_number_is_recognised_but_an_item_code_never_is(add_order, catalogue, order_id):
    other = add_order(catalogue, "1042", [LineDraft("FLAG-CA", "Canada Flag Patch", 1)])
    with catalogue.reading() as session:
        for code in ("#1041", "1041", " shopify:#1041 "):
            target = resolve_scan_target(session, code)
            assert target is not None and (target.order_id, target.number) == (order_id, "#1041")
        assert resolve_scan_target(session, "1042").order_id == other
        for item in (RED, "rose-red", "NAME-TAG", "nothing-like-it", ""):
            assert resolve_scan_target(session, item) is None


def test_two_lines_with_the_same_sku_fill_in_order(add_order, catalogue):
    order_id = add_order(
        catalogue,
        "#1060",
        [
            LineDraft("NAME-TAG", "Custom Name Tag Patch", 1, "Personalization: Big Jim"),
            LineDraft("NAME-TAG", "Custom Name Tag Patch", 1, "Personalization: Doc"),
        ],
    )
    first = scan(catalogue, order_id, "NAME-TAG")
    second = scan(catalogue, order_id, "NAME-TAG")
    assert (first.line.number, second.line.number) == (1, 2)
    assert second.completed
    assert scan(catalogue, order_id, "NAME-TAG").result == ScanResult.ALREADY_CHECKED
