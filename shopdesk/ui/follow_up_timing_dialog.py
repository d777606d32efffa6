"""Settings → Follow-up timing: how many days after a replacement ships its follow-up, and the
gentle return reminder, come due. Corrections made afterwards use them; earlier ones keep theirs."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from shopdesk.corrections.delays import MAX_DAYS, FollowUpDelays, follow_up_delays, save_follow_up_delays
from shopdesk.db.database import Database
from shopdesk.errors import ShopDeskError


class FollowUpTimingDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("followUpTimingDialog")
        self.setWindowTitle("Follow-up timing")
        self.setMinimumWidth(460)
        with db.reading() as session:
            current = follow_up_delays(session)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "After a replacement ships, ShopDesk reminds you to ask whether it arrived, and — when a "
            "wrong item is to come back — to remind the customer gently. Give your parcels time to "
            "arrive: longer if you ship abroad."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.follow_up = self._days("followUpDays", current.follow_up_days)
        self.return_reminder = self._days("returnReminderDays", current.return_reminder_days)
        form.addRow("Follow-up, after the replacement ships:", self.follow_up)
        form.addRow("Return reminder, after it ships:", self.return_reminder)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("followUpTimingProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveFollowUpTiming")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _days(name: str, value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(name)
        spin.setRange(1, MAX_DAYS)
        spin.setSuffix(" days")
        spin.setValue(value)
        return spin

    def save(self) -> None:
        delays = FollowUpDelays(self.follow_up.value(), self.return_reminder.value())
        try:
            save_follow_up_delays(self.db, delays)
        except ShopDeskError as error:
            self.problem.setText(str(error))
            self.problem.show()
            return
        self.accept()
