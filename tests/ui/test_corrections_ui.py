"""Owning a mistake from the window, as the owner does it: select the order, Ctrl+E, say what went
wrong, one click on "Apologise and reship" — then the screen, the database and the mail received by
a real SMTP server on localhost."""

from __future__ import annotations

import pytest
from mailserver import PASSWORD, USER
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QComboBox, QDialog, QPushButton, QScrollArea, QSpinBox
from sqlalchemy import select

from shopdesk.db.models import Correction, CorrectionKind, MessageChannel, Order, OrderStatus, SentMessage
from shopdesk.mail.smtp import SmtpSettings, save_smtp_settings
from shopdesk.ui.correction_dialog import CorrectionDialog
from shopdesk.ui.pdf_preview import PdfPreviewDialog

SHOP_FROM = "shop@patches.example"


@pytest.fixture
def opened_urls(monkeypatch):
    """What the window asked the desktop to open (mail app, platform page), instead of opening it."""
    urls = []
    monkeypatch.setattr(
        "shopdesk.ui.correction_controller.QDesktopServices.openUrl", lambda url: urls.append(url.toString())
    )
    return urls


def set_up_mail(db, server) -> None:
    save_smtp_settings(db, SmtpSettings("127.0.0.1", server.port, USER, SHOP_FROM), PASSWORD)


def window_for(make_window, shop, server=None):
    window = make_window(shop.db)
    if server is not None:
        window.corrections.mail.ssl_context = server.client_context()
    return window


def open_correction(qtbot, window, order_id: int) -> CorrectionDialog:
    """Select the order in the list and press Ctrl+E, as the owner does."""
    assert window.select_order(order_id)
    window.table.setFocus()
    with qtbot.waitSignal(window.corrections.corrections.dialog_opened, timeout=5000) as opened:
        qtbot.keyClick(window.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog: CorrectionDialog = opened.args[0]
    qtbot.waitExposed(dialog)
    return dialog


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick an entry of a drop-down with the arrow keys, as from the keyboard."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText().startswith(text):
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"no {text!r} in {[combo.itemText(i) for i in range(combo.count())]}")


def set_units(qtbot, dialog: CorrectionDialog, row: int, units: int) -> None:
    spin = dialog.findChild(QSpinBox, f"owedUnits_{row}")
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, str(units))
    assert spin.value() == units


def click_in_form(qtbot, dialog: CorrectionDialog, widget) -> None:
    """Scroll the form to ``widget`` and click it."""
    dialog.findChild(QScrollArea, "correctionForm").ensureWidgetVisible(widget)
    # On the indicator: a radio button reacts to clicks on its circle and its words only.
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def type_sku(qtbot, dialog: CorrectionDialog, name: str, sku: str) -> None:
    combo = dialog.findChild(QComboBox, name)
    combo.lineEdit().setFocus()
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), sku)


def reship(qtbot, window, dialog: CorrectionDialog):
    """The one click; returns the result once the work off the GUI thread is done."""
    qtbot.waitUntil(dialog.reship_button.isEnabled, timeout=3000)
    with qtbot.waitSignal(window.corrections.corrections.correction_finished, timeout=30_000) as finished:
        qtbot.mouseClick(dialog.reship_button, Qt.MouseButton.LeftButton)
    assert not dialog.busy.isVisible() or dialog.pages.currentIndex() == 1
    return finished.args[0]


def load_correction(db, correction_id: int):
    with db.reading() as session:
        correction = session.get(Correction, correction_id)
        replacement = correction.replacement
        return {
            "kind": correction.kind,
            "cause": correction.cause.value,
            "rma": correction.rma,
            "keep": correction.keep_wrong_item,
            "what_we_will_change": correction.what_we_will_change,
            "lines": [(line.kind, line.sku, line.units, line.sent_sku) for line in correction.lines],
            "replacement": (
                replacement.number,
                replacement.source,
                replacement.status,
                replacement.parent_id,
                replacement.total_cents,
            ),
            "replacement_lines": [(line.sku, line.quantity) for line in replacement.lines],
            "replacement_address": replacement.ship_address1,
            "messages": [
                (m.kind, m.to_address, m.channel, m.sent_at is not None, m.attempts, m.error)
                for m in correction.messages
            ],
            "follow_ups": sorted(f.kind.value for f in correction.follow_ups),
        }


