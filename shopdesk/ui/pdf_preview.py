"""A preview of a document before it goes to the printer, with Print… and Save as PDF…."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSaveFile, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from shopdesk.ui.pdf_printing import page_sizes, print_pdf, render_pages

PREVIEW_DPI = 96
# Pages are shown at most this wide, so a Letter page fits the dialog without sideways scrolling.
PREVIEW_WIDTH_PX = 680


def save_pdf(pdf: bytes, path: Path) -> None:
    """Write ``pdf`` atomically: a kill half-way leaves the old file or the whole new one."""
    file = QSaveFile(str(path))
    if not file.open(QSaveFile.OpenModeFlag.WriteOnly):
        raise OSError(f"Cannot write {path}: {file.errorString()}")
    file.write(pdf)
    if not file.commit():
        raise OSError(f"Cannot write {path}: {file.errorString()}")


class PdfPreviewDialog(QDialog):
    # Emitted after the document went to the printer (or was saved), with how it went out.
    printed = Signal(str)

    def __init__(
        self,
        pdf: bytes,
        title: str,
        suggested_name: str,
        parent: QWidget | None = None,
        warnings: Sequence[str] = (),
    ) -> None:
        """``warnings``: what the owner should know before printing, shown above the pages."""
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setWindowTitle(title)
        self.pdf = pdf
        self.suggested_name = suggested_name
        self.printer: QPrinter | None = None
        layout = QVBoxLayout(self)
        self.warning = QLabel("\n".join(warnings))
        self.warning.setObjectName("previewWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(
            "background: #fef3c7; color: #92400e; border: 1px solid #f59e0b; border-radius: 4px; padding: 8px;"
        )
        self.warning.setVisible(bool(warnings))
        layout.addWidget(self.warning)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        pages = QWidget()
        pages.setObjectName("previewPages")
        pages_layout = QVBoxLayout(pages)
        pages_layout.setSpacing(16)
        widest = max((width for width, _height in page_sizes(pdf)), default=612)
        dpi = min(PREVIEW_DPI, PREVIEW_WIDTH_PX * 72 / widest)
        for image in render_pages(pdf, dpi):
            label = QLabel()
            label.setObjectName("previewPage")
            label.setPixmap(QPixmap.fromImage(image))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setStyleSheet("background: white; border: 1px solid #cbd5e1;")
            pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        scroll.setWidget(pages)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("Print…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.setObjectName("previewPrintButton")
        self.save_button = buttons.addButton("Save as PDF…", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setObjectName("previewSaveButton")
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_document)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(PREVIEW_WIDTH_PX + 80, 900)

    def page_count(self) -> int:
        return len(self.findChildren(QLabel, "previewPage"))

    def make_printer(self) -> QPrinter:
        """The printer to use; tests replace this with one that writes a file."""
        return QPrinter(QPrinter.PrinterMode.HighResolution)

    def ask_printer(self, printer: QPrinter) -> bool:
        return QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted

    def print_document(self) -> None:
        printer = self.make_printer()
        if not self.ask_printer(printer):
            return
        try:
            print_pdf(self.pdf, printer)
        except OSError as exc:
            QMessageBox.warning(self, "Printing", f"Nothing was printed: {exc}")
            return
        self.printed.emit("printed")
        self.accept()

    def ask_save_path(self) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save as PDF", self.suggested_name, "PDF documents (*.pdf)"
        )
        return Path(path) if path else None

    def save_document(self) -> None:
        path = self.ask_save_path()
        if path is None:
            return
        try:
            save_pdf(self.pdf, path)
        except OSError as exc:
            QMessageBox.warning(self, "Save as PDF", str(exc))
            return
        self.printed.emit("saved")
        self.accept()
