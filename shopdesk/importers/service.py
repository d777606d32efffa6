"""Importing export files into the shop: each file whole or not at all, never twice.

``import_files`` reads, recognises and parses every file, then stores each one in its own unit of
work. Etsy's items and orders files of the same period, and the parts of a split Shopify export,
are imported together as one. An order already in the shop (same source and number) is never
added again: when the export says something different about it, an order nobody has started on is
updated (and the update logged), while an order already being checked, packed or shipped is left
as it is and the difference waits as an ``OrderChange`` for the owner to accept or dismiss.
"""

from __future__ import annotations

import logging
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import String, bindparam, func, insert, select, type_coerce
from sqlalchemy import Table as DbTable
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from shopdesk.db.backup import backup_before
from shopdesk.db.database import Database
from shopdesk.db.models import Event, Order, OrderChange, OrderLine, OrderStatus
from shopdesk.db.types import utc_now
from shopdesk.errors import DatabaseError, NotFound, ShopDeskError
from shopdesk.importers import detect, etsy, mapped, shopify, squarespace, woocommerce
from shopdesk.importers.errors import ImportRefused, Problem, UnknownLayout
from shopdesk.importers.reading import Record, Table, read_file
from shopdesk.orders.drafts import LineDraft, OrderDraft
from shopdesk.orders.history import record_event
from shopdesk.orders.intake import ORDER_FIELDS, learn_products
from shopdesk.orders.status import change_status

log = logging.getLogger(__name__)

# (file name, orders done, orders in the file)
Progress = Callable[[str, int, int], None]
Cancelled = Callable[[], bool]

# How many orders are stored between two progress reports and cancellation checks.
_BATCH = 200
# New orders stored per statement of each kind: big enough to keep the bulk insert fast, small
# enough that the progress bar moves and Cancel is heard every fraction of a second.
_STORE_CHUNK = 1000
# Order numbers looked up per query (well below SQLite's limit on bound values).
_LOOKUP_CHUNK = 500

# Order fields an export can change, compared on re-import. The order date is not: a platform
# does not move it, and dates written without a time zone would differ between computers.
COMPARED_FIELDS = (
    "customer_name",
    "email",
    "ship_name",
    "ship_address1",
    "ship_address2",
    "ship_city",
    "ship_region",
    "ship_postcode",
    "ship_country",
    "buyer_note",
    "currency",
    "total_cents",
    "external_id",
)
_compared_values = operator.attrgetter(*COMPARED_FIELDS)
_FIELD_WORDS = {
    "customer_name": "customer",
    "email": "email",
    "ship_name": "recipient",
    "ship_address1": "address",
    "ship_address2": "address",
    "ship_city": "address",
    "ship_region": "address",
    "ship_postcode": "address",
    "ship_country": "address",
    "buyer_note": "note",
    "currency": "currency",
    "total_cents": "total",
    "external_id": "platform id",
    "lines": "items",
    "status": "cancelled on the platform",
}


@dataclass
class FileResult:
    """What became of one file (or of files imported together, named ``a.csv + b.csv``)."""

    name: str
    paths: list[Path]
    format: str = ""
    new: int = 0
    unchanged: int = 0
    # Orders the export changed: updated, or (``pending`` of them) waiting for the owner.
    changed: int = 0
    pending: int = 0
    # Orders in a refused file; nothing of them was written.
    refused: int = 0
    problems: list[Problem] = field(default_factory=list)
    cancelled: bool = False
    # The file's columns match no known export: a column mapping can read it.
    unknown_layout: bool = False

    @property
    def imported(self) -> bool:
        return not self.problems and not self.cancelled

    def counts(self) -> str:
        text = f"{self.new} new, {self.unchanged} unchanged, {self.changed} changed, {self.refused} refused"
        if self.pending:
            text += f" ({self.pending} change{'s' if self.pending != 1 else ''} waiting for you)"
        return text

    def summary(self) -> str:
        if self.cancelled:
            return f"{self.name}: cancelled, nothing imported"
        if self.problems:
            count = len(self.problems)
            return f"{self.name}: refused, nothing imported ({count} problem{'s' if count != 1 else ''})"
        return f"{self.name}: {self.counts()}"


