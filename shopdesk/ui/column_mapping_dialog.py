"""Map the columns of an unknown CSV (Big Cartel, PayPal, a craft-fair spreadsheet) to order fields.

The dialog previews the file, guesses a mapping from the column names, says what is still missing,
and saves the mapping under a name so the next file of that layout imports with no questions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopdesk.db.database import Database
from shopdesk.importers.mapped import (
    ORDER_FIELDS,
    ColumnMapping,
    load_mapping,
    mapping_names,
    save_mapping,
    suggest_columns,
)
from shopdesk.importers.reading import Table

PREVIEW_ROWS = 20
NOT_IN_FILE = "(not in this file)"


class PreviewModel(QAbstractTableModel):
    """The first rows of the file, as they are."""

    def __init__(self, table: Table, parent=None) -> None:
        super().__init__(parent)
        self._header = table.header
        self._rows = [record.values for record in table.records[:PREVIEW_ROWS]]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._header)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._header[section] if 0 <= section < len(self._header) else None
        return str(section + 2)  # the file's line number (line 1 is the header)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self._rows[index.row()]
        return row[index.column()] if index.column() < len(row) else ""


class ColumnMappingDialog(QDialog):
    # The mapping was saved; import the file with it.
    mapping_saved = Signal(object)  # ColumnMapping

    def __init__(self, db: Database, table: Table, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.table = table
        self.path = path
        self.setObjectName("columnMappingDialog")
        self.setWindowTitle(f"Map the columns of {path.name}")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"ShopDesk does not know the layout of <b>{path.name}</b>. Tell it which column holds what; "
            "the mapping is saved, and the next file like this one imports without questions."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        preview = QTableView()
        preview.setObjectName("mappingPreview")
        preview.setModel(PreviewModel(table, preview))
        preview.setMaximumHeight(180)
        layout.addWidget(preview)

        top = QFormLayout()
        with db.reading() as session:
            saved = mapping_names(session)
        self.saved_mappings = QComboBox()
        self.saved_mappings.setObjectName("savedMappings")
        self.saved_mappings.addItem("(a new mapping)", None)
        for name in saved:
            self.saved_mappings.addItem(name, name)
        self.saved_mappings.currentIndexChanged.connect(self._use_saved)
        if saved:
            top.addRow("Start from", self.saved_mappings)
        self.name = QLineEdit(path.stem)
        self.name.setObjectName("mappingName")
        self.source = QLineEdit("csv")
        self.source.setObjectName("mappingSource")
        self.source.setToolTip(
            "Stored with each order; with the order number it keeps orders apart, e.g. bigcartel."
        )
        self.date_format = QLineEdit()
        self.date_format.setObjectName("mappingDateFormat")
        self.date_format.setPlaceholderText("optional, e.g. %d.%m.%Y")
        top.addRow("Mapping name", self.name)
        top.addRow("Shop name", self.source)
        top.addRow("Date format", self.date_format)
        layout.addLayout(top)

        fields = QWidget()
        form = QFormLayout(fields)
        self.combos: dict[str, QComboBox] = {}
        guess = suggest_columns(table.header)
        for field_name, label in ORDER_FIELDS.items():
            combo = QComboBox()
            combo.setObjectName(f"map_{field_name}")
            combo.addItem(NOT_IN_FILE, "")
            for column in table.header:
                combo.addItem(column, column)
            combo.setCurrentIndex(max(0, combo.findData(guess.get(field_name, ""))))
            combo.currentIndexChanged.connect(self._update_problems)
            self.combos[field_name] = combo
            form.addRow(label, combo)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(fields)
        layout.addWidget(scroll, 1)

        self.problems = QLabel()
        self.problems.setObjectName("mappingProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b91c1c;")
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton("Save and import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveMappingButton")
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        for edit in (self.name, self.source, self.date_format):
            edit.textChanged.connect(self._update_problems)
        self._update_problems()
        self.resize(760, 780)

    def mapping(self) -> ColumnMapping:
        return ColumnMapping(
            name=self.name.text().strip(),
            columns={name: combo.currentData() for name, combo in self.combos.items() if combo.currentData()},
            source=self.source.text().strip(),
            date_format=self.date_format.text().strip() or None,
        )

    def _use_saved(self) -> None:
        name = self.saved_mappings.currentData()
        if not name:
            return
        with self.db.reading() as session:
            mapping = load_mapping(session, name)
        self.name.setText(mapping.name)
        self.source.setText(mapping.source)
        self.date_format.setText(mapping.date_format or "")
        for field_name, combo in self.combos.items():
            combo.setCurrentIndex(max(0, combo.findData(mapping.columns.get(field_name, ""))))

    def _update_problems(self) -> None:
        problems = self.mapping().problems(self.table.header)
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        self.save_button.setEnabled(not problems)

    def save(self) -> None:
        mapping = self.mapping()
        if mapping.problems(self.table.header):
            self._update_problems()
            return
        with self.db.unit_of_work() as uow:
            save_mapping(uow.session, mapping)
            uow.commit()
        self.accept()
        self.mapping_saved.emit(mapping)
