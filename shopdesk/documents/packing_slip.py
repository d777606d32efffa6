"""Packing slips: one or more pages per order, many orders in one PDF for a batch print.

Each slip shows the shop's letterhead, the order number with its Code 128 barcode (scanning it opens the
order's check), the ship-to address, every line with its variation and personalization in full, the
quantity large (boxed in black when above 1), the total units, the check stamp, the buyer's note and
the shop's thank-you. A replacement order also carries the apology block.

Long orders flow onto more pages: the items table repeats its header, every page after the first starts
with the order number and the recipient, and every page's footer says "Order #1041 · page 2 of 2". A
line too long for a whole page (a poem to embroider) is split between its lines of text and carries on
under the repeated header, marked "continued".

The slip is laid out by hand, not with platypus, because a batch of 500 slips is printed at once and
platypus costs 4–5 ms a page: text is measured and wrapped by :mod:`text_wrap` and drawn by
:mod:`canvas_ink`; here each order is first laid out into pages of blocks (so its page count is known
before anything is drawn), then drawn. What is the same on every slip — the letterhead, the items
table's header, the footer's shop name, the thank-you — is drawn once per PDF as a form and placed on
each page.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from reportlab.lib.colors import Color, white
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from shopdesk.documents import fonts
from shopdesk.documents._layout import Look, fitted_logo, format_date, format_datetime, new_canvas
from shopdesk.documents.barcodes import Code128Barcode, barcode_width
from shopdesk.documents.canvas_ink import Ink, Shows
from shopdesk.documents.data import CheckStamp, PackingSlipData, ShopProfile, SlipLine, SlipPaper
from shopdesk.documents.paper import is_label, page_size
from shopdesk.documents.text_wrap import (
    Column,
    Line,
    column_height,
    joined_parts,
    one_line,
    split_column,
    wrap_text,
)


def render_packing_slips(
    slips: Sequence[PackingSlipData], profile: ShopProfile, paper: SlipPaper | None = None
) -> bytes:
    """One PDF with the packing slips of all ``slips``, in order, each starting on a new page.

    ``paper`` defaults to the profile's packing-slip paper.
    """
    if not slips:
        raise ValueError("no orders given: nothing to print")
    paper = paper or profile.packing_slip_paper
    page_size(paper)  # unknown paper fails here, before any layout
    sheet = _Sheet.for_paper(profile, paper)
    buffer = io.BytesIO()
    title = (
        f"Packing slip — order {order_label(slips[0].order_number)}"
        if len(slips) == 1
        else f"Packing slips — {len(slips)} orders"
    )
    canvas = new_canvas(
        buffer, (sheet.width, sheet.height), title, profile,
        subject=", ".join(order_label(s.order_number) for s in slips),
    )  # fmt: skip
    for slip in slips:
        pages = _lay_out(slip, sheet)
        for number, placed in enumerate(pages, start=1):
            _draw_page(canvas, sheet, slip, placed, number, len(pages))
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def order_label(order_number: str) -> str:
    return order_number if order_number.startswith("#") else f"#{order_number}"


def check_stamp_text(check: CheckStamp) -> str:
    """The stamp's words: "Checked by scan: 5 of 5 units · 22 Nov 2026 10:14" or "NOT CHECKED — reason"."""
    if check.is_skipped:
        when = f" · {format_datetime(check.at)}" if check.at else ""
        return f"NOT CHECKED — {check.skipped_reason}{when}"
    when = f" · {format_datetime(check.at)}" if check.at else ""
    return f"Checked by scan: {check.units_counted} of {check.units_total} units{when}"


# --- the paper and what every slip on it shares ----------------------------------------------------


