"""File → New order: an order that came by phone, by email or at a show, typed in by hand."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDateTime, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from shopdesk.db.database import Database
from shopdesk.db.models import Product
from shopdesk.importers.manual import ManualOrderInvalid, add_manual_order, next_manual_number
from shopdesk.orders.drafts import LineDraft, OrderDraft

LINE_HEADERS = ("SKU", "Item", "Quantity", "Variation / personalization")
SKU, TITLE, QUANTITY, VARIATION = range(4)


class LineDraftModel(QAbstractTableModel):
    """The order's lines, edited in place; a known SKU fills in its title."""

    def __init__(self, titles: dict[str, str], parent=None) -> None:
        super().__init__(parent)
        self.lines: list[LineDraft] = [LineDraft("", "", 1)]
        self._titles = titles

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(LINE_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < 4
        ):
            return LINE_HEADERS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        line = self.lines[index.row()]
        return (line.sku, line.title, line.quantity, line.variation)[index.column()]

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        line = self.lines[index.row()]
        column = index.column()
        if column == SKU:
            line.sku = str(value).strip().upper()
            if not line.title and line.sku in self._titles:
                line.title = self._titles[line.sku]
                title_index = self.index(index.row(), TITLE)
                self.dataChanged.emit(title_index, title_index)
        elif column == TITLE:
            line.title = str(value).strip()
        elif column == QUANTITY:
            try:
                line.quantity = int(value)
            except (TypeError, ValueError):
                return False
        else:
            line.variation = str(value)
        self.dataChanged.emit(index, index)
        return True

    def add_line(self) -> None:
        self.beginInsertRows(QModelIndex(), len(self.lines), len(self.lines))
        self.lines.append(LineDraft("", "", 1))
        self.endInsertRows()

    def remove_line(self, row: int) -> None:
        if 0 <= row < len(self.lines):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.lines[row]
            self.endRemoveRows()


class NewOrderDialog(QDialog):
    order_added = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("newOrderDialog")
        self.setWindowTitle("New order")
        with db.reading() as session:
            number = next_manual_number(session)
            titles = dict(session.execute(select(Product.sku, Product.title)).all())
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}

        def field(name: str, label: str, text: str = "") -> QLineEdit:
            edit = QLineEdit(text)
            edit.setObjectName(f"order_{name}")
            self.fields[name] = edit
            form.addRow(label, edit)
            return edit

        field("number", "Order number", number)
        self.placed_at = QDateTimeEdit(QDateTime.currentDateTime())
        self.placed_at.setObjectName("order_placed_at")
        self.placed_at.setCalendarPopup(True)
        form.addRow("Ordered on", self.placed_at)
        field("customer_name", "Customer")
        field("email", "Email")
        field("ship_name", "Ship to: name")
        field("ship_address1", "Street")
        field("ship_address2", "Street, second line")
        field("ship_city", "City")
        field("ship_region", "State or province")
        field("ship_postcode", "Postcode")
        field("ship_country", "Country")
        self.note = QPlainTextEdit()
        self.note.setObjectName("order_buyer_note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(60)
        form.addRow("Note from the buyer", self.note)
        self.fields["customer_name"].textChanged.connect(self._copy_name)
        layout.addLayout(form)

        layout.addWidget(QLabel("Items"))
        self.lines = LineDraftModel(titles, self)
        self.lines_view = QTableView()
        self.lines_view.setObjectName("orderLines")
        self.lines_view.setModel(self.lines)
        self.lines_view.horizontalHeader().setStretchLastSection(True)
        self.lines_view.setColumnWidth(TITLE, 220)
        layout.addWidget(self.lines_view, 1)
        line_buttons = QHBoxLayout()
        add = QPushButton("Add item")
        add.setObjectName("addLineButton")
        add.clicked.connect(self.lines.add_line)
        remove = QPushButton("Remove item")
        remove.clicked.connect(lambda: self.lines.remove_line(self.lines_view.currentIndex().row()))
        line_buttons.addWidget(add)
        line_buttons.addWidget(remove)
        line_buttons.addStretch(1)
        layout.addLayout(line_buttons)

        self.problems = QLabel()
        self.problems.setObjectName("orderProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b91c1c;")
        self.problems.hide()
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("saveOrderButton")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 760)

    def _copy_name(self, text: str) -> None:
        ship_name = self.fields["ship_name"]
        if not ship_name.isModified():
            ship_name.setText(text)

    def draft(self) -> OrderDraft:
        value = {name: edit.text().strip() for name, edit in self.fields.items()}
        return OrderDraft(
            source="manual",
            number=value["number"],
            placed_at=self.placed_at.dateTime().toPython().astimezone(),
            customer_name=value["customer_name"] or value["ship_name"],
            email=value["email"] or None,
            ship_name=value["ship_name"],
            ship_address1=value["ship_address1"],
            ship_address2=value["ship_address2"],
            ship_city=value["ship_city"],
            ship_region=value["ship_region"],
            ship_postcode=value["ship_postcode"],
            ship_country=value["ship_country"],
            buyer_note=self.note.toPlainText().strip(),
            lines=[LineDraft(ln.sku, ln.title, ln.quantity, ln.variation) for ln in self.lines.lines],
        )

    def save(self) -> None:
        try:
            order_id = add_manual_order(self.db, self.draft())
        except ManualOrderInvalid as invalid:
            self.problems.setText("\n".join(invalid.problems.values()))
            self.problems.show()
            return
        self.accept()
        self.order_added.emit(order_id)