class _Cancel(Exception):
    """The owner cancelled: the file being stored is rolled back."""


@dataclass
class _Unit:
    """One file, or files that are only complete together, imported in one unit of work."""

    paths: list[Path]
    tables: list[Table]
    format: str
    parse: Callable[[], list[OrderDraft]]
    unknown_layout: bool = False

    @property
    def name(self) -> str:
        return " + ".join(path.name for path in self.paths)


def import_files(
    db: Database,
    paths: Sequence[str | Path],
    *,
    mapping: mapped.ColumnMapping | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[FileResult]:
    """Import ``paths`` (each whole or not at all) and say what became of each.

    With ``mapping`` every file is read through that column mapping instead of being recognised.
    ``progress`` is called as orders are stored; when ``cancelled()`` turns true, the file being
    stored is rolled back and the files after it are not started. A SQLite shop is backed up
    before the import's first change to it; when that backup fails, nothing is stored
    (``DatabaseError``). A file with nothing new changes nothing a backup would protect.
    """
    results: list[FileResult] = []
    units: list[_Unit] = []
    for item in _units([Path(path) for path in paths], mapping):
        if isinstance(item, FileResult):
            results.append(item)
        else:
            units.append(item)
    back_up_first = _BackupFirst(db)
    for unit in units:
        result = FileResult(unit.name, unit.paths, unit.format, unknown_layout=unit.unknown_layout)
        results.append(result)
        if cancelled is not None and cancelled():
            result.cancelled = True
            continue
        try:
            drafts = unit.parse()
            _store(db, unit, drafts, result, progress, cancelled, back_up_first)
        except ImportRefused as exc:
            result.problems = exc.problems
            result.refused = exc.orders
            result.new = result.unchanged = result.changed = result.pending = 0
            log.info("import of %s refused: %s", unit.name, exc)
        except _Cancel:
            result.cancelled = True
            result.new = result.unchanged = result.changed = result.pending = 0
            log.info("import of %s cancelled", unit.name)
    order = {path: position for position, path in enumerate(Path(p) for p in paths)}
    results.sort(key=lambda result: min(order.get(path, 0) for path in result.paths))
    return results


class _BackupFirst:
    """The backup taken before an import's first change to the shop: once, and only if needed.

    Taken inside the file's unit of work, before its first write: the copy is the shop as it was
    (SQLite's readers see the last commit). The same export imported again, or an inbox re-export
    with nothing new, writes only its line in the history, which needs no backup.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.taken = False

    def __call__(self) -> None:
        if self.taken:
            return
        try:
            backup_before(self.db, "import")
        except DatabaseError as exc:
            raise DatabaseError(
                f"Nothing was imported: the backup made before every import failed. {exc}"
            ) from exc
        self.taken = True


def _refused(paths: list[Path], exc: ImportRefused, fmt: str = "") -> FileResult:
    name = " + ".join(path.name for path in paths)
    return FileResult(
        name,
        paths,
        fmt,
        refused=exc.orders,
        problems=exc.problems,
        unknown_layout=isinstance(exc, UnknownLayout),
    )


_ETSY_PERIOD = re.compile(r"^EtsySoldOrder(?:Item)?s(?P<period>.*)\.csv$", re.IGNORECASE)
_SPLIT_PART = re.compile(r"^(?P<stem>.+)_(?P<part>\d+)\.csv$", re.IGNORECASE)


def _units(paths: list[Path], mapping: mapped.ColumnMapping | None) -> Iterable[_Unit | FileResult]:
    """Read and recognise every file; group the ones that belong together."""
    read: list[tuple[Path, Table, detect.Format | None]] = []
    for path in paths:
        try:
            table = read_file(path)
            fmt = None if mapping is not None else detect.detect(table)
        except ImportRefused as exc:
            yield _refused([path], exc)
            continue
        read.append((path, table, fmt))

    if mapping is not None:
        for path, table, _ in read:
            yield _Unit(
                [path],
                [table],
                f'mapping "{mapping.name}"',
                _parser(mapped.parse, table, mapping),
                unknown_layout=_unknown_layout(table),
            )
        return

    etsy_orders = [(p, t) for p, t, f in read if f is detect.ETSY_ORDERS]
    shopify_parts: dict[tuple[Path, str], list[tuple[int, Path, Table]]] = {}
    for path, table, fmt in read:
        if fmt is detect.ETSY_ITEMS:
            partner = _etsy_partner(path, etsy_orders)
            if partner is None:
                yield _Unit([path], [table], fmt.label, _parser(etsy.parse, table))
            else:
                etsy_orders.remove(partner)
                yield _Unit(
                    [path, partner[0]], [table, partner[1]], fmt.label, _parser(etsy.parse, table, partner[1])
                )
        elif fmt is detect.SHOPIFY and (match := _SPLIT_PART.match(path.name)):
            key = (path.parent, match["stem"].casefold())
            shopify_parts.setdefault(key, []).append((int(match["part"]), path, table))
        elif fmt is detect.SHOPIFY:
            yield _Unit([path], [table], fmt.label, _parser(shopify.parse, table))
        elif fmt is detect.SQUARESPACE:
            yield _Unit([path], [table], fmt.label, _parser(squarespace.parse, table))
        elif fmt is detect.WOOCOMMERCE:
            yield _Unit([path], [table], fmt.label, _parser(woocommerce.parse, table))
    for path, table in etsy_orders:
        yield _Unit([path], [table], detect.ETSY_ORDERS.label, _parser(etsy.parse_orders_alone, table))
    for parts in shopify_parts.values():
        parts.sort(key=lambda part: part[0])
        tables = [table for _, _, table in parts]
        yield _Unit(
            [path for _, path, _ in parts],
            tables,
            detect.SHOPIFY.label,
            _parser(shopify.parse, _joined(tables)),
        )


def _unknown_layout(table: Table) -> bool:
    try:
        detect.detect(table)
    except UnknownLayout:
        return True
    return False


def _parser(function: Callable[..., list[OrderDraft]], *args: Any) -> Callable[[], list[OrderDraft]]:
    return lambda: function(*args)


def _etsy_partner(items: Path, orders: list[tuple[Path, Table]]) -> tuple[Path, Table] | None:
    """The orders file of the same period, by name; when the names do not tell, the only one given."""
    period = _ETSY_PERIOD.match(items.name)
    for candidate in orders:
        other = _ETSY_PERIOD.match(candidate[0].name)
        if period and other and period["period"].casefold() == other["period"].casefold():
            return candidate
    if len(orders) == 1 and not (period and _ETSY_PERIOD.match(orders[0][0].name)):
        return orders[0]
    return None


def _joined(tables: list[Table]) -> Table:
    """The parts of a split export as one table (columns by name, so each part keeps its own)."""
    if len(tables) == 1:
        return tables[0]
    first = tables[0]
    records = [Record(r.line, r.values, first.name) for r in first.records]
    problems = []
    for table in tables[1:]:
        if [name.casefold() for name in table.header] != [name.casefold() for name in first.header]:
            problems.append(
                Problem(
                    table.name,
                    f"Its columns differ from those of {first.name}, so they are not parts of the "
                    "same export. Import each export on its own.",
                    line=1,
                )
            )
        records.extend(Record(r.line, r.values, table.name) for r in table.records)
    if problems:
        raise ImportRefused(problems)
    # Each record remembers its part, so a problem names the right file and line.
    return Table(" + ".join(t.name for t in tables), first.header, records, first.encoding)


def _store(
    db: Database,
    unit: _Unit,
    drafts: list[OrderDraft],
    result: FileResult,
    progress: Progress | None,
    cancelled: Cancelled | None,
    back_up_first: Callable[[], None],
) -> None:
    """Store one file in one unit of work; if another station added the same orders at that
    moment (the unique source + number refuses ours), roll back and try once more, when they
    will be found "already there"."""
    for attempt in (1, 2):
        try:
            _store_once(db, unit, drafts, result, progress, cancelled, back_up_first)
            return
        except IntegrityError as exc:
            result.new = result.unchanged = result.changed = result.pending = 0
            if attempt == 2:
                raise ImportRefused(
                    [
                        Problem(
                            unit.name,
                            "Some of these orders were added at the same moment by another window or "
                            "packing station. Nothing from this file was imported; import it again.",
                        )
                    ],
                    orders=len(drafts),
                ) from exc
            log.info("import of %s met orders added at the same moment elsewhere; trying again", unit.name)


def _store_once(
    db: Database,
    unit: _Unit,
    drafts: list[OrderDraft],
    result: FileResult,
    progress: Progress | None,
    cancelled: Cancelled | None,
    back_up_first: Callable[[], None],
) -> None:
    total = len(drafts)
    if progress is not None:
        progress(unit.name, 0, total)
    with db.unit_of_work() as uow:
        session = uow.session
        stored = _stored_orders(session, drafts)
        # Only the orders the export says something different about are loaded as objects.
        differing = [
            draft
            for draft in drafts
            if (snapshot := stored.get((draft.source, draft.number))) is not None
            and not snapshot.same_as(draft)
        ]
        if differing or any((draft.source, draft.number) not in stored for draft in drafts):
            back_up_first()  # this file changes the shop: keep it as it was first
        existing = _existing_orders(session, differing)
        known_changes = _known_changes(session, existing.values())
        new_drafts: list[OrderDraft] = []

        def report(handled: int) -> None:
            """``handled`` orders compared or stored so far: the bar moves, Cancel is heard."""
            if cancelled is not None and cancelled():
                raise _Cancel
            if progress is not None:
                progress(unit.name, handled, total)

        for done, draft in enumerate(drafts, start=1):
            key = (draft.source, draft.number)
            order = existing.get(key)
            if order is not None:
                _reimport(session, order, draft, unit.name, known_changes, result, uow.station)
            elif key in stored:
                result.unchanged += 1
            else:
                new_drafts.append(draft)
            if done % _BATCH == 0 or done == total:
                report(done - len(new_drafts))
        already_there = total - len(new_drafts)
        _add_orders(session, new_drafts, unit.name, uow.station, lambda added: report(already_there + added))
        result.new = len(new_drafts)
        record_event(
            session,
            "import",
            f"Imported {unit.name}: {result.counts()}",
            station=uow.station,
            file=unit.name,
            format=unit.format,
            new=result.new,
            unchanged=result.unchanged,
            changed=result.changed,
            pending=result.pending,
            refused=0,
        )
        if cancelled is not None and cancelled():
            raise _Cancel
        uow.commit()


@dataclass(frozen=True, slots=True)
class _Stored:
    """What a re-import compares of an order already in the shop, read without ORM objects."""

    status: str  # as stored: compares equal to its ``OrderStatus``
    values: tuple[Any, ...]  # COMPARED_FIELDS, in that order
    line_keys: list[tuple[str, str, int]]  # sorted

    def same_as(self, draft: OrderDraft) -> bool:
        """True when ``differences`` would find nothing; it must say exactly what that says."""
        theirs = _compared_values(draft)
        if theirs != self.values and any(map(_differs, self.values, theirs)):
            return False
        if draft.status == OrderStatus.CANCELLED and self.status != OrderStatus.CANCELLED:
            return False
        return (
            sorted((line.sku, line.variation or "", line.quantity) for line in draft.lines) == self.line_keys
        )


def _stored_orders(session: Session, drafts: list[OrderDraft]) -> dict[tuple[str, str], _Stored]:
    """The orders of this file already in the shop, as ``_Stored``, two queries per chunk."""
    orders = Order.__table__
    lines = OrderLine.__table__
    columns = [orders.c[name] for name in COMPARED_FIELDS]
    # The status as the text stored (an ``OrderStatus`` equals its text): turning each into the
    # enum one by one was a tenth of a re-import.
    status_text = type_coerce(orders.c.status, String)
    by_source: dict[str, list[str]] = {}
    for draft in drafts:
        by_source.setdefault(draft.source, []).append(draft.number)
    # The lists of numbers and ids are bound when the statements run, not built into them: one
    # statement each, compiled once, instead of one bound value object per order per chunk.
    find_orders = select(orders.c.id, orders.c.number, status_text, *columns).where(
        orders.c.source == bindparam("source"), orders.c.number.in_(bindparam("numbers", expanding=True))
    )
    find_lines = select(lines.c.order_id, lines.c.sku, lines.c.variation, lines.c.quantity).where(
        lines.c.order_id.in_(bindparam("ids", expanding=True))
    )
    found: dict[tuple[str, str], _Stored] = {}
    for source, numbers in by_source.items():
        for start in range(0, len(numbers), _LOOKUP_CHUNK):
            chunk = numbers[start : start + _LOOKUP_CHUNK]
            rows = session.execute(find_orders, {"source": source, "numbers": chunk}).all()
            if not rows:
                continue
            keys: dict[int, list[tuple[str, str, int]]] = {row[0]: [] for row in rows}
            for order_id, sku, variation, quantity in session.execute(find_lines, {"ids": list(keys)}).all():
                keys[order_id].append((sku, variation or "", quantity))
            for order_id, number, status, *values in rows:
                found[(source, number)] = _Stored(status, tuple(values), sorted(keys[order_id]))
    return found


def _existing_orders(session: Session, drafts: list[OrderDraft]) -> dict[tuple[str, str], Order]:
    """The orders of this file already in the shop, with their lines, in a few queries."""
    by_source: dict[str, list[str]] = {}
    for draft in drafts:
        by_source.setdefault(draft.source, []).append(draft.number)
    found: dict[tuple[str, str], Order] = {}
    for source, numbers in by_source.items():
        for start in range(0, len(numbers), _LOOKUP_CHUNK):
            chunk = numbers[start : start + _LOOKUP_CHUNK]
            query = (
                select(Order)
                .where(Order.source == source, Order.number.in_(chunk))
                .options(selectinload(Order.lines))
            )
            for order in session.scalars(query):
                found[(order.source, order.number)] = order
    return found


def _known_changes(session: Session, orders: Iterable[Order]) -> dict[int, list[OrderChange]]:
    """Differences already waiting or dismissed, so that a re-import does not raise them again."""
    ids = [order.id for order in orders]
    known: dict[int, list[OrderChange]] = {}
    for start in range(0, len(ids), _LOOKUP_CHUNK):
        query = select(OrderChange).where(
            OrderChange.order_id.in_(ids[start : start + _LOOKUP_CHUNK]),
            OrderChange.state.in_(("pending", "dismissed")),
        )
        for change in session.scalars(query):
            known.setdefault(change.order_id, []).append(change)
    return known


def _add_orders(
    session: Session,
    drafts: list[OrderDraft],
    file_name: str,
    station: str,
    added: Callable[[int], None] = lambda _count: None,
) -> None:
    """Add new orders in bulk: the rows ``intake.create_order`` writes, three statements a chunk.

    A 10,000-order export would take many seconds as one ORM object per order, line and event,
    and still over a second through Core's per-row parameter handling; see ``_insert_rows``.
    Chunks of ``_STORE_CHUNK`` orders let ``added`` (called with the count so far) move the
    progress bar and hear Cancel while storing. Everything the import adds carries the same
    time, the moment it was stored.
    """
    if not drafts:
        return
    now = utc_now()
    for start in range(0, len(drafts), _STORE_CHUNK):
        _add_chunk(session, drafts[start : start + _STORE_CHUNK], file_name, station, now)
        added(min(start + _STORE_CHUNK, len(drafts)))
    learn_products(session, ((line.sku, line.title) for draft in drafts for line in draft.lines))


def _add_chunk(
    session: Session, drafts: list[OrderDraft], file_name: str, station: str, now: datetime
) -> None:
    orders = Order.__table__
    before = session.execute(select(func.max(orders.c.id))).scalar() or 0
    _insert_rows(
        session,
        orders,
        [tuple(getattr(draft, name) for name in ORDER_FIELDS) for draft in drafts],
        ORDER_FIELDS,
        {"created_at": now, "updated_at": now},
    )
    # Matched by (source, number) among the rows added since: ids are not handed out in any
    # order a driver promises for an executemany.
    ids = {
        (source, number): order_id
        for order_id, source, number in session.execute(
            select(orders.c.id, orders.c.source, orders.c.number).where(orders.c.id > before)
        )
    }
    order_ids = [ids[(draft.source, draft.number)] for draft in drafts]
    _insert_rows(
        session,
        OrderLine.__table__,
        [
            (
                order_id,
                position,
                line.sku,
                line.title,
                line.variation,
                line.quantity,
                line.unit_price_cents,
                line.external_id,
            )
            for order_id, draft in zip(order_ids, drafts, strict=True)
            for position, line in enumerate(draft.lines)
        ],
        ("order_id", "position", "sku", "title", "variation", "quantity", "unit_price_cents", "external_id"),
        {"counted": 0},
    )
    _insert_rows(
        session,
        Event.__table__,
        [
            (
                order_id,
                f"Order {draft.number} added from {file_name}",
                {"source": draft.source, "units": draft.units, "file": file_name},
            )
            for order_id, draft in zip(order_ids, drafts, strict=True)
        ],
        ("order_id", "summary", "details"),
        {"at": now, "kind": "created", "station": station},
    )


def _insert_rows(
    session: Session,
    table: DbTable,
    rows: list[tuple[Any, ...]],
    columns: Sequence[str],
    same: dict[str, Any],
) -> None:
    """INSERT ``rows`` (values for ``columns``, in that order) in one executemany, straight to the driver.

    Each value still goes through its column's own bind processor for this database (times to UTC,
    enums to their values, JSON to text), as Core would do it; ``same`` holds the values every row
    shares, processed once. Every column with a default must be given, in ``columns`` or ``same``:
    defaults are not filled in here, and the statement is checked for that.
    """
    connection = session.connection()
    dialect = connection.dialect
    keys = [*columns, *same]
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    if set(compiled.binds) != set(keys):
        raise ValueError(f"{table.name}: give every column that has a default ({sorted(compiled.binds)})")

    def processor(key: str) -> Callable[[Any], Any] | None:
        return table.c[key].type.dialect_impl(dialect).bind_processor(dialect)

    processors = [(position, process) for position, key in enumerate(columns) if (process := processor(key))]
    shared = tuple(
        process(value) if (process := processor(key)) is not None else value for key, value in same.items()
    )
    values: list[tuple[Any, ...]] = []
    for row in rows:
        processed = list(row)
        for position, process in processors:
            processed[position] = process(processed[position])
        processed.extend(shared)
        values.append(tuple(processed))
    if compiled.positional:
        order = [keys.index(name) for name in compiled.positiontup]
        params: list = (
            [tuple(value[i] for i in order) for value in values]
            if order != list(range(len(keys)))
            else values
        )
    else:
        params = [dict(zip(keys, value, strict=True)) for value in values]
    connection.exec_driver_sql(compiled.string, params)


def _order_line(position: int, line: LineDraft) -> OrderLine:
    return OrderLine(
        position=position,
        sku=line.sku,
        title=line.title,
        variation=line.variation,
        quantity=line.quantity,
        unit_price_cents=line.unit_price_cents,
        external_id=line.external_id,
        counted=0,
    )


def differences(order: Order, draft: OrderDraft) -> dict[str, list[Any]]:
    """What the export says differently about ``order``: ``{field: [ours, theirs]}``, JSON-ready.

    A value the export does not carry (None) is no difference. Lines are compared by SKU,
    variation and quantity, in any order; a platform cancellation is a difference, other
    platform statuses are not (the shop's own status is what counts).
    """
    found: dict[str, list[Any]] = {}
    for name in COMPARED_FIELDS:
        theirs = getattr(draft, name)
        ours = getattr(order, name)
        if _differs(ours, theirs):
            found[name] = [ours, theirs]
    ours_lines = [_line_json(line) for line in order.lines]
    theirs_lines = [_line_json(line) for line in draft.lines]
    if sorted(map(_line_key, ours_lines)) != sorted(map(_line_key, theirs_lines)):
        found["lines"] = [ours_lines, theirs_lines]
    if draft.status == OrderStatus.CANCELLED and order.status != OrderStatus.CANCELLED:
        found["status"] = [order.status.value, OrderStatus.CANCELLED.value]
    return found


def _differs(ours: Any, theirs: Any) -> bool:
    """A value the export does not carry (None) is no difference; our None reads as empty text."""
    return theirs is not None and theirs != (
        ours if ours is not None else ("" if isinstance(theirs, str) else None)
    )


def _line_json(line: OrderLine | LineDraft) -> dict[str, Any]:
    return {
        "sku": line.sku,
        "title": line.title,
        "variation": line.variation,
        "quantity": line.quantity,
        "unit_price_cents": line.unit_price_cents,
        "external_id": line.external_id,
    }


def _line_key(line: dict[str, Any]) -> tuple[str, str, int]:
    return (line["sku"], line["variation"] or "", line["quantity"])


def describe_changes(changes: dict[str, Any]) -> str:
    """``address, items`` — what changed, in the shop's words."""
    words: list[str] = []
    for name in changes:
        word = _FIELD_WORDS.get(name, name)
        if word not in words:
            words.append(word)
    return ", ".join(words)


def explain_changes(changes: dict[str, Any]) -> list[str]:
    """Each difference as the owner reads it: ``street: 220 rue Principale → 18 rue Saint-Jean``."""
    explained = []
    for name, (ours, theirs) in changes.items():
        if name == "lines":
            explained.append(f"items: {_lines_text(ours)} → {_lines_text(theirs)}")
        elif name == "status":
            explained.append("cancelled on the platform")
        elif name == "total_cents":
            explained.append(f"total: {_money(ours)} → {_money(theirs)}")
        else:
            label = _FIELD_LABELS.get(name, name.replace("_", " "))
            explained.append(f"{label}: {ours or '(empty)'} → {theirs or '(empty)'}")
    return explained


_FIELD_LABELS = {
    "ship_name": "recipient",
    "ship_address1": "street",
    "ship_address2": "street, second line",
    "ship_city": "city",
    "ship_region": "state or province",
    "ship_postcode": "postcode",
    "ship_country": "country",
    "customer_name": "customer",
    "buyer_note": "note",
}


def _lines_text(lines: list[dict[str, Any]]) -> str:
    return ", ".join(f"{line['quantity']} × {line['sku']}" for line in lines) or "(none)"


def _money(cents: int | None) -> str:
    return "(none)" if cents is None else f"{cents / 100:.2f}"


def may_update_silently(order: Order) -> bool:
    """Only an order nobody has started on follows the platform without asking."""
    return order.status == OrderStatus.NEW and all(line.counted == 0 for line in order.lines)


def _reimport(
    session: Session,
    order: Order,
    draft: OrderDraft,
    file_name: str,
    known_changes: dict[int, list[OrderChange]],
    result: FileResult,
    station: str,
) -> None:
    changes = differences(order, draft)
    if not changes:
        result.unchanged += 1
        return
    if may_update_silently(order):
        _apply(session, order, changes, station)
        record_event(
            session,
            "updated",
            f"Order {order.number} updated from {file_name}: {describe_changes(changes)}",
            order=order,
            station=station,
            file=file_name,
            changes=changes,
        )
        result.changed += 1
        return
    for known in known_changes.get(order.id, []):
        if known.changes == changes:
            if known.state == "pending":
                result.changed += 1
                result.pending += 1
            else:
                result.unchanged += 1  # the owner has already dismissed exactly this
            return
    change = OrderChange(order=order, source_file=file_name, changes=changes, state="pending")
    session.add(change)
    known_changes.setdefault(order.id, []).append(change)
    record_event(
        session,
        "change_found",
        f"{file_name} differs from order {order.number} ({describe_changes(changes)}); "
        f"the order is {order.status.label.lower()} and was left as it is until you decide",
        order=order,
        station=station,
        file=file_name,
        changes=changes,
    )
    result.changed += 1
    result.pending += 1


def _apply(session: Session, order: Order, changes: dict[str, Any], station: str) -> None:
    """Make ``order`` say what the export says (``changes`` as ``differences`` gives them)."""
    for name, (_ours, theirs) in changes.items():
        if name in COMPARED_FIELDS:
            setattr(order, name, theirs)
    if "lines" in changes:
        theirs_lines = changes["lines"][1]
        order.lines = [_order_line(position, LineDraft(**line)) for position, line in enumerate(theirs_lines)]
        learn_products(session, ((line["sku"], line["title"]) for line in theirs_lines))
        if order.status == OrderStatus.CHECKED and "status" not in changes:
            change_status(
                session, order, OrderStatus.NEW, station=station, reason="the items changed; check it again"
            )
    if "status" in changes:
        change_status(
            session, order, OrderStatus.CANCELLED, station=station, reason="cancelled on the platform"
        )


def pending_changes(session: Session, order_id: int | None = None) -> list[OrderChange]:
    """Differences waiting for the owner, oldest first (of one order, if given)."""
    query = select(OrderChange).where(OrderChange.state == "pending").order_by(OrderChange.id)
    if order_id is not None:
        query = query.where(OrderChange.order_id == order_id)
    return list(session.scalars(query))


def accept_change(db: Database, change_id: int) -> None:
    """Make the order say what the platform says now, and log it.

    Raises ``IllegalTransition`` (nothing changed) when the platform cancelled an order that has
    already shipped: that is for a return or a refund, and the change can only be dismissed.
    """
    with db.unit_of_work() as uow:
        change = _pending(uow.session, change_id)
        order = change.order
        _apply(uow.session, order, change.changes, uow.station)
        change.state = "accepted"
        change.resolved_at = utc_now()
        record_event(
            uow.session,
            "change_accepted",
            f"Accepted from {change.source_file}: {describe_changes(change.changes)}",
            order=order,
            station=uow.station,
            change_id=change.id,
            changes=change.changes,
        )
        uow.commit()


def dismiss_change(db: Database, change_id: int) -> None:
    """Keep the order as it is; the same difference will not be raised again."""
    with db.unit_of_work() as uow:
        change = _pending(uow.session, change_id)
        change.state = "dismissed"
        change.resolved_at = utc_now()
        record_event(
            uow.session,
            "change_dismissed",
            f"Kept as it was, not as in {change.source_file}: {describe_changes(change.changes)}",
            order=change.order,
            station=uow.station,
            change_id=change.id,
        )
        uow.commit()


def _pending(session: Session, change_id: int) -> OrderChange:
    change = session.get(OrderChange, change_id)
    if change is None:
        raise NotFound(f"There is no change number {change_id}.")
    if change.state != "pending":
        raise ShopDeskError(f"That change was already {change.state}.")
    return change
