"""The check screen driven as at the packing bench: scanner keystrokes + Enter, +1 keys, clicks.

Every test asserts what the screen shows (counters, colours, messages, buttons) and what the
database holds (counts, status, events).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton
from shop_orders import add_order
from sqlalchemy import select

from shopdesk.checking import CheckedElsewhere, check_holder, start_check
from shopdesk.db.database import Database
from shopdesk.db.models import Event, Order, OrderStatus, Product
from shopdesk.orders.drafts import LineDraft
from shopdesk.ui.check_panel import SkipReasonDialog
from shopdesk.ui.order_table_model import NUMBER, STATUS

RED_ROSE = "0614141000012"
PINK_ROSE = "0614141000029"
CANADA = "0614141000036"
GREEN, RED, ORANGE = QColor("#16a34a"), QColor("#dc2626"), QColor("#ea580c")


@pytest.fixture
def shop(db, tmp_path):
    """Order #1041 (2 red roses, 3 name tags without barcode, 1 Canada flag) and order #1042."""
    picture = tmp_path / "rose.png"
    image = QImage(200, 160, QImage.Format.Format_RGB32)
    image.fill(QColor("#b91c1c"))
    image.save(str(picture))
    with db.unit_of_work() as uow:
        uow.session.add_all(
            [
                Product(sku="ROSE-RED", title="Red Rose Patch", barcode=RED_ROSE, picture_path=str(picture)),
                Product(sku="ROSE-PNK", title="Pink Rose Patch", barcode=PINK_ROSE),
                Product(sku="NAME-TAG", title="Custom Name Tag Patch"),
                Product(sku="FLAG-CA", title="Canada Flag Patch", barcode=CANADA),
            ]
        )
        uow.commit()
    add_order(
        db,
        "#1041",
        [
            LineDraft("ROSE-RED", "Red Rose Patch", 2, "Backing: Iron-on"),
            LineDraft(
                "NAME-TAG",
                "Custom Name Tag Patch",
                3,
                'Color: Black\nPersonalization: RIDER "Doc"\nEst. 1987',
            ),
            LineDraft("FLAG-CA", "Canada Flag Patch", 1),
        ],
    )
    add_order(db, "#1042", [LineDraft("FLAG-CA", "Canada Flag Patch", 1)])
    return db


def order_id_of(db, number: str) -> int:
    with db.reading() as session:
        return session.scalar(select(Order.id).where(Order.number == number))


def saved(db, number: str) -> tuple[OrderStatus, list[int]]:
    with db.reading() as session:
        order = session.scalar(select(Order).where(Order.number == number))
        return order.status, [line.counted for line in order.lines]


def event_kinds(db, number: str) -> list[str]:
    with db.reading() as session:
        return list(
            session.scalars(select(Event.kind).join(Order).where(Order.number == number).order_by(Event.id))
        )


def open_check(qtbot, window, number: str):
    """Select the order in the list and press Enter, as the packer does."""
    assert window.select_order(order_id_of(window.controller.db, number))
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.waitUntil(window.is_checking)
    panel = window.check.panel
    qtbot.waitUntil(panel.scan_input.hasFocus)
    return panel


def scan(qtbot, panel, code: str) -> None:
    """What a USB scanner does: type the code, then Enter."""
    qtbot.keyClicks(panel.scan_input, code)
    qtbot.keyClick(panel.scan_input, Qt.Key.Key_Return)


def counters(panel) -> list[str]:
    return [card.findChild(QLabel, "lineCounter").text() for card in panel.cards]


