"""Importing as the owner does it: File → Import, a dropped file, the inbox folder, a column mapping,
an order typed in by hand — checking the screen and the database each time."""

from __future__ import annotations

import shutil
from contextlib import contextmanager

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QPushButton, QTableView
from sqlalchemy import func, select

from shopdesk.db.models import Order, OrderChange, OrderStatus
from shopdesk.ui.order_table_model import NUMBER

SAMPLES = __import__("pathlib").Path(__file__).parents[1] / "fixtures" / "samples"


def numbers_in_list(window) -> set[str]:
    return {window.model.index(row, NUMBER).data() for row in range(window.model.rowCount())}


def order_count(db) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(Order))


def run_import(qtbot, window, paths, **kwargs):
    with imported(qtbot, window) as done:
        window.importing.import_paths(paths, **kwargs)
    return done.args[0]


@contextmanager
def imported(qtbot, window):
    """Waits for the import to finish and the list, read again in the background, to show it."""
    with (
        qtbot.waitSignal(window.list_loaded, timeout=20_000),
        qtbot.waitSignal(window.importing.finished, timeout=20_000) as done,
    ):
        yield done


def test_importing_an_export_fills_the_list_and_says_what_came_in(qtbot, make_window, db):
    window = make_window(db)
    shown = []
    window.importing.summary_shown.connect(shown.append)
    results = run_import(qtbot, window, [SAMPLES / "shopify" / "orders_export_1.csv"])
    assert [r.new for r in results] == [8]
    assert {"#1041", "#1044", "#1048"} <= numbers_in_list(window)
    assert window.pages.currentWidget() is window.splitter
    summary = shown[0]
    qtbot.addWidget(summary)
    assert "8 new" in summary.findChild(QLabel, "importSummaryText").text()
    assert order_count(db) == 8

    again = run_import(qtbot, window, [SAMPLES / "shopify" / "orders_export_1.csv"])
    assert (again[0].new, again[0].unchanged) == (0, 8)
    assert order_count(db) == 8


def test_a_bad_file_is_refused_whole_with_line_and_column(qtbot, make_window, db):
    window = make_window(db)
    shown = []
    window.importing.summary_shown.connect(shown.append)
    run_import(qtbot, window, [SAMPLES / "broken" / "etsy_items_bad_quantity.csv"])
    summary = shown[0]
    qtbot.addWidget(summary)
    assert "refused" in summary.findChild(QLabel, "importSummaryText").text()
    problems = summary.findChild(QTableView, "importProblems").model()
    rows = [[problems.index(r, c).data() for c in range(5)] for r in range(problems.rowCount())]
    assert ["etsy_items_bad_quantity.csv", "3", "Quantity", "two"] in [row[:4] for row in rows]
    assert any(row[1] == "4" and row[3] == "-1" for row in rows)
    assert order_count(db) == 0
    assert window.pages.currentWidget().objectName() == "emptyState"


def test_an_unknown_layout_is_mapped_once_then_imports(qtbot, make_window, db, tmp_path):
    fair = tmp_path / "craft-fair.csv"
    fair.write_text(
        "Invoice,Buyer,Street,Town,Zip,Land,Patch,How many\n"
        "F-1,Jo Birch,1 Oak Rd,Leeds,LS1 4AP,United Kingdom,ROSE-RED,2\n"
        "F-1,Jo Birch,1 Oak Rd,Leeds,LS1 4AP,United Kingdom,FLAG-CA,1\n"
        "F-2,Al Moss,9 Elm St,York,YO1 7HH,United Kingdom,WING-S,3\n",
        encoding="utf-8",
    )
    window = make_window(db)
    summaries, mappings = [], []
    window.importing.summary_shown.connect(summaries.append)
    window.importing.mapping_dialog_shown.connect(mappings.append)
    run_import(qtbot, window, [fair])
    summary = summaries[0]
    qtbot.addWidget(summary)
    with qtbot.waitSignal(window.importing.mapping_dialog_shown):  # the file is read in the background
        qtbot.mouseClick(summary.findChild(QPushButton, "mapColumnsButton"), Qt.MouseButton.LeftButton)
    dialog = mappings[0]
    qtbot.addWidget(dialog)
    save = dialog.findChild(QPushButton, "saveMappingButton")
    assert not save.isEnabled()
    assert "Ship to: name" in dialog.findChild(QLabel, "mappingProblems").text()
    for field, column in {
        "number": "Invoice",
        "ship_name": "Buyer",
        "ship_address1": "Street",
        "ship_city": "Town",
        "ship_postcode": "Zip",
        "ship_country": "Land",
        "sku": "Patch",
        "quantity": "How many",
    }.items():
        combo = dialog.findChild(QComboBox, f"map_{field}")
        combo.setCurrentIndex(combo.findText(column))
    source = dialog.findChild(QLineEdit, "mappingSource")
    source.clear()
    qtbot.keyClicks(source, "craftfair")
    assert save.isEnabled()
    with imported(qtbot, window):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    with db.reading() as session:
        orders = {o.number: o for o in session.scalars(select(Order).where(Order.source == "craftfair"))}
        assert sorted(orders) == ["F-1", "F-2"]
        assert sorted((line.sku, line.quantity) for line in orders["F-1"].lines) == [
            ("FLAG-CA", 1),
            ("ROSE-RED", 2),
        ]
    assert {"F-1", "F-2"} <= numbers_in_list(window)


