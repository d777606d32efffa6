"""Printing as the owner does it: select, Ctrl+P, preview, Print — then the paper and the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from readback import decode_barcodes, page_sizes
from sqlalchemy import select

from shopdesk.db.models import Order, OrderStatus
from shopdesk.documents.paper import LETTER
from shopdesk.ui.pdf_preview import PdfPreviewDialog
from shopdesk.ui.pdf_printing import print_pdf


@pytest.fixture
def printer_to_file(monkeypatch, tmp_path):
    """The print dialog answered with a printer that writes a PDF file instead of paper."""
    target = tmp_path / "printed.pdf"

    def make_printer(_dialog):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return printer

    monkeypatch.setattr(PdfPreviewDialog, "make_printer", make_printer)
    monkeypatch.setattr(PdfPreviewDialog, "ask_printer", lambda _dialog, _printer: True)
    return target


def first_checked(db) -> tuple[int, str]:
    with db.reading() as session:
        return session.execute(
            select(Order.id, Order.number).where(Order.status == OrderStatus.CHECKED).order_by(Order.id)
        ).first()


def test_ctrl_p_previews_then_prints_the_slip_and_packs_the_order(
    qtbot, make_window, demo_db, printer_to_file
):
    window = make_window(demo_db)
    order_id, number = first_checked(demo_db)
    assert window.select_order(order_id)
    window.table.setFocus()
    with qtbot.waitSignal(window.printing.preview_opened, timeout=15_000) as opened:
        qtbot.keyClick(window.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview: PdfPreviewDialog = opened.args[0]
    qtbot.addWidget(preview)
    assert preview.page_count() == 1
    assert preview.warning.isHidden()  # nothing to warn about
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)

    printed = printer_to_file.read_bytes()
    ((width, height),) = page_sizes(printed)
    assert (round(width), round(height)) == (round(LETTER[0]), round(LETTER[1]))
    assert number.lstrip("#") in [code.lstrip("#") for code in decode_barcodes(printed, dpi=200)]
    with demo_db.reading() as session:
        assert session.get(Order, order_id).status == OrderStatus.PACKED
    qtbot.waitUntil(
        lambda: window.detail.detail is not None and window.detail.detail.status == OrderStatus.PACKED
    )


def test_a_name_no_font_can_print_is_pointed_out_before_printing(qtbot, make_window, demo_db):
    order_id, number = first_checked(demo_db)
    with demo_db.unit_of_work() as uow:
        uow.session.get(Order, order_id).ship_name = "𠮷田 Hana"  # U+20BB7: in no font we ship
        uow.commit()
    window = make_window(demo_db)
    assert window.select_order(order_id)
    window.table.setFocus()
    with qtbot.waitSignal(window.printing.preview_opened, timeout=15_000) as opened:
        qtbot.keyClick(window.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview: PdfPreviewDialog = opened.args[0]
    qtbot.addWidget(preview)
    assert not preview.warning.isHidden()
    said = preview.warning.text()
    assert said.startswith(f"Order #{number.lstrip('#')}: 𠮷 (U+20BB7) cannot be printed")
    assert "write it by hand" in said


def test_an_unchecked_order_is_refused_and_nothing_changes(qtbot, make_window, demo_db, monkeypatch):
    warnings = []
    monkeypatch.setattr(
        "shopdesk.ui.print_controller.QMessageBox.warning", lambda *args: warnings.append(args[2])
    )
    window = make_window(demo_db)
    with demo_db.reading() as session:
        order_id = session.scalar(select(Order.id).where(Order.status == OrderStatus.NEW))
    window.select_order(order_id)
    window.print_slip_action.trigger()
    qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
    assert "cannot be printed" in warnings[0]
    with demo_db.reading() as session:
        assert session.get(Order, order_id).status == OrderStatus.NEW


def test_print_pdf_keeps_a_4x6_label_at_4x6(qapp, tmp_path):
    from shopdesk.documents.data import Address, ReturnItem, ReturnLabelData, ShopProfile
    from shopdesk.documents.return_label import render_return_label

    profile = ShopProfile(name="Belt Drive Betty Patches", address_lines=("14 Harness Lane", "Sudbury ON"))
    label = render_return_label(
        ReturnLabelData(
            "RMA-1041-1", Address("Kristina Lund", "3 Fjord Way"), (ReturnItem("WING-S", "Wing", 1),), "#1041"
        ),
        profile,
        "label4x6",
    )
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "label.pdf"))
    assert print_pdf(label, printer) == 1
    out = (tmp_path / "label.pdf").read_bytes()
    ((width, height),) = page_sizes(out)
    assert (round(width / 72, 2), round(height / 72, 2)) == (4.0, 6.0)
    assert "RMA-1041-1" in decode_barcodes(out, dpi=250)
