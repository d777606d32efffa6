"""View → Follow-ups: the count of due ones in the status bar, sending one with a click (by a real
SMTP server on localhost, or handed over when there is no email), marking done and returns received."""

from __future__ import annotations

from datetime import timedelta

from correction_shop import NOW
from mailserver import PASSWORD, USER
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from shopdesk.corrections.service import CorrectionRequest, OwedLine, apologise_and_reship
from shopdesk.db.models import Correction, FollowUp, FollowUpKind, MessageChannel, SentMessage
from shopdesk.mail.smtp import SmtpSettings, save_smtp_settings
from shopdesk.ui.follow_ups_view import FollowUpsWindow


def correction_due(db, request: CorrectionRequest) -> int:
    """A correction whose follow-ups fell due yesterday."""
    result = apologise_and_reship(db, request, now=NOW)
    with db.unit_of_work() as uow:
        for follow_up in uow.session.get(Correction, result.correction_id).follow_ups:
            follow_up.due_at = NOW - timedelta(days=1)
        uow.commit()
    return result.correction_id


def open_follow_ups(qtbot, window) -> FollowUpsWindow:
    button = window.corrections.due_button
    qtbot.waitUntil(button.isVisible, timeout=5000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    view = window.corrections.follow_ups_window
    qtbot.waitExposed(view)
    return view


def rows(view: FollowUpsWindow) -> list[tuple[str, str, str]]:
    model = view.controller.model
    return [tuple(model.index(row, column).data() for column in (0, 1, 2)) for row in range(model.rowCount())]


def test_send_one_then_the_return_comes_back(
    qtbot, qtmodeltester, make_window, shop, running_smtp, memory_keyring
):
    correction_id = correction_due(
        shop.db, CorrectionRequest(shop.ids["1041"], [OwedLine("ROSE-RED", 1, "wrong_item", "ROSE-PNK")])
    )
    save_smtp_settings(
        shop.db, SmtpSettings("127.0.0.1", running_smtp.port, USER, "shop@patches.example"), PASSWORD
    )
    window = make_window(shop.db)
    window.corrections.mail.ssl_context = running_smtp.client_context()
    qtbot.waitUntil(lambda: window.corrections.due_button.text() == "2 follow-ups due")
    assert window.corrections.follow_ups_action.text() == "F&ollow-ups (2 follow-ups due)"

    view = open_follow_ups(qtbot, window)
    qtmodeltester.check(view.controller.model)
    assert rows(view) == [
        ("now", "Follow-up", "#1041 → 1041-R1"),
        ("now", "Return reminder", "#1041 → 1041-R1"),
    ]
    view.table.selectRow(0)
    with qtbot.waitSignal(view.controller.sent, timeout=20_000):
        qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
    assert view.status.text() == "Sent to maya@example.com."
    assert rows(view) == [("now", "Return reminder", "#1041 → 1041-R1")]
    (received,) = running_smtp.received
    assert received.rcpt_tos == ["maya@example.com"]
    assert received.message["Subject"] == "Did your replacement for order #1041 arrive?"
    qtbot.waitUntil(lambda: window.corrections.due_button.text() == "1 follow-up due")

    view.table.selectRow(0)
    assert view.returned_button.isVisible()
    qtbot.mouseClick(view.returned_button, Qt.MouseButton.LeftButton)
    assert rows(view) == [] and view.empty.isVisible()
    qtbot.waitUntil(lambda: not window.corrections.due_button.isVisible())
    with shop.db.reading() as session:
        correction = session.get(Correction, correction_id)
        assert correction.return_received_at is not None
        assert all(f.done_at is not None for f in correction.follow_ups)
        (message,) = [m for m in correction.messages if m.kind == "follow_up"]
        assert message.sent_at is not None and message.channel == MessageChannel.SMTP


def test_without_an_email_the_follow_up_is_handed_over_and_others_marked_done(qtbot, make_window, shop):
    correction_due(shop.db, CorrectionRequest(shop.ids["3001"], [OwedLine("ROSE-RED", 1)]))
    correction_due(shop.db, CorrectionRequest(shop.ids["1041"], [OwedLine("BEE", 1)]))
    window = make_window(shop.db)
    view = open_follow_ups(qtbot, window)
    assert [row[2] for row in rows(view)] == ["3001 → 3001-R1", "#1041 → 1041-R1"]

    view.table.selectRow(0)
    with qtbot.waitSignal(view.controller.sent, timeout=10_000):
        qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
    assert view.hand_over.isVisible() and "no email address" in view.hand_over.status.text()
    assert len(rows(view)) == 2  # written and saved, not gone yet
    qtbot.mouseClick(view.hand_over.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text().startswith("Did your replacement for order 3001 arrive?")
    assert [row[2] for row in rows(view)] == ["#1041 → 1041-R1"]

    view.table.selectRow(0)
    assert not view.returned_button.isVisible()
    qtbot.mouseClick(view.done_button, Qt.MouseButton.LeftButton)
    assert rows(view) == []
    with shop.db.reading() as session:
        assert all(f.done_at is not None for f in session.query(FollowUp))
        (message,) = session.query(SentMessage).filter(SentMessage.kind == FollowUpKind.FOLLOW_UP.value)
        assert message.channel == MessageChannel.CLIPBOARD and message.to_address is None