def test_dropping_files_on_the_window_imports_them(qtbot, make_window, db):
    window = make_window(db)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(SAMPLES / "woocommerce" / "orders-export-one-row-per-item.csv"))])
    where, action = QPointF(20, 20), Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    # A drop is delivered only after the drag entered and was accepted, as with a real mouse.
    enter = QDragEnterEvent(where, action, mime, buttons, keys)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    with imported(qtbot, window):
        QApplication.sendEvent(window, QDropEvent(where, action, mime, buttons, keys))
    assert {"5001", "5004"} <= numbers_in_list(window)


def test_the_inbox_folder_imports_new_exports_by_itself(qtbot, make_window, db, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    window = make_window(db)
    window.inbox.set_folder(inbox)
    with imported(qtbot, window):
        shutil.copy(SAMPLES / "squarespace" / "orders.csv", inbox / "orders.csv")
    assert {"201", "204"} <= numbers_in_list(window)
    assert order_count(db) == 4


def test_an_order_typed_in_by_hand(qtbot, make_window, db):
    window = make_window(db)
    dialog = window.new_order()
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLineEdit, "order_number").text() == "M-001"
    qtbot.mouseClick(dialog.findChild(QPushButton, "saveOrderButton"), Qt.MouseButton.LeftButton)
    assert "Give the name to ship to" in dialog.findChild(QLabel, "orderProblems").text()
    for name, text in {
        "customer_name": "Jo Birch",
        "ship_address1": "1 Oak Road",
        "ship_city": "Leeds",
        "ship_postcode": "LS1 4AP",
        "ship_country": "United Kingdom",
    }.items():
        qtbot.keyClicks(dialog.findChild(QLineEdit, f"order_{name}"), text)
    assert dialog.findChild(QLineEdit, "order_ship_name").text() == "Jo Birch"
    lines = dialog.lines
    lines.setData(lines.index(0, 0), "rose-red")
    lines.setData(lines.index(0, 2), "2")
    with qtbot.waitSignal(dialog.order_added) as added:
        qtbot.mouseClick(dialog.findChild(QPushButton, "saveOrderButton"), Qt.MouseButton.LeftButton)
    with db.reading() as session:
        order = session.get(Order, added.args[0])
        assert (order.source, order.number, order.ship_city) == ("manual", "M-001", "Leeds")
        assert [(line.sku, line.quantity) for line in order.lines] == [("ROSE-RED", 2)]
    assert window.selected_order_id() == added.args[0]


def test_a_platform_change_to_a_checked_order_waits_for_the_owner(qtbot, make_window, db, tmp_path):
    window = make_window(db)
    original = SAMPLES / "shopify" / "orders_export_1.csv"
    run_import(qtbot, window, [original])
    with db.unit_of_work() as uow:
        order = uow.session.scalar(select(Order).where(Order.number == "#1048"))
        order.status = OrderStatus.SHIPPED
        uow.commit()
    moved = tmp_path / "orders_export_1.csv"
    moved.write_text(
        original.read_text(encoding="utf-8").replace("220 rue Principale", "18 rue Saint-Jean"),
        encoding="utf-8",
    )
    run_import(qtbot, window, [moved], quiet=True)
    window.search_box.setText("1048")
    window.table.selectRow(0)
    accept = window.detail.findChild(QPushButton, "acceptChangeButton")
    assert accept is not None
    assert "18 rue Saint-Jean" in window.detail.findChild(QLabel, "pendingChangeText").text()
    with db.reading() as session:
        assert (
            session.scalar(select(Order.ship_address1).where(Order.number == "#1048")) == "220 rue Principale"
        )
    qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)
    with db.reading() as session:
        assert (
            session.scalar(select(Order.ship_address1).where(Order.number == "#1048")) == "18 rue Saint-Jean"
        )
        assert session.scalar(select(OrderChange.state)) == "accepted"
    assert window.detail.findChild(QPushButton, "acceptChangeButton") is None