def assert_replacement_shown(qtbot, window, result) -> None:
    qtbot.waitUntil(lambda: window.selected_order_id() == result.replacement_id, timeout=5000)
    qtbot.waitUntil(
        lambda: window.detail.detail is not None and window.detail.detail.number == result.replacement_number
    )
    assert window.detail.detail.parent_number == result.original_number


# -- every kind, one click ---------------------------------------------------------------------


def test_missing_item_sent_by_smtp_in_one_click(qtbot, make_window, shop, running_smtp, memory_keyring):
    set_up_mail(shop.db, running_smtp)
    window = window_for(make_window, shop, running_smtp)
    dialog = open_correction(qtbot, window, shop.ids["1041"])
    assert dialog.findChild(QComboBox, "kindCombo").currentText() == "Missing item"
    assert dialog.email.text() == "maya@example.com"
    set_units(qtbot, dialog, 1, 2)
    choose(qtbot, dialog.cause, "Packing")
    qtbot.keyClicks(dialog.change, "Every parcel is weighed against the order now.")
    qtbot.waitUntil(lambda: "2 × Red Rose patch" in dialog.preview_body.toPlainText())
    assert "1041-R1" in dialog.preview_body.toPlainText()
    assert "Packing" not in dialog.preview_body.toPlainText()

    result = reship(qtbot, window, dialog)

    assert result.replacement_number == "1041-R1"
    assert dialog.result_title.text() == "✓ Replacement 1041-R1 is in your order list"
    assert "Sent to maya@example.com" in dialog.hand_over.status.text()
    assert not dialog.print_return_label.isVisible() and dialog.print_apology.isVisible()
    assert_replacement_shown(qtbot, window, result)

    saved = load_correction(shop.db, result.correction_id)
    assert saved["kind"] == CorrectionKind.MISSING and saved["cause"] == "packing"
    assert saved["lines"] == [("missing", "ROSE-RED", 2, None)]
    assert saved["replacement"] == ("1041-R1", "reship", OrderStatus.NEW, shop.ids["1041"], 0)
    assert saved["replacement_lines"] == [("ROSE-RED", 2)]
    assert saved["what_we_will_change"] == "Every parcel is weighed against the order now."
    assert saved["messages"] == [("reship_note", "maya@example.com", MessageChannel.SMTP, True, 1, None)]
    assert saved["follow_ups"] == ["follow_up"]

    (received,) = running_smtp.received
    assert received.rcpt_tos == ["maya@example.com"]
    assert received.message["Subject"] == "Your replacement for order #1041 is on its way"
    body = received.message.get_body(("plain",)).get_content()
    assert "2 × Red Rose patch" in body and "1041-R1" in body
    assert running_smtp.logins == [(USER, PASSWORD)]


def test_wrong_item_to_return_gets_its_label_printed_and_attached(
    qtbot,
    make_window,
    shop,
    running_smtp,
    memory_keyring,
):
    set_up_mail(shop.db, running_smtp)
    window = window_for(make_window, shop, running_smtp)
    dialog = open_correction(qtbot, window, shop.ids["1041"])
    choose(qtbot, dialog.kind, "Wrong i")
    assert dialog.return_box.isVisible() and dialog.ask_back.isChecked()
    set_units(qtbot, dialog, 1, 1)
    qtbot.waitUntil(lambda: "say which SKU was sent instead" in dialog.problem.text())
    assert not dialog.reship_button.isEnabled()
    type_sku(qtbot, dialog, "sentInstead_1", "ROSE-PNK")
    qtbot.waitUntil(lambda: "RMA-1041-1" in dialog.preview_body.toPlainText())

    result = reship(qtbot, window, dialog)

    assert result.rma == "RMA-1041-1"
    assert dialog.print_return_label.isVisible()
    assert dialog.print_return_label.text() == "Return label RMA-1041-1 — preview and print…"
    with qtbot.waitSignal(window.printing.preview_opened, timeout=10_000) as opened:
        qtbot.mouseClick(dialog.print_return_label, Qt.MouseButton.LeftButton)
    preview: PdfPreviewDialog = opened.args[0]
    qtbot.addWidget(preview)
    assert preview.windowTitle() == "Return label RMA-1041-1" and preview.page_count() == 1
    preview.reject()
    with qtbot.waitSignal(window.printing.preview_opened, timeout=10_000) as opened:
        qtbot.mouseClick(dialog.print_apology, Qt.MouseButton.LeftButton)
    qtbot.addWidget(opened.args[0])
    assert opened.args[0].windowTitle() == "Apology note — 1041-R1"
    opened.args[0].reject()

    saved = load_correction(shop.db, result.correction_id)
    assert saved["kind"] == CorrectionKind.WRONG_ITEM and saved["rma"] == "RMA-1041-1"
    assert saved["lines"] == [("wrong_item", "ROSE-RED", 1, "ROSE-PNK")]
    assert saved["replacement_lines"] == [("ROSE-RED", 1)]
    assert saved["follow_ups"] == ["follow_up", "return_reminder"]
    (received,) = running_smtp.received
    attachments = [part.get_filename() for part in received.message.iter_attachments()]
    assert attachments == ["return-label-RMA-1041-1.pdf"]
    assert_replacement_shown(qtbot, window, result)


