"""View → Outbox: messages to customers that are written but not sent yet.

A send that failed (the mail server down, a wrong password) stays saved with what went wrong. Here
the owner sends one again, sends every one that has an address at once, or hands one over another
way (copied for the platform's messages, her mail app). Sent or handed-over messages drop off the
list; the menu says how many are waiting.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QWidget,
)

from shopdesk.corrections.outbox import PreparedNote, count_unsent, send_message, unsent_messages
from shopdesk.db.database import Database
from shopdesk.mail.errors import MailNotSetUp
from shopdesk.ui.background import JobRunner
from shopdesk.ui.correction_controller import MailAccess
from shopdesk.ui.note_list_window import NoteListWindow
from shopdesk.ui.problems import problem_text
from shopdesk.ui.rows_table_model import Column, RowsTableModel

COLUMNS = (
    Column("Order", lambda note: note.order_number),
    Column("Message", lambda note: note.kind.replace("_", " ").capitalize()),
    Column("To", lambda note: note.to or "no email"),
    Column("Tries", lambda note: note.attempts, numeric=True),
    Column("What went wrong", lambda note: note.error or ""),
)


class OutboxController(QObject):
    # The outbox was read again: how many messages wait.
    reloaded = Signal(int)
    # "Send all" is done: (sent, still waiting), or the exception that stopped it.
    sent_all = Signal(object)

    def __init__(
        self, db: Database, jobs: JobRunner, mail: MailAccess, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.jobs, self.mail = db, jobs, mail
        self.model = RowsTableModel(COLUMNS, self)

    def reload(self) -> None:
        with self.db.reading() as session:
            notes = unsent_messages(session)
        self.model.set_rows(notes)
        self.reloaded.emit(len(notes))

    def waiting(self) -> int:
        with self.db.reading() as session:
            return count_unsent(session)

    def send_all(self) -> None:
        """Send every waiting message that has an address, off the GUI thread, one after another."""

        def work(_control) -> tuple[int, int]:
            mailer = self.mail.mailer()
            if mailer is None:
                raise MailNotSetUp("Mail is not set up yet: give the SMTP server in Settings → Mail….")
            with self.db.reading() as session:
                notes = [note for note in unsent_messages(session) if note.to]
            sent = sum(send_message(self.db, note.message_id, mailer).sent for note in notes)
            return sent, len(notes) - sent

        self.jobs.start(work, on_success=self._sent_all, on_failure=self._sent_all)

    def _sent_all(self, outcome: tuple[int, int] | Exception) -> None:
        self.reload()
        self.sent_all.emit(outcome)


class OutboxWindow(NoteListWindow):
    def __init__(self, controller: OutboxController, parent: QWidget | None = None) -> None:
        super().__init__(
            "outbox",
            "Outbox",
            "Messages written but not sent yet. A send that failed is kept here with what went wrong: "
            "send it again once the problem is fixed, or hand it over another way.",
            "Nothing waiting: every message has gone.",
            controller.model,
            len(COLUMNS) - 1,
            (controller.db, controller.jobs, controller.mail),
            parent,
        )
        self.controller = controller
        self.send_all_button = self.add_button(
            "Send all by email",
            "sendAllButton",
            self._send_all,
            "Every waiting message with an email address, one after another",
        )
        self.notes.note_changed.connect(self._note_changed)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        controller.reloaded.connect(self._reloaded)
        controller.sent_all.connect(self._sent_all)
        self.resize(900, 520)
        self._reloaded(controller.model.rowCount())

    def selected(self) -> PreparedNote | None:
        index = self.table.currentIndex()
        return self.controller.model.row(index.row()) if index.isValid() else None

    def _reloaded(self, waiting: int) -> None:
        self.empty.setVisible(waiting == 0)
        self.table.setVisible(waiting > 0)
        self.send_all_button.setEnabled(any(note.to for note in self._notes()))
        if waiting and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._show_selected()

    def _notes(self) -> list[PreparedNote]:
        model = self.controller.model
        return [model.row(row) for row in range(model.rowCount())]

    def _show_selected(self) -> None:
        note = self.selected()
        if note is None:
            self.hand_over.hide()
        else:
            self.notes.show(note)

    def _note_changed(self, note: PreparedNote) -> None:
        if note.is_sent:
            self.status.setText(f"The message for order {note.order_number} has gone.")
        self.controller.reload()

    def _send_all(self) -> None:
        self.send_all_button.setEnabled(False)
        self.status.setText("Sending…")
        self.controller.send_all()

    def _sent_all(self, outcome: tuple[int, int] | Exception) -> None:
        if isinstance(outcome, Exception):
            self.status.setText(problem_text(outcome))
            return
        sent, waiting = outcome
        text = f"{sent} sent."
        if waiting:
            text += f" {waiting} could not be sent: see what went wrong beside each."
        self.status.setText(text)
