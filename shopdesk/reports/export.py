"""The mistake report on paper (PDF, charts included) and the corrections as a spreadsheet (CSV).

Both are written atomically: a crash half-way never leaves half a file where the owner expects one.

The CSV is safe to open in a spreadsheet: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would be read as a formula (a customer's note can say anything), so it is written with a
``'`` in front, which spreadsheets show as plain text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table

from shopdesk.db.database import Database
from shopdesk.db.types import utc_now
from shopdesk.documents import fonts
from shopdesk.documents._layout import Look, format_date, format_datetime, grid_style, para, sheet
from shopdesk.documents.data import ShopProfile
from shopdesk.files import write_atomically
from shopdesk.orders.sources import source_name
from shopdesk.packing.profile import shop_profile
from shopdesk.reports.mistakes import (
    EXTRA,
    MONTH,
    WEEK,
    CorrectionRecord,
    Count,
    MistakeReport,
    RatePoint,
    ReportFilter,
    check_sentence,
    corrections_in_range,
    mistake_report,
    money,
    per_100_text,
)

# -- CSV ---------------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_HEADER = (
    "Correction",
    "Date",
    "Order",
    "Source",
    "Shipped",
    "Kind",
    "Cause",
    "What went wrong",
    "Units owed",
    "Goodwill extras",
    "Goodwill note",
    "What we will change",
    "Replacement",
    "Replacement status",
    "Return (RMA)",
    "Return received",
    "Notes",
)


def safe_cell(value: object) -> object:
    """A cell a spreadsheet will not run: text starting like a formula gets a ``'`` in front."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _when(at: datetime | None, tz: tzinfo | None) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if at else ""


def what_went_wrong(record: CorrectionRecord) -> str:
    """ "1 × ROSE-RED missing; 1 × ROSE-RED wrong item (sent ROSE-PNK)"."""
    parts = []
    for line in record.lines:
        if line.kind == EXTRA:
            continue
        text = f"{line.units} × {line.sku} {line.kind.replace('_', ' ')}"
        parts.append(text + (f" (sent {line.sent_sku})" if line.sent_sku else ""))
    return "; ".join(parts)