def test_wrong_item_kept_needs_no_label(qtbot, make_window, shop, running_smtp, memory_keyring):
    set_up_mail(shop.db, running_smtp)
    window = window_for(make_window, shop, running_smtp)
    dialog = open_correction(qtbot, window, shop.ids["1041"])
    choose(qtbot, dialog.kind, "Wrong i")
    set_units(qtbot, dialog, 2, 1)
    type_sku(qtbot, dialog, "sentInstead_2", "FERN")
    click_in_form(qtbot, dialog, dialog.keep)
    qtbot.waitUntil(lambda: "keep what you received" in dialog.preview_body.toPlainText())

    result = reship(qtbot, window, dialog)

    assert result.rma is None and not dialog.print_return_label.isVisible()
    saved = load_correction(shop.db, result.correction_id)
    assert saved["keep"] and saved["lines"] == [("wrong_item", "BEE", 1, "FERN")]
    assert saved["follow_ups"] == ["follow_up"]
    body = running_smtp.received[0].message.get_body(("plain",)).get_content()
    assert "1 × Fern patch" in body and "keep" in body


def test_damaged_with_a_goodwill_extra(qtbot, make_window, shop, running_smtp, memory_keyring):
    set_up_mail(shop.db, running_smtp)
    window = window_for(make_window, shop, running_smtp)
    dialog = open_correction(qtbot, window, shop.ids["1041"])
    choose(qtbot, dialog.kind, "Dam")
    set_units(qtbot, dialog, 3, 2)
    type_sku(qtbot, dialog, "extraSku", "BEE")
    dialog.extra_units.setFocus()
    qtbot.keyClick(dialog.extra_units, Qt.Key.Key_Up)
    qtbot.keyClicks(dialog.goodwill, "SORRY15 takes 15% off your next order.")
    qtbot.waitUntil(lambda: "SORRY15" in dialog.preview_body.toPlainText())

    result = reship(qtbot, window, dialog)

    saved = load_correction(shop.db, result.correction_id)
    assert saved["kind"] == CorrectionKind.DAMAGED
    assert saved["lines"] == [("damaged", "FERN", 2, None), ("extra", "BEE", 1, None)]
    assert saved["replacement_lines"] == [("FERN", 2), ("BEE", 1)]
    body = running_smtp.received[0].message.get_body(("plain",)).get_content()
    assert "1 × Honey Bee patch" in body and "SORRY15" in body


@pytest.mark.parametrize(
    ("kind", "typed", "units", "line_kind"),
    [(CorrectionKind.SHORT, "Sh", 1, "short"), (CorrectionKind.OTHER, "Ot", 2, "resend")],
)
def test_short_and_other(qtbot, make_window, shop, kind, typed, units, line_kind):
    window = window_for(make_window, shop)
    dialog = open_correction(qtbot, window, shop.ids["1041"])
    choose(qtbot, dialog.kind, typed)
    set_units(qtbot, dialog, 1, units)
    result = reship(qtbot, window, dialog)
    saved = load_correction(shop.db, result.correction_id)
    assert saved["kind"] == kind
    assert saved["lines"] == [(line_kind, "ROSE-RED", units, None)]
    # Mail is not set up: the note is saved, waiting to be handed over.
    assert saved["messages"] == [("reship_note", "maya@example.com", MessageChannel.SMTP, False, 0, None)]
    assert "Mail is not set up" in dialog.hand_over.status.text()
    assert dialog.hand_over.mailto_button.isVisible() and not dialog.hand_over.send_button.isVisible()


