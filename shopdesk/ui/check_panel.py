"""The check screen: big, keyboard-first, legible from arm's length at the packing bench.

Layout and looks only. It shows a ``CheckState`` and the last outcome, and turns what the packer
does (a scan + Enter, a "+1", a button) into signals; ``CheckController`` decides what they mean.
The scan field keeps the keyboard focus whatever is clicked, so a USB scanner always types into it.

Colours come from ``resources/styles/shopdesk.qss`` through dynamic properties: the message's
``outcome`` (counted, wrong_item, over, complete, info), each line's ``state`` (todo, partial,
done) and the whole screen's ``complete``.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from shopdesk.checking import CheckLine, CheckState
from shopdesk.db.models import OrderStatus
from shopdesk.orders.sources import source_name

PICTURE_SIZE = 112
# Lines 1 to 9 get a "+1" shortcut: Alt+1 … Alt+9.
SHORTCUT_LINES = 9


def _label(text: str = "", name: str = "", *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    if name:
        label.setObjectName(name)
    return label


def _set_property(widget: QWidget, name: str, value) -> None:
    """Set a dynamic property the stylesheet reads, and restyle the widget if it changed."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _counter_text(line: CheckLine) -> str:
    return f"{line.counted} / {line.quantity}"


class LineCard(QFrame):
    """One order line: picture, title, variation in full, and the big counter."""

    plus_one_clicked = Signal(int)  # line id

    def __init__(self, line: CheckLine) -> None:
        super().__init__()
        self.line_id = line.id
        self.setObjectName(f"checkLine_{line.number}")
        self.setProperty("checkLine", True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(16)

        number = _label(str(line.number), "checkLineNumber", wrap=False)
        number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(number, 0, Qt.AlignmentFlag.AlignVCenter)

        picture = self._picture(line.picture_path)
        if picture is not None:
            layout.addWidget(picture, 0, Qt.AlignmentFlag.AlignVCenter)

        text = QVBoxLayout()
        text.setSpacing(3)
        text.addWidget(_label(escape(line.title or line.sku), "checkLineTitle"))
        codes = line.sku + (
            f"   ·   barcode {line.barcode}" if line.barcode else "   ·   no barcode: press +1"
        )
        text.addWidget(_label(escape(codes), "checkLineCodes"))
        if line.variation:
            variation = _label(escape(line.variation).replace("\n", "<br>"), "checkLineVariation")
            variation.setTextFormat(Qt.TextFormat.RichText)
            text.addWidget(variation)
        if line.warning:
            text.addWidget(_label(f"⚠  {escape(line.warning)}", "checkLineWarning"))
        layout.addLayout(text, 1)

        self.counter = _label(_counter_text(line), "lineCounter", wrap=False)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.counter, 0, Qt.AlignmentFlag.AlignVCenter)

        self.plus_one: QPushButton | None = None
        if line.barcode:
            # Same width as the "+1" button, so every counter stands in one column.
            hint = _label("scan", "scanHint", wrap=False)
            hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(hint, 0, Qt.AlignmentFlag.AlignVCenter)
        else:
            shortcut = f"\nAlt+{line.number}" if line.number <= SHORTCUT_LINES else ""
            self.plus_one = QPushButton(f"+1{shortcut}")
            self.plus_one.setObjectName("plusOneButton")
            self.plus_one.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.plus_one.setToolTip("Count one unit of this item by hand (it has no barcode)")
            self.plus_one.clicked.connect(lambda: self.plus_one_clicked.emit(self.line_id))
            layout.addWidget(self.plus_one, 0, Qt.AlignmentFlag.AlignVCenter)
        self.update_line(line, last=False)

    def _picture(self, path: str | None) -> QLabel | None:
        if not path:
            return None
        pixmap = QPixmap(path)
        if pixmap.isNull():
            return None
        picture = QLabel()
        picture.setObjectName("checkLinePicture")
        picture.setFixedSize(PICTURE_SIZE, PICTURE_SIZE)
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        picture.setPixmap(
            pixmap.scaled(
                PICTURE_SIZE,
                PICTURE_SIZE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        return picture

    def update_line(self, line: CheckLine, *, last: bool) -> None:
        self.counter.setText(_counter_text(line))
        self.counter.setAccessibleName(f"{line.counted} of {line.quantity} counted")
        state = "done" if line.is_complete else "partial" if line.counted else "todo"
        _set_property(self, "state", state)
        _set_property(self.counter, "state", state)
        _set_property(self, "last", last)
        if self.plus_one is not None:
            self.plus_one.setEnabled(not line.is_complete)


class SkipReasonDialog(QDialog):
    """Asks why the order is packed without checking; OK stays disabled while the reason is blank."""

    def __init__(self, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("skipReasonDialog")
        self.setWindowTitle("Pack without checking")
        layout = QVBoxLayout(self)
        text = _label(
            f"Order {escape(number)} will be packed without checking every item.<br>"
            "Say why, in a few words. The reason is printed on the packing slip and kept in the history."
        )
        text.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(text)
        self.reason = QLineEdit()
        self.reason.setObjectName("skipReasonInput")
        self.reason.setPlaceholderText("e.g. the scanner is broken, counted twice by eye")
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("skipConfirmButton")
        self.ok_button.setText("Pack without checking")
        self.ok_button.setEnabled(False)
        self.reason.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def accept(self) -> None:
        if self.reason.text().strip():  # Enter in the field must not get past a blank reason either
            super().accept()


class CheckPanel(QWidget):
    scan_submitted = Signal(str)
    plus_one_clicked = Signal(int)  # line id
    start_over_clicked = Signal()
    skip_clicked = Signal()
    back_requested = Signal()
    # Take the check over from the station that holds it (only shown while another one does).
    take_over_clicked = Signal()
    # The packing slip of this order should print now. Only emitted while the button is enabled.
    print_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.state: CheckState | None = None
        self.cards: list[LineCard] = []
        self._build()
        self._build_shortcuts()
        QApplication.instance().focusChanged.connect(self._keep_scan_focus)

    # -- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 14, 20, 14)
        outer.setSpacing(12)

        header = QHBoxLayout()
        header.setSpacing(18)
        self.back_button = self._button("← Orders  (Esc)", "backButton", self.back_requested.emit)
        header.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.number_label = _label("", "checkOrderNumber", wrap=False)
        self.recipient_label = _label("", "checkRecipient", wrap=False)
        self.source_label = _label("", "checkSource", wrap=False)
        titles.addWidget(self.number_label)
        titles.addWidget(self.recipient_label)
        titles.addWidget(self.source_label)
        header.addLayout(titles, 1)
        progress = QVBoxLayout()
        progress.setSpacing(0)
        self.progress_label = _label("", "checkProgress", wrap=False)
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.progress_caption = _label("items checked", "checkProgressCaption", wrap=False)
        self.progress_caption.setAlignment(Qt.AlignmentFlag.AlignRight)
        progress.addWidget(self.progress_label)
        progress.addWidget(self.progress_caption)
        header.addLayout(progress)
        outer.addLayout(header)

        # "Had a problem last time — take extra care": this customer's earlier order went wrong.
        self.care_note = _label("", "extraCareNote")
        self.care_note.hide()
        outer.addWidget(self.care_note)

        self.message = _label("", "checkMessage")
        self.message.setMinimumHeight(96)  # two lines, so the lines below never jump
        outer.addWidget(self.message)

        # Shown only while another packing station holds this order's check.
        self.take_over_button = self._button(
            "Take over this check", "takeOverButton", self.take_over_clicked.emit
        )
        self.take_over_button.setToolTip("Check this order here; the other station can no longer count it")
        self.take_over_button.hide()
        outer.addWidget(self.take_over_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.scan_input = QLineEdit()
        self.scan_input.setObjectName("scanInput")
        self.scan_input.setPlaceholderText("Scan an item — or type its SKU and press Enter")
        self.scan_input.returnPressed.connect(self._submit_scan)
        outer.addWidget(self.scan_input)

        self.lines_area = QScrollArea()
        self.lines_area.setObjectName("checkLines")
        self.lines_area.setWidgetResizable(True)
        self.lines_area.setFrameShape(QFrame.Shape.NoFrame)
        self.lines_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer.addWidget(self.lines_area, 1)

        footer = QHBoxLayout()
        footer.setSpacing(10)
        self.start_over_button = self._button("Start over…", "startOverButton", self.start_over_clicked.emit)
        self.skip_button = self._button("Pack without checking…", "skipCheckButton", self.skip_clicked.emit)
        footer.addWidget(self.start_over_button)
        footer.addWidget(self.skip_button)
        self.skip_note = _label("", "checkSkipNote")
        footer.addWidget(self.skip_note, 1)
        self.print_button = self._button("Print packing slip", "printSlipButton", self._print)
        footer.addWidget(self.print_button)
        outer.addLayout(footer)

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # clicking never takes the focus from the scan field
        button.clicked.connect(lambda: (slot(), self.focus_scan()))
        return button

    def _build_shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        escape_key = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, context=context)
        escape_key.activated.connect(self._escape)
        for number in range(1, SHORTCUT_LINES + 1):
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self, context=context)
            shortcut.activated.connect(lambda n=number: self._plus_one_by_number(n))

    # -- showing the check -----------------------------------------------------------------------

    def show_state(self, state: CheckState, *, last_line_id: int | None = None) -> None:
        same_lines = (
            self.state is not None
            and self.state.order_id == state.order_id
            and [line.id for line in self.state.lines] == [line.id for line in state.lines]
        )
        self.state = state
        if not same_lines:
            self._build_cards(state)
        for card, line in zip(self.cards, state.lines, strict=True):
            card.update_line(line, last=line.id == last_line_id)
            if line.id == last_line_id:
                self.lines_area.ensureWidgetVisible(card)

        self.number_label.setText(f"Order {state.number}")
        self.recipient_label.setText(state.recipient)
        status = "" if state.status == OrderStatus.NEW else f"   ·   {state.status.label}"
        self.source_label.setText(source_name(state.source) + status)
        self.progress_label.setText(f"{state.units_counted} / {state.units_total}")
        _set_property(self, "complete", state.is_complete)

        blocked = state.blocked_reason
        self.print_button.setEnabled(blocked is None)
        self.print_button.setText(
            "Print packing slip" if blocked is None else f"Print packing slip — {blocked}"
        )
        self.print_button.setToolTip(
            "Print this order's packing slip"
            if blocked is None
            else "The packing slip prints once every item is checked"
        )
        checkable = state.status in (OrderStatus.NEW, OrderStatus.CHECKED)
        self.start_over_button.setEnabled(checkable and state.is_started)
        self.skip_button.setEnabled(state.status == OrderStatus.NEW and not state.is_skipped)
        self.skip_note.setText(
            f"Packed without checking: {state.skip_reason}"
            if state.is_skipped and not state.is_complete
            else ""
        )

    def _build_cards(self, state: CheckState) -> None:
        body = QWidget()
        body.setObjectName("checkLinesBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.cards = []
        for line in state.lines:
            card = LineCard(line)
            card.plus_one_clicked.connect(self._plus_one)
            layout.addWidget(card)
            self.cards.append(card)
        layout.addStretch(1)
        self.lines_area.setWidget(body)  # the previous body is deleted with its cards

    def show_care_note(self, text: str) -> None:
        """A note above the check that stays while the order is open; hidden when ``text`` is empty."""
        self.care_note.setText(text)
        self.care_note.setVisible(bool(text))

    def show_outcome(self, outcome: str, message: str) -> None:
        """The big message under the header, coloured by ``outcome``."""
        self.message.setText(message)
        _set_property(self.message, "outcome", outcome)

    def show_take_over(self, visible: bool) -> None:
        self.take_over_button.setVisible(visible)

    def card(self, number: int) -> LineCard:
        return self.cards[number - 1]

    # -- asking the packer -----------------------------------------------------------------------

    def confirm(
        self, name: str, title: str, text: str, yes: str, no: str, on_yes: Callable[[], None]
    ) -> QMessageBox:
        """Ask a yes/no question without blocking; "no" is the default, so a stray Enter is harmless."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self)
        box.setObjectName(name)
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        yes_button.setObjectName("confirmYes")
        no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
        no_button.setObjectName("confirmNo")
        box.setDefaultButton(no_button)
        box.setEscapeButton(no_button)

        def answered() -> None:
            if box.clickedButton() is yes_button:
                on_yes()
            box.deleteLater()
            self._back_from_dialog()

        box.finished.connect(answered)
        box.open()
        return box

    def ask_skip_reason(self, on_reason: Callable[[str], None]) -> SkipReasonDialog:
        dialog = SkipReasonDialog(self.state.number if self.state else "", self)

        def answered(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                on_reason(dialog.reason.text())
            dialog.deleteLater()
            self._back_from_dialog()

        dialog.finished.connect(answered)
        dialog.open()
        return dialog

    # -- input -----------------------------------------------------------------------------------

    def focus_scan(self) -> None:
        if self.isVisible():
            self.scan_input.setFocus(Qt.FocusReason.OtherFocusReason)

    def _back_from_dialog(self) -> None:
        """After a question, the screen is active again with the scan field ready for the next scan."""
        if self.isVisible():
            self.window().activateWindow()
            self.focus_scan()

    def _keep_scan_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Whatever inside the screen got the focus, give it back to the scan field."""
        if new is not None and new is not self.scan_input and self.isAncestorOf(new):
            self.scan_input.setFocus(Qt.FocusReason.OtherFocusReason)

    def _submit_scan(self) -> None:
        code = self.scan_input.text()
        self.scan_input.clear()
        if code.strip():
            self.scan_submitted.emit(code)

    def _plus_one(self, line_id: int) -> None:
        self.plus_one_clicked.emit(line_id)
        self.focus_scan()

    def _plus_one_by_number(self, number: int) -> None:
        if number <= len(self.cards) and self.cards[number - 1].plus_one is not None:
            self._plus_one(self.cards[number - 1].line_id)

    def _escape(self) -> None:
        if self.scan_input.text():
            self.scan_input.clear()
        else:
            self.back_requested.emit()

    def _print(self) -> None:
        if self.state is not None and self.print_button.isEnabled():
            self.print_requested.emit(self.state.order_id)
