"""What came in and what was refused, after an import."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopdesk.importers.service import FileResult
from shopdesk.ui.problem_table_model import problem_table_model


class ImportSummaryDialog(QDialog):
    # The owner wants to map the columns of a file no known export matches.
    map_columns_requested = Signal(object)  # Path

    def __init__(
        self, results: Sequence[FileResult], unknown_layouts: Sequence[Path], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importSummary")
        self.setWindowTitle("Import")
        self.results = list(results)
        layout = QVBoxLayout(self)
        lines = []
        for result in self.results:
            mark = "✔" if result.imported else ("–" if result.cancelled else "✘")
            lines.append(f"{mark}  {result.summary()}")
        summary = QLabel("\n".join(lines) or "Nothing was imported.")
        summary.setObjectName("importSummaryText")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        problems = [problem for result in self.results for problem in result.problems]
        if problems:
            note = QLabel(
                "Nothing from a refused file was imported. Fix what is listed (or export the file again) "
                "and import it once more; files that imported are not affected."
            )
            note.setWordWrap(True)
            layout.addWidget(note)
            table = QTableView()
            table.setObjectName("importProblems")
            table.setModel(problem_table_model(problems, table))
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().hide()
            table.resizeColumnsToContents()  # the file name whole: two files can be refused at once
            table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
            table.setWordWrap(True)
            layout.addWidget(table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for path in unknown_layouts:
            button = buttons.addButton(
                f"Map the columns of {path.name}…", QDialogButtonBox.ButtonRole.ActionRole
            )
            button.setObjectName("mapColumnsButton")
            button.clicked.connect(lambda _checked=False, p=path: self._map(p))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(860, 420 if problems else 200)

    def _map(self, path: Path) -> None:
        self.accept()
        self.map_columns_requested.emit(path)
