"""A saved message to a customer, and the ways to get it to her: send it by SMTP (again, after a failed
try), or hand it over: copy it, open it in the owner's mail app, or open the order on its platform
(Etsy gives no email). Used by the correction dialog's result and by the Follow-ups view.

Layout only: what the buttons mean is decided by ``NoteController`` (``correction_controller.py``).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from shopdesk.corrections.outbox import PreparedNote
from shopdesk.db.models import MessageChannel

_HANDED_OVER = {
    MessageChannel.SMTP: "Sent to {to}",
    MessageChannel.CLIPBOARD: "Copied to the clipboard — paste it to the customer",
    MessageChannel.MAILTO: "Opened in your mail app — send it from there",
    MessageChannel.PLATFORM: "Copied, and the order page opened — paste it into the platform's messages",
    MessageChannel.EML: "Saved as an email file",
}


class NoteHandOver(QFrame):
    send_requested = Signal(int)  # message id
    handed_over = Signal(int, object)  # message id, MessageChannel
    email_given = Signal(int, str)  # message id, address typed by the owner

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noteHandOver")
        self.note: PreparedNote | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        self.status = QLabel()
        self.status.setObjectName("noteStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.status)

        self.email_row = QWidget()
        email_layout = QHBoxLayout(self.email_row)
        email_layout.setContentsMargins(0, 0, 0, 0)
        self.email = QLineEdit()
        self.email.setObjectName("noteEmail")
        self.email.setPlaceholderText("The customer's email, if you have it")
        self.use_email = QPushButton("Use this address")
        self.use_email.setObjectName("useEmailButton")
        self.use_email.clicked.connect(self._email_given)
        self.email.returnPressed.connect(self._email_given)
        email_layout.addWidget(self.email, 1)
        email_layout.addWidget(self.use_email)
        layout.addWidget(self.email_row)

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.send_button = self._button("Send", "sendNoteButton", buttons)
        self.send_button.clicked.connect(lambda: self._emit_send())
        self.platform_button = self._button("Copy and open the order page", "platformButton", buttons)
        self.platform_button.clicked.connect(lambda: self._hand_over(MessageChannel.PLATFORM))
        self.copy_button = self._button("Copy to clipboard", "copyNoteButton", buttons)
        self.copy_button.clicked.connect(lambda: self._hand_over(MessageChannel.CLIPBOARD))
        self.mailto_button = self._button("Open in my mail app", "mailtoButton", buttons)
        self.mailto_button.clicked.connect(lambda: self._hand_over(MessageChannel.MAILTO))
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.hide()

    @staticmethod
    def _button(text: str, name: str, row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        row.addWidget(button)
        return button

    def show_note(
        self, note: PreparedNote, *, smtp_ready: bool, platform: str = "", sending: bool = False
    ) -> None:
        """Show where ``note`` stands and offer what can be done with it now."""
        self.note = note
        self.show()
        waiting = not note.is_sent
        if note.is_sent:
            how = _HANDED_OVER.get(note.channel, "Sent").format(to=escape(note.to or ""))
            when = note.sent_at.astimezone().strftime("%d %b %H:%M") if note.sent_at else ""
            text = f"<b>✓ {how}</b> <span style='color:#64748b'>{when}</span>"
        elif sending:
            text = f"Sending to {escape(note.to or '')}…"
        elif note.error:
            text = (
                f"<b style='color:#b91c1c'>Not sent: {escape(note.error)}</b><br>"
                "The note is saved. Send it again, or hand it over another way."
            )
        elif not note.to:
            where = f"through {escape(platform)}'s messages" if note.platform_url else "another way"
            text = f"<b>The order has no email address.</b> The note is saved: send it {where}."
        elif not smtp_ready:
            text = (
                f"<b>Mail is not set up</b> (Settings → Mail…), so the note to {escape(note.to)} "
                "is saved, not sent. Hand it over below."
            )
        else:
            text = f"The note to {escape(note.to)} is saved, not sent yet."
        self.status.setText(text)
        self.status.setProperty("failed", bool(note.error) and waiting)
        self.email_row.setVisible(waiting and not note.to and not sending)
        can_send = waiting and bool(note.to) and smtp_ready
        self.send_button.setVisible(can_send)
        self.send_button.setEnabled(not sending)
        self.send_button.setText("Send again" if note.attempts else "Send")
        self.platform_button.setVisible(waiting and bool(note.platform_url))
        self.platform_button.setText(f"Copy and open the order on {platform or 'the platform'}")
        for button in (self.copy_button, self.mailto_button):
            button.setVisible(waiting)
            button.setEnabled(not sending)
        self.platform_button.setEnabled(not sending)

    def _emit_send(self) -> None:
        if self.note is not None:
            self.send_requested.emit(self.note.message_id)

    def _hand_over(self, channel: MessageChannel) -> None:
        if self.note is not None:
            self.handed_over.emit(self.note.message_id, channel)

    def _email_given(self) -> None:
        if self.note is not None and self.email.text().strip():
            self.email_given.emit(self.note.message_id, self.email.text().strip())

    def show_problem(self, text: str) -> None:
        self.status.setText(f"<b style='color:#b91c1c'>{escape(text)}</b>")