def corrections_csv(records: Sequence[CorrectionRecord], tz: tzinfo | None = None) -> bytes:
    """The corrections as CSV (UTF-8 with a byte-order mark, so spreadsheets read accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for r in records:
        extras = "; ".join(f"{line.units} × {line.sku}" for line in r.lines if line.kind == EXTRA)
        row = [
            r.id, _when(r.created_at, tz), r.order_number, source_name(r.source), _when(r.shipped_at, tz),
            r.kind.label, r.cause.label, what_went_wrong(r), r.units_owed, extras, r.goodwill_note,
            r.what_we_will_change, r.replacement_number, r.replacement_status.label, r.rma or "",
            _when(r.return_received_at, tz), r.notes,
        ]  # fmt: skip
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def export_corrections_csv(
    db: Database, filter: ReportFilter, path: Path, *, tz: tzinfo | None = None, now: datetime | None = None
) -> int:
    """Write the corrections made in the range to ``path``; returns how many."""
    with db.reading() as session:
        records = corrections_in_range(session, filter, tz=tz, now=now)
    write_atomically(Path(path), corrections_csv(records, tz))
    return len(records)


# -- PDF ---------------------------------------------------------------------------------------------

LINE_COLOUR = colors.HexColor("#1F5F99")
BAR_COLOUR = colors.HexColor("#4A7FB0")
CHANGE_COLOUR = colors.HexColor("#A1141C")
# Up to this many weeks the chart shows weeks; a longer range shows months.
WEEKS_ON_CHART = 26


def range_text(report: MistakeReport) -> str:
    sources = source_name(report.source) if report.source else "all sources"
    return f"{format_date(report.start)} – {format_date(report.end)} · {sources}"


def chart_period(report: MistakeReport) -> str:
    """Weeks for a range of up to half a year, months beyond."""
    return WEEK if len(report.by_week) <= WEEKS_ON_CHART else MONTH


def _short_label(start: date, period: str) -> str:
    return f"{start.day} {start:%b}" if period == WEEK else f"{start:%b %y}"


def rate_drawing(report: MistakeReport, width: float, height: float, look: Look) -> Drawing:
    """Corrections per 100 orders shipped over time, with the process changes as numbered red lines."""
    period = chart_period(report)
    points: Sequence[RatePoint] = report.by_week if period == WEEK else report.by_month
    drawing = Drawing(width, height, initialFontName=fonts.REGULAR)
    plot = LinePlot()
    plot.x, plot.y = 34, 26
    plot.width, plot.height = width - 48, height - 44
    origin = points[0].start if points else report.start
    day = lambda d: float((d - origin).days)  # noqa: E731
    data = [(day(p.start), p.per_100) for p in points if p.per_100 is not None]
    plot.data = [data or [(0.0, 0.0)]]
    plot.lines[0].strokeColor = LINE_COLOUR
    plot.lines[0].strokeWidth = 2
    plot.lines[0].symbol = makeMarker("FilledCircle", size=4, fillColor=LINE_COLOUR)
    if not data:
        plot.lines[0].strokeColor = colors.transparent
        plot.lines[0].symbol = None
    last = day(points[-1].start) if points else 1.0
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0.0, max(last, 1.0)
    step = max(1, -(-len(points) // 9))  # at most about nine labels
    plot.xValueAxis.valueSteps = [day(p.start) for p in points[::step]]
    labels = {day(p.start): _short_label(p.start, period) for p in points}
    plot.xValueAxis.labelTextFormat = lambda value: labels.get(value, "")
    top = max([value for _, value in data] + [1.0])
    plot.yValueAxis.valueMin = 0
    plot.yValueAxis.valueMax = _nice_ceiling(top)
    plot.yValueAxis.labelTextFormat = lambda value: f"{value:g}"
    plot.yValueAxis.gridStrokeColor = look.tint
    plot.yValueAxis.visibleGrid = True
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName = fonts.REGULAR
        axis.labels.fontSize = look.small
        axis.strokeColor = look.rule
    drawing.add(plot)
    scale = plot.width / (plot.xValueAxis.valueMax - plot.xValueAxis.valueMin)
    for number, change in enumerate(report.changes, start=1):
        x = plot.x + max(0.0, min(day(change.on), plot.xValueAxis.valueMax)) * scale
        drawing.add(
            Line(x, plot.y, x, plot.y + plot.height, strokeColor=CHANGE_COLOUR, strokeDashArray=[3, 2])
        )
        drawing.add(
            String(x + 2, plot.y + plot.height - 9, str(number), fontName=fonts.BOLD,
                   fontSize=look.small, fillColor=CHANGE_COLOUR)
        )  # fmt: skip
    return drawing


def _nice_ceiling(value: float) -> float:
    for nice in (1, 2, 5, 10, 20, 25, 50, 75, 100, 150, 200, 300, 500, 1000):
        if value <= nice:
            return float(nice)
    return float(value)


def bars_drawing(counts: Sequence[Count], width: float, look: Look) -> Drawing:
    """One horizontal bar per kind or cause, the count at its end."""
    row = 15
    height = row * len(counts) + 24
    drawing = Drawing(width, height, initialFontName=fonts.REGULAR)
    chart = HorizontalBarChart()
    chart.x, chart.y = 104, 16
    chart.width, chart.height = width - 124, row * len(counts)
    # Top to bottom in the report's order: the bar chart draws its first category at the bottom.
    chart.data = [[c.count for c in reversed(counts)]]
    chart.categoryAxis.categoryNames = [c.label for c in reversed(counts)]
    chart.categoryAxis.labels.fontName = fonts.REGULAR
    chart.categoryAxis.labels.fontSize = look.small
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = look.rule
    top = max([c.count for c in counts] + [1])
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = max(1, -(-top // 5))
    chart.valueAxis.labels.fontName = fonts.REGULAR
    chart.valueAxis.labels.fontSize = look.small
    chart.valueAxis.strokeColor = look.rule
    chart.bars[0].fillColor = BAR_COLOUR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = fonts.BOLD
    chart.barLabels.fontSize = look.small
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def render_mistake_report(report: MistakeReport, profile: ShopProfile, tz: tzinfo | None = None) -> bytes:
    """The report as PDF bytes on the shop's sheet paper."""
    title = f"Mistakes — {range_text(report)}"
    buffer = io.BytesIO()
    page = sheet(buffer, profile.sheet_paper, profile, title, subject=f"{report.corrections} corrections")
    look, frame = page.look, page.frame_width
    body, small, muted = look.style(), look.style(look.small), look.style(look.small, color=look.muted)
    heading = look.style(look.heading, bold=True, space_after=4)
    story: list[Flowable] = [
        para("Mistakes", look.style(look.big, bold=True)),
        para(
            f"{profile.name}  ·  {range_text(report)}  ·  generated {format_datetime(report.generated_at.astimezone(tz))}",
            muted,
        ),
        Spacer(1, look.body),
        _headline(report, look, frame),
        Spacer(1, look.body * 1.2),
    ]

    period = chart_period(report)
    story.append(
        KeepTogether([
            para(f"Corrections per 100 orders shipped, by {period}", heading),
            para(
                f"Orders are counted in the {period} they shipped, with every correction made on them since. "
                "Red lines: the changes you made.",
                muted,
            ),
            rate_drawing(report, frame, 2.3 * inch, look),
            *_changes_list(report, look),
        ])
    )  # fmt: skip
    story.append(Spacer(1, look.body))
    half = (frame - 0.3 * inch) / 2
    breakdown = Table(
        [
            [para("By kind", heading), para("By cause", heading)],
            [bars_drawing(report.by_kind, half, look), bars_drawing(report.by_cause, half, look)],
        ],
        colWidths=[half + 0.3 * inch, half],
        hAlign="LEFT",
    )
    breakdown.setStyle(
        grid_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ])
    )  # fmt: skip
    story += [
        KeepTogether([breakdown]),
        para(
            f"{report.corrections} correction{'s' if report.corrections != 1 else ''} made in the range.",
            muted,
        ),
        Spacer(1, look.body),
    ]

    def section(name: str, table: Flowable, note: str = "") -> None:
        parts: list[Flowable] = [para(name, heading), table]
        if note:
            parts.append(para(note, muted))
        story.extend([CondPageBreak(1.2 * inch), KeepTogether(parts), Spacer(1, look.body)])

    section(
        "By month",
        _table(
            look, frame, ["MONTH", "ORDERS SHIPPED", "CORRECTIONS", "PER 100"],
            [[p.label, p.orders_shipped, p.corrections, per_100_text(p.per_100)] for p in report.by_month],
            [0.4, 0.2, 0.2, 0.2], numeric_from=1,
        ),
    )  # fmt: skip
    checked, skipped = report.checking.checked, report.checking.skipped
    section(
        "Checked vs packed without a check",
        _table(
            look, frame, ["", "ORDERS SHIPPED", "LATER CORRECTED", "PER 100"],
            [
                ["Checked", checked.orders, checked.corrected, per_100_text(checked.per_100)],
                ["Packed without a check", skipped.orders, skipped.corrected, per_100_text(skipped.per_100)],
            ],
            [0.4, 0.2, 0.2, 0.2], numeric_from=1,
        ),
        check_sentence(report),
    )  # fmt: skip
    costs = report.costs
    cost_rows = [
        ["Reships", costs.reships],
        ["Units reshipped", costs.units_reshipped],
        ["Goodwill extras (units)", costs.goodwill_units],
        ["Goodwill notes", costs.goodwill_notes],
        ["Returns asked for", costs.returns],
    ]
    if costs.postage_cents is not None:
        cost_rows.append(
            [f"Postage ({money(costs.postage_per_reship_cents)} per reship)", money(costs.postage_cents)]
        )
    section(
        "What it cost",
        _table(look, frame * 0.6, ["", ""], cost_rows, [0.7, 0.3], numeric_from=1, show_titles=False),
        "" if costs.postage_cents is not None else "Postage: set what one reship costs to see it here.",
    )
    section(
        "Products most involved",
        _table(
            look, frame, ["SKU", "PRODUCT", "CORRECTIONS", "UNITS OWED", "SENT INSTEAD"],
            [[p.sku, p.title, p.corrections, p.units_owed, p.sent_instead] for p in report.products[:15]],
            [0.14, 0.38, 0.16, 0.16, 0.16], numeric_from=2,
        ) if report.products else para("No products involved.", body),
    )  # fmt: skip
    section(
        "Look-alike pairs: ordered one, sent the other",
        _table(
            look, frame, ["ORDERED", "SENT INSTEAD", "IN RANGE", "ALL TIME"],
            [
                [f"{p.ordered_sku} {p.ordered_title}".strip(), f"{p.sent_sku} {p.sent_title}".strip(), p.times, p.all_time]
                for p in report.lookalikes
            ],
            [0.36, 0.36, 0.14, 0.14], numeric_from=2,
        ) if report.lookalikes else para("No wrong items in the range.", body),
    )  # fmt: skip
    items = report.open_items
    open_rows = [[f"Return {r.rma}", r.order_number, f"not back since {format_date(r.since.astimezone(tz))}"]
                 for r in items.returns]  # fmt: skip
    open_rows += [
        [f.title, f.order_number, _due_text(f.due_at, f.due, tz)] for f in items.follow_ups if f.due
    ]
    waiting = len(items.follow_ups) - items.follow_ups_due
    section(
        "Open now",
        _table(look, frame, ["WHAT", "ORDER", "STATUS"], open_rows, [0.35, 0.2, 0.45])
        if open_rows
        else para("Nothing open: every return is back and no follow-up is due.", body),
        f"{waiting} more follow-up{'s' if waiting != 1 else ''} not due yet." if waiting else "",
    )
    if report.not_in_rate:
        story.append(
            para(
                f"{report.not_in_rate} correction{'s were' if report.not_in_rate != 1 else ' was'} made on "
                "orders ShopDesk never saw ship (imported as shipped, or never marked shipped): counted "
                "above, but not in the rate.",
                small,
            )
        )
    page.build(story)
    return buffer.getvalue()


