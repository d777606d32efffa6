"""The mistake report: how often packing goes wrong, why, with which products, what it cost, and whether
the owner's process changes helped. Plain frozen data, for the Mistakes window, the PDF and the CLI.

What each figure counts
-----------------------
*The shipped moment* of an order is the time of its status event to "shipped" (shipped is final, so an
order has at most one). Orders ShopDesk never saw ship — imported as already shipped, or packed and never
marked shipped — have none.

*A correction* is a ``Correction`` whose replacement was not cancelled: a cancelled replacement means the
correction was withdrawn (the corrections service no longer counts its units as owed either), so it is
left out of every figure.

Two dates are used, each where it answers the owner's question:

- **The mistake rate** (corrections per 100 orders shipped, by week and by month) counts orders by their
  shipped moment: for each week or month, the orders shipped in it, and the corrections made on those
  orders (whenever they were made, up to now). It is the share of that week's parcels that went wrong, so
  a process change shows as a drop in the weeks after it. The latest weeks can still rise: a lost parcel
  is reported weeks after it left. Corrections on orders with no shipped moment are not in the rate;
  ``MistakeReport.not_in_rate`` says how many there are in the range.
- **Everything else about corrections** (by kind, by cause, products, look-alike pairs, costs, the CSV)
  counts the corrections *made* in the range (``Correction.created_at``).
- **Checked vs skipped** counts the orders shipped in the range (by shipped moment) in two groups: packed
  without the double-check (``check_skip_reason`` set) and checked; and of each, how many had a correction,
  whenever it was made.

Weeks start on Monday; weeks, months and the range's days are the owner's local calendar (or ``tz``). The
first and last week or month may be cut by the range. Replacements are orders too: they count as orders
shipped, under their own source ("reship"). The source filter applies to the order that went wrong.

*Process changes* are the corrections' "what we will change" texts with their date, in the range; a
change is shop-wide, so the source filter does not hide it. *Open items* (returns not back, follow-ups)
are what is open now: the date range does not apply to them, the source filter does.

*Look-alike pairs* are wrong items (ordered X, sent Y): counted in the range, and over all time as
``shopdesk.corrections.history.lookalike_pairs`` counts them for the check screen's warning.

*Costs*: reships (one per correction), units reshipped (units owed), goodwill extras (extra units, and
corrections with a goodwill note), and postage when the "report.postage_cents" setting holds what one
reship's postage costs.
"""

from __future__ import annotations

import dataclasses
import enum
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from shopdesk.corrections.follow_ups import follow_up_list, open_returns, shipped_at
from shopdesk.corrections.history import lookalike_pairs
from shopdesk.db.database import Database
from shopdesk.db.models import (
    Correction,
    CorrectionCause,
    CorrectionKind,
    CorrectionLine,
    Event,
    Order,
    OrderStatus,
    Product,
    Setting,
)
from shopdesk.db.types import utc_now
from shopdesk.errors import ShopDeskError

POSTAGE_KEY = "report.postage_cents"
EXTRA = "extra"  # a goodwill extra line (see shopdesk.corrections.service)
WEEK, MONTH = "week", "month"


@dataclass(frozen=True)
class ReportFilter:
    """Which part of the shop's history the report covers: local days, both ends included."""

    start: date | None = None
    """First day; None: from the first order shipped or correction made."""
    end: date | None = None
    """Last day; None: today."""
    source: str | None = None
    """Only orders from this source (etsy, shopify, …, reship); None: every source."""

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ShopDeskError(
                f"The report would start on {self.start:%d %b %Y}, after it ends on {self.end:%d %b %Y}; "
                "swap the dates."
            )


