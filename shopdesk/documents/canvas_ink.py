"""Fast drawing on a ReportLab canvas for documents laid out by hand: :class:`Ink` draws lines of text
(see :mod:`text_wrap`), rules and boxes on a page or a form.

Text is written as raw PDF operators, not through ReportLab's text object, which spends more on each
call than a short line of text costs (see :class:`Ink`). Every font of the documents is a TrueType font
embedded in subsets (see :mod:`fonts`), DejaVu Sans and the CJK font alike, so there is one way to show
text. That leans on one private attribute of ReportLab's canvas, ``canvas._doc`` (the PDF being
written): the subsets are named per PDF, and ReportLab's own text object reads it the same way. Check it
still holds when upgrading ReportLab.
"""

from __future__ import annotations

import functools

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas

from shopdesk.documents.text_wrap import Column, Line

Shows = dict[tuple[str, str, float], tuple[tuple[str, str], ...]]
"""The operators that show each (text, font, size), kept for a whole PDF: see :class:`Ink`."""


class Ink:
    """Draws one page (or one form): shapes go straight onto the canvas; text is gathered in one text
    block, put on top when :meth:`finish` is called, so white-on-black quantities stay readable and the
    page's text reads (and copies) in the order it was written.

    The text block is written as PDF operators, the way ReportLab's ``ttfonts`` module describes for
    its subset fonts: a slip is mostly short lines of text, and ReportLab's text object spends more on
    each call than the text itself costs. ``shows`` keeps the operators of each (text, font, size) for
    the whole PDF, so a batch works out "Sleepy Fox patch" in bold once.
    """

    def __init__(self, canvas: Canvas, shows: Shows) -> None:
        self.canvas = canvas
        self._shows = shows
        self._ops: list[str] = []
        self._font_op = ""
        self._color: Color | None = None

    def line(self, line: Line, x: float, baseline: float, anchor: str = "start") -> None:
        if anchor == "end":
            x -= line.width
        elif anchor == "middle":
            x -= line.width / 2
        shows = [show for run, font in line.runs for show in self._show(run, font, line.size)]
        ops = self._ops
        # Font and colour come before the line's position, so text extraction (pypdf) measures the
        # move to the new line in the new line's size and sees a line break, not a word.
        if shows and shows[0][0] != self._font_op:
            self._font_op = shows[0][0]
            ops.append(self._font_op)
        if line.color is not self._color:
            ops.append(_fill_op(line.color))
            self._color = line.color
        ops.append(f"1 0 0 1 {fp_str(x, baseline)} Tm")
        for font_op, show_op in shows:
            if font_op != self._font_op:
                ops.append(font_op)
                self._font_op = font_op
            ops.append(show_op)

    def _show(self, text: str, font: str, size: float) -> tuple[tuple[str, str], ...]:
        shows = self._shows.get((text, font, size))
        if shows is None:
            shows = self._shows[text, font, size] = _show_ops(self.canvas, text, font, size)
        return shows

    def column(self, column: Column, x: float, top: float, anchor: str = "start") -> float:
        """Draw stacked lines from ``top`` down (the first baseline a font size below); returns the bottom."""
        y = top
        for item in column:
            if isinstance(item, Line):
                self.line(item, x, y - item.size, anchor)
                y -= item.leading
            else:
                y -= item
        return y

    def rule(self, x1: float, y1: float, x2: float, y2: float, width: float, color: Color) -> None:
        canvas = self.canvas
        canvas.setStrokeColor(color)
        canvas.setLineWidth(width)
        canvas.line(x1, y1, x2, y2)

    def box(
        self, x: float, y: float, width: float, height: float, *, stroke: Color | None = None,
        line_width: float = 1, fill: Color | None = None, radius: float = 0,
    ) -> None:  # fmt: skip
        canvas = self.canvas
        if fill is not None:
            canvas.setFillColor(fill)
        if stroke is not None:
            canvas.setStrokeColor(stroke)
            canvas.setLineWidth(line_width)
        if radius:
            canvas.roundRect(x, y, width, height, radius, stroke=stroke is not None, fill=fill is not None)
        else:
            canvas.rect(x, y, width, height, stroke=stroke is not None, fill=fill is not None)

    def finish(self) -> None:
        if self._ops:
            self.canvas.addLiteral(f"BT {' '.join(self._ops)} ET")
            self._ops = []
            self._font_op = ""
            self._color = None


@functools.lru_cache(maxsize=64)
def _fill_op(color: Color) -> str:
    return f"{fp_str(color.red, color.green, color.blue)} rg"


def _show_ops(canvas: Canvas, text: str, font_name: str, size: float) -> tuple[tuple[str, str], ...]:
    """The operators that show ``text`` in a font at a size: (select font, show text) for each part.

    The fonts (TrueType) are embedded in subsets of 256 characters, filled as characters first appear in
    the PDF, so text is shown in parts, one per subset its characters fall in.
    """
    font = getFont(font_name)
    doc = canvas._doc  # the PDF the subsets belong to
    size_op = fp_str(size)
    return tuple(
        (f"{font.getSubsetInternalName(subset, doc)} {size_op} Tf", f"({escapePDF(chunk)}) Tj")
        for subset, chunk in font.splitString(text, doc)
    )
