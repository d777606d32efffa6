"""The append-only event log: every change to an order leaves a line the owner can read later."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from shopdesk.db.models import Event, Order


def record_event(
    session: Session,
    kind: str,
    summary: str,
    *,
    order: Order | None = None,
    station: str = "",
    **details: Any,
) -> Event:
    """Add an event to the current unit of work; it is saved (or dropped) with everything else."""
    event = Event(kind=kind, summary=summary, order=order, details=details, station=station)
    session.add(event)
    return event