def test_lost_etsy_parcel_without_email_is_handed_over_through_etsy(
    qtbot,
    make_window,
    shop,
    opened_urls,
):
    window = window_for(make_window, shop)
    dialog = open_correction(qtbot, window, shop.ids["3001"])
    assert dialog.email.text() == "" and "Etsy gives no email" in dialog.email.placeholderText()
    choose(qtbot, dialog.kind, "Lo")
    assert dialog.findChild(QSpinBox, "owedUnits_1").value() == 1  # the whole parcel goes again

    result = reship(qtbot, window, dialog)

    hand_over = dialog.hand_over
    assert "no email address" in hand_over.status.text()
    assert hand_over.platform_button.isVisible()
    assert hand_over.platform_button.text() == "Copy and open the order on Etsy"
    qtbot.mouseClick(hand_over.platform_button, Qt.MouseButton.LeftButton)
    assert opened_urls == ["https://www.etsy.com/your/orders/sold?order_id=3001000123"]
    clipboard = QGuiApplication.clipboard().text()
    assert clipboard.startswith("Your replacement for order 3001 is on its way") and "3001-R1" in clipboard
    assert "paste it into the platform's messages" in hand_over.status.text()
    assert not hand_over.platform_button.isVisible()

    saved = load_correction(shop.db, result.correction_id)
    assert saved["kind"] == CorrectionKind.LOST
    assert saved["lines"] == [("resend", "ROSE-RED", 1, None)]
    assert saved["messages"] == [("reship_note", None, MessageChannel.PLATFORM, True, 0, None)]


def test_wrong_address_ships_to_the_new_address_and_opens_the_mail_app(
    qtbot,
    make_window,
    shop,
    opened_urls,
):
    window = window_for(make_window, shop)
    dialog = open_correction(qtbot, window, shop.ids["1050"])  # packed, not yet shipped
    choose(qtbot, dialog.kind, "Wrong a")
    assert dialog.address_box.isVisible()
    street = dialog.address_fields["address1"]
    street.selectAll()
    qtbot.keyClicks(street, "44 Elm Street")
    qtbot.keyClicks(dialog.email, "maya@example.com")

    result = reship(qtbot, window, dialog)

    qtbot.mouseClick(dialog.hand_over.mailto_button, Qt.MouseButton.LeftButton)
    assert len(opened_urls) == 1 and opened_urls[0].startswith("mailto:maya@example.com?subject=Your")
    saved = load_correction(shop.db, result.correction_id)
    assert saved["kind"] == CorrectionKind.WRONG_ADDRESS
    assert saved["replacement_address"] == "44 Elm Street"
    assert saved["replacement_lines"] == [("BEE", 2)]
    assert saved["messages"] == [("reship_note", "maya@example.com", MessageChannel.MAILTO, True, 0, None)]


# -- refusals and failures ---------------------------------------------------------------------


def test_only_packed_or_shipped_orders_can_be_put_right(qtbot, make_window, shop, monkeypatch):
    warnings = []
    monkeypatch.setattr(
        "shopdesk.ui.correction_controller.QMessageBox.warning", lambda *args: warnings.append(args[2])
    )
    window = window_for(make_window, shop)
    window.select_order(shop.ids["1060"])
    assert window.detail.findChild(type(window.detail), "somethingWrongButton") is None
    window.corrections.correction_action.trigger()
    assert warnings and "only a packed or shipped order" in warnings[0]
    window.select_order(shop.ids["1041"])
    qtbot.waitUntil(lambda: window.detail.detail.number == "#1041")
    from PySide6.QtWidgets import QPushButton

    button = window.detail.findChild(QPushButton, "somethingWrongButton")
    with qtbot.waitSignal(window.corrections.corrections.dialog_opened) as opened:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    opened.args[0].reject()


def test_nothing_owed_keeps_the_button_disabled_and_saves_nothing(qtbot, make_window, shop):
    window = window_for(make_window, shop)
    dialog = open_correction(qtbot, window, shop.ids["1041"])  # three lines: nothing chosen yet
    assert not dialog.reship_button.isEnabled()
    assert dialog.problem.text() == "Set how many units are owed on at least one line."
    qtbot.mouseClick(dialog.reship_button, Qt.MouseButton.LeftButton)
    dialog.reject()
    with shop.db.reading() as session:
        assert session.scalars(select(Correction)).all() == []
        assert session.scalar(select(Order).where(Order.source == "reship")) is None


