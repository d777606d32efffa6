"""Printing from the window: documents are made off the GUI thread, previewed, then printed.

Every print goes through the core's gate (``render_slips`` refuses unchecked orders); only after
the document really went out (printed or saved) does ``record_printed`` move orders to packed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from shopdesk.db.database import Database
from shopdesk.db.models import OrderStatus
from shopdesk.errors import ShopDeskError
from shopdesk.packing.picking import pick_list_pdf, shelf_labels_pdf
from shopdesk.packing.returns import make_return_label
from shopdesk.packing.slips import SlipBatch, checked_order_ids, mark_shipped, record_printed, render_slips
from shopdesk.ui.background import JobRunner
from shopdesk.ui.pdf_preview import PdfPreviewDialog
from shopdesk.ui.problems import show_problem


class PrintController(QObject):
    # These orders' status changed (packed, shipped): the list shows them afresh.
    orders_changed = Signal(list)
    # A preview is open; tests and the window use it.
    preview_opened = Signal(object)

    def __init__(self, db: Database, jobs: JobRunner, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.db = db
        self.jobs = jobs
        self.parent_widget = parent_widget
        self.preview_factory: Callable[..., PdfPreviewDialog] = PdfPreviewDialog

    # -- packing slips ----------------------------------------------------------------------------

    def print_slips(self, order_ids: Sequence[int]) -> None:
        ids = list(order_ids)
        self.jobs.start(
            lambda _control: render_slips(self.db, ids),
            on_success=self._preview_slips,
            on_failure=self.show_error,
        )

    def print_all_checked(self) -> None:
        with self.db.reading() as session:
            ids = checked_order_ids(session)
        if not ids:
            QMessageBox.information(
                self.parent_widget, "Print slips", "No checked orders are waiting for a slip."
            )
            return
        self.print_slips(ids)

    def _preview_slips(self, batch: SlipBatch) -> None:
        count = len(batch.order_ids)
        title = f"Packing slip — order {batch.order_numbers[0]}" if count == 1 else f"{count} packing slips"
        name = f"slip-{batch.order_numbers[0].lstrip('#')}.pdf" if count == 1 else "packing-slips.pdf"
        dialog = self._preview(batch.pdf, title, name, batch.warnings)
        dialog.printed.connect(lambda how: self._slips_went_out(batch, how))
        dialog.open()

    def _slips_went_out(self, batch: SlipBatch, how: str) -> None:
        try:
            record_printed(self.db, batch.order_ids, how="printed" if how == "printed" else "saved as PDF")
        except ShopDeskError as error:
            self.show_error(error)
        self.orders_changed.emit(list(batch.order_ids))

    # -- other documents -------------------------------------------------------------------------

    def print_return_label(self, order_id: int) -> None:
        self.jobs.start(
            lambda _control: make_return_label(self.db, order_id),
            on_success=lambda label: self._preview(
                label.pdf, f"Return label {label.rma}", f"{label.rma}.pdf"
            ).open(),
            on_failure=self.show_error,
        )

    def print_pick_list(self) -> None:
        self.jobs.start(
            lambda _control: pick_list_pdf(self.db, OrderStatus.NEW),
            on_success=lambda result: self._preview(
                result[0], f"Pick list — {result[1]} orders", "pick-list.pdf"
            ).open(),
            on_failure=self.show_error,
        )

    def print_shelf_labels(self) -> None:
        self.jobs.start(
            lambda _control: shelf_labels_pdf(self.db),
            on_success=lambda result: self._preview(
                result[0], f"{result[1]} shelf labels", "shelf-labels.pdf"
            ).open(),
            on_failure=self.show_error,
        )

    def show_document(self, pdf: bytes, title: str, suggested_name: str) -> PdfPreviewDialog:
        """Preview any ready-made document (an apology note, a return label) to print or save."""
        dialog = self._preview(pdf, title, suggested_name)
        dialog.open()
        return dialog

    # -- shipping --------------------------------------------------------------------------------

    def mark_shipped(self, order_id: int, number: str) -> None:
        tracking, ok = QInputDialog.getText(
            self.parent_widget,
            "Mark shipped",
            f"Tracking number for order {number} (leave empty if none):",
            QLineEdit.EchoMode.Normal,
        )
        if not ok:
            return
        try:
            mark_shipped(self.db, [order_id], tracking)
        except ShopDeskError as error:
            self.show_error(error)
            return
        self.orders_changed.emit([order_id])

    # -- inside ----------------------------------------------------------------------------------

    def _preview(
        self, pdf: bytes, title: str, suggested_name: str, warnings: Sequence[str] = ()
    ) -> PdfPreviewDialog:
        dialog = self.preview_factory(pdf, title, suggested_name, self.parent_widget, warnings)
        self.preview_opened.emit(dialog)
        return dialog

    def show_error(self, error: Exception) -> None:
        show_problem(self.parent_widget, "ShopDesk", error)
