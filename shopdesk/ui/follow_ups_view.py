"""View → Follow-ups: the follow-ups and gentle return reminders to send, due ones first.

Sending one is a click (off the GUI thread); a follow-up without an email address, or with mail not
set up, is written and handed over (copied, mail app, the platform's messages). Sent, done or
returned ones drop off the list.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QWidget,
)

from shopdesk.corrections.follow_ups import (
    FollowUpItem,
    FollowUpSent,
    follow_up_list,
    mark_done,
    mark_return_received,
    send_follow_up,
)
from shopdesk.db.database import Database
from shopdesk.db.models import FollowUpKind
from shopdesk.db.types import utc_now
from shopdesk.ui.background import JobRunner
from shopdesk.ui.correction_controller import MailAccess
from shopdesk.ui.note_list_window import NoteListWindow
from shopdesk.ui.problems import problem_text

DUE, WHAT, ORDER, CUSTOMER, TO, LAST_TRY = range(6)
HEADERS = ("Due", "What", "Order → replacement", "Customer", "Email", "Last try")
ItemRole = Qt.ItemDataRole.UserRole + 1
WAITING = QColor("#94a3b8")


class FollowUpTableModel(QAbstractTableModel):
    """Open follow-ups as plain rows (``FollowUpItem``); due ones are the ones to send now."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[FollowUpItem] = []
        self.now = utc_now()

    def set_items(self, items: list[FollowUpItem], now: datetime) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.now = now
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == ItemRole:
            return item
        if role == Qt.ItemDataRole.ForegroundRole and not item.is_due(self.now):
            return WAITING
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == LAST_TRY and item.last_error:
            return item.last_error
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == DUE:
            if item.due_at is None:
                return f"after {item.replacement_number} ships"
            return "now" if item.is_due(self.now) else f"{item.due_at.astimezone():%d %b}"
        if column == WHAT:
            return item.title
        if column == ORDER:
            return f"{item.order_number} → {item.replacement_number}"
        if column == CUSTOMER:
            return item.customer
        if column == TO:
            return item.to or "no email"
        if column == LAST_TRY:
            return "not sent" if item.last_error else ""
        return None

    def item_at(self, row: int) -> FollowUpItem | None:
        return self.items[row] if 0 <= row < len(self.items) else None


class FollowUpsController(QObject):
    # Something was sent, done or returned: the due count changes.
    changed = Signal()
    # The list was read again.
    reloaded = Signal()
    # A follow-up was written and sent, or not (then the result says why).
    sent = Signal(object)  # FollowUpSent, or the exception

    def __init__(
        self, db: Database, jobs: JobRunner, mail: MailAccess, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.jobs, self.mail = db, jobs, mail
        self.model = FollowUpTableModel(self)

    def reload(self) -> None:
        now = utc_now()
        with self.db.reading() as session:
            items = follow_up_list(session, now)
        self.model.set_items(items, now)
        self.reloaded.emit()

    def send(self, follow_up_id: int) -> None:
        """Write the follow-up and send it by SMTP when mail is set up and there is an address."""
        self.jobs.start(
            lambda _control: send_follow_up(self.db, follow_up_id, self.mail.mailer()),
            on_success=self._sent,
            on_failure=self._sent,
        )

    def _sent(self, outcome: FollowUpSent | Exception) -> None:
        self.reload()
        self.changed.emit()
        self.sent.emit(outcome)

    def mark_done(self, follow_up_id: int) -> None:
        mark_done(self.db, follow_up_id)
        self.reload()
        self.changed.emit()

    def return_received(self, correction_id: int) -> None:
        mark_return_received(self.db, correction_id)
        self.reload()
        self.changed.emit()


class FollowUpsWindow(NoteListWindow):
    def __init__(self, controller: FollowUpsController, parent: QWidget | None = None) -> None:
        super().__init__(
            "followUps",
            "Follow-ups",
            "After a replacement ships, ask whether it arrived and tell the customer what you changed. "
            "Return reminders are gentle: there is never a rush.",
            "Nothing to follow up. Replacements appear here once they have shipped.",
            controller.model,
            CUSTOMER,
            (controller.db, controller.jobs, controller.mail),
            parent,
        )
        self.controller = controller
        self.send_button = self.add_button("Send", "sendFollowUpButton", self._send)
        self.done_button = self.add_button(
            "Mark done",
            "markDoneButton",
            self._done,
            "Dealt with another way, or not needed: it drops off the list",
        )
        self.returned_button = self.add_button("Return received", "returnReceivedButton", self._returned)
        self.notes.note_changed.connect(lambda _note: (controller.reload(), controller.changed.emit()))

        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        controller.reloaded.connect(self._reloaded)
        controller.sent.connect(self._sent)
        self.resize(900, 460)
        self._reloaded()

    def selected(self) -> FollowUpItem | None:
        index = self.table.currentIndex()
        return self.controller.model.item_at(index.row()) if index.isValid() else None

    def _reloaded(self) -> None:
        model = self.controller.model
        self.empty.setVisible(model.rowCount() == 0)
        self.table.setVisible(model.rowCount() > 0)
        if model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.selected()
        now = self.controller.model.now
        self.send_button.setEnabled(item is not None and item.is_due(now))
        self.send_button.setToolTip(
            ""
            if item is None or item.is_due(now)
            else "Not due yet: the replacement has not shipped long enough"
        )
        self.done_button.setEnabled(item is not None)
        self.returned_button.setVisible(item is not None and item.kind == FollowUpKind.RETURN_REMINDER)

    def _send(self) -> None:
        item = self.selected()
        if item is not None:
            self.send_button.setEnabled(False)
            self.status.setText(f"Sending the {item.title.lower()} for order {item.order_number}…")
            self.controller.send(item.id)

    def _sent(self, outcome: FollowUpSent | Exception) -> None:
        if isinstance(outcome, Exception):
            self.status.setText(problem_text(outcome))
            return
        note = outcome.note
        if note.is_sent:
            self.status.setText(f"Sent to {note.to}.")
            self.hand_over.hide()
        else:
            self.status.setText("")
            self.notes.show(note)

    def _done(self) -> None:
        item = self.selected()
        if item is not None:
            self.controller.mark_done(item.id)
            self.status.setText(f"{item.title} for order {item.order_number} done.")
            self.hand_over.hide()

    def _returned(self) -> None:
        item = self.selected()
        if item is not None:
            self.controller.return_received(item.correction_id)
            self.status.setText(f"The return for order {item.order_number} is back.")
            self.hand_over.hide()
