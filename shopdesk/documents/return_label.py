"""Return labels: the shop's return address as the destination, the customer as the sender.

On a 4×6 in label the whole page is the label. On Letter the label sits in the top half inside a dashed
cut line, and the lower half tells the customer what to send back and how. When the owner has bought a
carrier's prepaid label elsewhere, its PDF pages are appended after the return label (copied page by
page with pdfium, so the carrier's barcodes stay exactly as the carrier made them).
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Frame, PageTemplate, Spacer, Table
from reportlab.platypus.doctemplate import BaseDocTemplate

from shopdesk.documents import fonts
from shopdesk.documents._layout import Look, doc_options, grid_style, lines_para, para
from shopdesk.documents.barcodes import Code128Barcode
from shopdesk.documents.data import ReturnLabelData, ReturnLabelPaper, ShopProfile
from shopdesk.documents.errors import AttachedLabelError
from shopdesk.documents.packing_slip import order_label
from shopdesk.documents.paper import is_label, page_size


def render_return_label(
    data: ReturnLabelData, profile: ShopProfile, paper: ReturnLabelPaper | None = None
) -> bytes:
    """The return label as PDF bytes, followed by the pages of the attached prepaid label, if any.

    ``paper`` defaults to the profile's return-label paper. Raises AttachedLabelError when the attached
    label is not a readable PDF.
    """
    paper = paper or profile.return_label_paper
    width, height = page_size(paper)
    look = Look.for_paper(paper)
    label = is_label(paper)
    margin = look.margin
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin,
        pageTemplates=[
            PageTemplate(
                id="label",
                frames=[Frame(margin, margin, width - 2 * margin, height - 2 * margin,
                              leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)],
            )
        ],
        **doc_options(f"Return label — {data.rma_number}", profile, subject=f"Order {order_label(data.order_number)}"),
    )  # fmt: skip
    frame_width = width - 2 * margin
    if label:
        story = _label_story(data, profile, look, frame_width)
    else:
        story = _letter_story(data, profile, look, frame_width)
    doc.build(story)
    pdf = buffer.getvalue()
    if data.prepaid_label_pdf:
        pdf = _append_pdf(pdf, data.prepaid_label_pdf)
    return pdf


class PostageBox(Flowable):
    """A dashed box marked for the stamp or postage sticker."""

    def __init__(self, width: float, height: float, look: Look) -> None:
        super().__init__()
        self.width, self.height, self.look = width, height, look

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(self.look.ink)
        canvas.setLineWidth(0.8)
        canvas.setDash(3, 2)
        canvas.rect(0, 0, self.width, self.height)
        canvas.setFillColor(self.look.muted)
        middle = self.height / 2
        fonts.draw_string(
            canvas, self.width / 2, middle + 1, "POSTAGE", fonts.BOLD, self.look.small, anchor="middle"
        )
        fonts.draw_string(
            canvas, self.width / 2, middle - self.look.small * 1.3, "stamp here", fonts.REGULAR, self.look.small,
            anchor="middle",
        )  # fmt: skip
        canvas.restoreState()


def _address_block(caption: str, lines: tuple[str, ...], look: Look, size: float) -> list[Flowable]:
    if not lines:
        return [para(caption, look.caption())]
    return [
        para(caption, look.caption()),
        Spacer(1, 2),
        para(lines[0], look.style(size, bold=True)),
        lines_para(lines[1:], look.style(size, leading=size * 1.25)),
    ]


def _plain_table(rows: list[list], widths: list[float], extra: list[tuple] | None = None) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(
        grid_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            *(extra or []),
        ])
    )  # fmt: skip
    return table


def _label_part(data: ReturnLabelData, profile: ShopProfile, look: Look, width: float) -> list[Flowable]:
    """The part that goes on the parcel: from, postage, to, return number and its barcode."""
    postage = PostageBox(1.0 * inch, 0.85 * inch, look)
    sender = _address_block("FROM", data.sender.lines(), look, look.small + 0.5)
    top = _plain_table(
        [[sender, postage]], [width - postage.width, postage.width], [("ALIGN", (1, 0), (1, 0), "RIGHT")]
    )
    to_size = look.heading * 1.25
    lines = profile.returns_to
    if not lines or lines[0] != profile.name:
        lines = (profile.name, *lines)
    destination = _address_block("RETURN TO", lines, look, to_size)
    to_block = _plain_table([["", destination]], [width * 0.12, width * 0.88])
    rma = [
        para("RETURN NUMBER", look.caption()),
        para(data.rma_number, look.style(look.heading * 1.15, bold=True)),
        para(f"Order {order_label(data.order_number)}", look.style(look.small, color=look.muted)),
    ]
    barcode_width = width * 0.55
    barcode = Code128Barcode(
        data.rma_number, max_width=barcode_width, bar_height=0.5 * inch, text_size=look.small, align="right",
        what="return number",
    )  # fmt: skip
    rma_row = _plain_table(
        [[rma, barcode]],
        [width - barcode_width, barcode_width],
        [("ALIGN", (1, 0), (1, 0), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")],
    )
    rule = _plain_table([[""]], [width], [("LINEABOVE", (0, 0), (-1, 0), 1.2, look.ink)])
    return [
        top,
        Spacer(1, look.body * 1.6),
        to_block,
        Spacer(1, look.body * 1.6),
        rule,
        Spacer(1, 6),
        rma_row,
    ]


def _items_part(data: ReturnLabelData, look: Look, width: float) -> list[Flowable]:
    if not data.items:
        return []
    rows = [[para("QTY", look.caption()), para("SKU", look.caption()), para("ITEM", look.caption())]]
    for item in data.items:
        rows.append([
            para(f"× {item.quantity}" if item.quantity > 1 else "1", look.style(look.body, bold=True)),
            para(item.sku, look.style(look.small)),
            para(item.title, look.style(look.small)),
        ])  # fmt: skip
    qty, sku = 0.45 * inch, width * 0.3
    table = Table(rows, colWidths=[qty, sku, width - qty - sku], repeatRows=1)
    table.setStyle(
        grid_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, look.ink),
        ])
    )  # fmt: skip
    return [para("PLEASE SEND BACK", look.caption()), Spacer(1, 2), table]


def _instructions(data: ReturnLabelData, profile: ShopProfile, look: Look) -> list[Flowable]:
    steps = [
        "Pack the items listed here, with this slip or a note of your return number.",
        "Tape the label to the outside of the parcel"
        + (" and stick the prepaid carrier label on top of the address." if data.prepaid_label_pdf else "."),
        "Hand it in at the post office"
        + (" or carrier drop-off." if data.prepaid_label_pdf else " and add postage."),
    ]
    style = look.style(look.small, leading=look.small * 1.35)
    story: list[Flowable] = [para("HOW TO RETURN", look.caption()), Spacer(1, 2)]
    story += [para(f"{number}.  {step}", style) for number, step in enumerate(steps, start=1)]
    contact = " or ".join(part for part in (profile.email, profile.phone) if part)
    if contact:
        story.append(para(f"Questions? {contact} — thank you!", look.style(look.small, italic=True)))
    return story


def _label_story(data: ReturnLabelData, profile: ShopProfile, look: Look, width: float) -> list[Flowable]:
    story = _label_part(data, profile, look, width)
    story += [Spacer(1, look.body * 1.2), *_items_part(data, look, width)]
    story += [Spacer(1, look.body), *_instructions(data, profile, look)]
    return story


def _letter_story(data: ReturnLabelData, profile: ShopProfile, look: Look, width: float) -> list[Flowable]:
    # The label itself: a 6 x 4 in area in a dashed cut line, to tape onto the parcel.
    label_look = Look.for_paper("label4x6")
    label_width = 5.6 * inch
    inner = _label_part(data, profile, label_look, label_width)
    cut = Table([[inner]], colWidths=[6 * inch], rowHeights=[4.2 * inch])
    cut.setStyle(
        grid_style([
            ("BOX", (0, 0), (-1, -1), 0.8, look.muted, None, (4, 3)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0.2 * inch),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0.2 * inch),
            ("TOPPADDING", (0, 0), (-1, -1), 0.2 * inch),
        ])
    )  # fmt: skip
    cut.hAlign = "CENTER"
    story: list[Flowable] = [
        para(f"Return for order {order_label(data.order_number)} — {profile.name}", look.style(look.heading, bold=True)),
        para("Cut out the label along the dashed line and tape it to your parcel.", look.style(look.small, color=look.muted)),
        Spacer(1, look.body),
        cut,
        Spacer(1, look.body * 2),
    ]  # fmt: skip
    halves = _plain_table(
        [[_items_part(data, look, width * 0.55), "", _instructions(data, profile, look)]],
        [width * 0.55, width * 0.05, width * 0.4],
    )
    story.append(halves)
    return story


def _append_pdf(pdf: bytes, attached: bytes) -> bytes:
    """``pdf`` followed by every page of ``attached``."""
    try:
        carrier = pdfium.PdfDocument(attached)
    except pdfium.PdfiumError as exc:
        raise AttachedLabelError(
            f"the attached prepaid label is not a PDF that can be printed ({exc}); download the label "
            "from the carrier again and attach that file"
        ) from exc
    document = pdfium.PdfDocument(pdf)
    try:
        if len(carrier) == 0:
            raise AttachedLabelError(
                "the attached prepaid label has no pages; attach the carrier's label PDF"
            )
        document.import_pages(carrier)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
    finally:
        document.close()
        carrier.close()
