"""The mistake report's figures from a known history (see ``mistake_shop``), asserted exactly."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from mistake_shop import CHANGE_1, CHANGE_2, NOW

from shopdesk.corrections.follow_ups import mark_return_received
from shopdesk.corrections.history import lookalike_pairs
from shopdesk.errors import ShopDeskError
from shopdesk.reports.mistakes import (
    ProcessChange,
    ReportFilter,
    build_report,
    last_twelve_months,
    report_as_json,
    report_sources,
    set_postage_per_reship,
)

RANGE = ReportFilter(date(2026, 2, 1), date(2026, 3, 15))


def report(shop, filter=RANGE, tz=UTC):
    return build_report(shop.db, filter, now=NOW, tz=tz)


def rates(points):
    return [(p.start, p.orders_shipped, p.corrections, p.per_100) for p in points]


def test_rate_counts_orders_by_the_week_and_month_they_shipped(mistake_shop):
    r = report(mistake_shop)
    assert rates(r.by_week) == [
        (date(2026, 1, 26), 0, 0, None),  # only Sunday 1 Feb is in the range
        (date(2026, 2, 2), 4, 3, 75.0),  # E1, E2 (C1, C8), S1 (C3), S2
        (date(2026, 2, 9), 2, 1, 50.0),  # S3 (C2), S4
        (date(2026, 2, 16), 1, 0, 0.0),  # the replacement E2-R1
        (date(2026, 2, 23), 0, 0, None),
        (date(2026, 3, 2), 4, 1, 25.0),  # E3, S5 (C4), S6 (C7 withdrawn), S7
        (date(2026, 3, 9), 0, 0, None),
    ]
    assert rates(r.by_month) == [(date(2026, 2, 1), 7, 4, 400 / 7), (date(2026, 3, 1), 4, 1, 25.0)]
    assert [p.label for p in r.by_month] == ["Feb 2026", "Mar 2026"]
    assert r.by_week[1].label == "Week of 2 Feb 2026"
    assert (r.orders_shipped, r.corrections_on_shipped, r.per_100) == (11, 5, 500 / 11)


def test_corrections_are_counted_by_the_day_they_were_made(mistake_shop):
    r = report(mistake_shop)
    # C5 (order shipped in January), C1, C8, C2, C6 (order never shipped here), C3, C4; not C0
    # (January) nor C7 (its replacement was cancelled).
    assert r.corrections == 7
    assert r.not_in_rate == 1
    assert {c.key: c.count for c in r.by_kind} == {
        "missing": 1, "short": 1, "wrong_item": 2, "damaged": 2, "lost": 1, "wrong_address": 0, "other": 0,
    }  # fmt: skip
    assert {c.key: c.count for c in r.by_cause} == {
        "packing": 3, "stock": 1, "carrier": 2, "supplier": 1, "customer": 0, "unknown": 0,
    }  # fmt: skip
    assert r.by_cause[0].label == "Packing mistake"


def test_process_changes_in_the_range_with_their_dates(mistake_shop):
    assert report(mistake_shop).changes == (
        ProcessChange(date(2026, 2, 5), CHANGE_1, "E2"),
        ProcessChange(date(2026, 3, 9), CHANGE_2, "S5"),
    )
    # A change is shop-wide: a source filter does not hide it.
    etsy = report(mistake_shop, ReportFilter(date(2026, 2, 1), date(2026, 3, 15), source="etsy"))
    assert [c.text for c in etsy.changes] == [CHANGE_1, CHANGE_2]
    everything = report(mistake_shop, ReportFilter(end=date(2026, 3, 15)))
    assert [c.on for c in everything.changes] == [date(2026, 1, 10), date(2026, 2, 5), date(2026, 3, 9)]


def test_products_most_involved(mistake_shop):
    products = [
        (p.sku, p.title, p.corrections, p.units_owed, p.sent_instead) for p in report(mistake_shop).products
    ]
    assert products == [
        ("ROSE-RED", "Red Rose Patch", 3, 3, 0),
        ("FERN", "Fern Patch", 2, 2, 0),
        ("ROSE-PNK", "Pink Rose Patch", 0, 0, 2),
        ("MOUNTAIN", "Mountain Road Patch", 1, 2, 0),
        ("BEE", "Honey Bee Patch", 1, 1, 0),  # the goodwill BEE of C1 is not a mistake
    ]


def test_lookalike_pairs_in_the_range_and_all_time(mistake_shop):
    pairs = report(mistake_shop).lookalikes
    assert [(p.ordered_sku, p.sent_sku, p.times, p.all_time) for p in pairs] == [
        ("ROSE-RED", "ROSE-PNK", 2, 3)
    ]
    assert (pairs[0].ordered_title, pairs[0].sent_title) == ("Red Rose Patch", "Pink Rose Patch")
    with mistake_shop.db.reading() as session:
        assert lookalike_pairs(session) == [("ROSE-RED", "ROSE-PNK", 3)]


def test_costs_with_and_without_postage(mistake_shop):
    costs = report(mistake_shop).costs
    assert (costs.reships, costs.units_reshipped, costs.goodwill_units, costs.goodwill_notes, costs.returns) == (
        7, 8, 1, 1, 1,
    )  # fmt: skip
    assert (costs.postage_per_reship_cents, costs.postage_cents) == (620, 7 * 620)
    set_postage_per_reship(mistake_shop.db, None)
    costs = report(mistake_shop).costs
    assert (costs.postage_per_reship_cents, costs.postage_cents) == (None, None)
    with pytest.raises(ShopDeskError):
        set_postage_per_reship(mistake_shop.db, -1)


def test_checked_vs_packed_without_a_check(mistake_shop):
    checking = report(mistake_shop).checking
    # Checked: E1 S1 S2 S4 E3 S5 S6 S7 E2-R1, of which S1 and S5 went wrong (S6's correction was withdrawn).
    assert (checking.checked.orders, checking.checked.corrected, checking.checked.per_100) == (9, 2, 200 / 9)
    # Skipped: E2 and S3, both later corrected.
    assert (checking.skipped.orders, checking.skipped.corrected, checking.skipped.per_100) == (2, 2, 100.0)


def test_open_items_are_what_is_open_now(mistake_shop):
    items = report(mistake_shop).open_items
    assert [(r.rma, r.order_number) for r in items.returns] == [("RMA-S3-1", "S3")]
    due = [(f.title, f.order_number, f.replacement_number, f.due_at) for f in items.follow_ups if f.due]
    assert due == [("Follow-up", "E2", "E2-R1", datetime(2026, 3, 2, 12, tzinfo=UTC))]
    # Every standing correction has its follow-up (C0's too: open items ignore the dates), plus C2's
    # return reminder; C7's replacement was cancelled.
    assert len(items.follow_ups) == 9
    assert items.follow_ups_due == 1
    mark_return_received(mistake_shop.db, mistake_shop.ids["C2"], now=NOW)
    items = report(mistake_shop).open_items
    assert items.returns == ()
    assert [f.title for f in items.follow_ups].count("Return reminder") == 0


def test_a_source_filter_applies_to_everything(mistake_shop):
    r = report(mistake_shop, ReportFilter(date(2026, 2, 1), date(2026, 3, 15), source="etsy"))
    assert rates(r.by_month) == [(date(2026, 2, 1), 2, 2, 100.0), (date(2026, 3, 1), 1, 0, 0.0)]
    assert (r.orders_shipped, r.corrections_on_shipped, r.corrections, r.not_in_rate) == (3, 2, 2, 0)
    assert {c.key: c.count for c in r.by_kind if c.count} == {"missing": 1, "damaged": 1}
    assert [p.sku for p in r.products] == ["BEE", "ROSE-RED"]
    assert r.lookalikes == ()
    assert (r.costs.reships, r.costs.units_reshipped, r.costs.goodwill_units) == (2, 2, 1)
    assert (r.checking.skipped.orders, r.checking.checked.orders) == (1, 2)
    assert r.open_items.returns == ()
    assert {f.order_number for f in r.open_items.follow_ups} == {"E2"}
    replacements = report(mistake_shop, ReportFilter(date(2026, 2, 1), date(2026, 3, 15), source="reship"))
    assert (replacements.orders_shipped, replacements.corrections) == (1, 0)


def test_weeks_and_months_follow_the_owners_calendar(mistake_shop):
    # S7 shipped at 03:00 UTC on Monday 2 March: still Sunday 1 March in Toronto, the week before.
    r = report(mistake_shop, tz=ZoneInfo("America/Toronto"))
    assert rates(r.by_month) == [(date(2026, 2, 1), 7, 4, 400 / 7), (date(2026, 3, 1), 4, 1, 25.0)]
    assert [(p.start, p.orders_shipped) for p in r.by_week if p.orders_shipped] == [
        (date(2026, 2, 2), 4), (date(2026, 2, 9), 2), (date(2026, 2, 16), 1), (date(2026, 2, 23), 1),
        (date(2026, 3, 2), 3),
    ]  # fmt: skip


def test_without_a_start_the_report_begins_with_the_first_order_shipped(mistake_shop):
    r = report(mistake_shop, ReportFilter(end=date(2026, 3, 15)))
    assert r.start == date(2025, 12, 10)
    assert r.by_month[0].start == date(2025, 12, 1)
    assert (r.orders_shipped, r.corrections_on_shipped, r.corrections) == (13, 7, 8)


def test_the_range_ends_are_whole_days(mistake_shop):
    # 5 Feb only: S2 shipped that day and C1 was made that day.
    r = report(mistake_shop, ReportFilter(date(2026, 2, 5), date(2026, 2, 5)))
    assert (r.orders_shipped, r.corrections) == (1, 1)
    assert [p.start for p in r.by_week] == [date(2026, 2, 2)]


def test_an_empty_range_and_a_backwards_one(mistake_shop):
    r = report(mistake_shop, ReportFilter(date(2024, 1, 1), date(2024, 1, 31)))
    assert (r.orders_shipped, r.per_100, r.corrections, r.products, r.lookalikes) == (0, None, 0, (), ())
    assert r.by_month[0].per_100 is None
    with pytest.raises(ShopDeskError, match="swap the dates"):
        ReportFilter(date(2026, 3, 1), date(2026, 2, 1))


def test_defaults_and_sources(mistake_shop):
    assert last_twelve_months(date(2026, 3, 15)) == ReportFilter(date(2025, 4, 1), date(2026, 3, 15))
    assert last_twelve_months(date(2026, 12, 31)).start == date(2026, 1, 1)
    with mistake_shop.db.reading() as session:
        assert report_sources(session) == ["etsy", "reship", "shopify"]


def test_the_report_as_json(mistake_shop):
    data = json.loads(json.dumps(report_as_json(report(mistake_shop))))
    assert data["start"] == "2026-02-01"
    assert data["by_month"][1] == {
        "start": "2026-03-01", "label": "Mar 2026", "orders_shipped": 4, "corrections": 1, "per_100": 25.0,
    }  # fmt: skip
    assert data["costs"]["postage_cents"] == 4340
    assert data["open_items"]["follow_ups_due"] == 1
    assert data["checking"]["skipped"] == {"orders": 2, "corrected": 2, "per_100": 100.0}
