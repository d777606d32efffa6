"""Typed SQLAlchemy models: orders, their lines, products, the event log, settings, and corrections
(what went wrong with an order, the free replacement that puts it right, the messages to the customer
and the follow-ups still to send).

Money is kept in integer cents, never floats. Times are timezone-aware (see ``UtcDateTime``).
The status column holds an ``OrderStatus`` value; it only ever changes through
``shopdesk.orders.status.change_status``, which also writes the event.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, configure_mappers, mapped_column, relationship

from shopdesk.db.types import UtcDateTime, utc_now

# Stable constraint names, so that Alembic's batch mode on SQLite can find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class OrderStatus(enum.StrEnum):
    NEW = "new"
    CHECKED = "checked"
    PACKED = "packed"
    SHIPPED = "shipped"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("source", "number", name="source_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Where the order came from: etsy, shopify, squarespace, woocommerce, csv, manual, reship.
    source: Mapped[str] = mapped_column(String(32))
    # The order number as the customer sees it ("#1041" on Shopify, "3001" on Etsy, "1041-R1").
    number: Mapped[str] = mapped_column(String(64), index=True)
    # The platform's internal id, when the export carries one.
    external_id: Mapped[str | None] = mapped_column(String(64))
    placed_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    customer_name: Mapped[str] = mapped_column(String(255), default="")
    email: Mapped[str | None] = mapped_column(String(255))
    ship_name: Mapped[str] = mapped_column(String(255), default="")
    ship_address1: Mapped[str] = mapped_column(String(255), default="")
    ship_address2: Mapped[str] = mapped_column(String(255), default="")
    ship_city: Mapped[str] = mapped_column(String(128), default="")
    ship_region: Mapped[str] = mapped_column(String(128), default="")
    ship_postcode: Mapped[str] = mapped_column(String(32), default="")
    ship_country: Mapped[str] = mapped_column(String(64), default="")
    buyer_note: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3), default="")
    total_cents: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[OrderStatus] = mapped_column(
        Enum(OrderStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=OrderStatus.NEW,
        index=True,
    )
    # The status an order had before it was put on hold, so that releasing it returns there.
    held_from: Mapped[str | None] = mapped_column(String(16))
    # Set when the owner packed the order without the double-check; printed on the slip.
    check_skip_reason: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    tracking_number: Mapped[str | None] = mapped_column(String(128))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
    # The check lock: the packing station whose check screen has this order open, and since when.
    # Taken and released only through ``shopdesk.checking.lock``.
    check_station: Mapped[str | None] = mapped_column(String(64))
    check_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.position"
    )
    parent: Mapped[Order | None] = relationship(remote_side=[id], back_populates="replacements")
    replacements: Mapped[list[Order]] = relationship(back_populates="parent")
    events: Mapped[list[Event]] = relationship(back_populates="order", order_by="Event.id")
    # What went wrong with this order, and (for a reship) the correction this order puts right.
    corrections: Mapped[list[Correction]] = relationship(
        back_populates="order", foreign_keys="Correction.order_id", order_by="Correction.id"
    )
    correction_for: Mapped[Correction | None] = relationship(
        foreign_keys="Correction.replacement_id", viewonly=True, uselist=False
    )

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def units_counted(self) -> int:
        return sum(line.counted for line in self.lines)

    @property
    def first_name(self) -> str:
        name = (self.ship_name or self.customer_name).strip()
        return name.split()[0] if name else ""

    def __repr__(self) -> str:
        return f"<Order {self.source} {self.number} {self.status}>"


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("counted >= 0 AND counted <= quantity", name="counted_in_range"),
        Index("ix_order_lines_order_id_position", "order_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    sku: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    # Variation and personalization exactly as the buyer gave them, newlines and all.
    variation: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int | None] = mapped_column(Integer)
    # The platform's id for this line (Etsy transaction, WooCommerce item), used to match re-imports.
    external_id: Mapped[str | None] = mapped_column(String(64))
    # Units verified by the double-check so far; saved on every scan so a check can resume.
    counted: Mapped[int] = mapped_column(Integer, default=0)

    order: Mapped[Order] = relationship(back_populates="lines")

    @property
    def is_complete(self) -> bool:
        return self.counted >= self.quantity


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    # The code printed on the patch's own packaging, if it has one; the SKU is scanned otherwise.
    barcode: Mapped[str | None] = mapped_column(String(64), index=True)
    picture_path: Mapped[str | None] = mapped_column(String(1024))
    # Shelf or bin where the patch is kept, printed on the pick list.
    location: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Event(Base):
    """One line of the append-only history: what happened, to which order, when, where."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Which packing station (computer) did it; matters once several share a PostgreSQL database.
    station: Mapped[str] = mapped_column(String(64), default="")

    order: Mapped[Order | None] = relationship(back_populates="events")


class OrderChange(Base):
    """A difference a re-import found on an order that was already being worked on.

    Checked, packed and shipped orders are never changed silently: the platform's new data waits
    here until the owner accepts or dismisses it.
    """

    __tablename__ = "order_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    source_file: Mapped[str] = mapped_column(String(1024), default="")
    # {field: [value in ShopDesk, value in the export]}
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # pending, accepted or dismissed
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    order: Mapped[Order] = relationship()