def background(widget, x: int = 6) -> QColor:
    """The colour actually painted at the left edge of ``widget``, halfway down."""
    return widget.grab().toImage().pixelColor(x, widget.height() // 2)


def test_a_clean_check_of_a_multi_line_order_counts_every_unit(qtbot, make_window, shop):
    window = make_window(shop)
    panel = open_check(qtbot, window, "#1041")
    assert panel.findChild(QLabel, "checkOrderNumber").text() == "Order #1041"
    assert panel.findChild(QLabel, "checkRecipient").text() == "Zoë Müller"
    assert counters(panel) == ["0 / 2", "0 / 3", "0 / 1"]
    name_tag = panel.findChild(type(panel.card(2)), "checkLine_2")
    variation = name_tag.findChild(QLabel, "checkLineVariation").text()
    assert "Personalization: RIDER &quot;Doc&quot;<br>Est. 1987" in variation
    assert panel.card(1).findChild(QLabel, "checkLinePicture") is not None
    assert panel.card(3).findChild(QLabel, "checkLinePicture") is None
    assert panel.card(1).findChild(QPushButton, "plusOneButton") is None  # it has a barcode: scan it

    scan(qtbot, panel, RED_ROSE)
    assert counters(panel) == ["1 / 2", "0 / 3", "0 / 1"]
    assert panel.message.property("outcome") == "counted"
    assert panel.message.text() == "Counted Red Rose Patch: 1 of 2."
    assert background(panel.message) == GREEN
    assert panel.card(1).property("state") == "partial"
    assert saved(shop, "#1041") == (OrderStatus.NEW, [1, 0, 0])

    scan(qtbot, panel, "rose-red")  # the SKU typed by hand counts the same
    for _ in range(3):
        qtbot.keyClick(panel.scan_input, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # +1 on line 2
    assert counters(panel) == ["2 / 2", "3 / 3", "0 / 1"]
    assert saved(shop, "#1041") == (OrderStatus.NEW, [2, 3, 0])
    assert not panel.print_button.isEnabled()
    assert panel.print_button.text() == "Print packing slip — 5 of 6 items checked"

    scan(qtbot, panel, CANADA)
    assert counters(panel) == ["2 / 2", "3 / 3", "1 / 1"]
    assert [panel.card(n).property("state") for n in (1, 2, 3)] == ["done"] * 3
    assert panel.property("complete") is True
    assert background(panel, x=2) == QColor("#86efac")  # the whole screen is green
    assert panel.message.property("outcome") == "complete"
    assert panel.message.text() == "All 6 items checked — print the packing slip."
    assert panel.findChild(QLabel, "checkProgress").text() == "6 / 6"
    assert panel.print_button.isEnabled() and panel.print_button.text() == "Print packing slip"
    assert window.check.sounds.played == ["counted", "counted", "counted", "counted", "counted", "complete"]

    assert saved(shop, "#1041") == (OrderStatus.CHECKED, [2, 3, 1])
    with shop.reading() as session:
        checked = session.scalars(select(Event).where(Event.kind == "status")).all()[-1]
        assert checked.details["new"] == "checked"
        assert [(ln["sku"], ln["counted"], ln["by_hand"]) for ln in checked.details["lines"]] == [
            ("ROSE-RED", 2, 0),
            ("NAME-TAG", 3, 3),
            ("FLAG-CA", 1, 0),
        ]

    with qtbot.waitSignal(window.print_slip_requested) as printed:
        qtbot.mouseClick(panel.print_button, Qt.MouseButton.LeftButton)
    assert printed.args == [order_id_of(shop, "#1041")]
    assert panel.scan_input.hasFocus()


def test_a_wrong_item_is_refused_in_red_and_counted_nowhere(qtbot, make_window, shop):
    window = make_window(shop)
    panel = open_check(qtbot, window, "#1041")
    scan(qtbot, panel, RED_ROSE)
    scan(qtbot, panel, PINK_ROSE)
    assert panel.message.property("outcome") == "wrong_item"
    assert background(panel.message) == RED
    text = panel.message.text()
    assert text.startswith("Wrong item: Pink Rose Patch (ROSE-PNK) — not in this order.")
    assert (
        "Red Rose Patch (ROSE-RED) ×2, Custom Name Tag Patch (NAME-TAG) ×3, Canada Flag Patch (FLAG-CA) ×1"
        in text
    )
    assert counters(panel) == ["1 / 2", "0 / 3", "0 / 1"]
    assert window.check.sounds.played[-1] == "wrong_item"
    assert panel.scan_input.text() == "" and panel.scan_input.hasFocus()
    assert saved(shop, "#1041") == (OrderStatus.NEW, [1, 0, 0])
    assert event_kinds(shop, "#1041")[-1] == "check_wrong_item"


def test_one_too_many_is_refused_in_orange(qtbot, make_window, shop):
    window = make_window(shop)
    panel = open_check(qtbot, window, "#1041")
    scan(qtbot, panel, CANADA)
    scan(qtbot, panel, " 0614141000036 ")
    assert panel.message.property("outcome") == "over"
    assert background(panel.message) == ORANGE
    assert panel.message.text().startswith("Line complete: 1 of 1 Canada Flag Patch (FLAG-CA).")
    assert counters(panel) == ["0 / 2", "0 / 3", "1 / 1"]
    assert window.check.sounds.played == ["counted", "over"]
    assert saved(shop, "#1041") == (OrderStatus.NEW, [0, 0, 1])
    assert event_kinds(shop, "#1041")[-1] == "check_over"

    plus_one = panel.card(2).findChild(QPushButton, "plusOneButton")
    for _ in range(3):
        qtbot.mouseClick(plus_one, Qt.MouseButton.LeftButton)
    assert not plus_one.isEnabled()  # a complete line takes no more
    qtbot.keyClick(panel.scan_input, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert panel.message.text().startswith("Line complete: 3 of 3 Custom Name Tag Patch")
    assert saved(shop, "#1041") == (OrderStatus.NEW, [0, 3, 1])
    assert panel.scan_input.hasFocus()


def test_a_check_resumes_at_the_same_counts_after_closing_the_window(qtbot, make_window, shop):
    window = make_window(shop)
    panel = open_check(qtbot, window, "#1041")
    scan(qtbot, panel, RED_ROSE)
    qtbot.mouseClick(panel.card(2).findChild(QPushButton, "plusOneButton"), Qt.MouseButton.LeftButton)
    window.close()

    again = make_window(shop)
    panel = open_check(qtbot, again, "#1041")
    assert counters(panel) == ["1 / 2", "1 / 3", "0 / 1"]
    assert panel.message.text() == "Carrying on where you left off: 2 of 6 items checked."
    assert panel.findChild(QLabel, "checkProgress").text() == "2 / 6"
    assert not panel.print_button.isEnabled()
    scan(qtbot, panel, RED_ROSE)
    assert counters(panel) == ["2 / 2", "1 / 3", "0 / 1"]
    assert saved(shop, "#1041") == (OrderStatus.NEW, [2, 1, 0])


def test_the_print_button_stays_disabled_and_says_why_until_complete(qtbot, make_window, shop):
    window = make_window(shop)
    panel = open_check(qtbot, window, "#1042")
    assert not panel.print_button.isEnabled()
    assert panel.print_button.text() == "Print packing slip — 0 of 1 item checked"
    with qtbot.assertNotEmitted(window.print_slip_requested):
        qtbot.mouseClick(panel.print_button, Qt.MouseButton.LeftButton)
    scan(qtbot, panel, "FLAG-CA")
    assert panel.print_button.isEnabled()
    assert saved(shop, "#1042") == (OrderStatus.CHECKED, [1])


def test_packing_without_checking_needs_a_reason_and_records_it(qtbot, make_window, shop):
    window = make_window(shop)
    panel = open_check(qtbot, window, "#1041")
    scan(qtbot, panel, RED_ROSE)
    qtbot.mouseClick(panel.skip_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.findChild(SkipReasonDialog) is not None)
    dialog = panel.findChild(SkipReasonDialog)
    qtbot.waitUntil(dialog.isVisible)
    confirm = dialog.findChild(QPushButton, "skipConfirmButton")
    assert not confirm.isEnabled()
    qtbot.keyClicks(dialog.reason, "   ")
    assert not confirm.isEnabled()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # Enter does not get past a blank reason
    assert dialog.isVisible()
    assert saved(shop, "#1041") == (OrderStatus.NEW, [1, 0, 0])

    dialog.reason.clear()
    qtbot.keyClicks(dialog.reason, "Scanner broken, counted twice by eye")
    assert confirm.isEnabled()
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    assert panel.findChild(QLabel, "checkSkipNote").text() == (
        "Packed without checking: Scanner broken, counted twice by eye"
    )
    assert panel.message.property("outcome") == "over"
    assert panel.message.text().startswith("Not checked — packed without checking")
    assert panel.print_button.isEnabled()
    assert not panel.skip_button.isEnabled()
    qtbot.waitUntil(panel.scan_input.hasFocus)
    with shop.reading() as session:
        order = session.scalar(select(Order).where(Order.number == "#1041"))
        assert order.check_skip_reason == "Scanner broken, counted twice by eye"
        assert order.status == OrderStatus.NEW
    assert event_kinds(shop, "#1041")[-1] == "check_skipped"


def test_start_over_asks_first_then_sets_every_count_to_zero(qtbot, make_window, shop):
    window = make_window(shop)
    panel = open_check(qtbot, window, "#1042")
    scan(qtbot, panel, CANADA)
    assert saved(shop, "#1042") == (OrderStatus.CHECKED, [1])

    qtbot.mouseClick(panel.start_over_button, Qt.MouseButton.LeftButton)
    box = panel.findChild(QMessageBox, "startOverConfirm")
    qtbot.waitUntil(box.isVisible)
    qtbot.mouseClick(box.findChild(QPushButton, "confirmNo"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible())
    assert saved(shop, "#1042") == (OrderStatus.CHECKED, [1])

    qtbot.mouseClick(panel.start_over_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.findChild(QMessageBox, "startOverConfirm") not in (None, box))
    box = panel.findChild(QMessageBox, "startOverConfirm")
    qtbot.waitUntil(box.isVisible)
    qtbot.mouseClick(box.findChild(QPushButton, "confirmYes"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: counters(panel) == ["0 / 1"])
    assert panel.property("complete") is False
    assert not panel.print_button.isEnabled()
    assert saved(shop, "#1042") == (OrderStatus.NEW, [0])
    assert event_kinds(shop, "#1042")[-1] == "check_start_over"
    qtbot.waitUntil(panel.scan_input.hasFocus)


def test_scanning_another_orders_slip_asks_before_leaving_an_unfinished_check(qtbot, make_window, shop):
    window = make_window(shop)
    panel = open_check(qtbot, window, "#1041")
    scan(qtbot, panel, RED_ROSE)
    scan(qtbot, panel, "#1042")
    box = panel.findChild(QMessageBox, "switchOrderConfirm")
    qtbot.waitUntil(box.isVisible)
    assert "Order #1041 is not finished: 1 of 6 items checked" in box.text()
    qtbot.mouseClick(box.findChild(QPushButton, "confirmNo"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible())
    assert panel.state.number == "#1041"

    scan(qtbot, panel, "1042")
    qtbot.waitUntil(lambda: panel.findChild(QMessageBox, "switchOrderConfirm") not in (None, box))
    box = panel.findChild(QMessageBox, "switchOrderConfirm")
    qtbot.waitUntil(box.isVisible)
    qtbot.mouseClick(box.findChild(QPushButton, "confirmYes"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state.number == "#1042")
    assert panel.findChild(QLabel, "checkOrderNumber").text() == "Order #1042"
    assert counters(panel) == ["0 / 1"]
    assert saved(shop, "#1041") == (OrderStatus.NEW, [1, 0, 0])  # nothing lost

    # Nothing counted yet on #1042: a slip scan switches straight away.
    scan(qtbot, panel, "#1041")
    assert panel.state.number == "#1041"
    assert counters(panel) == ["1 / 2", "0 / 3", "0 / 1"]


def test_esc_goes_back_to_the_list_which_shows_the_new_status(qtbot, make_window, shop):
    window = make_window(shop)
    panel = open_check(qtbot, window, "#1042")
    scan(qtbot, panel, CANADA)
    qtbot.keyClicks(panel.scan_input, "half a co")
    qtbot.keyClick(panel.scan_input, Qt.Key.Key_Escape)  # first Esc clears what was typed
    assert window.is_checking() and panel.scan_input.text() == ""
    qtbot.keyClick(panel.scan_input, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.is_checking())
    row = window.table.currentIndex().row()
    assert window.model.index(row, NUMBER).data() == "#1042"
    assert window.model.index(row, STATUS).data() == "Checked"
    assert window.table.hasFocus()


def test_a_finished_check_updates_its_row_and_the_counts_without_reading_the_whole_shop(
    qtbot, make_window, shop, monkeypatch
):
    window = make_window(shop)
    checked_button = window.filter_buttons[OrderStatus.CHECKED]
    assert checked_button.text().endswith("  0")

    read = window.controller.rows_and_counts

    def only_changed_orders(newest=None, ids=None):
        if ids is None:
            raise AssertionError("the whole list was read again for one order")
        return read(newest, ids)

    monkeypatch.setattr(window.controller, "rows_and_counts", only_changed_orders)
    panel = open_check(qtbot, window, "#1042")
    scan(qtbot, panel, CANADA)
    qtbot.keyClick(panel.scan_input, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.is_checking())
    row = window.table.currentIndex().row()
    assert window.model.index(row, NUMBER).data() == "#1042"
    assert window.model.index(row, STATUS).data() == "Checked"
    assert checked_button.text().endswith("  1")
    assert window.model.total_count() == 2
    assert saved(shop, "#1042")[0] == OrderStatus.CHECKED


def test_a_packing_slip_scanned_into_the_list_opens_that_orders_check(qtbot, make_window, shop):
    window = make_window(shop)
    window.table.setFocus()
    window.select_order(order_id_of(shop, "#1042"))  # another order is selected
    # "1041" without its "#": the table's own type-ahead finds no row, so only the slip scan opens it.
    qtbot.keyClicks(window.table, "1041")
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.waitUntil(window.is_checking)
    assert window.check.panel.state.number == "#1041"
    qtbot.waitUntil(window.check.panel.scan_input.hasFocus)

    qtbot.keyClick(window.check.panel.scan_input, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.is_checking())
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "1042")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(window.is_checking)
    assert window.check.panel.state.number == "#1042"
    assert window.search_box.text() == ""


def test_typing_in_the_list_that_is_no_order_number_keeps_the_usual_enter(qtbot, make_window, shop):
    window = make_window(shop)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    selected = window.selected_order_id()
    qtbot.keyClicks(window.table, "ROSE-RED")  # an item code is never taken for an order
    with qtbot.waitSignal(window.check_requested) as opened:
        qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert opened.args == [selected]


def test_an_order_checked_at_another_station_is_refused_until_taken_over(qtbot, make_window, shop, db_path):
    other = Database.open(db_path)
    other.station = "bench-2"
    start_check(other, order_id_of(shop, "#1041"))
    since = check_holder_of(shop, "#1041").since.astimezone().strftime("%H:%M")
    window = make_window(shop)
    panel = open_check(qtbot, window, "#1041")
    take_over = panel.findChild(QPushButton, "takeOverButton")
    assert take_over.isVisible()
    assert panel.message.text().startswith(f"Order #1041 is being checked at bench-2 since {since}.")
    scan(qtbot, panel, RED_ROSE)
    assert saved(shop, "#1041") == (OrderStatus.NEW, [0, 0, 0])
    assert "being checked at bench-2" in panel.message.text()

    qtbot.mouseClick(take_over, Qt.MouseButton.LeftButton)
    assert not take_over.isVisible()
    assert "took over this check from bench-2" in panel.message.text()
    scan(qtbot, panel, RED_ROSE)
    assert saved(shop, "#1041") == (OrderStatus.NEW, [1, 0, 0])
    assert check_holder_of(shop, "#1041").station == shop.station
    assert "check_taken_over" in event_kinds(shop, "#1041")
    # The other station is now the one refused.
    with pytest.raises(CheckedElsewhere, match=f"being checked at {shop.station}"):
        start_check(other, order_id_of(shop, "#1041"))

    # Back to the list: the check is let go, and the other station may start at once.
    qtbot.keyClick(panel.scan_input, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.is_checking())
    assert check_holder_of(shop, "#1041") is None
    start_check(other, order_id_of(shop, "#1041"))
    other.dispose()


def check_holder_of(db, number: str):
    with db.reading() as session:
        return check_holder(session, order_id_of(db, number))
