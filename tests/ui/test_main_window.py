"""The order list driven as the owner drives it: clicks, typing, arrow keys, Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QToolButton
from sqlalchemy import func, select

from shopdesk.db.models import Order, OrderLine, OrderStatus
from shopdesk.orders.queries import order_rows
from shopdesk.ui.order_table_model import CUSTOMER, NUMBER, STATUS, OrderTableModel


def visible_numbers(window) -> list[str]:
    model = window.model
    return [model.index(row, NUMBER).data() for row in range(model.rowCount())]


def test_the_table_model_passes_qt_model_checks(qtmodeltester, demo_db):
    model = OrderTableModel()
    with demo_db.reading() as session:
        model.set_rows(order_rows(session))
    qtmodeltester.check(model)
    assert model.rowCount() == 40


def test_an_empty_database_offers_demo_data_and_loads_it(qtbot, make_window, db):
    window = make_window(db)
    assert window.pages.currentWidget().objectName() == "emptyState"
    assert window.findChild(QPushButton, "importButton").isVisible()
    qtbot.mouseClick(window.findChild(QPushButton, "loadDemoButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 40, timeout=10_000)
    assert window.pages.currentWidget() is window.splitter
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Order)) == 40


def test_status_filter_shows_live_counts_and_only_that_status(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    with demo_db.reading() as session:
        checked = session.scalars(select(Order.number).where(Order.status == OrderStatus.CHECKED)).all()
    button = window.findChild(QToolButton, "filter_checked")
    assert button.text() == f"Checked  {len(checked)}"
    assert window.findChild(QToolButton, "filter_all").text() == "All  40"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert sorted(visible_numbers(window)) == sorted(checked)
    statuses = {window.model.index(r, STATUS).data() for r in range(window.model.rowCount())}
    assert statuses == {"Checked"}
    assert f"{len(checked)} of 40 orders shown" in window.summary_label.text()


def test_search_by_customer_and_by_sku_with_ctrl_f(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.hasFocus()
    qtbot.keyClicks(window.search_box, "Muller")  # no umlaut needed
    customers = {window.model.index(r, CUSTOMER).data() for r in range(window.model.rowCount())}
    assert customers == {"Zoë Müller"}

    window.search_box.clear()
    qtbot.keyClicks(window.search_box, "rose-pnk")
    shown = set(visible_numbers(window))
    with demo_db.reading() as session:
        expected = set(
            session.scalars(select(Order.number).join(OrderLine).where(OrderLine.sku == "ROSE-PNK")).all()
        )
    assert shown == expected and shown

    window.search_box.clear()
    qtbot.keyClicks(window.search_box, "no such order anywhere")
    assert window.model.rowCount() == 0


def test_arrow_keys_select_and_the_detail_shows_quantities_large(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    number = window.model.index(window.table.currentIndex().row(), NUMBER).data()
    assert window.detail.findChild(QLabel, "detailNumber").text() == number
    with demo_db.reading() as session:
        quantities = session.scalars(
            select(OrderLine.quantity).join(Order).where(Order.number == number).order_by(OrderLine.position)
        ).all()
    labels = [label.text() for label in window.detail.findChildren(QLabel, "lineQuantity")]
    assert labels == [f"×{q}" if q > 1 else "1" for q in quantities]
    many = [label.property("many") for label in window.detail.findChildren(QLabel, "lineQuantity")]
    assert many == [q > 1 for q in quantities]


def test_enter_on_an_order_asks_for_its_check(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    selected = window.selected_order_id()
    with qtbot.waitSignal(window.check_requested) as blocker:
        qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert blocker.args == [selected]


def test_clicking_a_header_sorts_and_keeps_the_selection(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    window.table.selectRow(3)
    selected = window.selected_order_id()
    header = window.table.horizontalHeader()
    x = header.sectionViewportPosition(CUSTOMER) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=header.rect().center().__class__(x, 5))
    names = [window.model.index(r, CUSTOMER).data() for r in range(window.model.rowCount())]
    assert names in (sorted(names, key=str.casefold), sorted(names, key=str.casefold, reverse=True))
    assert window.selected_order_id() == selected


def test_window_size_and_splitter_are_remembered(qtbot, make_window, demo_db, settings):
    window = make_window(demo_db)
    window.resize(1210, 700)
    window.splitter.setSizes([600, 380])
    window.close()
    again = make_window(demo_db)
    assert (again.width(), again.height()) == (1210, 700)
    assert abs(again.splitter.sizes()[0] - window.splitter.sizes()[0]) <= 2


def test_titles_with_ampersands_and_quotes_show_as_written(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    qtbot.keyClicks(window.search_box, "SKULL-BLK")
    window.table.selectRow(0)
    titles = [label.text() for label in window.detail.findChildren(QLabel, "lineTitle")]
    assert "Skull & Pistons Patch" in titles
