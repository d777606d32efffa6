"""Code 128 barcodes that a handheld scanner reads on the first try.

The bars are as wide as the space allows, between 0.6 pt (8 mil) and 1.1 pt (15 mil) per module, with the
10-module quiet zone on both sides that the symbology asks for. The human-readable text under the bars is
set in DejaVu Sans. A value that will not fit at the narrowest bar width raises
:class:`~shopdesk.documents.errors.BarcodeValueError` rather than printing a barcode nobody can scan.
"""

from __future__ import annotations

import functools

from reportlab.graphics.barcode.code128 import Code128
from reportlab.platypus import Flowable

from shopdesk.documents import fonts
from shopdesk.documents.errors import BarcodeValueError

MIN_MODULE = 0.6
MAX_MODULE = 1.1
QUIET_MODULES = 10


def check_barcode_value(value: str, what: str = "value") -> str:
    """``value`` if Code 128 can carry it (printable ASCII), else a BarcodeValueError naming ``what``."""
    if not value:
        raise BarcodeValueError(f"the {what} is empty and cannot be printed as a barcode")
    bad = sorted({ch for ch in value if not 32 <= ord(ch) <= 126})
    if bad:
        shown = ", ".join(repr(ch) for ch in bad)
        raise BarcodeValueError(
            f"the {what} {value!r} contains {shown}; barcodes can only carry plain letters, digits and "
            f"punctuation (ASCII). Change the {what} to print it as a barcode."
        )
    return value


@functools.lru_cache(maxsize=1024)
def _modules(value: str) -> float:
    """Width of the symbol in modules, without quiet zones (asked twice per packing slip: once to size
    the order's column, once to draw)."""
    return Code128(value, barWidth=1, quiet=0, barHeight=1).width


def fits(value: str, max_width: float) -> bool:
    """Whether ``value`` can be printed as a scannable barcode no wider than ``max_width``."""
    return (_modules(value) + 2 * QUIET_MODULES) * MIN_MODULE <= max_width


def barcode_width(value: str) -> float:
    """Width of ``value``'s barcode, quiet zones included, at the widest (easiest to scan) bars."""
    return (_modules(check_barcode_value(value)) + 2 * QUIET_MODULES) * MAX_MODULE


class Code128Barcode(Flowable):
    """A Code 128 barcode of ``value`` no wider than ``max_width``, with its text underneath.

    ``align`` places the bars within ``max_width`` ("left", "center" or "right"); the quiet zones are
    part of the width, so the bars sit 10 modules in from the edge.
    """

    def __init__(
        self,
        value: str,
        *,
        max_width: float,
        bar_height: float,
        text_size: float = 9,
        show_text: bool = True,
        align: str = "left",
        what: str = "value",
    ) -> None:
        super().__init__()
        self.value = check_barcode_value(value, what)
        modules = _modules(value) + 2 * QUIET_MODULES
        module = min(MAX_MODULE, max_width / modules)
        if module < MIN_MODULE:
            raise BarcodeValueError(
                f"the {what} {value!r} is too long to print as a barcode that scans in "
                f"{max_width / 72:.2f} in; shorten it to print it here"
            )
        self.module = module
        self.symbol_width = modules * module
        self.bar_height = bar_height
        self.text_size = text_size
        self.show_text = show_text
        self.hAlign = {"left": "LEFT", "center": "CENTER", "right": "RIGHT"}.get(align, "LEFT")
        self._symbol = Code128(
            value, barWidth=module, barHeight=bar_height, quiet=1,
            lquiet=QUIET_MODULES * module, rquiet=QUIET_MODULES * module,
        )  # fmt: skip
        self.width = self.symbol_width
        self.height = bar_height + (text_size * 1.4 if show_text else 0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    @property
    def text_block(self) -> float:
        """Height of the room under the bars that holds the value's text (0 without text)."""
        return self.height - self.bar_height

    def draw_bars(self, canvas, x: float, y: float) -> None:
        """The bars alone, in black, quiet zones included, their bottom-left corner at (x, y): for
        documents drawn straight on a canvas that set the text under them themselves."""
        canvas.setFillColorRGB(0, 0, 0)
        self._symbol.drawOn(canvas, x, y)

    def draw(self) -> None:
        canvas = self.canv
        text_block = self.text_block
        self.draw_bars(canvas, 0, text_block)
        if self.show_text:
            canvas.setFillColorRGB(0, 0, 0)
            fonts.draw_string(
                canvas, self.width / 2, text_block - self.text_size * 1.1, self.value,
                fonts.REGULAR, self.text_size, anchor="middle",
            )  # fmt: skip
