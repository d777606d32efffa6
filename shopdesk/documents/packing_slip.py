"""Packing slips: one or more pages per order, many orders in one PDF for a batch print.

Each slip shows the shop's letterhead, the order number with its Code 128 barcode (scanning it opens the
order's check), the ship-to address, every line with its variation and personalization in full, the
quantity large (boxed in black when above 1), the total units, the check stamp, the buyer's note and
the shop's thank-you. A replacement order also carries the apology block.

Long orders flow onto more pages: the items table repeats its header, every page after the first starts
with the order number and the recipient, and every page's footer says "Order #1041 · page 2 of 2". The
batch is laid out once: the canvas keeps each finished page back, and draws the page furniture on all of
them when the document is saved, when every order's page count is known.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
)

from shopdesk.documents import fonts
from shopdesk.documents._layout import (
    Look,
    doc_options,
    format_date,
    format_datetime,
    grid_style,
    lines_para,
    logo,
    markup_para,
    para,
)
from shopdesk.documents.barcodes import Code128Barcode, barcode_width
from shopdesk.documents.data import CheckStamp, PackingSlipData, ShopProfile, SlipLine, SlipPaper
from shopdesk.documents.paper import is_label, page_size


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
    return _build(slips, profile, paper)


def order_label(order_number: str) -> str:
    return order_number if order_number.startswith("#") else f"#{order_number}"


# --- page furniture --------------------------------------------------------------------------------


@dataclass
class _PageState:
    """Which order is being laid out, how many pages each order took, and whose page each page is."""

    counts: dict[int, int] = field(default_factory=dict)
    index: int = -1
    slip: PackingSlipData | None = None
    first_page: int = 1
    # Canvas page number → (order index, the order's slip, page within the order).
    pages: dict[int, tuple[int, PackingSlipData, int]] = field(default_factory=dict)


def _deferred_canvas(draw_furniture: Callable[[Canvas, int], None]) -> type[Canvas]:
    """A canvas class that holds every page back until ``save()`` and then calls
    ``draw_furniture(canvas, page_number)`` on each, just before it is closed as it would have been.

    Only the page's own state is kept (its drawing code and graphics state), so the PDF is the same
    as one whose furniture was drawn at the end of each page.
    """

    class DeferredCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict] = []

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            if len(self._code):
                self.showPage()
            held, self._held_pages = self._held_pages, []
            for page in held:
                self.__dict__.update(page)
                draw_furniture(self, self.getPageNumber())
                Canvas.showPage(self)
            Canvas.save(self)

    return DeferredCanvas


class _StartOrder(Flowable):
    """Invisible marker at the top of an order's first page: tells the page furniture whose page it is."""

    def __init__(self, state: _PageState, index: int, slip: PackingSlipData) -> None:
        super().__init__()
        self.state, self.index, self.slip = state, index, slip

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.state.index, self.state.slip = self.index, self.slip
        self.state.first_page = self.canv.getPageNumber()