@dataclass(eq=False)
class _Sheet:
    """One paper's measures and type sizes, and what is the same on every slip of the PDF: worked out
    once, and drawn once as forms that every page refers to."""

    profile: ShopProfile
    look: Look
    label: bool
    width: float
    height: float
    forms: dict[tuple, str] = field(default_factory=dict)
    shop_columns: dict[float, Column] = field(default_factory=dict)
    shows: Shows = field(default_factory=dict)

    @classmethod
    def for_paper(cls, profile: ShopProfile, paper: str) -> _Sheet:
        fonts.register_fonts()
        width, height = page_size(paper)
        return cls(profile, Look.for_paper(paper), is_label(paper), width, height)

    @property
    def margin(self) -> float:
        return self.look.margin

    @property
    def frame_width(self) -> float:
        return self.width - 2 * self.look.margin

    @property
    def first_top(self) -> float:
        return self.height - self.look.margin

    @property
    def later_top(self) -> float:
        """Where the body starts on pages after an order's first: below the "continued" header."""
        return self.first_top - (0.34 if self.label else 0.5) * inch

    @property
    def body_bottom(self) -> float:
        """Where the body ends, above the footer."""
        return self.look.margin + (0.24 if self.label else 0.45) * inch

    def spacing(self, on_label: float, on_sheet: float) -> float:
        """A gap between blocks, in lines of body text."""
        return self.look.body * (on_label if self.label else on_sheet)

    @property
    def pad(self) -> float:
        """The items table's cell padding."""
        return 2 if self.label else 6

    @functools.cached_property
    def qty_size(self) -> float:
        return self.look.heading * (1.15 if self.label else 1.25)

    @functools.cached_property
    def columns(self) -> tuple[float, ...]:
        """The items table's column widths: quantity, (SKU,) item."""
        if self.label:
            return (0.72 * inch, self.frame_width - 0.72 * inch)
        qty_width, sku_width = 0.95 * inch, 1.55 * inch
        return (qty_width, sku_width, self.frame_width - qty_width - sku_width)

    def caption(self, text: str, width: float) -> tuple[Line, ...]:
        """Small bold capitals over a block ("SHIP TO", "QTY")."""
        return wrap_text(text, fonts.BOLD, self.look.small, width, self.look.muted)

    @functools.cached_property
    def logo(self) -> tuple[ImageReader, float, float] | None:
        width = self.frame_width * (0.3 if self.label else 0.35)
        return fitted_logo(self.profile, width, (0.45 if self.label else 0.8) * inch)

    def shop_column(self, width: float) -> Column:
        """The shop's name, address and contact line, wrapped to ``width``."""
        column = self.shop_columns.get(width)
        if column is None:
            look, profile = self.look, self.profile
            name_size = look.heading if self.label else look.heading * 1.4
            column = wrap_text(profile.name, fonts.BOLD, name_size, width, look.ink)
            small = (fonts.REGULAR, look.small, width, look.muted, look.small * 1.3)
            if profile.address_lines:
                # On a label the address shares one line, so the order and its lines fit on one label.
                if self.label:
                    column += joined_parts(profile.address_lines, " · ", *small)
                else:
                    column += wrap_text("\n".join(profile.address_lines), *small)
            if profile.contact_line:
                column += joined_parts((profile.email, profile.phone, profile.website), "  ·  ", *small)
            self.shop_columns[width] = column
        return column

    @functools.cached_property
    def items_header(self) -> _ItemsHeader:
        return _ItemsHeader(self.look.small * 1.28 + 3)

    @functools.cached_property
    def thank_you(self) -> _TextBox:
        look = self.look
        size = look.body if self.label else look.body + 1
        column = wrap_text(self.profile.thank_you_text, fonts.OBLIQUE, size, self.frame_width, look.ink)
        return _TextBox(column, self.frame_width, anchor="middle", form_key=("thank-you",))

    def stamp(
        self,
        ink: Ink,
        key: tuple,
        x: float,
        top: float,
        size: tuple[float, float],
        draw: Callable[[Ink], None],
    ) -> None:
        """Place what ``draw`` draws — the same on every slip — with its top-left corner at (x, top).

        It is drawn once per PDF, as a form with its top-left corner at (0, 0), and every page refers to
        it. ``size`` is the room it takes (width, height); nothing outside it shows.
        """
        canvas = ink.canvas
        name = self.forms.get(key)
        if name is None:
            name = self.forms[key] = f"SlipPart{len(self.forms)}"
            width, height = size
            canvas.beginForm(name, lowerx=-3, lowery=-height - 3, upperx=width + 3, uppery=3)
            form_ink = Ink(canvas, self.shows)
            draw(form_ink)
            form_ink.finish()
            canvas.endForm()
        ink.finish()  # the page's text so far comes first, in reading order
        canvas.saveState()
        canvas.translate(x, top)
        canvas.doForm(name)
        canvas.restoreState()


# --- the blocks a slip is made of --------------------------------------------------------------------


