"""Showing and printing the PDF documents the core makes.

The core renders documents as PDF bytes (ReportLab); here they become pictures on screen
(pypdfium2) and pages on a printer (QPrinter). Each page is drawn at the printer's own resolution
onto a page of the PDF's own size, so a 4×6 label prints as a 4×6 label.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

POINTS_PER_INCH = 72


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's width and height in points."""
    import pypdfium2 as pdfium  # loaded on the first preview, not at start-up

    document = pdfium.PdfDocument(pdf)
    try:
        return [document[index].get_size() for index in range(len(document))]
    finally:
        document.close()


def render_pages(pdf: bytes, dpi: float) -> Iterator[QImage]:
    """The pages of ``pdf`` as images at ``dpi``, one at a time (a long batch never sits in memory whole)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / POINTS_PER_INCH, may_draw_forms=True)
            image = bitmap.to_pil().convert("RGB")
            data = image.tobytes("raw", "RGB")
            # QImage does not own the buffer: copy before the bytes go away.
            yield QImage(data, image.width, image.height, image.width * 3, QImage.Format.Format_RGB888).copy()
            page.close()
    finally:
        document.close()


def _page_layout(width_pt: float, height_pt: float) -> QPageLayout:
    size = QPageSize(
        QSizeF(width_pt, height_pt), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch
    )
    orientation = QPageLayout.Orientation.Portrait
    return QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)


def print_pdf(pdf: bytes, printer: QPrinter, cancelled=lambda: False) -> int:
    """Print every page of ``pdf`` on ``printer``; return the number of pages printed.

    The printer's page size follows each PDF page; the picture is scaled to fit the printable
    area without changing its proportions.
    """
    sizes = page_sizes(pdf)
    if not sizes:
        return 0
    printer.setFullPage(True)
    printer.setPageLayout(_page_layout(*sizes[0]))
    # 300 dpi is what label and laser printers resolve; more only costs memory (a Letter page
    # at 600 dpi is a 100 MB bitmap).
    dpi = min(printer.resolution(), 300)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be started.")
    printed = 0
    try:
        for index, image in enumerate(render_pages(pdf, dpi)):
            if cancelled():
                printer.abort()
                break
            if index:
                printer.setPageLayout(_page_layout(*sizes[index]))
                printer.newPage()
            target = QRectF(painter.viewport())
            scaled = QSizeF(image.size()).scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(target.topLeft(), scaled), image)
            printed += 1
    finally:
        painter.end()
    return printed