def _build(slips: Sequence[PackingSlipData], profile: ShopProfile, paper: str) -> bytes:
    look = Look.for_paper(paper)
    width, height = page_size(paper)
    label = is_label(paper)
    state = _PageState()
    footer_height = 0.24 * inch if label else 0.45 * inch
    continued_height = 0.34 * inch if label else 0.5 * inch
    margin = look.margin
    frame_width = width - 2 * margin

    def page_end(canvas, doc) -> None:
        """Note whose page this is; its furniture is drawn when the batch is saved."""
        slip = state.slip
        if slip is None:
            return
        page_in_order = canvas.getPageNumber() - state.first_page + 1
        state.counts[state.index] = page_in_order
        state.pages[canvas.getPageNumber()] = (state.index, slip, page_in_order)

    def furniture(canvas, page_number: int) -> None:
        if page_number not in state.pages:
            return
        index, slip, page_in_order = state.pages[page_number]
        total = state.counts[index]
        canvas.saveState()
        canvas.setFillColor(look.muted)
        y = margin * (0.8 if label else 0.6)
        name = fonts.fit_to_width(profile.name, fonts.REGULAR, look.small, frame_width / 2)
        fonts.draw_string(canvas, margin, y, name, fonts.REGULAR, look.small)
        fonts.draw_string(
            canvas, width - margin, y, f"Order {order_label(slip.order_number)}  ·  page {page_in_order} of {total}",
            fonts.BOLD, look.small, anchor="end",
        )  # fmt: skip
        if page_in_order > 1:
            canvas.setFillColor(look.ink)
            top = height - margin - look.heading
            fonts.draw_string(
                canvas,
                margin,
                top,
                f"Order {order_label(slip.order_number)} — continued",
                fonts.BOLD,
                look.heading,
            )
            fonts.draw_string(
                canvas, width - margin, top,
                fonts.fit_to_width(f"Ship to {slip.ship_to.name}", fonts.REGULAR, look.body, frame_width / 2),
                fonts.REGULAR, look.body, anchor="end",
            )  # fmt: skip
            canvas.setStrokeColor(look.rule)
            canvas.setLineWidth(0.6)
            rule_y = top - look.body * 0.7
            canvas.line(margin, rule_y, width - margin, rule_y)
        canvas.restoreState()

    body_bottom = margin + footer_height
    first = Frame(margin, body_bottom, frame_width, height - margin - body_bottom, id="first",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)  # fmt: skip
    continued = Frame(margin, body_bottom, frame_width, height - margin - continued_height - body_bottom,
                      id="continued", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)  # fmt: skip
    buffer = io.BytesIO()
    title = (
        f"Packing slip — order {order_label(slips[0].order_number)}"
        if len(slips) == 1
        else f"Packing slips — {len(slips)} orders"
    )
    doc = BaseDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin,
        pageTemplates=[
            PageTemplate(id="first", frames=[first], onPageEnd=page_end),
            PageTemplate(id="continued", frames=[continued], onPageEnd=page_end),
        ],
        **doc_options(title, profile, subject=", ".join(order_label(s.order_number) for s in slips)),
    )  # fmt: skip
    story: list[Flowable] = []
    for index, slip in enumerate(slips):
        if index:
            story += [NextPageTemplate("first"), PageBreak()]
        story += [NextPageTemplate("continued"), _StartOrder(state, index, slip)]
        story += _slip_story(slip, profile, look, frame_width, label)
    doc.build(story, canvasmaker=_deferred_canvas(furniture))
    return buffer.getvalue()


# --- one order's slip ------------------------------------------------------------------------------


def _slip_story(
    slip: PackingSlipData, profile: ShopProfile, look: Look, width: float, label: bool
) -> list[Flowable]:
    story: list[Flowable] = [_letterhead(slip, profile, look, width, label)]
    story.append(Spacer(1, look.body * (0.4 if label else 1.6)))
    story.append(_ship_to_block(slip, look, width, label))
    if slip.replacement is not None:
        story.append(Spacer(1, look.body * (0.8 if label else 1.4)))
        story.append(_apology_block(slip, look, width, label))
    story.append(Spacer(1, look.body * (0.7 if label else 1.6)))
    story.append(_items_table(slip, look, width, label))
    # The total and the check stamp travel together: a page never ends between them.
    story.append(
        KeepTogether([
            _total_row(slip, look, width, label),
            Spacer(1, look.body * (0.7 if label else 1.2)),
            check_stamp_block(slip.check, look, width),
        ])
    )  # fmt: skip
    if slip.buyer_note.strip():
        story.append(Spacer(1, look.body * (0.7 if label else 1.2)))
        story.append(_note_block(slip.buyer_note, look, width))
    if profile.thank_you_text.strip():
        story.append(Spacer(1, look.body * (0.8 if label else 2.2)))
        size = look.body if label else look.body + 1
        story.append(para(profile.thank_you_text, look.style(size, italic=True, align="center")))
    return story


def _letterhead(
    slip: PackingSlipData, profile: ShopProfile, look: Look, width: float, label: bool
) -> Flowable:
    shop: list[Flowable] = []
    logo_image = logo(profile, width * (0.3 if label else 0.35), 0.45 * inch if label else 0.8 * inch)
    if logo_image is not None:
        shop += [logo_image, Spacer(1, 4)]
    shop.append(para(profile.name, look.style(look.heading if label else look.heading * 1.4, bold=True)))
    small = look.style(look.small, color=look.muted, leading=look.small * 1.3)
    if profile.address_lines:
        # On a label the address shares one line, so the order and its lines fit on one label.
        address = [" · ".join(profile.address_lines)] if label else profile.address_lines
        shop.append(lines_para(address, small))
    if profile.contact_line:
        shop.append(para(profile.contact_line, small))

    order: list[Flowable] = [
        para("PACKING SLIP", look.caption(align="right")),
        para(f"Order {order_label(slip.order_number)}", look.style(look.big, bold=True, align="right")),
        Spacer(1, 3),
    ]
    # The order column is as wide as its widest part, so the shop's name and address keep their room.
    right_width = min(
        width * 0.55,
        max(
            fonts.string_width(f"Order {order_label(slip.order_number)}", fonts.BOLD, look.big) + 2,
            barcode_width(slip.order_number),
            width * 0.3,
        ),
    )
    order.append(
        Code128Barcode(
            slip.order_number, max_width=right_width, bar_height=(0.32 if label else 0.45) * inch,
            text_size=look.small, align="right", what="order number",
        )
    )  # fmt: skip
    gap = 8
    table = Table([[shop, "", order]], colWidths=[width - right_width - gap, gap, right_width])
    table.setStyle(
        grid_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (2, 0), (2, 0), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ])
    )  # fmt: skip
    return table


