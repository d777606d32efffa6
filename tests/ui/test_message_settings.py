"""Settings → Message templates and Settings → Mail, as the owner fills them in."""

from __future__ import annotations

from mailserver import PASSWORD, USER
from PySide6.QtCore import Qt
from sqlalchemy import select

from shopdesk.corrections import templates
from shopdesk.db.models import Setting
from shopdesk.mail.passwords import keyring_service
from shopdesk.mail.smtp import SMTP_KEY
from shopdesk.ui.template_editor import TemplateEditorDialog


def test_an_unknown_placeholder_is_refused_and_nothing_is_saved(qtbot, make_window, shop):
    window = make_window(shop.db)
    window.corrections.templates_action.trigger()
    (editor,) = window.findChildren(TemplateEditorDialog)
    qtbot.waitExposed(editor)
    editor.names.setCurrentRow(templates.TEMPLATE_NAMES.index(templates.FOLLOW_UP))
    assert editor.subject.text() == templates.DEFAULTS[templates.FOLLOW_UP].subject
    editor.body.moveCursor(editor.body.textCursor().MoveOperation.End)
    editor.body.setFocus()
    qtbot.keyClicks(editor.body, " Love, {frist_name}")
    assert "does not know" in editor.problem.text()  # the preview says so as she types
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "{frist_name}" in editor.problem.text() and "does not know" in editor.problem.text()
    with shop.db.reading() as session:
        assert (
            templates.load_template(session, templates.FOLLOW_UP) == templates.DEFAULTS[templates.FOLLOW_UP]
        )

    for _ in range(len("{frist_name}")):
        qtbot.keyClick(editor.body, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor.body, "{shop_name}")
    assert editor.preview.toPlainText().endswith("Love, Your Patch Shop")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.problem.text() == "Saved."
    with shop.db.reading() as session:
        assert templates.load_template(session, templates.FOLLOW_UP).body.endswith(" Love, {shop_name}")

    qtbot.mouseClick(editor.reset_button, Qt.MouseButton.LeftButton)
    assert editor.body.toPlainText() == templates.DEFAULTS[templates.FOLLOW_UP].body
    with shop.db.reading() as session:
        assert (
            templates.load_template(session, templates.FOLLOW_UP) == templates.DEFAULTS[templates.FOLLOW_UP]
        )
    editor.reject()


def test_mail_settings_keep_the_password_in_the_keyring_and_send_a_test(
    qtbot, make_window, shop, running_smtp, memory_keyring
):
    window = make_window(shop.db)
    window.corrections.mail.ssl_context = running_smtp.client_context()
    dialog = window.corrections.edit_mail()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.host, "127.0.0.1")
    dialog.port.selectAll()
    qtbot.keyClicks(dialog.port, str(running_smtp.port))
    qtbot.keyClicks(dialog.user, USER)
    qtbot.keyClicks(dialog.password, PASSWORD)
    dialog.from_address.selectAll()
    qtbot.keyClicks(dialog.from_address, "shop@patches.example")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result.text().startswith("✓"), timeout=20_000)
    assert dialog.result.text() == "✓ Saved, and a test message went to shop@patches.example. Mail is ready."

    (received,) = running_smtp.received
    assert (
        received.rcpt_tos == ["shop@patches.example"]
        and received.message["Subject"] == "ShopDesk test message"
    )
    assert memory_keyring.passwords == {(keyring_service("127.0.0.1"), USER): PASSWORD}
    with shop.db.reading() as session:
        stored = session.scalar(select(Setting).where(Setting.key == SMTP_KEY)).value
    assert stored["port"] == running_smtp.port and PASSWORD not in str(stored)

    running_smtp.stop()
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "did not go" in dialog.result.text(), timeout=20_000)
    assert "Could not reach the SMTP server 127.0.0.1" in dialog.result.text()
    dialog.reject()