class _Block:
    """Something laid out on a page at a height, drawn with its top-left corner at (x, top)."""

    height: float

    def draw(self, ink: Ink, sheet: _Sheet, x: float, top: float) -> None:
        raise NotImplementedError

    def split(self, room: float) -> tuple[_Block, _Block] | None:
        """The part that fits in ``room`` and the rest, or None when it cannot be split there."""
        return None


@dataclass(eq=False)
class _Letterhead(_Block):
    """The shop (logo, name, address, contact: the same on every slip) beside the order's number and
    barcode."""

    shop_width: float
    shop_height: float
    order_title: Column
    barcode: Code128Barcode
    height: float

    @classmethod
    def make(cls, slip: PackingSlipData, sheet: _Sheet) -> _Letterhead:
        look, width = sheet.look, sheet.frame_width
        title = f"Order {order_label(slip.order_number)}"
        # The order column is as wide as its widest part, so the shop's name and address keep their room.
        right_width = min(
            width * 0.55,
            max(
                fonts.string_width(title, fonts.BOLD, look.big) + 2,
                barcode_width(slip.order_number),
                width * 0.3,
            ),
        )
        barcode = Code128Barcode(
            slip.order_number, max_width=right_width, bar_height=(0.32 if sheet.label else 0.45) * inch,
            text_size=look.small, align="right", what="order number",
        )  # fmt: skip
        shop_width = round(width - right_width - 8, 3)
        logo = sheet.logo
        shop_height = column_height(sheet.shop_column(shop_width)) + (logo[2] + 4 if logo else 0)
        order_title = wrap_text(title, fonts.BOLD, look.big, right_width, look.ink)
        right_height = look.small * 1.28 + column_height(order_title) + 3 + barcode.height
        return cls(shop_width, shop_height, order_title, barcode, max(shop_height, right_height))

    def draw(self, ink: Ink, sheet: _Sheet, x: float, top: float) -> None:
        width = sheet.frame_width
        sheet.stamp(
            ink, ("letterhead", self.shop_width), x, top, (width, max(self.shop_height, 2 * sheet.look.small)),
            functools.partial(self._draw_shop, sheet),
        )  # fmt: skip
        right = x + width
        y = ink.column(self.order_title, right, top - sheet.look.small * 1.28, anchor="end") - 3
        barcode = self.barcode
        bars_bottom = y - barcode.bar_height
        barcode.draw_bars(ink.canvas, right - barcode.width, bars_bottom)
        value = one_line(barcode.value, fonts.REGULAR, barcode.text_size, sheet.look.ink)
        ink.line(value, right - barcode.width / 2, bars_bottom - barcode.text_size * 1.1, anchor="middle")

    def _draw_shop(self, sheet: _Sheet, ink: Ink) -> None:
        """What every slip's letterhead shares, with its top-left corner at (0, 0): the shop, and the
        words "PACKING SLIP" over the order number."""
        y = 0.0
        if sheet.logo is not None:
            reader, width, height = sheet.logo
            ink.canvas.drawImage(reader, 0, -height, width, height, mask="auto")
            y -= height + 4
        ink.column(sheet.shop_column(self.shop_width), 0, y)
        ink.column(sheet.caption("PACKING SLIP", sheet.frame_width), sheet.frame_width, 0, anchor="end")


