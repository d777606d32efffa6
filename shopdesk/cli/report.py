"""``shopdesk report``: the mistake report — a summary, JSON for scripts, a PDF, the corrections as CSV.

The figures are the ones the Mistakes window shows, for the same range (by default the current month
and the eleven before it) and source; see ``shopdesk.reports.mistakes`` for what each one counts.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from shopdesk.checking.state import plural
from shopdesk.errors import ShopDeskError
from shopdesk.orders.sources import source_name


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ShopDeskError(f"Write dates as YEAR-MONTH-DAY, e.g. 2026-03-01 (got {text!r}).") from None


def _amount(text: str) -> int:
    try:
        value = round(float(text.strip().replace(",", ".")) * 100)
    except ValueError:
        raise ShopDeskError(f"Write the postage as an amount, e.g. 6.20 (got {text!r}).") from None
    if value < 0:
        raise ShopDeskError("Postage cannot be negative.")
    return value


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="the mistake report: how often packing goes wrong, why, and what it costs",
        description="Corrections per 100 orders shipped by week and month, by kind and cause, products "
        "and look-alike pairs, costs, open items, and checked vs packed without a check. Prints a "
        "summary, or the same figures as JSON, or writes the report as a PDF; --csv also writes the "
        "corrections of the range as a spreadsheet. Default range: this month and the eleven before.",
    )
    parser.add_argument("--from", dest="start", metavar="DATE", help="first day, e.g. 2026-01-01")
    parser.add_argument("--to", dest="end", metavar="DATE", help="last day (default: today)")
    parser.add_argument("--all", action="store_true", help="from the first order shipped (instead of --from)")
    parser.add_argument("--source", metavar="S", help="only orders from S (etsy, shopify, squarespace, …)")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the figures as JSON (for scripts)")
    out.add_argument("-o", "--output", type=Path, metavar="FILE.pdf", help="write the report as a PDF")
    parser.add_argument(
        "--csv", type=Path, metavar="FILE.csv", help="write the corrections of the range as CSV"
    )
    parser.add_argument(
        "--postage",
        metavar="AMOUNT",
        help="save what one reship's postage costs (e.g. 6.20; 0 forgets it), used from now on",
    )
    parser.set_defaults(handler=run)


def run(args, db) -> int:
    from shopdesk.reports.mistakes import (
        ReportFilter,
        build_report,
        last_twelve_months,
        report_as_json,
        report_sources,
        set_postage_per_reship,
    )

    if args.all and args.start:
        raise ShopDeskError("Give either --from or --all, not both.")
    end = _day(args.end) if args.end else date.today()
    start = None if args.all else _day(args.start) if args.start else last_twelve_months(end).start
    source = args.source.strip().lower() if args.source else None
    if source:
        with db.reading() as session:
            sources = report_sources(session)
        if source not in sources:
            known = ", ".join(sources) or "none yet"
            raise ShopDeskError(f"No orders come from {args.source!r}; the shop's sources are: {known}.")
    if args.postage is not None:
        cents = _amount(args.postage)
        set_postage_per_reship(db, cents or None)
    filter = ReportFilter(start, end, source)
    if args.csv:
        from shopdesk.reports.export import export_corrections_csv  # ReportLab: only when exporting

        count = export_corrections_csv(db, filter, args.csv)
        if not args.json:
            print(f"Wrote {count} correction{'s' if count != 1 else ''} to {args.csv}")
    if args.output:
        from shopdesk.reports.export import export_report_pdf

        report = export_report_pdf(db, filter, args.output)
        print(f"Wrote the mistake report ({report.corrections} corrections) to {args.output}")
        return 0
    report = build_report(db, filter)
    if args.json:
        print(json.dumps(report_as_json(report), ensure_ascii=False, indent=2))
        return 0
    print(summary(report))
    return 0


def _date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def summary(report) -> str:
    """The report as a few lines of text for the terminal."""
    from shopdesk.reports.mistakes import money, per_100_text

    lines = [
        f"Mistakes, {_date(report.start)} – {_date(report.end)}, "
        + (source_name(report.source) if report.source else "all sources"),
        f"Corrections made: {report.corrections}",
        f"Per 100 orders shipped: {per_100_text(report.per_100)} "
        f"({report.corrections_on_shipped} corrections on {report.orders_shipped} orders shipped)",
    ]
    checked, skipped = report.checking.checked, report.checking.skipped
    lines.append(
        f"Packed without a check: {skipped.orders} orders, {skipped.corrected} later corrected "
        f"({per_100_text(skipped.per_100)} per 100); checked: {checked.orders} orders, {checked.corrected} "
        f"({per_100_text(checked.per_100)} per 100)"
    )
    lines += ["", f"{'Month':<10} {'Shipped':>8} {'Corrections':>12} {'Per 100':>8}"]
    for point in report.by_month:
        lines.append(
            f"{point.label:<10} {point.orders_shipped:>8} {point.corrections:>12} {per_100_text(point.per_100):>8}"
        )
    lines.append("")
    lines.append(
        "By kind: " + (", ".join(f"{c.label} {c.count}" for c in report.by_kind if c.count) or "none")
    )
    lines.append(
        "By cause: " + (", ".join(f"{c.label} {c.count}" for c in report.by_cause if c.count) or "none")
    )
    for change in report.changes:
        lines.append(f"Change on {_date(change.on)}: {change.text}")
    for pair in report.lookalikes:
        lines.append(
            f"Ordered {pair.ordered_sku}, sent {pair.sent_sku}: {pair.times} (all time {pair.all_time})"
        )
    costs = report.costs
    cost = (
        f"Costs: {plural(costs.reships, 'reship')}, {plural(costs.units_reshipped, 'unit')} reshipped, "
        f"{plural(costs.goodwill_units, 'goodwill extra unit')}"
    )
    if costs.postage_cents is not None:
        cost += f", postage {money(costs.postage_cents)}"
    lines.append(cost)
    items = report.open_items
    lines.append(
        f"Open now: {plural(len(items.returns), 'return')} not back, "
        f"{plural(items.follow_ups_due, 'follow-up')} due"
    )
    if report.not_in_rate:
        lines.append(
            f"({plural(report.not_in_rate, 'correction')} on orders ShopDesk never saw ship: not in the rate.)"
        )
    return "\n".join(lines)
