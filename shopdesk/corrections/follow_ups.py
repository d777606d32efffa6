"""Follow-ups and return reminders: what to write to customers later, and when.

A follow-up falls due ``delay_days`` after its replacement was marked shipped (the time of the
"shipped" event); until then it waits. A ``due_at`` set on the follow-up wins. A return reminder drops
off once the return has come back (``mark_return_received``); anything drops off once sent or marked
done; follow-ups of a cancelled replacement are not listed.

The message is written when the follow-up is sent, from the template as it is then, and saved before
it goes out; a failed send keeps it, and sending again retries the same message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from shopdesk.corrections import templates
from shopdesk.corrections.outbox import (
    PreparedNote,
    SendOutcome,
    address_for,
    channel_for,
    prepared_note,
    send_message,
)
from shopdesk.corrections.service import template_values
from shopdesk.db.database import Database
from shopdesk.db.models import Correction, Event, FollowUp, FollowUpKind, Order, OrderStatus, SentMessage
from shopdesk.db.types import utc_now
from shopdesk.errors import NotFound
from shopdesk.mail.smtp import Mailer
from shopdesk.orders.history import record_event
from shopdesk.packing.profile import shop_profile


@dataclass(frozen=True)
class FollowUpItem:
    """One row of the Follow-ups view."""

    id: int
    kind: FollowUpKind
    correction_id: int
    order_number: str
    replacement_number: str
    customer: str
    to: str | None
    due_at: datetime | None
    """None while the replacement has not shipped."""
    done_at: datetime | None
    message_id: int | None
    last_error: str | None

    @property
    def title(self) -> str:
        return "Return reminder" if self.kind == FollowUpKind.RETURN_REMINDER else "Follow-up"

    def is_due(self, now: datetime) -> bool:
        return self.done_at is None and self.due_at is not None and self.due_at <= now


def shipped_at(session: Session, order_ids: list[int]) -> dict[int, datetime]:
    """When each order was marked shipped (the latest "shipped" status event)."""
    found: dict[int, datetime] = {}
    if not order_ids:
        return found
    events = session.execute(
        select(Event.order_id, Event.at, Event.details)
        .where(Event.order_id.in_(order_ids), Event.kind == "status")
        .order_by(Event.id)
    )
    for order_id, at, details in events:
        if (details or {}).get("new") == OrderStatus.SHIPPED.value:
            found[order_id] = at
    return found


def _due_at(follow_up: FollowUp, shipped: dict[int, datetime]) -> datetime | None:
    if follow_up.due_at is not None:
        return follow_up.due_at
    replacement = follow_up.correction.replacement
    when = shipped.get(replacement.id)
    if when is None and replacement.status == OrderStatus.SHIPPED:
        when = replacement.updated_at
    return when + timedelta(days=follow_up.delay_days) if when is not None else None


def follow_up_list(
    session: Session, now: datetime | None = None, include_done: bool = False
) -> list[FollowUpItem]:
    """Open follow-ups (due or waiting for the replacement to ship), due first, then by due date."""
    now = now or utc_now()
    query = (
        select(FollowUp)
        .options(
            selectinload(FollowUp.correction).selectinload(Correction.replacement),
            selectinload(FollowUp.correction).selectinload(Correction.order),
            selectinload(FollowUp.message),
        )
        .order_by(FollowUp.id)
    )
    if not include_done:
        query = query.where(FollowUp.done_at.is_(None))
    follow_ups = list(session.scalars(query))
    shipped = shipped_at(session, [f.correction.replacement_id for f in follow_ups])
    items = []
    for follow_up in follow_ups:
        correction = follow_up.correction
        if correction.replacement.status == OrderStatus.CANCELLED:
            continue
        if (
            follow_up.kind == FollowUpKind.RETURN_REMINDER
            and correction.return_received_at is not None
            and not include_done
        ):
            continue
        order = correction.order
        items.append(
            FollowUpItem(
                id=follow_up.id,
                kind=follow_up.kind,
                correction_id=correction.id,
                order_number=order.number,
                replacement_number=correction.replacement.number,
                customer=order.customer_name or order.ship_name,
                to=address_for(correction),
                due_at=_due_at(follow_up, shipped),
                done_at=follow_up.done_at,
                message_id=follow_up.message_id,
                last_error=follow_up.message.error if follow_up.message else None,
            )
        )
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(items, key=lambda item: (item.due_at or far, item.id))


def due_follow_ups(session: Session, now: datetime | None = None) -> list[FollowUpItem]:
    """Follow-ups and return reminders to send now."""
    now = now or utc_now()
    return [item for item in follow_up_list(session, now) if item.is_due(now)]


def _follow_up(session: Session, follow_up_id: int) -> FollowUp:
    follow_up = session.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise NotFound(f"There is no follow-up {follow_up_id}.")
    return follow_up


@dataclass(frozen=True)
class FollowUpSent:
    note: PreparedNote
    sent: SendOutcome | None
    """None when it was not sent by SMTP (no mailer, or no address: hand it over instead)."""


def write_follow_up(db: Database, follow_up_id: int, now: datetime | None = None) -> PreparedNote:
    """Write (and save) the follow-up's message from the current template; the same one on a retry."""
    now = now or utc_now()
    with db.unit_of_work() as uow:
        session = uow.session
        follow_up = _follow_up(session, follow_up_id)
        if follow_up.message is not None:
            return prepared_note(session, follow_up.message.id)
        correction = follow_up.correction
        name = templates.FOLLOW_UP if follow_up.kind == FollowUpKind.FOLLOW_UP else templates.RETURN_REMINDER
        filled = templates.fill_in(
            templates.load_template(session, name), template_values(correction, shop_profile(session).name)
        )
        to = address_for(correction)
        message = SentMessage(
            order=correction.order,
            correction=correction,
            kind=follow_up.kind.value,
            to_address=to,
            subject=filled.subject,
            body=filled.body,
            channel=channel_for(correction.order, to),
            created_at=now,
        )
        session.add(message)
        follow_up.message = message
        session.flush()
        note = prepared_note(session, message.id)
        uow.commit()
        return note


