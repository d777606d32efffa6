"""The pick list: every SKU a set of orders needs, with its total, so each patch is picked once.

Rows are sorted by bin/location (SKUs without a location last), then SKU, so the walk along the shelves
follows the page. Each row has a tick box and the orders the units go to; the last row is the total.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer, Table

from shopdesk.documents._layout import format_datetime, grid_style, para, sheet
from shopdesk.documents.data import PickListEntry, SheetPaper, ShopProfile
from shopdesk.documents.packing_slip import order_label


class TickBox(Flowable):
    def __init__(self, size: float) -> None:
        super().__init__()
        self.width = self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setLineWidth(1)
        self.canv.rect(0, 0, self.width, self.height)


def sorted_for_picking(entries: Sequence[PickListEntry]) -> list[PickListEntry]:
    """By location (entries without one last), then SKU."""
    return sorted(
        entries, key=lambda e: (not e.location.strip(), e.location.strip().casefold(), e.sku.casefold())
    )


def render_pick_list(
    entries: Sequence[PickListEntry],
    profile: ShopProfile,
    generated_at: datetime,
    paper: SheetPaper | None = None,
) -> bytes:
    """The pick list as PDF bytes, on ``paper`` (default: the profile's sheet paper)."""
    paper = paper or profile.sheet_paper
    rows_data = sorted_for_picking(entries)
    orders = {number for entry in entries for number in entry.order_numbers}
    units = sum(entry.total_units for entry in entries)
    title = f"Pick list — {format_datetime(generated_at)}"
    buffer = io.BytesIO()
    page = sheet(buffer, paper, profile, title, subject=f"{len(orders)} orders")
    look, frame_width = page.look, page.frame_width
    story: list[Flowable] = [
        para("Pick list", look.style(look.big, bold=True)),
        para(
            f"{profile.name}  ·  generated {format_datetime(generated_at)}  ·  "
            f"{len(orders)} order{'s' if len(orders) != 1 else ''}, {units} unit{'s' if units != 1 else ''}",
            look.style(look.small, color=look.muted),
        ),
        Spacer(1, look.body * 1.4),
    ]
    caption = look.caption()
    header = [
        "", para("LOCATION", caption), para("SKU", caption), para("ITEM", caption),
        para("UNITS", look.caption(align="right")), para("FOR ORDERS", caption),
    ]  # fmt: skip
    rows: list[list] = [header]
    for entry in rows_data:
        rows.append([
            TickBox(look.body * 1.2),
            para(entry.location or "—", look.style(look.body, bold=bool(entry.location))),
            para(entry.sku, look.style(look.body, bold=True)),
            para(entry.title, look.style(look.body)),
            para(str(entry.total_units), look.style(look.heading, bold=True, align="right")),
            para(", ".join(order_label(n) for n in entry.order_numbers), look.style(look.small)),
        ])  # fmt: skip
    rows.append(["", "", para("Total", look.style(look.body, bold=True)), "",
                 para(str(units), look.style(look.heading, bold=True, align="right")), ""])  # fmt: skip
    tick, location, sku, qty, orders_width = 0.35 * inch, 0.85 * inch, 1.35 * inch, 0.6 * inch, 1.5 * inch
    item = frame_width - tick - location - sku - qty - orders_width
    table = Table(rows, colWidths=[tick, location, sku, item, qty, orders_width], repeatRows=1)
    table.setStyle(
        grid_style([
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("RIGHTPADDING", (4, 0), (4, -1), 12),
            ("TOPPADDING", (0, 1), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
            ("LINEBELOW", (0, 0), (-1, 0), 1, look.ink),
            ("LINEBELOW", (0, 1), (-1, -3), 0.5, look.rule),
            ("LINEABOVE", (0, -1), (-1, -1), 1, look.ink),
        ])
    )  # fmt: skip
    story.append(table)
    page.build(story)
    return buffer.getvalue()
