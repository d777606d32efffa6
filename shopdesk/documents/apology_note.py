"""The apology note: a printed insert for the replacement parcel, in the owner's own words."""

from __future__ import annotations

import io

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

from shopdesk.documents._layout import Look, doc_options, logo, para
from shopdesk.documents.data import ApologyNoteData, NotePaper, ShopProfile
from shopdesk.documents.packing_slip import order_label
from shopdesk.documents.paper import page_size


def render_apology_note(
    data: ApologyNoteData, profile: ShopProfile, paper: NotePaper = "half_letter"
) -> bytes:
    """The note as PDF bytes: half a Letter sheet (5.5×8.5 in) or a 4×6 in card."""
    width, height = page_size(paper)
    small_card = paper == "label4x6"
    look = Look.for_paper("label4x6" if small_card else "letter")
    margin = 0.35 * inch if small_card else 0.6 * inch
    body_size = 9.5 if small_card else 11.5
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=(width, height),
        leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin,
        **doc_options(
            f"Apology note — order {order_label(data.original_order_number)}", profile,
            subject=f"Replacement order {order_label(data.replacement_order_number)}",
        ),
    )  # fmt: skip
    story: list[Flowable] = []
    image = logo(profile, width - 2 * margin, 0.6 * inch if small_card else 0.9 * inch)
    if image is not None:
        image.hAlign = "CENTER"
        story += [image, Spacer(1, 6)]
    story += [
        para(profile.name, look.style(body_size * 1.5, bold=True, align="center")),
        Spacer(1, body_size * (1.6 if small_card else 2.6)),
        para(f"Dear {data.customer_first_name},", look.style(body_size * 1.15, bold=True)),
        Spacer(1, body_size * 0.8),
    ]
    body = look.style(body_size, leading=body_size * 1.5, space_after=body_size * 0.7)
    for paragraph in (p.strip() for p in data.body_text.replace("\r\n", "\n").split("\n\n")):
        if paragraph:
            story.append(para(paragraph, body))
    story += [
        Spacer(1, body_size * 0.6),
        para(data.sign_off, look.style(body_size, italic=True)),
        para(profile.name, look.style(body_size, bold=True)),
        Spacer(1, body_size * (1.5 if small_card else 2.5)),
        para(
            f"Replacement order {order_label(data.replacement_order_number)} · "
            f"for order {order_label(data.original_order_number)}",
            look.style(look.small, color=look.muted, align="center"),
        ),
    ]
    if profile.contact_line:
        story.append(para(profile.contact_line, look.style(look.small, color=look.muted, align="center")))
    doc.build(story)
    return buffer.getvalue()