def send_follow_up(
    db: Database, follow_up_id: int, mailer: Mailer | None, now: datetime | None = None
) -> FollowUpSent:
    """Write the follow-up and, with a mailer and an address, send it; it is done once it went."""
    note = write_follow_up(db, follow_up_id, now)
    if mailer is None or not note.to or note.is_sent:
        return FollowUpSent(note, None)
    outcome = send_message(db, note.message_id, mailer, now=now)
    with db.reading() as session:
        return FollowUpSent(prepared_note(session, note.message_id), outcome)


def mark_done(db: Database, follow_up_id: int, now: datetime | None = None) -> None:
    """The owner dealt with it another way (or not at all): it drops off the list."""
    with db.unit_of_work() as uow:
        follow_up = _follow_up(uow.session, follow_up_id)
        if follow_up.done_at is None:
            follow_up.done_at = now or utc_now()
            record_event(
                uow.session,
                "follow_up",
                f"{'Return reminder' if follow_up.kind == FollowUpKind.RETURN_REMINDER else 'Follow-up'} done",
                order=follow_up.correction.order,
                station=uow.station,
                follow_up_id=follow_up.id,
            )
        uow.commit()


def mark_return_received(db: Database, correction_id: int, now: datetime | None = None) -> None:
    """The wrong item came back: the return reminder drops off."""
    now = now or utc_now()
    with db.unit_of_work() as uow:
        correction = uow.session.get(Correction, correction_id)
        if correction is None:
            raise NotFound(f"There is no correction {correction_id}.")
        if correction.return_received_at is None:
            correction.return_received_at = now
            for follow_up in correction.follow_ups:
                if follow_up.kind == FollowUpKind.RETURN_REMINDER and follow_up.done_at is None:
                    follow_up.done_at = now
            record_event(
                uow.session,
                "return_received",
                f"Return {correction.rma or ''} received".replace("  ", " "),
                order=correction.order,
                station=uow.station,
                correction_id=correction.id,
            )
        uow.commit()


def open_returns(session: Session) -> list[tuple[str, str, datetime]]:
    """(RMA, order number, since) for returns not back yet, oldest first."""
    rows = session.execute(
        select(Correction.rma, Order.number, Correction.created_at)
        .join(Order, Order.id == Correction.order_id)
        .where(Correction.rma.is_not(None), Correction.return_received_at.is_(None))
        .order_by(Correction.created_at)
    )
    return [(rma, number, at) for rma, number, at in rows]