def last_twelve_months(today: date) -> ReportFilter:
    """The default range: the current month and the eleven before it."""
    month = today.year * 12 + today.month - 1 - 11
    return ReportFilter(date(month // 12, month % 12 + 1, 1), today)


@dataclass(frozen=True)
class RatePoint:
    """One week or month of the mistake rate."""

    start: date
    """Monday of the week, or the first day of the month."""
    label: str
    orders_shipped: int
    corrections: int
    """Corrections made (whenever) on the orders shipped in this week or month."""
    per_100: float | None
    """Corrections per 100 orders shipped; None when no order shipped."""


@dataclass(frozen=True)
class ProcessChange:
    on: date
    text: str
    order_number: str
    """The order whose correction brought the change about."""


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class ProductInvolved:
    sku: str
    title: str
    corrections: int
    """Corrections that owed this product to a customer."""
    units_owed: int
    sent_instead: int
    """Times it went out instead of what was ordered."""


@dataclass(frozen=True)
class LookalikePair:
    ordered_sku: str
    ordered_title: str
    sent_sku: str
    sent_title: str
    times: int
    """Wrong items in the range: ordered this, sent that."""
    all_time: int
    """The same over all time, as the check screen's warning counts them."""


@dataclass(frozen=True)
class Costs:
    reships: int
    units_reshipped: int
    goodwill_units: int
    goodwill_notes: int
    """Corrections with a goodwill note (a discount code, a kind word)."""
    returns: int
    """Wrong items asked back with a return label."""
    postage_per_reship_cents: int | None
    """From the "report.postage_cents" setting; None when not set."""
    postage_cents: int | None


@dataclass(frozen=True)
class OpenReturn:
    rma: str
    order_number: str
    since: datetime


@dataclass(frozen=True)
class OpenFollowUp:
    id: int
    title: str
    """ "Follow-up" or "Return reminder"."""
    order_number: str
    replacement_number: str
    customer: str
    due_at: datetime | None
    """None while the replacement has not shipped."""
    due: bool


@dataclass(frozen=True)
class OpenItems:
    returns: tuple[OpenReturn, ...]
    follow_ups: tuple[OpenFollowUp, ...]

    @property
    def follow_ups_due(self) -> int:
        return sum(1 for item in self.follow_ups if item.due)


@dataclass(frozen=True)
class CheckGroup:
    orders: int
    """Orders shipped in the range."""
    corrected: int
    """Of those, orders that had a correction (whenever it was made)."""
    per_100: float | None


@dataclass(frozen=True)
class CheckedVsSkipped:
    checked: CheckGroup
    skipped: CheckGroup
    """Packed without the double-check."""


@dataclass(frozen=True)
class RecordLine:
    kind: str
    """missing, short, wrong_item, damaged, resend, or extra (a goodwill extra)."""
    sku: str
    title: str
    units: int
    sent_sku: str | None
    sent_title: str | None


@dataclass(frozen=True)
class CorrectionRecord:
    """One correction with what the report and the CSV need."""

    id: int
    created_at: datetime
    order_number: str
    source: str
    shipped_at: datetime | None
    """When the order that went wrong was shipped (None: ShopDesk never saw it ship)."""
    kind: CorrectionKind
    cause: CorrectionCause
    lines: tuple[RecordLine, ...]
    goodwill_note: str
    what_we_will_change: str
    keep_wrong_item: bool
    replacement_number: str
    replacement_status: OrderStatus
    rma: str | None
    return_received_at: datetime | None
    notes: str

    @property
    def units_owed(self) -> int:
        return sum(line.units for line in self.lines if line.kind != EXTRA)

    @property
    def goodwill_units(self) -> int:
        return sum(line.units for line in self.lines if line.kind == EXTRA)


@dataclass(frozen=True)
class MistakeReport:
    start: date
    end: date
    source: str | None
    generated_at: datetime
    orders_shipped: int
    """Orders shipped in the range."""
    corrections_on_shipped: int
    """Corrections (made whenever) on the orders shipped in the range: the rate's numerator."""
    per_100: float | None
    corrections: int
    """Corrections made in the range."""
    not_in_rate: int
    """Corrections made in the range on orders with no shipped moment."""
    by_week: tuple[RatePoint, ...]
    by_month: tuple[RatePoint, ...]
    changes: tuple[ProcessChange, ...]
    by_kind: tuple[Count, ...]
    by_cause: tuple[Count, ...]
    products: tuple[ProductInvolved, ...]
    lookalikes: tuple[LookalikePair, ...]
    costs: Costs
    open_items: OpenItems
    checking: CheckedVsSkipped


# -- the calendar ------------------------------------------------------------------------------------


def _day_start(day: date, tz: tzinfo | None) -> datetime:
    """Midnight at the start of ``day``, in ``tz`` (None: this computer's local time, DST included)."""
    naive = datetime.combine(day, time())
    return naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()


def _local_date(at: datetime, tz: tzinfo | None) -> date:
    return at.astimezone(tz).date()


def period_start(day: date, period: str) -> date:
    """The Monday of ``day``'s week, or the first of its month."""
    return day - timedelta(days=day.weekday()) if period == WEEK else day.replace(day=1)


def _next_period(start: date, period: str) -> date:
    if period == WEEK:
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_label(start: date, period: str) -> str:
    """ "Week of 2 Mar 2026" or "Mar 2026"."""
    return f"Week of {start.day} {start:%b %Y}" if period == WEEK else f"{start:%b %Y}"


def per_100(count: int, orders: int) -> float | None:
    return count * 100 / orders if orders else None


def per_100_text(value: float | None) -> str:
    """ "22.2", or "—" when there is nothing to divide by."""
    return "—" if value is None else f"{value:.1f}"


def money(cents: int | None) -> str:
    return "—" if cents is None else f"{cents / 100:,.2f}"


# -- queries -------------------------------------------------------------------------------------------


def _shipped_events(lo: datetime | None, hi: datetime | None):
    """(order_id, shipped_at) of orders shipped in [lo, hi)."""
    query = (
        select(Event.order_id.label("order_id"), func.max(Event.at).label("shipped_at"))
        .where(
            Event.kind == "status",
            Event.order_id.is_not(None),
            Event.details["new"].as_string() == OrderStatus.SHIPPED.value,
        )
        .group_by(Event.order_id)
    )
    if lo is not None:
        query = query.where(Event.at >= lo)
    if hi is not None:
        query = query.where(Event.at < hi)
    return query.subquery("shipped")


def _standing_corrections() -> Select:
    """Corrections whose replacement was not cancelled, with their order (for the source filter)."""
    replacement = aliased(Order, name="replacement")
    return (
        select(Correction.id)
        .join(Order, Order.id == Correction.order_id)
        .join(replacement, replacement.id == Correction.replacement_id)
        .where(replacement.status != OrderStatus.CANCELLED)
    )


def _corrections_per_order():
    replacement = aliased(Order, name="replacement")
    return (
        select(Correction.order_id.label("order_id"), func.count(Correction.id).label("corrections"))
        .join(replacement, replacement.id == Correction.replacement_id)
        .where(replacement.status != OrderStatus.CANCELLED)
        .group_by(Correction.order_id)
        .subquery("per_order")
    )


def _shipped_orders(
    session: Session, lo: datetime | None, hi: datetime | None, source: str | None
) -> Iterable[tuple[datetime, bool, int]]:
    """(shipped moment, packed without a check, corrections) for each order shipped in [lo, hi).

    One row per shipped order in the range, read in one query: the only place the report touches every
    order, so it reads three columns and nothing else.
    """
    shipped = _shipped_events(lo, hi)
    per_order = _corrections_per_order()
    query = (
        select(
            shipped.c.shipped_at,
            Order.check_skip_reason.is_not(None),
            func.coalesce(per_order.c.corrections, 0),
        )
        .join(Order, Order.id == shipped.c.order_id)
        .outerjoin(per_order, per_order.c.order_id == Order.id)
    )
    if source:
        query = query.where(Order.source == source)
    # Core, not ORM, execution: plain rows, without the ORM's per-row bookkeeping.
    return session.connection().execute(query)


def _first_day(session: Session, source: str | None, tz: tzinfo | None) -> date | None:
    """The day of the first order shipped or correction made (for a range with no start)."""
    first_shipped = (
        select(func.min(Event.at))
        .join(Order, Order.id == Event.order_id)
        .where(Event.kind == "status", Event.details["new"].as_string() == OrderStatus.SHIPPED.value)
    )
    first_correction = select(func.min(Correction.created_at)).join(Order, Order.id == Correction.order_id)
    if source:
        first_shipped = first_shipped.where(Order.source == source)
        first_correction = first_correction.where(Order.source == source)
    found = [at for at in (session.scalar(first_shipped), session.scalar(first_correction)) if at]
    return _local_date(min(found), tz) if found else None


def _bounds(session: Session, filter: ReportFilter, now: datetime, tz: tzinfo | None) -> tuple[date, date]:
    end = filter.end or _local_date(now, tz)
    start = filter.start or _first_day(session, filter.source, tz) or end
    return min(start, end), end


def corrections_in_range(
    session: Session, filter: ReportFilter, tz: tzinfo | None = None, now: datetime | None = None
) -> list[CorrectionRecord]:
    """The corrections made in the range (replacement not cancelled), oldest first."""
    start, end = _bounds(session, filter, now or utc_now(), tz)
    return _records(session, _day_start(start, tz), _day_start(end + timedelta(days=1), tz), filter.source)


def _records(session: Session, lo: datetime, hi: datetime, source: str | None) -> list[CorrectionRecord]:
    ids = _standing_corrections().where(Correction.created_at >= lo, Correction.created_at < hi)
    if source:
        ids = ids.where(Order.source == source)
    ids = ids.subquery("ids")
    replacement = aliased(Order, name="replacement")
    rows = session.execute(
        select(
            Correction.id,
            Correction.created_at,
            Correction.order_id,
            Order.number,
            Order.source,
            Correction.kind,
            Correction.cause,
            Correction.goodwill_note,
            Correction.what_we_will_change,
            Correction.keep_wrong_item,
            replacement.number,
            replacement.status,
            Correction.rma,
            Correction.return_received_at,
            Correction.notes,
        )
        .join(ids, ids.c.id == Correction.id)
        .join(Order, Order.id == Correction.order_id)
        .join(replacement, replacement.id == Correction.replacement_id)
        .order_by(Correction.created_at, Correction.id)
    ).all()
    lines: dict[int, list[RecordLine]] = defaultdict(list)
    for correction_id, kind, sku, title, units, sent_sku, sent_title in session.execute(
        select(
            CorrectionLine.correction_id,
            CorrectionLine.kind,
            CorrectionLine.sku,
            CorrectionLine.title,
            CorrectionLine.units,
            CorrectionLine.sent_sku,
            CorrectionLine.sent_title,
        )
        .join(ids, ids.c.id == CorrectionLine.correction_id)
        .order_by(CorrectionLine.id)
    ):
        lines[correction_id].append(RecordLine(kind, sku, title, units, sent_sku, sent_title))
    shipped = shipped_at(session, sorted({row[2] for row in rows}))
    return [
        CorrectionRecord(
            id=row[0],
            created_at=row[1],
            order_number=row[3],
            source=row[4],
            shipped_at=shipped.get(row[2]),
            kind=CorrectionKind(row[5]),
            cause=CorrectionCause(row[6]),
            lines=tuple(lines[row[0]]),
            goodwill_note=row[7],
            what_we_will_change=row[8],
            keep_wrong_item=row[9],
            replacement_number=row[10],
            replacement_status=OrderStatus(row[11]),
            rma=row[12],
            return_received_at=row[13],
            notes=row[14],
        )
        for row in rows
    ]


def _changes(session: Session, lo: datetime, hi: datetime, tz: tzinfo | None) -> tuple[ProcessChange, ...]:
    ids = (
        _standing_corrections()
        .where(Correction.created_at >= lo, Correction.created_at < hi, Correction.what_we_will_change != "")
        .subquery("ids")
    )
    rows = session.execute(
        select(Correction.created_at, Correction.what_we_will_change, Order.number)
        .join(ids, ids.c.id == Correction.id)
        .join(Order, Order.id == Correction.order_id)
        .order_by(Correction.created_at, Correction.id)
    )
    seen: set[tuple[date, str]] = set()
    changes = []
    for at, text, number in rows:
        key = (_local_date(at, tz), " ".join(text.split()))
        if key[1] and key not in seen:
            seen.add(key)
            changes.append(ProcessChange(key[0], key[1], number))
    return tuple(changes)


def postage_per_reship(session: Session) -> int | None:
    """What one reship's postage costs, in cents, when the owner has said."""
    setting = session.get(Setting, POSTAGE_KEY)
    value = setting.value if setting else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def set_postage_per_reship(db: Database, cents: int | None) -> None:
    """Save what one reship's postage costs (None forgets it)."""
    if cents is not None and cents < 0:
        raise ShopDeskError("Postage cannot be negative.")
    with db.unit_of_work() as uow:
        setting = uow.session.get(Setting, POSTAGE_KEY)
        if cents is None:
            if setting is not None:
                uow.session.delete(setting)
        elif setting is None:
            uow.session.add(Setting(key=POSTAGE_KEY, value=cents))
        else:
            setting.value = cents
        uow.commit()


def _open_items(session: Session, now: datetime, source: str | None) -> OpenItems:
    returns = open_returns(session)
    follow_ups = follow_up_list(session, now)
    if source:
        wanted_rmas = set(
            session.scalars(
                select(Correction.rma)
                .join(Order, Order.id == Correction.order_id)
                .where(Correction.rma.is_not(None), Order.source == source)
            )
        )
        wanted_corrections = set(
            session.scalars(
                select(Correction.id)
                .join(Order, Order.id == Correction.order_id)
                .where(Order.source == source)
            )
        )
        returns = [r for r in returns if r[0] in wanted_rmas]
        follow_ups = [f for f in follow_ups if f.correction_id in wanted_corrections]
    return OpenItems(
        tuple(OpenReturn(rma, number, since) for rma, number, since in returns),
        tuple(
            OpenFollowUp(
                f.id, f.title, f.order_number, f.replacement_number, f.customer, f.due_at, f.is_due(now)
            )
            for f in follow_ups
        ),
    )


# -- the report ----------------------------------------------------------------------------------------


def _series(counts: dict[date, list[int]], first: date, last: date, period: str) -> tuple[RatePoint, ...]:
    points = []
    start = period_start(first, period)
    while start <= last:
        orders, corrections = counts.get(start, (0, 0))
        label = period_label(start, period)
        points.append(RatePoint(start, label, orders, corrections, per_100(corrections, orders)))
        start = _next_period(start, period)
    return tuple(points)


def _by(records: Sequence[CorrectionRecord], members: Iterable[enum.StrEnum], attribute: str):
    counted = Counter(getattr(record, attribute) for record in records)
    return tuple(Count(member.value, member.label, counted.get(member, 0)) for member in members)  # type: ignore[attr-defined]


def _products(session: Session, records: Sequence[CorrectionRecord]) -> tuple[ProductInvolved, ...]:
    corrections: dict[str, set[int]] = defaultdict(set)
    units: Counter[str] = Counter()
    sent_instead: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for record in records:
        for line in record.lines:
            if line.kind == EXTRA:
                continue
            corrections[line.sku].add(record.id)
            units[line.sku] += line.units
            titles.setdefault(line.sku, line.title)
            if line.kind == "wrong_item" and line.sent_sku:
                sent_instead[line.sent_sku] += 1
                titles.setdefault(line.sent_sku, line.sent_title or "")
    titles.update(_catalogue_titles(session, set(titles)))
    skus = set(corrections) | set(sent_instead)
    rows = [
        ProductInvolved(sku, titles.get(sku, ""), len(corrections[sku]), units[sku], sent_instead[sku])
        for sku in skus
    ]
    return tuple(sorted(rows, key=lambda p: (-(p.corrections + p.sent_instead), -p.units_owed, p.sku)))


def _catalogue_titles(session: Session, skus: set[str]) -> dict[str, str]:
    if not skus:
        return {}
    rows = session.execute(select(Product.sku, Product.title).where(Product.sku.in_(skus)))
    return {sku: title for sku, title in rows if title}


def _lookalikes(session: Session, records: Sequence[CorrectionRecord]) -> tuple[LookalikePair, ...]:
    in_range: Counter[tuple[str, str]] = Counter()
    titles: dict[str, str] = {}
    for record in records:
        for line in record.lines:
            if line.kind == "wrong_item" and line.sent_sku:
                in_range[(line.sku, line.sent_sku)] += 1
                titles.setdefault(line.sku, line.title)
                titles.setdefault(line.sent_sku, line.sent_title or "")
    if not in_range:
        return ()
    all_time = {(ordered, sent): times for ordered, sent, times in lookalike_pairs(session)}
    titles.update(_catalogue_titles(session, set(titles)))
    pairs = [
        LookalikePair(
            ordered,
            titles.get(ordered, ""),
            sent,
            titles.get(sent, ""),
            times,
            max(all_time.get((ordered, sent), 0), times),
        )
        for (ordered, sent), times in in_range.items()
    ]
    return tuple(sorted(pairs, key=lambda p: (-p.times, -p.all_time, p.ordered_sku, p.sent_sku)))


def _costs(session: Session, records: Sequence[CorrectionRecord]) -> Costs:
    postage = postage_per_reship(session)
    return Costs(
        reships=len(records),
        units_reshipped=sum(record.units_owed for record in records),
        goodwill_units=sum(record.goodwill_units for record in records),
        goodwill_notes=sum(1 for record in records if record.goodwill_note.strip()),
        returns=sum(1 for record in records if record.rma),
        postage_per_reship_cents=postage,
        postage_cents=postage * len(records) if postage is not None else None,
    )


def mistake_report(
    session: Session, filter: ReportFilter, *, now: datetime | None = None, tz: tzinfo | None = None
) -> MistakeReport:
    """Every figure of the report for ``filter`` (see the module's doc for what each one counts)."""
    now = now or utc_now()
    start, end = _bounds(session, filter, now, tz)
    lo, hi = _day_start(start, tz), _day_start(end + timedelta(days=1), tz)

    # One pass over the shipped orders, counted per local day; weeks and months are sums of days.
    days: dict[date, list[int]] = defaultdict(lambda: [0, 0])  # day → [orders, corrections]
    groups = {False: [0, 0], True: [0, 0]}  # packed without a check → [orders, corrected]
    for at, skipped, corrections in _shipped_orders(session, lo, hi, filter.source):
        day = days[at.astimezone(tz).date()]
        day[0] += 1
        day[1] += corrections
        group = groups[bool(skipped)]
        group[0] += 1
        group[1] += 1 if corrections else 0
    weeks: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    months: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for day, (orders, corrections) in days.items():
        for counts, period in ((weeks, WEEK), (months, MONTH)):
            bucket = counts[period_start(day, period)]
            bucket[0] += orders
            bucket[1] += corrections
    orders_shipped = sum(orders for orders, _ in days.values())
    corrections_on_shipped = sum(corrections for _, corrections in days.values())

    records = _records(session, lo, hi, filter.source)
    return MistakeReport(
        start=start,
        end=end,
        source=filter.source,
        generated_at=now,
        orders_shipped=orders_shipped,
        corrections_on_shipped=corrections_on_shipped,
        per_100=per_100(corrections_on_shipped, orders_shipped),
        corrections=len(records),
        not_in_rate=sum(1 for record in records if record.shipped_at is None),
        by_week=_series(weeks, start, end, WEEK),
        by_month=_series(months, start, end, MONTH),
        changes=_changes(session, lo, hi, tz),
        by_kind=_by(records, CorrectionKind, "kind"),
        by_cause=_by(records, CorrectionCause, "cause"),
        products=_products(session, records),
        lookalikes=_lookalikes(session, records),
        costs=_costs(session, records),
        open_items=_open_items(session, now, filter.source),
        checking=CheckedVsSkipped(
            checked=CheckGroup(
                groups[False][0], groups[False][1], per_100(groups[False][1], groups[False][0])
            ),
            skipped=CheckGroup(groups[True][0], groups[True][1], per_100(groups[True][1], groups[True][0])),
        ),
    )


def build_report(
    db: Database, filter: ReportFilter, *, now: datetime | None = None, tz: tzinfo | None = None
) -> MistakeReport:
    """``mistake_report`` in its own read-only session (for the window's background job and the CLI)."""
    with db.reading() as session:
        return mistake_report(session, filter, now=now, tz=tz)


def check_sentence(report: MistakeReport) -> str:
    """The case for always checking, in the owner's own numbers."""
    checked, skipped = report.checking.checked, report.checking.skipped
    if not skipped.orders:
        return "Every order shipped in the range was checked."
    return (
        f"{skipped.orders} order{'s were' if skipped.orders != 1 else ' was'} packed without a check and "
        f"{skipped.corrected} of {'them' if skipped.orders != 1 else 'it'} later had a correction "
        f"({per_100_text(skipped.per_100)} per 100), against {per_100_text(checked.per_100)} per 100 of "
        "the checked ones."
    )


def report_sources(session: Session) -> list[str]:
    """The sources the shop's orders come from, for the source filter."""
    return sorted(session.scalars(select(Order.source).distinct()))


def report_as_json(report: MistakeReport) -> dict[str, Any]:
    """The report as JSON-ready data: dates as ISO text, every figure the window shows."""

    def plain(value: Any) -> Any:
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, enum.Enum):
            return value.value
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        return value

    data = plain(dataclasses.asdict(report))
    data["open_items"]["follow_ups_due"] = report.open_items.follow_ups_due
    return data