@dataclass(eq=False)
class _ShipTo(_Block):
    """Who the parcel goes to, and the order's date, channel and size."""

    ship_to: Column
    order: Column
    facts: tuple[tuple[Column, Column], ...]
    height: float

    @classmethod
    def make(cls, slip: PackingSlipData, sheet: _Sheet) -> _ShipTo:
        look, label, width = sheet.look, sheet.label, sheet.frame_width
        left_width = width if label else width * 0.58
        lines = slip.ship_to.lines()
        ship_to = (
            *sheet.caption("SHIP TO", left_width),
            2.0,
            *wrap_text(lines[0], fonts.BOLD, look.heading + (0.5 if label else 1), left_width, look.ink),
            *wrap_text("\n".join(lines[1:]), fonts.REGULAR, look.body, left_width, look.ink),
        )
        units = slip.total_units
        count = len(slip.lines)
        size = f"{units} unit{'s' if units != 1 else ''} in {count} line{'s' if count != 1 else ''}"
        if label:
            summary = f"Ordered {format_date(slip.order_date)}"
            if slip.channel:
                summary += f" on {slip.channel}"
            summary += f"  ·  {size}"
            ship_to += (4.0, *wrap_text(summary, fonts.BOLD, look.small, width, look.ink))
            return cls(ship_to, (), (), column_height(ship_to))
        facts = [("Order date", format_date(slip.order_date))]
        if slip.channel:
            facts.append(("Ordered on", slip.channel))
        facts.append(("Units", size))
        key_width = 0.9 * inch
        value_width = width * 0.42 - key_width
        rows = tuple(
            (
                wrap_text(key, fonts.REGULAR, look.small, key_width, look.muted),
                wrap_text(value, fonts.BOLD, look.body, value_width, look.ink),
            )
            for key, value in facts
        )
        order = (*sheet.caption("ORDER", width * 0.42), 4.0)
        right_height = column_height(order) + sum(_fact_height(row) for row in rows)
        return cls(ship_to, order, rows, max(column_height(ship_to), right_height))

    def draw(self, ink: Ink, sheet: _Sheet, x: float, top: float) -> None:
        ink.column(self.ship_to, x, top)
        if not self.order:
            return
        x += sheet.frame_width * 0.58
        y = ink.column(self.order, x, top)
        for key, value in self.facts:
            # Key and value sit on the row's bottom, so a small key lines up with its value.
            bottom = y - _fact_height((key, value))
            ink.column(key, x, bottom + 2 + column_height(key))
            ink.column(value, x + 0.9 * inch, bottom + 2 + column_height(value))
            y = bottom


def _fact_height(row: tuple[Column, Column]) -> float:
    return max(column_height(row[0]), column_height(row[1])) + 3


@dataclass(eq=False)
class _TextBox(_Block):
    """A column of text, maybe boxed (the apology, the check stamp), ruled on its left (the buyer's
    note), or plain (the thank-you). One too long for a page is split between its lines, each part
    in its own box."""

    column: Column
    width: float
    padding: tuple[float, float, float, float] = (0, 0, 0, 0)
    """Left, right, top, bottom."""
    border: str = ""
    """"box", "left" (a rule down the left side) or "" (none)."""
    border_width: float = 0
    border_color: Color | None = None
    fill: Color | None = None
    anchor: str = "start"
    form_key: tuple | None = None
    """Set when the box is the same on every slip: it is then drawn once per PDF, as a form."""
    height: float = field(init=False)

    def __post_init__(self) -> None:
        self.height = column_height(self.column) + self.padding[2] + self.padding[3]

    def split(self, room: float) -> tuple[_Block, _Block] | None:
        parts = split_column(self.column, room - self.padding[2] - self.padding[3])
        if parts is None:
            return None
        first, rest = parts
        return replace(self, column=first, form_key=None), replace(self, column=rest, form_key=None)

    def draw(self, ink: Ink, sheet: _Sheet, x: float, top: float) -> None:
        if self.form_key is not None:
            sheet.stamp(ink, self.form_key, x, top, (self.width, self.height), self._draw_at_origin)
        else:
            self._draw(ink, x, top)

    def _draw_at_origin(self, ink: Ink) -> None:
        self._draw(ink, 0, 0)

    def _draw(self, ink: Ink, x: float, top: float) -> None:
        left, right, pad_top, _ = self.padding
        bottom = top - self.height
        if self.fill is not None:
            ink.box(x, bottom, self.width, self.height, fill=self.fill)
        if self.border == "box":
            ink.box(
                x, bottom, self.width, self.height, stroke=self.border_color, line_width=self.border_width
            )
        elif self.border == "left":
            ink.rule(x, top, x, bottom, self.border_width, self.border_color)
        text_x = x + left + (self.width - left - right) / 2 if self.anchor == "middle" else x + left
        ink.column(self.column, text_x, top - pad_top, self.anchor)


@dataclass(eq=False)
class _ItemsHeader(_Block):
    """QTY, SKU, ITEM over a rule: at the top of the items on every page they reach."""

    height: float

    def draw(self, ink: Ink, sheet: _Sheet, x: float, top: float) -> None:
        sheet.stamp(
            ink,
            ("items-header",),
            x,
            top,
            (sheet.frame_width, self.height),
            functools.partial(self._draw, sheet),
        )

    def _draw(self, sheet: _Sheet, ink: Ink) -> None:
        names = ("QTY", "ITEM") if sheet.label else ("QTY", "SKU", "ITEM")
        x = 0.0
        for name, width in zip(names, sheet.columns, strict=True):
            ink.column(sheet.caption(name, width - sheet.pad - 2), x, 0)
            x += width
        ink.rule(0, -self.height, sheet.frame_width, -self.height, 1, sheet.look.ink)