def _headline(report: MistakeReport, look: Look, frame: float) -> Table:
    big = look.style(look.big, bold=True)
    caption = look.caption()
    cells = [
        (str(report.corrections), "CORRECTIONS MADE"),
        (per_100_text(report.per_100), f"PER 100 ORDERS SHIPPED ({report.corrections_on_shipped} OF {report.orders_shipped})"),
        (str(report.costs.units_reshipped), "UNITS RESHIPPED"),
        (
            per_100_text(report.checking.skipped.per_100),
            f"PER 100 PACKED WITHOUT A CHECK WENT WRONG · CHECKED: {per_100_text(report.checking.checked.per_100)}",
        ),
    ]  # fmt: skip
    table = Table(
        [[para(v, big) for v, _ in cells], [para(c, caption) for _, c in cells]], colWidths=[frame / 4] * 4
    )
    table.setStyle(
        grid_style([
            ("BACKGROUND", (0, 0), (-1, -1), look.tint),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, 0), 8),
            ("BOTTOMPADDING", (0, 1), (-1, 1), 8),
            ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
        ])
    )  # fmt: skip
    return table


def _changes_list(report: MistakeReport, look: Look) -> list[Flowable]:
    style = look.style(look.small)
    return [
        para(
            f"Change {number} · {format_date(change.on)} (order {change.order_number}): {change.text}", style
        )
        for number, change in enumerate(report.changes, start=1)
    ]


