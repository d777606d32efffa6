"""Shelf labels: sheets of sticky labels with a Code 128 barcode of each SKU, its SKU and title.

For patches without a barcode of their own, so every one can be scanned. The grids match common label
stock: on Letter 3×10 labels of 2⅝×1 in (Avery 5160 and compatibles), on A4 3×7 labels of 63.5×38.1 mm
(Avery L7160). The SKU is printed in full, in a smaller size if it must; only the title is shortened,
with an ellipsis. A SKU too long for a barcode that scans raises BarcodeValueError.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import inch, mm

from shopdesk.documents import fonts
from shopdesk.documents._layout import new_canvas
from shopdesk.documents.barcodes import Code128Barcode
from shopdesk.documents.data import SheetPaper, ShelfLabel, ShopProfile
from shopdesk.documents.paper import page_size


@dataclass(frozen=True)
class LabelSheet:
    """Geometry of one label stock, in points from the page's top-left corner."""

    name: str
    columns: int
    rows: int
    label_width: float
    label_height: float
    top: float
    left: float
    column_pitch: float
    row_pitch: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows


SHEETS: dict[str, LabelSheet] = {
    "letter": LabelSheet(
        "Avery 5160", 3, 10, 2.625 * inch, 1 * inch, 0.5 * inch, 0.1875 * inch, 2.75 * inch, 1 * inch
    ),
    "a4": LabelSheet("Avery L7160", 3, 7, 63.5 * mm, 38.1 * mm, 15.15 * mm, 7.2 * mm, 66.04 * mm, 38.1 * mm),
}

SKU_SIZE = 8.5
SKU_MIN_SIZE = 5
TITLE_SIZE = 6.5
PADDING = 0.08 * inch


def render_shelf_labels(
    labels: Sequence[ShelfLabel],
    profile: ShopProfile,
    *,
    paper: SheetPaper | None = None,
    skip: int = 0,
) -> bytes:
    """Sheets of shelf labels as PDF bytes, each label repeated ``copies`` times.

    ``skip`` leaves that many labels blank at the start of the first sheet, so a partly used sheet can
    go through the printer again.
    """
    if not labels:
        raise ValueError("no shelf labels given: nothing to print")
    paper = paper or profile.sheet_paper
    sheet = SHEETS[paper]
    width, height = page_size(paper)
    if not 0 <= skip < sheet.per_sheet:
        raise ValueError(f"skip must be between 0 and {sheet.per_sheet - 1} on a {sheet.name} sheet")
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (width, height), f"Shelf labels — {sheet.name}", profile, subject=", ".join(
        label.sku for label in labels))  # fmt: skip
    position = skip
    for label in labels:
        for _ in range(label.copies):
            if position == sheet.per_sheet:
                canvas.showPage()
                position = 0
            row, column = divmod(position, sheet.columns)
            x = sheet.left + column * sheet.column_pitch
            y = height - sheet.top - row * sheet.row_pitch - sheet.label_height
            _draw_label(canvas, label, x, y, sheet)
            position += 1
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_label(canvas, label: ShelfLabel, x: float, y: float, sheet: LabelSheet) -> None:
    inner_width = sheet.label_width - 2 * PADDING
    text_block = SKU_SIZE * 1.15 + TITLE_SIZE * 1.3
    bar_height = min(sheet.label_height - 2 * PADDING - text_block - 2, 0.75 * inch)
    barcode = Code128Barcode(
        label.sku, max_width=inner_width, bar_height=bar_height, show_text=False, what="SKU"
    )
    top = y + sheet.label_height - PADDING
    barcode.drawOn(canvas, x + (sheet.label_width - barcode.width) / 2, top - bar_height)
    # The SKU in full: a smaller size before it would ever be cut.
    size = SKU_SIZE
    while size > SKU_MIN_SIZE and fonts.string_width(label.sku, fonts.BOLD, size) > inner_width:
        size -= 0.5
    center = x + sheet.label_width / 2
    canvas.setFillColorRGB(0, 0, 0)
    sku_baseline = top - bar_height - SKU_SIZE * 1.1
    fonts.draw_string(canvas, center, sku_baseline, label.sku, fonts.BOLD, size, anchor="middle")
    title = fonts.fit_to_width(label.title, fonts.REGULAR, TITLE_SIZE, inner_width)
    fonts.draw_string(
        canvas, center, sku_baseline - TITLE_SIZE * 1.3, title, fonts.REGULAR, TITLE_SIZE, anchor="middle"
    )
