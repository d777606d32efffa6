"""The check lock: two packing stations never check the same order at once.

An order's check belongs to the station whose check screen opened it (``Order.check_station``,
``Order.check_started_at``). The rules:

- The first station to start the check holds it. Taking it is one conditional UPDATE
  (``… WHERE check_station IS NULL OR check_station = <this station>``), never a read followed
  by a write, so when two stations start at the same moment exactly one of them wins, on SQLite
  (``BEGIN IMMEDIATE`` lets one writer in at a time) as on PostgreSQL (the second UPDATE waits
  for the first's row lock and then finds the row taken).
- The same station may carry on a check it holds (after a crash, or on reopening the order).
- Another station is refused with ``CheckedElsewhere``: "Order #1041 is being checked at bench-2
  since 10:14". It takes the check over only deliberately (``take_over_check``), and that is
  written to the order's history.
- A lock older than ``STALE_AFTER`` (a station left with the screen open overnight, or a station
  that died) is stale: the next station takes it without asking, and that too is written to the
  history. No check of one order takes hours, so a lock that old is nobody's work in progress.
- The lock is released when the order is checked or packed without checking, and when the check
  screen closes or moves to another order.

Stations are told apart by ``Database.station`` (the computer's name).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session

from shopdesk.db.database import Database
from shopdesk.db.models import Order, OrderStatus
from shopdesk.db.types import utc_now
from shopdesk.errors import NotFound, ShopDeskError
from shopdesk.orders.history import record_event

log = logging.getLogger(__name__)

# A check lock older than this may be taken by another station without asking.
STALE_AFTER = timedelta(hours=3)

TAKEN_OVER_EVENT = "check_taken_over"


class CheckedElsewhere(ShopDeskError):
    """Another packing station is checking this order."""

    def __init__(self, order_id: int, number: str, station: str, since: datetime) -> None:
        self.order_id = order_id
        self.number = number
        self.station = station
        self.since = since
        super().__init__(f"Order {number} is being checked at {station} since {_clock(since)}.")


@dataclass(frozen=True, slots=True)
class CheckHolder:
    station: str
    since: datetime


def claim_check(session: Session, order_id: int, station: str) -> None:
    """Take the check of ``order_id`` for ``station`` in the current unit of work, or refuse it.

    Raises ``CheckedElsewhere`` while another station holds a lock that is not stale, and
    ``NotFound`` for an order that does not exist. Call it before loading the order into
    ``session``: it writes with UPDATE statements, behind the session's back.
    """
    now = utc_now()
    for _attempt in range(3):
        if _update(
            session,
            order_id,
            or_(Order.check_station.is_(None), Order.check_station == station),
            station,
            now,
            keep_since_of=station,
        ):
            return
        holder = _holder(session, order_id)
        if holder is None:  # released between the two statements: try again
            continue
        if now - holder.since < STALE_AFTER:
            raise CheckedElsewhere(order_id, _number(session, order_id), holder.station, holder.since)
        # Stale: take it, unless someone else took or refreshed it in the meantime.
        still_stale = (Order.check_station == holder.station) & (Order.check_started_at == holder.since)
        if _update(session, order_id, still_stale, station, now):
            _log_take_over(session, order_id, holder, station, stale=True)
            return
    raise ShopDeskError(f"Order {_number(session, order_id)} is being opened at another station; try again.")


def start_check(db: Database, order_id: int) -> None:
    """The check screen opened ``order_id``: take its check for this station, or raise ``CheckedElsewhere``.

    An order that is not being checked (packed, shipped, on hold) takes no lock.
    """
    with db.unit_of_work() as uow:
        status = uow.session.scalar(select(Order.status).where(Order.id == order_id))
        if status is None:
            raise NotFound(f"There is no order with id {order_id}.")
        if status in (OrderStatus.NEW, OrderStatus.CHECKED):
            claim_check(uow.session, order_id, uow.station)
            uow.commit()


def take_over_check(db: Database, order_id: int) -> CheckHolder | None:
    """Take the check of ``order_id`` for this station whoever holds it; written to the history.

    Returns who held it before (None when nobody did).
    """
    with db.unit_of_work() as uow:
        holder = _holder(uow.session, order_id)
        _update(uow.session, order_id, Order.id == order_id, uow.station, utc_now())
        if holder is not None and holder.station != uow.station:
            _log_take_over(uow.session, order_id, holder, uow.station, stale=False)
        uow.commit()
    return holder


def release_check(db: Database, order_id: int) -> None:
    """Let go of the check of ``order_id`` if this station holds it (the check screen closed)."""
    with db.unit_of_work() as uow:
        uow.session.execute(
            update(Order)
            .where(Order.id == order_id, Order.check_station == uow.station)
            .values(check_station=None, check_started_at=None, updated_at=Order.updated_at)
            .execution_options(synchronize_session=False)
        )
        uow.commit()


def clear_check_lock(order: Order) -> None:
    """The check is over (checked, or packed without checking): nobody holds it any more."""
    order.check_station = None
    order.check_started_at = None


def check_holder(session: Session, order_id: int) -> CheckHolder | None:
    """Who is checking ``order_id`` right now, if anyone."""
    return _holder(session, order_id)


# -- the steps -----------------------------------------------------------------------------------


def _update(
    session: Session,
    order_id: int,
    condition,
    station: str,
    now: datetime,
    *,
    keep_since_of: str | None = None,
) -> bool:
    since = now
    if keep_since_of is not None:
        # Carrying on one's own check keeps the time it started.
        since = case((Order.check_station == keep_since_of, Order.check_started_at), else_=now)
    result = session.execute(
        update(Order)
        .where(Order.id == order_id, condition)
        # updated_at names itself: holding a check is not a change to the order.
        .values(check_station=station, check_started_at=since, updated_at=Order.updated_at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _holder(session: Session, order_id: int) -> CheckHolder | None:
    row = session.execute(
        select(Order.check_station, Order.check_started_at).where(Order.id == order_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"There is no order with id {order_id}.")
    station, since = row
    if station is None:
        return None
    return CheckHolder(station, since or utc_now())


def _number(session: Session, order_id: int) -> str:
    return session.scalar(select(Order.number).where(Order.id == order_id)) or f"with id {order_id}"


def _log_take_over(
    session: Session, order_id: int, holder: CheckHolder, station: str, *, stale: bool
) -> None:
    order = session.get(Order, order_id)
    why = "it had been left open since" if stale else "taken over; it was being checked there since"
    record_event(
        session,
        TAKEN_OVER_EVENT,
        f"Check taken from {holder.station} ({why} {_clock(holder.since)})",
        order=order,
        station=station,
        previous_station=holder.station,
        previous_since=holder.since.isoformat(),
        stale=stale,
    )
    log.info(
        "check of order %s taken over from %s by %s (stale: %s)", order_id, holder.station, station, stale
    )


def _clock(moment: datetime) -> str:
    """10:14 today; 22 Nov 10:14 on another day (local time)."""
    local = moment.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return local.strftime("%H:%M")
    return f"{local.day} {local.strftime('%b %H:%M')}"