def _due_text(due_at: datetime | None, due: bool, tz: tzinfo | None) -> str:
    if due_at is None:
        return "after the replacement ships"
    return ("due since " if due else "due ") + format_date(due_at.astimezone(tz))


def _table(
    look: Look,
    width: float,
    titles: list[str],
    rows: list[list],
    fractions: list[float],
    *,
    numeric_from: int | None = None,
    show_titles: bool = True,
) -> Table:
    """A plain table in the house style: small capitals over the columns, numbers on the right."""
    numeric = numeric_from if numeric_from is not None else len(titles)
    cells: list[list] = []
    if show_titles:
        cells.append([
            para(title, look.caption(align="right" if i >= numeric else "left")) for i, title in enumerate(titles)
        ])  # fmt: skip
    for row in rows:
        cells.append([
            para(str(value), look.style(align="right" if i >= numeric else "left", bold=i >= numeric))
            for i, value in enumerate(row)
        ])  # fmt: skip
    table = Table(
        cells, colWidths=[width * f for f in fractions], repeatRows=1 if show_titles else 0, hAlign="LEFT"
    )
    first_row = 1 if show_titles else 0
    table.setStyle(
        grid_style([
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, first_row), (-1, -1), 3),
            ("BOTTOMPADDING", (0, first_row), (-1, -1), 3),
            *([("LINEBELOW", (0, 0), (-1, 0), 1, look.ink)] if show_titles else []),
            ("LINEBELOW", (0, first_row), (-1, -1), 0.5, look.rule),
        ])
    )  # fmt: skip
    return table


def export_report_pdf(
    db: Database, filter: ReportFilter, path: Path, *, tz: tzinfo | None = None, now: datetime | None = None
) -> MistakeReport:
    """Compute the report and write it as a PDF to ``path``; returns the report."""
    with db.reading() as session:
        report = mistake_report(session, filter, now=now or utc_now(), tz=tz)
        profile = shop_profile(session)
    write_atomically(Path(path), render_mistake_report(report, profile, tz))
    return report