def test_a_failed_send_loses_nothing_and_is_retried_from_the_window(
    qtbot,
    make_window,
    shop,
    smtp_server,
    memory_keyring,
):
    set_up_mail(shop.db, smtp_server)  # the server is not running yet
    window = window_for(make_window, shop, smtp_server)
    dialog = open_correction(qtbot, window, shop.ids["1041"])
    set_units(qtbot, dialog, 2, 1)

    result = reship(qtbot, window, dialog)

    hand_over = dialog.hand_over
    assert "Not sent: Could not reach the SMTP server 127.0.0.1" in hand_over.status.text()
    assert hand_over.send_button.isVisible() and hand_over.send_button.text() == "Send again"
    saved = load_correction(shop.db, result.correction_id)
    assert saved["replacement"][0] == "1041-R1" and saved["replacement_lines"] == [("BEE", 1)]
    ((_kind, _to, _channel, sent, attempts, error),) = saved["messages"]
    assert not sent and attempts == 1 and "Could not reach" in error
    assert_replacement_shown(qtbot, window, result)

    smtp_server.start()
    qtbot.mouseClick(hand_over.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Sent to maya@example.com" in hand_over.status.text(), timeout=20_000)
    assert not hand_over.send_button.isVisible()
    (received,) = smtp_server.received
    assert received.rcpt_tos == ["maya@example.com"] and "1041-R1" in received.message["Subject"] + str(
        received.message.get_body(("plain",)).get_content()
    )
    with shop.db.reading() as session:
        message = session.scalars(select(SentMessage)).one()
        assert message.sent_at is not None and message.attempts == 2 and message.error is None


def test_the_outbox_keeps_a_failed_message_and_sends_it_once_the_server_is_back(
    qtbot, make_window, shop, smtp_server, memory_keyring
):
    set_up_mail(shop.db, smtp_server)  # the server is not running yet
    window = window_for(make_window, shop, smtp_server)
    dialog = open_correction(qtbot, window, shop.ids["1041"])
    set_units(qtbot, dialog, 2, 1)
    reship(qtbot, window, dialog)
    dialog.close()
    ui = window.corrections
    qtbot.waitUntil(lambda: ui.outbox_action.text() == "O&utbox (1 waiting)", timeout=5000)

    ui.outbox_action.trigger()  # View → Outbox (1 waiting)
    outbox = ui.outbox_window
    qtbot.waitExposed(outbox)
    table = outbox.table
    row = [table.model().index(0, column).data() for column in range(table.model().columnCount())]
    assert row[:4] == ["#1041", "Reship note", "maya@example.com", "1"]
    assert "Could not reach the SMTP server" in row[4]
    assert outbox.hand_over.isVisible() and outbox.hand_over.send_button.text() == "Send again"

    smtp_server.start()
    with qtbot.waitSignal(ui.outbox.sent_all, timeout=20_000):
        qtbot.mouseClick(outbox.send_all_button, Qt.MouseButton.LeftButton)
    assert outbox.status.text() == "1 sent."
    assert outbox.empty.isVisible() and table.model().rowCount() == 0
    assert ui.outbox_action.text() == "O&utbox"
    (received,) = smtp_server.received
    assert received.rcpt_tos == ["maya@example.com"]
    with shop.db.reading() as session:
        message = session.scalars(select(SentMessage)).one()
        assert message.sent_at is not None and message.attempts == 2


def test_the_follow_up_timing_set_once_is_what_the_next_correction_uses(qtbot, make_window, shop):
    window = window_for(make_window, shop)
    window.findChild(QAction, "followUpTimingAction").trigger()  # Settings → Follow-up timing…
    timing = window.findChild(QDialog, "followUpTimingDialog")
    qtbot.waitExposed(timing)
    days = timing.findChild(QSpinBox, "followUpDays")
    days.setFocus()
    days.selectAll()
    qtbot.keyClicks(days, "14")
    qtbot.mouseClick(timing.findChild(QPushButton, "saveFollowUpTiming"), Qt.MouseButton.LeftButton)
    assert not timing.isVisible()

    dialog = open_correction(qtbot, window, shop.ids["1041"])
    set_units(qtbot, dialog, 2, 1)
    result = reship(qtbot, window, dialog)
    assert dialog.follow_up_text.text().startswith("A follow-up comes due 14 days after 1041-R1 ships")
    saved = load_correction(shop.db, result.correction_id)
    assert saved["follow_ups"] == ["follow_up"]
    with shop.db.reading() as session:
        [follow_up] = session.get(Correction, result.correction_id).follow_ups
        assert follow_up.delay_days == 14
