"""Something went wrong…: one dialog, pre-filled from the order, and one button that owns the mistake.

Left, what happened and what is owed; right, the note the customer will get, as it will read. The
big "Apologise and reship" button is enabled only when the answers make a correction the core would
take; otherwise the reason shows beside it. After the click the dialog shows what was done: the
replacement, the apology note and return label to print, and the note to the customer.

Layout only; ``CorrectionController`` does the work.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk.corrections.service import (
    CorrectionRequest,
    CorrectionResult,
    OwedLine,
)
from shopdesk.corrections.templates import FilledIn
from shopdesk.db.models import CorrectionCause, CorrectionKind
from shopdesk.documents.data import Address
from shopdesk.errors import ShopDeskError
from shopdesk.orders.sources import source_name
from shopdesk.ui.note_hand_over import NoteHandOver

if TYPE_CHECKING:
    from shopdesk.ui.correction_controller import CorrectionForm

# What each kind of mistake means for the lines the owner names.
LINE_PROBLEM = {
    CorrectionKind.MISSING: "missing",
    CorrectionKind.SHORT: "missing",
    CorrectionKind.WRONG_ITEM: "wrong_item",
    CorrectionKind.DAMAGED: "damaged",
    CorrectionKind.LOST: "resend",
    CorrectionKind.WRONG_ADDRESS: "resend",
    CorrectionKind.OTHER: "resend",
}
# Kinds where the whole parcel goes again: every line starts at everything still owable.
WHOLE_PARCEL = (CorrectionKind.LOST, CorrectionKind.WRONG_ADDRESS)
CAUSES = (
    CorrectionCause.PACKING,
    CorrectionCause.STOCK,
    CorrectionCause.CARRIER,
    CorrectionCause.SUPPLIER,
    CorrectionCause.CUSTOMER,
    CorrectionCause.UNKNOWN,
)
PREVIEW_DELAY_MS = 150


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("correctionSection")
    return label


def _hint(text: str, name: str = "correctionHint") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def _product_combo(products: tuple[tuple[str, str], ...], name: str, blank: str) -> QComboBox:
    """Pick a product by SKU or title, or type a SKU ShopDesk has not seen."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    # Completes in the field itself: a pop-up list would take the keyboard while the owner types.
    combo.completer().setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
    combo.lineEdit().setPlaceholderText(blank)
    combo.addItem("", "")
    for sku, title in products:
        combo.addItem(f"{sku} — {title}" if title else sku, sku)
    combo.setCurrentIndex(0)
    return combo


def combo_sku(combo: QComboBox) -> str:
    """The SKU chosen in ``combo``, or typed into it ("ROSE-PNK — Pink Rose patch" → "ROSE-PNK")."""
    text = combo.currentText().strip()
    index = combo.findText(text)
    if index >= 0:
        return combo.itemData(index) or ""
    return text.split(" — ")[0].strip()


class OwedLineRow:
    """One order line in the dialog: how many units are owed, and (wrong item) what went instead."""

    def __init__(self, grid: QGridLayout, row: int, line, products) -> None:
        self.line = line
        title = QLabel(
            f"<b>{escape(line.title or line.sku)}</b><br><span style='color:#64748b'>"
            f"{escape(line.sku)}{' · ' + escape(line.variation) if line.variation else ''}</span>"
        )
        title.setTextFormat(Qt.TextFormat.RichText)
        title.setWordWrap(True)
        self.units = QSpinBox()
        self.units.setObjectName(f"owedUnits_{row}")
        self.units.setRange(0, max(line.owable, 0))
        self.units.setEnabled(line.owable > 0)
        self.units.setAccessibleName(f"units of {line.sku} owed")
        self.units.setMinimumWidth(64)
        of = "already owed by an earlier correction" if line.owable <= 0 else f"of {line.ordered} ordered"
        if 0 < line.owable < line.ordered:
            of = f"of {line.ordered} ordered ({line.ordered - line.owable} owed before)"
        self.of = QLabel(of)
        self.of.setObjectName("owedOf")
        self.sent = _product_combo(products, f"sentInstead_{row}", "what went out instead (SKU)")
        self.sent.setMinimumWidth(220)
        grid.addWidget(title, row, 0)
        grid.addWidget(self.units, row, 1)
        grid.addWidget(self.of, row, 2)
        grid.addWidget(self.sent, row, 3)