@dataclass(eq=False)
class _ItemRow(_Block):
    """One line of the order: its quantity large, its SKU, title, variation and personalization."""

    quantity: int | None
    """None on the rest of a line split over pages (its quantity is printed where it begins)."""
    sku: Column
    """The SKU column's text (empty on a label, where the SKU heads the item)."""
    item: Column
    rule_below: bool
    continued: Column
    """What heads the rest of the line if it is split over pages."""
    sheet: _Sheet
    height: float = field(init=False)

    @classmethod
    def make(cls, line: SlipLine, sheet: _Sheet, last: bool) -> _ItemRow:
        look, label = sheet.look, sheet.label
        width = sheet.columns[-1] - sheet.pad - 2
        detail = look.small if label else look.body - 0.5
        item: Column = ()
        if label:
            item += wrap_text(line.sku, fonts.BOLD, look.small, width, look.ink)
        item += wrap_text(line.title, fonts.BOLD, look.body + (0 if label else 0.5), width, look.ink)
        if line.variation.strip():
            item += wrap_text(line.variation, fonts.REGULAR, detail, width, look.muted)
        if line.personalization.strip():
            item += wrap_text(
                line.personalization, fonts.REGULAR, detail, width, look.ink,
                prefix="Personalization: ", prefix_font=fonts.BOLD,
            )  # fmt: skip
        if label:
            continued = wrap_text(f"{line.sku} (continued)", fonts.BOLD, look.small, width, look.muted)
            return cls(line.quantity, (), item, not last, continued, sheet)
        sku_width = sheet.columns[1] - sheet.pad - 2
        sku = wrap_text(line.sku, fonts.REGULAR, look.body - 0.5, sku_width, look.ink)
        continued = sku + wrap_text("(continued)", fonts.REGULAR, look.small, sku_width, look.muted)
        return cls(line.quantity, sku, item, not last, continued, sheet)

    def __post_init__(self) -> None:
        self.height = self._content_height(self.item) + 2 * (self.sheet.pad + 1)

    def _content_height(self, item: Column) -> float:
        quantity = self.sheet.qty_size * 1.25 if self.quantity is not None else 0
        return max(quantity, column_height(self.sku), column_height(item))

    def split(self, room: float) -> tuple[_Block, _Block] | None:
        room -= 2 * (self.sheet.pad + 1)
        parts = split_column(self.item, room)
        if parts is None or self._content_height(parts[0]) > room:
            return None
        first, rest = parts
        if self.sku:
            return replace(self, item=first, rule_below=False), replace(
                self, quantity=None, sku=self.continued, item=rest
            )
        rest = (*self.continued, *rest)
        return replace(self, item=first, rule_below=False), replace(self, quantity=None, item=rest)

    def draw(self, ink: Ink, sheet: _Sheet, x: float, top: float) -> None:
        columns = sheet.columns
        content_top = top - sheet.pad - 1
        if self.quantity is not None:
            _draw_quantity(ink, sheet.qty_size, self.quantity, x, content_top)
        if self.sku:
            ink.column(self.sku, x + columns[0], content_top)
        ink.column(self.item, x + sum(columns[:-1]), content_top)
        if self.rule_below:
            bottom = top - self.height
            ink.rule(x, bottom, x + sheet.frame_width, bottom, 0.5, sheet.look.rule)


_BLACK = Color(0, 0, 0)


def _draw_quantity(ink: Ink, size: float, quantity: int, x: float, top: float) -> None:
    """The quantity, large: "1" plain, anything more as a white "× 2" on a black box."""
    text = str(quantity) if quantity == 1 else f"× {quantity}"
    pad = size * 0.3 if quantity > 1 else 0
    height = size * 1.25
    line = one_line(text, fonts.BOLD, size, white if quantity > 1 else _BLACK)
    if quantity > 1:
        ink.box(x, top - height, line.width + 2 * pad, height, fill=_BLACK, radius=size * 0.15)
    ink.line(line, x + pad, top - height * 0.75)