def _ship_to_block(slip: PackingSlipData, look: Look, width: float, label: bool) -> Flowable:
    lines = slip.ship_to.lines()
    ship_to: list[Flowable] = [
        para("SHIP TO", look.caption()),
        Spacer(1, 2),
        para(lines[0], look.style(look.heading + (0.5 if label else 1), bold=True)),
        lines_para(lines[1:], look.style(look.body)),
    ]
    facts = [("Order date", format_date(slip.order_date))]
    if slip.channel:
        facts.append(("Ordered on", slip.channel))
    units = slip.total_units
    facts.append(
        (
            "Units",
            f"{units} unit{'s' if units != 1 else ''} in {len(slip.lines)} line{'s' if len(slip.lines) != 1 else ''}",
        )
    )
    key = look.style(look.small, color=look.muted)
    value = look.style(look.body, bold=True)
    facts_table = Table(
        [[para(k, key), para(v, value)] for k, v in facts],
        colWidths=[0.9 * inch if not label else 0.7 * inch, None],
    )
    facts_table.setStyle(
        grid_style([
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2 if not label else 1),
        ])
    )  # fmt: skip
    if label:
        summary = f"Ordered {format_date(slip.order_date)}"
        if slip.channel:
            summary += f" on {slip.channel}"
        summary += f"  ·  {facts[-1][1]}"
        facts_block: list[Flowable] = [Spacer(1, 4), para(summary, look.style(look.small, bold=True))]
        block = Table([[ship_to], [facts_block]], colWidths=[width])
    else:
        facts_block = [para("ORDER", look.caption()), Spacer(1, 4), facts_table]
        block = Table([[ship_to, facts_block]], colWidths=[width * 0.58, width * 0.42])
    block.setStyle(
        grid_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ])
    )  # fmt: skip
    return block


def _apology_block(slip: PackingSlipData, look: Look, width: float, label: bool) -> Flowable:
    assert slip.replacement is not None
    original = order_label(slip.replacement.original_order_number)
    content: list[Flowable] = [
        para(
            f"Replacement for order {original} — we're sorry",
            look.style(look.heading, bold=True, space_after=3),
        ),
    ]
    if slip.replacement.apology_text.strip():
        content.append(para(slip.replacement.apology_text, look.style(look.body)))
    box = Table([[content]], colWidths=[width])
    box.setStyle(
        grid_style([
            ("BOX", (0, 0), (-1, -1), 1.2, look.ink),
            ("BACKGROUND", (0, 0), (-1, -1), look.tint),
            ("LEFTPADDING", (0, 0), (-1, -1), 6 if label else 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6 if label else 10),
            ("TOPPADDING", (0, 0), (-1, -1), 5 if label else 8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6 if label else 9),
        ])
    )  # fmt: skip
    return box


class QuantityMark(Flowable):
    """The quantity, large: "1" plain, anything more as a white "× 2" on a black box."""

    def __init__(self, quantity: int, size: float) -> None:
        super().__init__()
        self.quantity = quantity
        self.size = size
        self.text = str(quantity) if quantity == 1 else f"× {quantity}"
        self.font = fonts.BOLD
        self.pad_x = size * 0.3 if quantity > 1 else 0
        self.width = fonts.string_width(self.text, self.font, size) + 2 * self.pad_x
        self.height = size * 1.25

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        baseline = self.height * 0.25
        if self.quantity > 1:
            canvas.setFillColorRGB(0, 0, 0)
            canvas.roundRect(0, 0, self.width, self.height, radius=self.size * 0.15, stroke=0, fill=1)
            canvas.setFillColorRGB(1, 1, 1)
        else:
            canvas.setFillColorRGB(0, 0, 0)
        fonts.draw_string(canvas, self.pad_x, baseline, self.text, self.font, self.size)


def _item_cell(line: SlipLine, look: Look, label: bool) -> list[Flowable]:
    cell: list[Flowable] = []
    if label:
        cell.append(para(line.sku, look.style(look.small, bold=True)))
    cell.append(para(line.title, look.style(look.body + (0 if label else 0.5), bold=True)))
    if line.variation.strip():
        cell.append(
            para(line.variation, look.style(look.small if label else look.body - 0.5, color=look.muted))
        )
    if line.personalization.strip():
        markup = f"<b>Personalization:</b> {fonts.paragraph_markup(line.personalization)}"
        cell.append(markup_para(markup, look.style(look.small if label else look.body - 0.5)))
    return cell


