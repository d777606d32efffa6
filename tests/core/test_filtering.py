from __future__ import annotations

from datetime import UTC, datetime

from shopdesk.db.models import OrderStatus
from shopdesk.orders.filtering import OrderFilter, SearchIndex
from shopdesk.orders.queries import OrderRow, fold_text


def row(number: str, customer: str, status=OrderStatus.NEW, skus=("ROSE-RED",)) -> OrderRow:
    text = fold_text(" ".join([number, customer, *skus]))
    return OrderRow(1, number, "etsy", datetime(2026, 11, 1, tzinfo=UTC), customer, 1, 1, status, text)


ROWS = [
    row("3001", "Zoë Müller", skus=("RP-FALLEN",)),
    row("#1043", "Ñuño Peña", OrderStatus.CHECKED, ("RP-FALLEN", "FLAG-CA")),
    row("5002", 'Sam "Doc" Riley', OrderStatus.SHIPPED, ("WING-L",)),
]

INDEX = SearchIndex(ROWS)


def test_search_ignores_case_and_accents_both_ways():
    assert OrderFilter(text="muller").apply(INDEX) == [0]
    assert OrderFilter(text="MÜLLER").apply(INDEX) == [0]
    assert OrderFilter(text="nuno pena").apply(INDEX) == [1]


def test_every_word_must_match_and_skus_count():
    assert OrderFilter(text="rp-fallen").apply(INDEX) == [0, 1]
    assert OrderFilter(text="rp-fallen flag").apply(INDEX) == [1]
    assert OrderFilter(text="1043").apply(INDEX) == [1]


def test_status_and_text_together():
    assert OrderFilter(status=OrderStatus.CHECKED).apply(INDEX) == [1]
    assert OrderFilter(status=OrderStatus.NEW, text="fallen").apply(INDEX) == [0]
    assert OrderFilter(status=OrderStatus.SHIPPED, text="fallen").apply(INDEX) == []
    assert OrderFilter().apply(INDEX) == [0, 1, 2]


def test_typing_on_narrows_the_previous_result_and_gives_the_same_answer():
    broad, narrow = OrderFilter(text="rp"), OrderFilter(text="rp-fallen flag")
    assert narrow.narrows(broad)
    assert not broad.narrows(narrow)
    assert not OrderFilter(status=OrderStatus.NEW).narrows(OrderFilter(status=OrderStatus.CHECKED))
    assert OrderFilter(status=OrderStatus.NEW, text="x").narrows(OrderFilter(text=""))
    within = broad.apply(INDEX)
    assert narrow.apply(INDEX, within) == narrow.apply(INDEX) == [1]
