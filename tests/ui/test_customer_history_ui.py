"""What earlier mistakes teach, on screen: the detail pane's customer history and corrections, and
the check screen's "had a problem last time" note and look-alike warnings."""

from __future__ import annotations

from datetime import UTC, datetime

from correction_shop import NOW, draft
from PySide6.QtWidgets import QLabel

from shopdesk.corrections.service import CorrectionRequest, OwedLine, apologise_and_reship
from shopdesk.db.models import OrderStatus
from shopdesk.orders.intake import create_order


def next_order_of_maya(db) -> int:
    with db.unit_of_work() as uow:
        order = create_order(
            uow.session,
            draft(
                "shopify",
                "#1200",
                [("ROSE-RED", "Red Rose patch", 1, ""), ("OWL", "Owl patch", 1, "")],
                status=OrderStatus.NEW,
                email="Maya@Example.com",
                placed_at=datetime(2026, 4, 1, tzinfo=UTC),
            ),
        )
        uow.session.flush()
        order_id = order.id
        uow.commit()
    return order_id


def history_text(window) -> str:
    return " ".join(label.text() for label in window.detail.customer_history.findChildren(QLabel))


def test_the_next_order_of_a_customer_with_a_problem_says_take_extra_care(qtbot, make_window, shop):
    apologise_and_reship(
        shop.db,
        CorrectionRequest(shop.ids["1041"], [OwedLine("ROSE-RED", 1, "wrong_item", "ROSE-PNK")]),
        now=NOW,
    )
    order_id = next_order_of_maya(shop.db)
    window = make_window(shop.db)

    window.select_order(shop.ids["1041"])
    qtbot.waitUntil(lambda: window.detail.customer_history.isVisible(), timeout=5000)
    text = history_text(window)
    assert (
        "Wrong item sent" in text
        and "replacement 1041-R1 (new)" in text
        and "RMA-1041-1 (not back yet)" in text
    )

    window.select_order(order_id)
    qtbot.waitUntil(lambda: "Had a problem before" in history_text(window), timeout=5000)
    assert "order #1041 (wrong item sent" in history_text(window)
    assert "#0999 · Shopify · shipped · 1 unit" in history_text(window)  # same name, same postcode

    window.check_requested.emit(order_id)
    panel = window.check.panel
    assert panel.care_note.isVisible()
    assert panel.care_note.text() == (
        "⚠  Had a problem last time — take extra care. Order #1041: wrong item sent, put right with 1041-R1."
    )
    warning = panel.card(1).findChild(QLabel, "checkLineWarning")
    assert warning.text() == "⚠  Mixed up before with Pink Rose patch (ROSE-PNK) — look twice"
    assert panel.card(2).findChild(QLabel, "checkLineWarning") is None


def test_a_customer_without_problems_gets_no_note(qtbot, make_window, shop):
    order_id = next_order_of_maya(shop.db)
    window = make_window(shop.db)
    window.check_requested.emit(order_id)
    assert not window.check.panel.care_note.isVisible()
    assert window.check.panel.card(1).findChild(QLabel, "checkLineWarning") is None
