"""The detail pane beside the order list: address, note, lines with unmistakable quantities, history."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from shopdesk.corrections.history import CorrectionSummary, CustomerHistory
from shopdesk.corrections.service import can_correct
from shopdesk.db.models import CorrectionCause
from shopdesk.orders.queries import LineView, OrderDetail
from shopdesk.orders.sources import source_name
from shopdesk.ui.order_table_model import STATUS_COLOURS


def _label(
    text: str = "", object_name: str = "", *, wrap: bool = True, selectable: bool = False, rich: bool = False
) -> QLabel:
    """A label showing ``text`` as it is, or as HTML when ``rich`` (then the caller escapes)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if object_name:
        label.setObjectName(object_name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class LineRow(QFrame):
    """One order line. The quantity is large, and framed dark when above 1 so a 2 is never read as a 1."""

    def __init__(self, line: LineView) -> None:
        super().__init__()
        self.setObjectName("lineRow")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(12)
        quantity = _label(f"×{line.quantity}" if line.quantity > 1 else "1", "lineQuantity", wrap=False)
        quantity.setProperty("many", line.quantity > 1)
        quantity.setAlignment(Qt.AlignmentFlag.AlignCenter)
        quantity.setAccessibleName(f"quantity {line.quantity}")
        layout.addWidget(quantity, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(_label(line.title, "lineTitle", selectable=True))
        text.addWidget(_label(line.sku, "lineSku", selectable=True))
        if line.variation:
            text.addWidget(_label(line.variation, "lineVariation", selectable=True))
        layout.addLayout(text, 1)


class OrderDetailPane(QScrollArea):
    # The owner accepted (True) or dismissed (False) a change the platform made to the order.
    change_decided = Signal(int, bool)
    # "Something went wrong…" was pressed on this order.
    correction_requested = Signal(int)
    # An order is shown; its customer history and corrections may follow (``show_customer_history``).
    order_shown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderDetail")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.detail: OrderDetail | None = None
        self.show_order(None)

    def show_order(self, detail: OrderDetail | None, pending_changes: Sequence[tuple[int, str]] = ()) -> None:
        self.detail = detail
        body = QWidget()
        body.setObjectName("detailBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(10)
        if detail is None:
            hint = _label("Select an order to see its address, items and history.", "detailHint")
            hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addStretch(1)
            layout.addWidget(hint)
            layout.addStretch(2)
        else:
            self._fill(layout, detail, pending_changes)
        self.setWidget(body)
        if detail is not None:
            self.order_shown.emit(detail.id)

    def _pending_change(self, change_id: int, description: str) -> QFrame:
        box = QFrame()
        box.setObjectName("pendingChange")
        row = QHBoxLayout(box)
        row.addWidget(_label(f"The platform changed this order: {description}", "pendingChangeText"), 1)
        accept = QPushButton("Accept")
        accept.setObjectName("acceptChangeButton")
        accept.clicked.connect(lambda: self.change_decided.emit(change_id, True))
        keep = QPushButton("Keep ours")
        keep.setObjectName("dismissChangeButton")
        keep.clicked.connect(lambda: self.change_decided.emit(change_id, False))
        row.addWidget(accept)
        row.addWidget(keep)
        return box

    def _fill(
        self, layout: QVBoxLayout, detail: OrderDetail, pending_changes: Sequence[tuple[int, str]]
    ) -> None:
        header = QHBoxLayout()
        header.addWidget(_label(detail.number, "detailNumber", wrap=False, selectable=True))
        foreground, background = STATUS_COLOURS[detail.status]
        badge = _label(detail.status.label, "statusBadge", wrap=False)
        badge.setStyleSheet(f"color: {foreground}; background: {background};")
        header.addWidget(badge)
        header.addStretch(1)
        if can_correct(detail) is None:
            wrong = QPushButton("Something went wrong…")
            wrong.setObjectName("somethingWrongButton")
            wrong.setToolTip("Own a mistake with this order: free replacement, apology, note (Ctrl+E)")
            wrong.clicked.connect(lambda: self.correction_requested.emit(detail.id))
            header.addWidget(wrong)
        layout.addLayout(header)
        source = source_name(detail.source)
        when = detail.placed_at.astimezone().strftime("%A %d %B %Y, %H:%M")
        subtitle = f"{source} · placed {when}"
        if detail.parent_number:
            subtitle += f" · replacement for order {detail.parent_number}"
        layout.addWidget(_label(subtitle, "detailSubtitle"))
        for change_id, description in pending_changes:
            layout.addWidget(self._pending_change(change_id, description))

        layout.addWidget(_label("Ship to", "sectionTitle"))
        address = "<br>".join(escape(part) for part in detail.ship_to_lines)
        if detail.email:
            address += f"<br><span style='color:#64748b'>{escape(detail.email)}</span>"
        layout.addWidget(_label(address, "detailAddress", selectable=True, rich=True))

        if detail.buyer_note:
            note = "<b>Note from the buyer</b><br>" + escape(detail.buyer_note).replace("\n", "<br>")
            layout.addWidget(_label(note, "buyerNote", selectable=True, rich=True))

        units = detail.units
        lines_word = "line" if len(detail.lines) == 1 else "lines"
        layout.addWidget(
            _label(
                f"Items — {units} unit{'s' if units != 1 else ''} in {len(detail.lines)} {lines_word}",
                "sectionTitle",
            )
        )
        lines = QWidget()
        lines.setObjectName("detailLines")
        lines_layout = QVBoxLayout(lines)
        lines_layout.setContentsMargins(0, 0, 0, 0)
        lines_layout.setSpacing(6)
        for line in detail.lines:
            lines_layout.addWidget(LineRow(line))
        layout.addWidget(lines)

        if detail.check_skip_reason:
            layout.addWidget(_label(f"Packed without checking: {detail.check_skip_reason}", "skipWarning"))
        if detail.tracking_number:
            layout.addWidget(_label(f"Tracking: {detail.tracking_number}", "detailTracking", selectable=True))

        self.customer_history = QWidget()
        self.customer_history.setObjectName("customerHistory")
        history_layout = QVBoxLayout(self.customer_history)
        history_layout.setContentsMargins(0, 0, 0, 0)
        self.customer_history.hide()
        layout.addWidget(self.customer_history)

        layout.addWidget(_label("History", "sectionTitle"))
        history = "<br>".join(
            f"<span style='color:#64748b'>{event.at.astimezone():%d %b %H:%M}</span>&nbsp; {escape(event.summary)}"
            for event in reversed(detail.events)
        )
        layout.addWidget(_label(history or "Nothing yet.", "detailHistory", selectable=True, rich=True))
        layout.addStretch(1)

    def show_customer_history(
        self, order_id: int, history: CustomerHistory, corrections: Sequence[CorrectionSummary]
    ) -> None:
        """The corrections of the order shown, and the customer's earlier orders and problems."""
        if self.detail is None or self.detail.id != order_id:
            return  # another order was selected meanwhile
        outer = self.customer_history.layout()
        while outer.count():  # read again for the same order: the newer reading replaces the older
            outer.takeAt(0).widget().deleteLater()
        content = QWidget()
        outer.addWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        if corrections:
            layout.addWidget(_label("Put right", "sectionTitle"))
            for correction in corrections:
                layout.addWidget(_label(_correction_text(correction), "correctionSummary", rich=True))
        if history.orders:
            layout.addWidget(_label("Customer history", "sectionTitle"))
            if history.had_problem:
                problems = "; ".join(
                    f"order {escape(c.order_number)} ({c.kind.label.lower()}, {c.created_at.astimezone():%d %b %Y})"
                    for c in history.corrections
                )
                layout.addWidget(
                    _label(
                        f"<b>Had a problem before</b> — {problems}. Take extra care.", "hadProblem", rich=True
                    )
                )
            shown = history.orders[:6]
            rows = "<br>".join(
                f"<span style='color:#64748b'>{order.placed_at.astimezone():%d %b %Y}</span>&nbsp; "
                f"{escape(order.number)} · {escape(source_name(order.source))} · {order.status.label.lower()} · "
                f"{order.units} unit{'s' if order.units != 1 else ''}"
                for order in shown
            )
            if len(history.orders) > len(shown):
                rows += f"<br>…and {len(history.orders) - len(shown)} earlier orders"
            layout.addWidget(_label(rows, "earlierOrders", selectable=True, rich=True))
        self.customer_history.setVisible(bool(corrections or history.orders))


def _correction_text(correction: CorrectionSummary) -> str:
    owed = ", ".join(
        f"{units} × {escape(sku)}" + (f" (sent {escape(sent)} instead)" if sent else "")
        for problem, sku, units, sent in correction.lines
        if problem != "extra"
    )
    text = (
        f"<span style='color:#64748b'>{correction.created_at.astimezone():%d %b %H:%M}</span>&nbsp; "
        f"<b>{correction.kind.label}</b>: {owed} → replacement {escape(correction.replacement_number)} "
        f"({correction.replacement_status.label.lower()})"
    )
    if correction.rma:
        back = "back" if correction.return_received_at else "not back yet"
        text += f" · return {escape(correction.rma)} ({back})"
    text += f"<br><span style='color:#64748b'>Cause (only you see this): {CorrectionCause(correction.cause).label.lower()}</span>"
    if correction.what_we_will_change:
        text += f"<br>What changes: {escape(correction.what_we_will_change)}"
    return text