@dataclass(eq=False)
class _TotalRow(_Block):
    """The total number of units, under the items and aligned with their quantities."""

    units: Column
    words: Column
    height: float

    @classmethod
    def make(cls, slip: PackingSlipData, sheet: _Sheet) -> _TotalRow:
        look, columns = sheet.look, sheet.columns
        units = slip.total_units
        number = wrap_text(str(units), fonts.BOLD, sheet.qty_size, columns[0], look.ink)
        words = wrap_text(
            f"unit{'s' if units != 1 else ''} in total",
            fonts.BOLD,
            look.body,
            sheet.frame_width - columns[0],
            look.ink,
        )
        height = max(column_height(number), column_height(words)) + 2 * sheet.pad + 3
        return cls(number, words, height)

    def draw(self, ink: Ink, sheet: _Sheet, x: float, top: float) -> None:
        ink.rule(x, top, x + sheet.frame_width, top, 1, sheet.look.ink)
        # Both are centred on the row (between its paddings), so the big number and the words line up.
        middle = top - sheet.pad - 2 - (self.height - 2 * sheet.pad - 3) / 2
        ink.column(self.units, x, middle + column_height(self.units) / 2)
        ink.column(self.words, x + sheet.columns[0], middle + column_height(self.words) / 2)


def _check_stamp(check: CheckStamp, sheet: _Sheet) -> _TextBox:
    look, width = sheet.look, sheet.frame_width
    if check.is_complete:
        text, size, color, border = f"✓  {check_stamp_text(check)}", look.body, look.ink, 1.0
    else:
        text = check_stamp_text(check)
        if not check.is_skipped:
            missing = check.units_total - check.units_counted
            text = f"INCOMPLETE CHECK — {text} ({missing} not scanned)"
        size, color, border = look.heading, look.alert, 2.2
    small = look.body < 10
    side = 6 if small else 8
    column = wrap_text(text, fonts.BOLD, size, width - 2 * side, color)
    return _TextBox(column, width, (side, side, 3 if small else 5, 5 if small else 7), "box", border, color)


def _apology(slip: PackingSlipData, sheet: _Sheet) -> _TextBox:
    assert slip.replacement is not None
    look, label, width = sheet.look, sheet.label, sheet.frame_width
    side = 6 if label else 10
    inner = width - 2 * side
    original = order_label(slip.replacement.original_order_number)
    column = wrap_text(
        f"Replacement for order {original} — we're sorry", fonts.BOLD, look.heading, inner, look.ink
    )
    apology = wrap_text(slip.replacement.apology_text, fonts.REGULAR, look.body, inner, look.ink)
    if apology:
        column += (3.0, *apology)
    padding = (side, side, 5 if label else 8, 6 if label else 9)
    return _TextBox(column, width, padding, "box", 1.2, look.ink, fill=look.tint)


def _note(note: str, sheet: _Sheet) -> _TextBox:
    look, width = sheet.look, sheet.frame_width
    column = (
        *sheet.caption("YOUR NOTE TO US", width - 8),
        2.0,
        *wrap_text(note, fonts.OBLIQUE, look.body, width - 8, look.ink),
    )
    return _TextBox(column, width, (8, 0, 1, 3), "left", 2, look.rule)


# --- pages -------------------------------------------------------------------------------------------