class CorrectionDialog(QDialog):
    # "Apologise and reship" with everything the owner said.
    reship_requested = Signal(object)  # CorrectionRequest

    def __init__(
        self,
        form: CorrectionForm,
        preview: Callable[[CorrectionRequest], FilledIn],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = form
        self._preview = preview
        self.setObjectName("correctionDialog")
        self.setWindowTitle(f"Something went wrong with order {form.number}")
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        # The units owed before a whole-parcel answer (lost, wrong address) filled every line.
        self._before_whole_parcel: list[int] | None = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_form())
        self.pages.addWidget(self._build_result())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._kind_changed()
        self.update_preview()
        self.resize(1180, 800)

    # -- the form --------------------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        form = self.form
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(20, 16, 20, 16)
        outer.setSpacing(12)
        title = QLabel(f"Order {escape(form.number)} — {escape(form.customer)}")
        title.setObjectName("correctionTitle")
        outer.addWidget(title)
        outer.addWidget(
            _hint(
                f"{source_name(form.source)} · {form.status.label.lower()}. Say what went wrong; one click "
                "then sends what is owed free of charge, with an apology, and tells the customer.",
                "correctionSubtitle",
            )
        )

        columns = QHBoxLayout()
        columns.setSpacing(20)
        scroll = QScrollArea()
        scroll.setObjectName("correctionForm")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("correctionFormBody")
        left = QVBoxLayout(body)
        left.setContentsMargins(0, 0, 8, 0)
        left.setSpacing(8)

        left.addWidget(_section("What happened?"))
        self.kind = QComboBox()
        self.kind.setObjectName("kindCombo")
        for kind in CorrectionKind:
            self.kind.addItem(kind.label, kind.value)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        left.addWidget(self.kind)

        self.lines_title = _section("What is owed")
        left.addWidget(self.lines_title)
        grid_box = QFrame()
        grid_box.setObjectName("owedLines")
        grid = QGridLayout(grid_box)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(0, 1)
        self.rows = [
            OwedLineRow(grid, number, line, form.products) for number, line in enumerate(form.lines, 1)
        ]
        if len(self.rows) == 1 and self.rows[0].line.owable > 0:
            self.rows[0].units.setValue(1)
        left.addWidget(grid_box)

        self.return_box = QFrame()
        self.return_box.setObjectName("returnChoice")
        return_layout = QVBoxLayout(self.return_box)
        return_layout.setContentsMargins(10, 6, 10, 6)
        self.ask_back = QRadioButton(
            "Ask for it back — a return label goes in the parcel and with the note, no rush"
        )
        self.ask_back.setObjectName("askBackRadio")
        self.keep = QRadioButton("Let the customer keep it")
        self.keep.setObjectName("keepRadio")
        self.return_group = QButtonGroup(self)
        self.return_group.addButton(self.ask_back)
        self.return_group.addButton(self.keep)
        self.ask_back.setChecked(True)
        return_layout.addWidget(_hint("What was sent by mistake:"))
        return_layout.addWidget(self.ask_back)
        return_layout.addWidget(self.keep)
        left.addWidget(self.return_box)

        self.address_box = QFrame()
        self.address_box.setObjectName("newAddress")
        address = QFormLayout(self.address_box)
        ship = form.ship_to
        self.address_fields: dict[str, QLineEdit] = {}
        for key, label, value in (
            ("name", "Name", ship.name),
            ("address1", "Address", ship.address1),
            ("address2", "", ship.address2),
            ("city", "City", ship.city),
            ("region", "Region", ship.region),
            ("postcode", "Postcode", ship.postcode),
            ("country", "Country", ship.country),
        ):
            field = QLineEdit(value)
            field.setObjectName(f"ship_{key}")
            self.address_fields[key] = field
            address.addRow(label, field)
        left.addWidget(_section("Ship the replacement to"))
        self.address_title = left.itemAt(left.count() - 1).widget()
        left.addWidget(self.address_box)

        left.addWidget(_section("Why did it happen?"))
        self.cause = QComboBox()
        self.cause.setObjectName("causeCombo")
        for cause in CAUSES:
            self.cause.addItem(cause.label, cause.value)
        self.cause.setCurrentIndex(CAUSES.index(CorrectionCause.UNKNOWN))
        left.addWidget(self.cause)
        left.addWidget(
            _hint("Only you see this. It is never printed or sent to the customer.", "privateHint")
        )

        left.addWidget(_section("A little extra (optional)"))
        extra_row = QHBoxLayout()
        self.extra_sku = _product_combo(form.products, "extraSku", "a free extra, e.g. one more patch")
        self.extra_units = QSpinBox()
        self.extra_units.setObjectName("extraUnits")
        self.extra_units.setRange(0, 20)
        self.extra_units.setPrefix("× ")
        extra_row.addWidget(self.extra_sku, 1)
        extra_row.addWidget(self.extra_units)
        left.addLayout(extra_row)
        self.goodwill = QLineEdit()
        self.goodwill.setObjectName("goodwillNote")
        self.goodwill.setPlaceholderText("A line for the note, e.g. SORRY15 takes 15% off your next order")
        left.addWidget(self.goodwill)

        left.addWidget(_section("What will you change so it won't happen again?"))
        self.change = QPlainTextEdit()
        self.change.setObjectName("whatWeWillChange")
        self.change.setTabChangesFocus(True)
        self.change.setPlaceholderText(
            "Told to the customer in the follow-up, e.g. every patch is now scanned"
        )
        self.change.setFixedHeight(self.change.fontMetrics().lineSpacing() * 3 + 14)
        left.addWidget(self.change)

        left.addWidget(_section("The customer's email"))
        self.email = QLineEdit(form.email or "")
        self.email.setObjectName("customerEmail")
        if not form.email:
            platform = source_name(form.source)
            self.email.setPlaceholderText(
                f"{platform} gives no email: leave empty to write through {platform}'s messages"
            )
        left.addWidget(self.email)
        left.addStretch(1)
        scroll.setWidget(body)
        columns.addWidget(scroll, 3)

        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(_section("The note to the customer"))
        self.preview_subject = QLabel()
        self.preview_subject.setObjectName("notePreviewSubject")
        self.preview_subject.setWordWrap(True)
        right.addWidget(self.preview_subject)
        self.preview_body = QPlainTextEdit()
        self.preview_body.setObjectName("notePreview")
        self.preview_body.setReadOnly(True)
        self.preview_body.setPlaceholderText("The note appears here, as the customer will read it.")
        right.addWidget(self.preview_body, 1)
        self.plan = _hint("", "correctionPlan")
        right.addWidget(self.plan)
        columns.addLayout(right, 2)
        outer.addLayout(columns, 1)

        footer = QHBoxLayout()
        footer.setSpacing(12)
        self.problem = _hint("", "correctionProblem")
        footer.addWidget(self.problem, 1)
        self.busy = QProgressBar()
        self.busy.setObjectName("busyBar")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedWidth(140)
        self.busy.hide()
        footer.addWidget(self.busy)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelCorrectionButton")
        self.cancel_button.clicked.connect(self.reject)
        footer.addWidget(self.cancel_button)
        self.reship_button = QPushButton("Apologise and reship")
        self.reship_button.setObjectName("reshipButton")
        self.reship_button.setDefault(True)
        self.reship_button.clicked.connect(self._reship_clicked)
        footer.addWidget(self.reship_button)
        outer.addLayout(footer)

        for row in self.rows:
            row.units.valueChanged.connect(self._changed)
            # What went out instead is asked only of the lines that were wrong.
            row.units.valueChanged.connect(lambda units, sent=row.sent: sent.setEnabled(units > 0))
            row.sent.currentTextChanged.connect(self._changed)
        for signal in (
            self.extra_sku.currentTextChanged,
            self.extra_units.valueChanged,
            self.goodwill.textChanged,
            self.change.textChanged,
            self.email.textChanged,
            self.ask_back.toggled,
        ):
            signal.connect(self._changed)
        return page

    def kind_value(self) -> CorrectionKind:
        return CorrectionKind(self.kind.currentData())

    def _kind_changed(self) -> None:
        kind = self.kind_value()
        wrong = kind == CorrectionKind.WRONG_ITEM
        whole = [row.units.maximum() for row in self.rows]
        if kind in WHOLE_PARCEL and self._before_whole_parcel is None:
            self._before_whole_parcel = [row.units.value() for row in self.rows]
            self._set_units(whole)
        elif kind not in WHOLE_PARCEL and self._before_whole_parcel is not None:
            # Passing by "Lost in transit" on the way to another answer leaves the units as they were.
            if [row.units.value() for row in self.rows] == whole:
                self._set_units(self._before_whole_parcel)
            self._before_whole_parcel = None
        for row in self.rows:
            row.sent.setVisible(wrong)
            row.sent.setEnabled(row.units.value() > 0)
        self.return_box.setVisible(wrong)
        self.address_box.setVisible(kind == CorrectionKind.WRONG_ADDRESS)
        self.address_title.setVisible(kind == CorrectionKind.WRONG_ADDRESS)
        self.lines_title.setText(
            {
                CorrectionKind.WRONG_ITEM: "Which items were wrong, how many, and what went out instead",
                CorrectionKind.DAMAGED: "Which items arrived damaged, and how many",
                CorrectionKind.LOST: "What to send again",
                CorrectionKind.WRONG_ADDRESS: "What to send again",
                CorrectionKind.OTHER: "What to send again",
            }.get(kind, "Which items were missing, and how many")
        )
        self._changed()

    def _set_units(self, units: list[int]) -> None:
        for row, value in zip(self.rows, units, strict=True):
            row.units.setValue(value)

    def _changed(self, *_args) -> None:
        self._preview_timer.start()

    def request(self) -> CorrectionRequest:
        """What the owner said, as the core takes it."""
        kind = self.kind_value()
        problem = LINE_PROBLEM[kind]
        lines = [
            OwedLine(
                row.line.sku,
                row.units.value(),
                problem,
                combo_sku(row.sent) or None if problem == "wrong_item" else None,
            )
            for row in self.rows
            if row.units.value() > 0
        ]
        extra_sku = combo_sku(self.extra_sku)
        extra = {extra_sku: self.extra_units.value()} if extra_sku and self.extra_units.value() else {}
        email = self.email.text().strip()
        return CorrectionRequest(
            order_id=self.form.order_id,
            lines=lines,
            kind=kind,
            cause=CorrectionCause(self.cause.currentData()),
            keep_wrong_item=self.keep.isChecked(),
            extra=extra,
            goodwill_note=self.goodwill.text(),
            what_we_will_change=self.change.toPlainText(),
            email=email if email and email != (self.form.email or "") else None,
            ship_to=self._new_address(kind),
        )

    def _new_address(self, kind: CorrectionKind) -> Address | None:
        if kind != CorrectionKind.WRONG_ADDRESS:
            return None
        typed = Address(**{key: field.text().strip() for key, field in self.address_fields.items()})
        return None if typed == self.form.ship_to else typed

    def update_preview(self) -> bool:
        """Show the note as it will read, or why the button cannot be pressed yet; True when it can."""
        self._preview_timer.stop()
        request = self.request()
        if not request.lines:
            self._show_blocked("Set how many units are owed on at least one line.")
            return False
        if request.ship_to is not None and not (request.ship_to.name and request.ship_to.address1):
            self._show_blocked("The new address needs at least a name and an address line.")
            return False
        try:
            note = self._preview(request)
        except ShopDeskError as error:
            self._show_blocked(str(error))
            return False
        self.preview_subject.setText(note.subject)
        self.preview_body.setPlainText(note.body)
        self.problem.setText("")
        self.reship_button.setEnabled(True)
        self.plan.setText(self._plan(request))
        return True

    def _show_blocked(self, reason: str) -> None:
        self.problem.setText(reason)
        self.reship_button.setEnabled(False)

    def _plan(self, request: CorrectionRequest) -> str:
        comes_back = (
            any(line.problem == "wrong_item" for line in request.lines) and not request.keep_wrong_item
        )
        if request.email or self.form.email:
            how = (
                f"sent to {request.email or self.form.email}"
                if self.form.smtp_ready
                else "saved to send (mail is not set up)"
            )
        else:
            how = f"ready to copy into {source_name(self.form.source)}'s messages"
        steps = [f"The note is {how}. An apology note is made for the parcel"]
        if comes_back:
            steps[0] += ", with a return label"
        steps.append(
            f"A follow-up comes due {self.form.delays.follow_up_days} days after the replacement ships"
            + (f"; a return reminder after {self.form.delays.return_reminder_days}." if comes_back else ".")
        )
        return ". ".join(steps)

    def _reship_clicked(self) -> None:
        if self.update_preview():
            self.reship_requested.emit(self.request())

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.reship_button.setEnabled(not busy)
        self.reship_button.setText("Working…" if busy else "Apologise and reship")
        self.cancel_button.setEnabled(not busy)
        self.pages.widget(0).findChild(QScrollArea, "correctionForm").setEnabled(not busy)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)

    # -- what was done ---------------------------------------------------------------------------

    def _build_result(self) -> QWidget:
        page = QWidget()
        page.setObjectName("correctionResult")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        self.result_title = QLabel()
        self.result_title.setObjectName("resultTitle")
        self.result_title.setWordWrap(True)
        layout.addWidget(self.result_title)
        self.result_text = _hint("", "resultText")
        self.result_text.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.result_text)

        layout.addWidget(_section("For the parcel"))
        documents = QHBoxLayout()
        self.print_apology = QPushButton("Apology note — preview and print…")
        self.print_apology.setObjectName("printApologyButton")
        self.print_return_label = QPushButton("Return label — preview and print…")
        self.print_return_label.setObjectName("printReturnLabelButton")
        documents.addWidget(self.print_apology)
        documents.addWidget(self.print_return_label)
        documents.addStretch(1)
        layout.addLayout(documents)

        layout.addWidget(_section("The note to the customer"))
        self.hand_over = NoteHandOver()
        layout.addWidget(self.hand_over)
        self.follow_up_text = _hint("", "followUpText")
        layout.addWidget(self.follow_up_text)
        layout.addStretch(1)
        footer = QHBoxLayout()
        footer.addStretch(1)
        self.done_button = QPushButton("Done")
        self.done_button.setObjectName("doneButton")
        self.done_button.clicked.connect(self.accept)
        footer.addWidget(self.done_button)
        layout.addLayout(footer)
        return page

    def show_result(self, result: CorrectionResult) -> None:
        request = self.request()
        self.result_title.setText(f"✓ Replacement {result.replacement_number} is in your order list")
        titles = {row.line.sku: row.line.title or row.line.sku for row in self.rows}
        titles.update({sku: title or sku for sku, title in self.form.products})
        owed = ", ".join(f"{line.units} × {titles.get(line.sku, line.sku)}" for line in request.lines)
        extra = "".join(
            f", plus {units} × {titles.get(sku, sku)} as a thank-you" for sku, units in request.extra.items()
        )
        parts = [
            f"Order {escape(result.original_number)} is put right: {escape(owed + extra)}, free of charge, "
            f"as order <b>{escape(result.replacement_number)}</b>. It is selected in the list and goes "
            "through the double-check like any order."
        ]
        if result.rma:
            parts.append(
                f"What was sent by mistake comes back with return label <b>{escape(result.rma)}</b>."
            )
        self.result_text.setText("<br>".join(parts))
        self.print_return_label.setVisible(result.return_label_pdf is not None)
        if result.rma:
            self.print_return_label.setText(f"Return label {result.rma} — preview and print…")
        follow_up = f"A follow-up comes due {self.form.delays.follow_up_days} days after {result.replacement_number} ships"
        if result.rma:
            follow_up += f", and a gentle return reminder after {self.form.delays.return_reminder_days} days"
        self.follow_up_text.setText(follow_up + ". They wait for you in View → Follow-ups.")
        self.setWindowTitle(f"Order {self.form.number} put right")
        self.pages.setCurrentIndex(1)
        self.done_button.setDefault(True)
        self.done_button.setFocus()