class Setting(Base):
    """Shop-wide settings kept in the database so that every packing station shares them."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


def _enum_column(enum_class: type[enum.StrEnum], length: int = 16) -> Enum:
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class CorrectionKind(enum.StrEnum):
    """What went wrong, as the owner tells it."""

    MISSING = "missing"
    SHORT = "short"
    WRONG_ITEM = "wrong_item"
    DAMAGED = "damaged"
    LOST = "lost"
    WRONG_ADDRESS = "wrong_address"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "missing": "Missing item",
            "short": "Short quantity",
            "wrong_item": "Wrong item sent",
            "damaged": "Damaged",
            "lost": "Lost in transit",
            "wrong_address": "Wrong address",
            "other": "Other",
        }[self.value]


class CorrectionCause(enum.StrEnum):
    """Why it went wrong: for the owner's eyes only, never printed or sent to a customer."""

    PACKING = "packing"
    STOCK = "stock"
    CARRIER = "carrier"
    SUPPLIER = "supplier"
    CUSTOMER = "customer"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return "Packing mistake" if self is CorrectionCause.PACKING else self.value.capitalize()


class Correction(Base):
    """A mistake with an order, owned: what happened, what is owed, and the replacement that sends it.

    Every correction has its replacement order (source ``reship``); they are saved together or not at all.
    """

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The order that went wrong.
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    kind: Mapped[CorrectionKind] = mapped_column(_enum_column(CorrectionKind), index=True)
    cause: Mapped[CorrectionCause] = mapped_column(
        _enum_column(CorrectionCause), default=CorrectionCause.UNKNOWN, index=True
    )
    # The owner's process fix ("every patch is scanned before it goes in"); told in the follow-up.
    what_we_will_change: Mapped[str] = mapped_column(Text, default="")
    # A wrong item sent: True when the customer keeps it, False when it comes back with a return label.
    keep_wrong_item: Mapped[bool] = mapped_column(Boolean, default=False)
    # A goodwill extra in words (a discount code, a note); extra units are lines of kind ``extra``.
    goodwill_note: Mapped[str] = mapped_column(Text, default="")
    # The free order that puts it right.
    replacement_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    # The return number of the label for what comes back, when something does.
    rma: Mapped[str | None] = mapped_column(String(64), index=True)
    return_received_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The apology as printed on the note in the replacement parcel (filled in from the template).
    apology_text: Mapped[str] = mapped_column(Text, default="")
    # The owner's own notes; never shown to the customer.
    notes: Mapped[str] = mapped_column(Text, default="")
    station: Mapped[str] = mapped_column(String(64), default="")

    order: Mapped[Order] = relationship(foreign_keys=[order_id], back_populates="corrections")
    replacement: Mapped[Order] = relationship(foreign_keys=[replacement_id])
    lines: Mapped[list[CorrectionLine]] = relationship(
        back_populates="correction", cascade="all, delete-orphan", order_by="CorrectionLine.id"
    )
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="correction", cascade="all, delete-orphan", order_by="FollowUp.id"
    )
    messages: Mapped[list[SentMessage]] = relationship(back_populates="correction", order_by="SentMessage.id")

    @property
    def needs_return(self) -> bool:
        return self.rma is not None


class CorrectionLine(Base):
    """One thing owed to the customer, or a goodwill extra given on top.

    ``kind`` is missing, short, wrong_item, damaged, resend (lost, wrong address, other) or extra.
    For a wrong item, ``sent_sku`` is what went out instead of ``sku``.
    """

    __tablename__ = "correction_lines"
    __table_args__ = (CheckConstraint("units > 0", name="units_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    correction_id: Mapped[int] = mapped_column(ForeignKey("corrections.id", ondelete="CASCADE"), index=True)
    # The order line it is owed against; None for a goodwill extra.
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    sku: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    units: Mapped[int] = mapped_column(Integer)
    sent_sku: Mapped[str | None] = mapped_column(String(64), index=True)
    sent_title: Mapped[str | None] = mapped_column(String(255))

    correction: Mapped[Correction] = relationship(back_populates="lines")
    order_line: Mapped[OrderLine | None] = relationship()


class FollowUpKind(enum.StrEnum):
    FOLLOW_UP = "follow_up"
    RETURN_REMINDER = "return_reminder"


class FollowUp(Base):
    """A message to send later: "did it arrive, and here is what I changed", or a gentle return reminder.

    It falls due ``delay_days`` after the replacement ships (``due_at`` stays empty until then, and the
    due date is worked out from the shipping); a ``due_at`` set by hand wins.
    """

    __tablename__ = "follow_ups"
    __table_args__ = (CheckConstraint("delay_days >= 0", name="delay_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    correction_id: Mapped[int] = mapped_column(ForeignKey("corrections.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FollowUpKind] = mapped_column(_enum_column(FollowUpKind))
    delay_days: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("sent_messages.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    correction: Mapped[Correction] = relationship(back_populates="follow_ups")
    message: Mapped[SentMessage | None] = relationship()


class MessageChannel(enum.StrEnum):
    SMTP = "smtp"
    EML = "eml"
    MAILTO = "mailto"
    CLIPBOARD = "clipboard"
    PLATFORM = "platform"


class SentMessage(Base):
    """A message to a customer, kept with the order: written first, then sent (or handed over by hand).

    ``sent_at`` is set once it went out (or the owner took it to her mail app or the platform);
    ``error`` holds why the last try failed. ``attempts`` counts tries by SMTP.
    """

    __tablename__ = "sent_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    correction_id: Mapped[int | None] = mapped_column(ForeignKey("corrections.id"), index=True)
    # reship_note, follow_up or return_reminder
    kind: Mapped[str] = mapped_column(String(32))
    to_address: Mapped[str | None] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # How it is meant to go (smtp, platform) and, once sent, how it went.
    channel: Mapped[MessageChannel] = mapped_column(_enum_column(MessageChannel))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    order: Mapped[Order] = relationship()
    correction: Mapped[Correction | None] = relationship(back_populates="messages")

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


def prepare_models() -> None:
    """Resolve every mapping now (relationships, loaders): SQLAlchemy otherwise does it on the
    first query through the ORM, which then takes tens of milliseconds longer."""
    configure_mappers()
