"""Settings → Mail: the SMTP server that sends notes to customers. The password goes to the system
keyring only (``save_smtp_settings``); "Send a test message to me" saves, then sends one off the GUI
thread and says plainly what happened."""

from __future__ import annotations

from email.message import EmailMessage

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from shopdesk.db.database import Database
from shopdesk.errors import ShopDeskError
from shopdesk.mail.messages import build_email
from shopdesk.mail.smtp import SmtpSettings, load_smtp_settings, save_smtp_settings
from shopdesk.packing.profile import shop_profile
from shopdesk.ui.background import JobRunner
from shopdesk.ui.correction_controller import MailAccess
from shopdesk.ui.problems import problem_text

# (value, label, usual port)
SECURITY = (
    ("starttls", "STARTTLS (usually port 587)", 587),
    ("ssl", "SSL/TLS from the start (usually port 465)", 465),
    ("none", "None — only a relay on this computer, without a password", 25),
)


class MailSettingsDialog(QDialog):
    def __init__(
        self, db: Database, jobs: JobRunner, mail: MailAccess, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.jobs, self.mail = db, jobs, mail
        self.setObjectName("mailSettingsDialog")
        self.setWindowTitle("Mail")
        with db.reading() as session:
            current = load_smtp_settings(session)
            shop_email = shop_profile(session).email
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Notes to customers go out through your own mail provider's SMTP server. "
            "Without it, ShopDesk gets them ready to copy or to open in your mail app."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.host = QLineEdit(current.host if current else "")
        self.host.setObjectName("smtpHost")
        self.host.setPlaceholderText("e.g. smtp.fastmail.com")
        self.security = QComboBox()
        self.security.setObjectName("smtpSecurity")
        for value, label, _port in SECURITY:
            self.security.addItem(label, value)
        self.security.setCurrentIndex(
            max(0, self.security.findData(current.security if current else "starttls"))
        )
        self.port = QSpinBox()
        self.port.setObjectName("smtpPort")
        self.port.setRange(1, 65535)
        self.port.setValue(current.port if current else 587)
        self.security.currentIndexChanged.connect(self._security_changed)
        self.user = QLineEdit(current.user if current else "")
        self.user.setObjectName("smtpUser")
        self.user.setPlaceholderText("usually your email address")
        self.password = QLineEdit()
        self.password.setObjectName("smtpPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            "kept in the system keyring — leave empty to keep the saved one" if current else ""
        )
        self.from_address = QLineEdit(current.from_address if current else shop_email)
        self.from_address.setObjectName("smtpFrom")
        form.addRow("SMTP server", self.host)
        form.addRow("Security", self.security)
        form.addRow("Port", self.port)
        form.addRow("User name", self.user)
        form.addRow("Password", self.password)
        form.addRow("Send as", self.from_address)
        layout.addLayout(form)
        self.result = QLabel()
        self.result.setObjectName("mailResult")
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        buttons = QHBoxLayout()
        self.test_button = QPushButton("Send a test message to me")
        self.test_button.setObjectName("testMailButton")
        self.test_button.setToolTip(
            "Saves these settings, then sends a short message to the “Send as” address"
        )
        self.test_button.clicked.connect(self.send_test)
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        buttons.addWidget(cancel)
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("saveMailButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._save_and_close)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.resize(560, self.sizeHint().height())

    def _security_changed(self) -> None:
        """Suggest the usual port for the security chosen, if the port was the usual one of another."""
        usual = {port for _value, _label, port in SECURITY}
        if self.port.value() in usual:
            self.port.setValue(SECURITY[self.security.currentIndex()][2])

    def settings(self) -> SmtpSettings:
        return SmtpSettings(
            host=self.host.text().strip(),
            port=self.port.value(),
            user=self.user.text().strip(),
            from_address=self.from_address.text().strip(),
            security=self.security.currentData(),
        )

    def save(self) -> bool:
        try:
            save_smtp_settings(self.db, self.settings(), self.password.text() or None)
        except ShopDeskError as error:
            self._say(str(error), failed=True)
            return False
        self.password.clear()
        self.password.setPlaceholderText("kept in the system keyring — leave empty to keep the saved one")
        return True

    def _save_and_close(self) -> None:
        if self.save():
            self.accept()

    def send_test(self) -> None:
        if not self.save():
            return
        to = self.from_address.text().strip()
        self.test_button.setEnabled(False)
        self._say(f"Saved. Sending a test message to {to}…")

        def work(_control) -> str:
            mailer = self.mail.mailer()
            message: EmailMessage = build_email(
                mailer.from_address,
                to,
                "ShopDesk test message",
                "This is a test from ShopDesk. Notes to your customers will go out the same way.",
            )
            mailer.send(message)
            return to

        self.jobs.start(work, on_success=self._test_sent, on_failure=self._test_failed)

    def _test_sent(self, to: str) -> None:
        self.test_button.setEnabled(True)
        self._say(f"✓ Saved, and a test message went to {to}. Mail is ready.")

    def _test_failed(self, error: Exception) -> None:
        self.test_button.setEnabled(True)
        self._say(f"Saved, but the test message did not go: {problem_text(error)}", failed=True)

    def _say(self, text: str, failed: bool = False) -> None:
        self.result.setText(text)
        self.result.setProperty("failed", failed)
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)
