"""Is the database sound? The start-up check, and "Check database" with its safe repairs.

``check_database`` runs SQLite's ``integrity_check`` and ``foreign_key_check`` and the shop's own
rules, after a backup. What can be repaired without losing anything is repaired, each repair
written to the history; a damaged file is never written to: the owner is pointed at the newest
good backup instead. A second check finds nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from shopdesk.config import backup_dir_for
from shopdesk.db.backup import backup_database, newest_good_backup
from shopdesk.db.database import Database
from shopdesk.db.integrity import CANNOT_OPEN, DISK_FAILED, StartupCheck, sqlite_problem, start_problem
from shopdesk.db.models import Order, OrderLine, OrderStatus
from shopdesk.errors import DatabaseError
from shopdesk.orders.history import record_event
from shopdesk.orders.status import change_status

log = logging.getLogger(__name__)


@dataclass
class CheckReport:
    """What "Check database" found: ``repaired`` were put right, ``problems`` were not."""

    backup: Path | None = None
    repaired: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.repaired and not self.problems


def damaged_message(path: Path, reason: str) -> str:
    """What the owner reads about a damaged database file: what, and which backup to restore."""
    good = newest_good_backup(backup_dir_for(path))
    if good is None:
        advice = (
            "There is no good backup of it. Keep the file as it is (do not delete it) and ask for help "
            "recovering it."
        )
    else:
        advice = (
            f"The newest good backup is {good.path} (made {good.made_at:%Y-%m-%d %H:%M} UTC). "
            f"Restore it with File → Restore… or: shopdesk restore {good.path}"
        )
    return (
        f"Cannot open the database {path}: the file is damaged or is not a ShopDesk database "
        f"({reason}). Nothing was written to it. {advice}"
    )


def ensure_sound_sqlite(path: Path, started: StartupCheck | None = None) -> None:
    """Refuse a damaged SQLite file before anything writes to it (``DatabaseError`` naming a backup).

    ``started`` is the same check begun earlier on a thread (``shopdesk`` starts it before loading
    Qt); its answer is used when it was made for this file.
    """
    problem = started.problem() if started is not None and started.path == path else start_problem(path)
    if problem in (CANNOT_OPEN, DISK_FAILED):
        # The disk or the file's permissions, not its content: nothing to restore.
        raise DatabaseError(
            f"Cannot open the database {path}: the disk would not let ShopDesk open it. Nothing was "
            "written to it. Check that the disk (or network drive) is there and that the file can be "
            "read and written, then start ShopDesk again."
        )
    if problem is not None:
        raise DatabaseError(damaged_message(path, problem))


def check_database(db: Database) -> CheckReport:
    """Check ``db`` whole and repair what can be repaired safely; back it up first."""
    report = CheckReport()
    path = db.sqlite_path
    if path is not None:
        problem = sqlite_problem(path, read_only=False)
        if problem is not None:
            report.problems.append(damaged_message(path, problem))
            return report
    report.backup = backup_database(db, "before-check")
    with db.unit_of_work() as uow:
        session = uow.session
        _repair_links(session, report, uow.station)
        _repair_counts(session, report, uow.station)
        _repair_checked(session, report, uow.station)
        if report.repaired:
            record_event(
                session,
                "database_check",
                f"Database check repaired {len(report.repaired)} problem"
                f"{'s' if len(report.repaired) != 1 else ''}",
                station=uow.station,
                repaired=report.repaired,
                backup=str(report.backup),
            )
        if db.is_sqlite:
            session.flush()
            left = session.execute(text("PRAGMA foreign_key_check")).fetchall()
            for table, rowid, parent, _ in left:
                report.problems.append(f"Row {rowid} of {table} points to a missing row of {parent}.")
            for (line,) in session.execute(text("PRAGMA integrity_check")).fetchall():
                if line != "ok":
                    report.problems.append(f"SQLite's check says: {line}")
        uow.commit()
    for line in report.repaired:
        log.warning("database check repaired: %s", line)
    for line in report.problems:
        log.warning("database check found: %s", line)
    return report


def _repair_links(session: Session, report: CheckReport, station: str) -> None:
    """Rows pointing at orders that are gone: kept in the history, then unlinked or removed."""
    orphans = session.execute(
        text(
            "SELECT id, order_id, sku, quantity, counted FROM order_lines "
            "WHERE order_id NOT IN (SELECT id FROM orders)"
        )
    ).fetchall()
    for line_id, order_id, sku, quantity, counted in orphans:
        report.repaired.append(
            f"Line {line_id} ({quantity} × {sku}, {counted} counted) belonged to order id {order_id}, "
            "which is missing; the line was removed and is kept in the history."
        )
    if orphans:
        session.execute(text("DELETE FROM order_lines WHERE order_id NOT IN (SELECT id FROM orders)"))
    changes = session.execute(
        text("SELECT id, order_id FROM order_changes WHERE order_id NOT IN (SELECT id FROM orders)")
    ).fetchall()
    for change_id, order_id in changes:
        report.repaired.append(
            f"Platform change {change_id} belonged to order id {order_id}, which is missing; it was removed."
        )
    if changes:
        session.execute(text("DELETE FROM order_changes WHERE order_id NOT IN (SELECT id FROM orders)"))
    events = session.execute(
        text(
            "SELECT count(*) FROM events WHERE order_id IS NOT NULL "
            "AND order_id NOT IN (SELECT id FROM orders)"
        )
    ).scalar_one()
    if events:
        report.repaired.append(
            f"{events} history entr{'ies' if events != 1 else 'y'} named a missing order; "
            "they are kept without the link."
        )
        session.execute(
            text(
                "UPDATE events SET order_id = NULL WHERE order_id IS NOT NULL "
                "AND order_id NOT IN (SELECT id FROM orders)"
            )
        )
    replacements = session.execute(
        text(
            "SELECT id, number, parent_id FROM orders WHERE parent_id IS NOT NULL "
            "AND parent_id NOT IN (SELECT id FROM orders)"
        )
    ).fetchall()
    for _order_id, number, parent_id in replacements:
        report.repaired.append(
            f"Order {number} is a replacement for order id {parent_id}, which is missing; "
            "it is kept as an order of its own."
        )
    if replacements:
        session.execute(
            text(
                "UPDATE orders SET parent_id = NULL WHERE parent_id IS NOT NULL "
                "AND parent_id NOT IN (SELECT id FROM orders)"
            )
        )
    session.expire_all()


def _repair_counts(session: Session, report: CheckReport, station: str) -> None:
    lines = session.scalars(
        select(OrderLine).where((OrderLine.counted < 0) | (OrderLine.counted > OrderLine.quantity))
    ).all()
    for line in lines:
        order = line.order
        was = line.counted
        line.counted = min(max(line.counted, 0), line.quantity)
        message = (
            f"Order {order.number}, {line.sku}: {was} counted of {line.quantity} ordered; "
            f"set to {line.counted}."
        )
        report.repaired.append(message)
        record_event(session, "database_check", message, order=order, station=station, line_id=line.id)


def _repair_checked(session: Session, report: CheckReport, station: str) -> None:
    """A checked order must have every unit counted; otherwise it goes back to be checked again."""
    session.flush()
    orders = session.scalars(
        select(Order)
        .where(Order.status == OrderStatus.CHECKED)
        .where(Order.lines.any(OrderLine.counted < OrderLine.quantity))
    ).all()
    for order in orders:
        change_status(
            session,
            order,
            OrderStatus.NEW,
            station=station,
            reason="database check: not every item was counted; check it again",
        )
        order.checked_at = None
        report.repaired.append(
            f"Order {order.number} was marked checked with {order.units_counted} of {order.units} "
            "items counted; it is back to new, to be checked again."
        )