def _columns(width: float, label: bool) -> list[float]:
    if label:
        return [0.72 * inch, width - 0.72 * inch]
    qty_width, sku_width = 0.95 * inch, 1.55 * inch
    return [qty_width, sku_width, width - qty_width - sku_width]


def _items_table(slip: PackingSlipData, look: Look, width: float, label: bool) -> Table:
    qty_size = _qty_size(look, label)
    caption = look.caption()
    if label:
        rows: list[list] = [[para("QTY", caption), para("ITEM", caption)]]
        for line in slip.lines:
            rows.append([QuantityMark(line.quantity, qty_size), _item_cell(line, look, label)])
    else:
        rows = [[para("QTY", caption), para("SKU", caption), para("ITEM", caption)]]
        sku_style = look.style(look.body - 0.5)
        for line in slip.lines:
            rows.append(
                [
                    QuantityMark(line.quantity, qty_size),
                    para(line.sku, sku_style),
                    _item_cell(line, look, label),
                ]
            )
    pad = 2 if label else 6
    table = Table(rows, colWidths=_columns(width, label), repeatRows=1)
    table.setStyle(
        grid_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad + 2),
            ("TOPPADDING", (0, 1), (-1, -1), pad + 1),
            ("BOTTOMPADDING", (0, 1), (-1, -1), pad + 1),
            ("TOPPADDING", (0, 0), (-1, 0), 0),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 3),
            ("LINEBELOW", (0, 0), (-1, 0), 1, look.ink),
            ("LINEBELOW", (0, 1), (-1, -2), 0.5, look.rule),
        ])
    )  # fmt: skip
    return table


def _qty_size(look: Look, label: bool) -> float:
    return look.heading * (1.15 if label else 1.25)


def _total_row(slip: PackingSlipData, look: Look, width: float, label: bool) -> Table:
    """The total number of units, under the items and aligned with their quantities."""
    units = slip.total_units
    columns = _columns(width, label)
    row = [
        para(str(units), look.style(_qty_size(look, label), bold=True)),
        para(f"unit{'s' if units != 1 else ''} in total", look.style(look.body, bold=True)),
    ]
    table = Table([row], colWidths=[columns[0], width - columns[0]])
    pad = 2 if label else 6
    table.setStyle(
        grid_style([
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEABOVE", (0, 0), (-1, 0), 1, look.ink),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), pad + 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1),
        ])
    )  # fmt: skip
    return table


def check_stamp_text(check: CheckStamp) -> str:
    """The stamp's words: "Checked by scan: 5 of 5 units · 22 Nov 2026 10:14" or "NOT CHECKED — reason"."""
    if check.is_skipped:
        when = f" · {format_datetime(check.at)}" if check.at else ""
        return f"NOT CHECKED — {check.skipped_reason}{when}"
    when = f" · {format_datetime(check.at)}" if check.at else ""
    return f"Checked by scan: {check.units_counted} of {check.units_total} units{when}"


def check_stamp_block(check: CheckStamp, look: Look, width: float) -> Flowable:
    if check.is_complete:
        text = f"✓  {check_stamp_text(check)}"
        style = look.style(look.body, bold=True)
        border, color = 1, look.ink
    else:
        text = check_stamp_text(check)
        if not check.is_skipped:
            missing = check.units_total - check.units_counted
            text = f"INCOMPLETE CHECK — {text} ({missing} not scanned)"
        style = look.style(look.heading, bold=True, color=look.alert)
        border, color = 2.2, look.alert
    box = Table([[para(text, style)]], colWidths=[width])
    box.setStyle(
        grid_style([
            ("BOX", (0, 0), (-1, -1), border, color),
            ("LEFTPADDING", (0, 0), (-1, -1), 6 if look.body < 10 else 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6 if look.body < 10 else 8),
            ("TOPPADDING", (0, 0), (-1, -1), 3 if look.body < 10 else 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5 if look.body < 10 else 7),
        ])
    )  # fmt: skip
    return box


def _note_block(note: str, look: Look, width: float) -> Flowable:
    content = [
        para("YOUR NOTE TO US", look.caption()),
        Spacer(1, 2),
        para(note, look.style(look.body, italic=True)),
    ]
    box = Table([[content]], colWidths=[width])
    box.setStyle(
        grid_style([
            ("LINEBEFORE", (0, 0), (0, -1), 2, look.rule),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ])
    )  # fmt: skip
    return box
