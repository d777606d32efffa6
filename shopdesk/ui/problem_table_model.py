"""Problems of refused imports as a table: file, line, column, value, what to do."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from shopdesk.importers.errors import Problem

HEADERS = ("File", "Line", "Column", "Value", "What is wrong")


class ProblemTableModel(QAbstractTableModel):
    def __init__(self, problems: Sequence[Problem], parent=None) -> None:
        super().__init__(parent)
        self._problems = list(problems)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        problem = self._problems[index.row()]
        values = (
            problem.file,
            "" if problem.line is None else str(problem.line),
            problem.column or "",
            "" if problem.value is None else problem.value.replace("\n", " ⏎ "),
            problem.message,
        )
        return values[index.column()]