class _Pages:
    """An order's blocks placed on pages, top down: each page a list of (block, top)."""

    def __init__(self, sheet: _Sheet) -> None:
        self.sheet = sheet
        self.pages: list[list[tuple[_Block, float]]] = [[]]
        self.y = sheet.first_top

    @property
    def room(self) -> float:
        return self.y - self.sheet.body_bottom

    @property
    def at_top(self) -> bool:
        return not self.pages[-1]

    def new_page(self) -> None:
        self.pages.append([])
        self.y = self.sheet.later_top

    def gap(self, height: float) -> None:
        """Space between blocks; none at the top of a page."""
        if not self.at_top:
            self.y -= height

    def place(self, block: _Block) -> None:
        self.pages[-1].append((block, self.y))
        self.y -= block.height

    def flow(self, block: _Block, heading: _Block | None = None) -> None:
        """Place ``block`` here; on the next page if it does not fit here but fits there; split over
        pages if it is taller than a page. ``heading`` (the items table's header) goes over it on every
        page it reaches, unless that page has it already."""
        fresh_room = self.sheet.later_top - self.sheet.body_bottom
        while True:
            over = (
                heading if heading is not None and not any(b is heading for b, _ in self.pages[-1]) else None
            )
            above = over.height if over is not None else 0
            if block.height + above <= self.room + 0.01:
                break
            if not self.at_top and block.height + (heading.height if heading else 0) <= fresh_room:
                self.new_page()
                continue
            parts = block.split(self.room - above)
            if parts is None:
                if self.at_top:
                    break  # not even a line of it fits on an empty page: print it anyway, never drop it
                self.new_page()
                continue
            first, block = parts
            if over is not None:
                self.place(over)
            self.place(first)
            self.new_page()
        if over is not None:
            self.place(over)
        self.place(block)

    def keep_together(self, *items: _Block | float) -> None:
        """Blocks (and the gaps between them, in points) that a page never ends between, unless
        together they are taller than a page."""
        height = sum(item.height if isinstance(item, _Block) else item for item in items)
        if (
            height > self.room + 0.01
            and not self.at_top
            and height <= self.sheet.later_top - self.sheet.body_bottom
        ):
            self.new_page()
        for item in items:
            if isinstance(item, _Block):
                self.flow(item)
            else:
                self.gap(item)


def _lay_out(slip: PackingSlipData, sheet: _Sheet) -> list[list[tuple[_Block, float]]]:
    pages = _Pages(sheet)
    pages.flow(_Letterhead.make(slip, sheet))
    pages.gap(sheet.spacing(0.4, 1.6))
    pages.flow(_ShipTo.make(slip, sheet))
    if slip.replacement is not None:
        pages.gap(sheet.spacing(0.8, 1.4))
        pages.flow(_apology(slip, sheet))
    pages.gap(sheet.spacing(0.7, 1.6))
    last = len(slip.lines) - 1
    for index, line in enumerate(slip.lines):
        pages.flow(_ItemRow.make(line, sheet, last=index == last), heading=sheet.items_header)
    # The total and the check stamp travel together: a page never ends between them.
    pages.keep_together(_TotalRow.make(slip, sheet), sheet.spacing(0.7, 1.2), _check_stamp(slip.check, sheet))
    if slip.buyer_note.strip():
        pages.gap(sheet.spacing(0.7, 1.2))
        pages.flow(_note(slip.buyer_note, sheet))
    if sheet.profile.thank_you_text.strip():
        pages.gap(sheet.spacing(0.8, 2.2))
        pages.flow(sheet.thank_you)
    return pages.pages


def _draw_page(
    canvas: Canvas,
    sheet: _Sheet,
    slip: PackingSlipData,
    placed: list[tuple[_Block, float]],
    number: int,
    total: int,
) -> None:
    look, margin, width = sheet.look, sheet.margin, sheet.frame_width
    ink = Ink(canvas, sheet.shows)
    label = order_label(slip.order_number)
    if number > 1:
        top = sheet.first_top - look.heading
        ink.line(one_line(f"Order {label} — continued", fonts.BOLD, look.heading, look.ink), margin, top)
        ship_to = fonts.fit_to_width(f"Ship to {slip.ship_to.name}", fonts.REGULAR, look.body, width / 2)
        ink.line(one_line(ship_to, fonts.REGULAR, look.body, look.ink), margin + width, top, anchor="end")
        ink.rule(margin, top - look.body * 0.7, margin + width, top - look.body * 0.7, 0.6, look.rule)
    for block, top in placed:
        block.draw(ink, sheet, margin, top)
    y = margin * (0.8 if sheet.label else 0.6)
    sheet.stamp(
        ink,
        ("footer",),
        margin,
        y + look.small,
        (width / 2, look.small * 1.3),
        functools.partial(_draw_footer, sheet),
    )
    page = one_line(f"Order {label}  ·  page {number} of {total}", fonts.BOLD, look.small, look.muted)
    ink.line(page, margin + width, y, anchor="end")
    ink.finish()


def _draw_footer(sheet: _Sheet, ink: Ink) -> None:
    """The footer's part that is the same on every page: the shop's name, a font size below (0, 0)."""
    look = sheet.look
    name = fonts.fit_to_width(sheet.profile.name, fonts.REGULAR, look.small, sheet.frame_width / 2)
    ink.line(one_line(name, fonts.REGULAR, look.small, look.muted), 0, -look.small)
