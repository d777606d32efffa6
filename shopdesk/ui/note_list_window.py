"""The frame the outbox and the follow-ups share: messages to customers to act on, one at a time.

An intro, the list (or a line saying it is empty), a row of the window's own buttons with a status
line and Close, and under it the selected message, to send or hand over another way.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from shopdesk.db.database import Database
from shopdesk.ui.background import JobRunner
from shopdesk.ui.correction_controller import MailAccess, NoteHandOverController
from shopdesk.ui.note_hand_over import NoteHandOver
from shopdesk.ui.rows_table_model import list_view


class NoteListWindow(QDialog):
    """``name`` prefixes the object names: ``<name>Window``, ``<name>Table``, ``<name>Empty``…"""

    def __init__(
        self,
        name: str,
        title: str,
        intro: str,
        empty: str,
        model: QAbstractItemModel,
        stretch_column: int,
        notes: tuple[Database, JobRunner, MailAccess],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Window")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(10)
        intro_label = QLabel(intro)
        intro_label.setObjectName(f"{name}Intro")
        intro_label.setWordWrap(True)
        layout.addWidget(intro_label)
        self.table = list_view(f"{name}Table", model, stretch_column)
        layout.addWidget(self.table, 1)
        self.empty = QLabel(empty)
        self.empty.setObjectName(f"{name}Empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty)

        self._buttons = row = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName(f"{name}Status")
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        row.addWidget(close)
        layout.addLayout(row)

        self.hand_over = NoteHandOver()
        layout.addWidget(self.hand_over)
        self.notes = NoteHandOverController(*notes, self.hand_over)

    def add_button(self, text: str, name: str, slot, tip: str = "") -> QPushButton:
        """A button of this window's own, in the row left of the status line."""
        made = QPushButton(text)
        made.setObjectName(name)
        made.setToolTip(tip)
        made.clicked.connect(slot)
        self._buttons.insertWidget(self._buttons.count() - 2, made)
        return made
