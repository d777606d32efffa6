"""Apologise and reship: owning a mistake with an order in one unit of work.

``apologise_and_reship`` records the correction, creates the free replacement order (source
``reship``, numbered ``1041-R1``, ``1041-R2``…, status new, so it goes through the same double-check),
makes the apology note for the parcel, the return label (with its RMA) for a wrong item that is to come
back, writes the reship note to the customer and schedules the follow-up and the return reminder. All
of it is saved together or not at all. The note is sent only after the commit, so no customer ever
hears about a replacement that was not saved; a failed send is recorded and can be retried.

Follow-ups are scheduled relative to the replacement's shipping: they fall due ``delay_days`` after the
replacement is marked shipped (worked out when asked, see ``follow_ups.py``), so a replacement that sits
on the shelf for a week does not trigger a "did it arrive?" before it has left.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from shopdesk.corrections import templates
from shopdesk.corrections.delays import check_days, follow_up_delays
from shopdesk.corrections.outbox import (
    RESHIP_NOTE_KIND,
    PreparedNote,
    SendOutcome,
    channel_for,
    clean_address,
    prepared_note,
    return_items_of,
    send_message,
)
from shopdesk.db.database import Database
from shopdesk.db.models import (
    Correction,
    CorrectionCause,
    CorrectionKind,
    CorrectionLine,
    FollowUp,
    FollowUpKind,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    SentMessage,
)
from shopdesk.db.types import utc_now
from shopdesk.documents.data import Address, ApologyNoteData, ReturnItem
from shopdesk.errors import NotFound, ShopDeskError
from shopdesk.mail.smtp import Mailer
from shopdesk.orders.drafts import LineDraft, OrderDraft
from shopdesk.orders.history import record_event
from shopdesk.orders.intake import create_order
from shopdesk.packing.profile import shop_profile
from shopdesk.packing.returns import add_return_label, return_label_pdf, upcoming_rma

# What can be wrong with one line of the order. "resend" is a line sent again in full for a lost
# parcel, a wrong address or anything else; "extra" marks a goodwill extra (not owed).
LINE_PROBLEMS = ("missing", "short", "wrong_item", "damaged", "resend")
EXTRA = "extra"

# Which kind a correction is, when the owner did not say, from the problems of its lines.
_KIND_BY_PRIORITY = (
    ("wrong_item", CorrectionKind.WRONG_ITEM),
    ("damaged", CorrectionKind.DAMAGED),
    ("missing", CorrectionKind.MISSING),
    ("short", CorrectionKind.SHORT),
)
# Kinds that resend the whole order when no lines are named.
_WHOLE_ORDER_KINDS = (CorrectionKind.LOST, CorrectionKind.WRONG_ADDRESS)


class CorrectionError(ShopDeskError):
    """The correction cannot be made as asked; the message says what to change."""


@dataclass(frozen=True)
class OwedLine:
    """Units of an ordered SKU owed to the customer, and what went wrong with them.

    ``problem`` is missing, short, wrong_item, damaged or resend. Missing and short are the same to
    the owner ("not in the parcel"); ShopDesk records ``missing`` when the whole line was missing and
    ``short`` when only some units were. For ``wrong_item``, ``sent_sku`` is what went out instead.
    """

    sku: str
    units: int
    problem: str = "missing"
    sent_sku: str | None = None


@dataclass(frozen=True)
class CorrectionRequest:
    """Everything the "Something went wrong…" dialog (or ``shopdesk reship``) asks."""

    order_id: int
    lines: Sequence[OwedLine] = ()
    kind: CorrectionKind | None = None
    """Said by the owner, or worked out from the lines (wrong item, damaged, missing, short)."""
    cause: CorrectionCause = CorrectionCause.UNKNOWN
    keep_wrong_item: bool = False
    extra: Mapping[str, int] = field(default_factory=dict)
    """Goodwill extra units by SKU, sent free on top of what is owed."""
    goodwill_note: str = ""
    what_we_will_change: str = ""
    notes: str = ""
    email: str | None = None
    """An address added by hand, when the order has none (Etsy)."""
    ship_to: Address | None = None
    """A corrected address for the replacement (wrong address); None keeps the order's."""
    follow_up_days: int | None = None
    """Days after the replacement ships until the follow-up is due; None: the shop's setting."""
    return_reminder_days: int | None = None
    """Days until the return reminder is due; None: the shop's setting."""


@dataclass(frozen=True)
class CorrectionResult:
    correction_id: int
    original_number: str
    replacement_id: int
    replacement_number: str
    rma: str | None
    apology_note_pdf: bytes
    return_label_pdf: bytes | None
    note: PreparedNote
    """The reship note as saved (to send, or to hand over when there is no address)."""
    sent: SendOutcome | None = None
    """What happened when the note was sent; None when it was not sent (no mailer or no address)."""


@dataclass(frozen=True)
class OwableLine:
    """An order line as the dialog offers it: how many units can still be owed."""

    line_id: int
    sku: str
    title: str
    variation: str
    ordered: int
    owable: int


def owable_lines(session: Session, order_id: int) -> list[OwableLine]:
    """The order's lines with the units that can still be owed (ordered, less earlier corrections)."""
    order = _load(session, order_id)
    owed = _owed_before(session, order)
    return [
        OwableLine(
            line.id, line.sku, line.title, line.variation, line.quantity, line.quantity - owed.get(line.id, 0)
        )
        for line in order.lines
    ]


def can_correct(order: Order) -> str | None:
    """Why ``order`` cannot have a correction, or None when it can (packed and shipped orders can)."""
    if order.status in (OrderStatus.PACKED, OrderStatus.SHIPPED):
        return None
    return (
        f"Order {order.number} is {order.status.label.lower()}; only a packed or shipped order can be "
        "put right with a replacement."
    )


def apologise_and_reship(
    db: Database, request: CorrectionRequest, mailer: Mailer | None = None, now: datetime | None = None
) -> CorrectionResult:
    """Own the mistake in one unit of work, then (given a ``mailer`` and an address) send the note.

    Raises ``CorrectionError`` (nothing saved) when the request does not fit the order.
    """
    now = now or utc_now()
    with db.unit_of_work() as uow:
        result = _apologise_and_reship(uow.session, request, now, uow.station)
        uow.commit()
    if mailer is not None and result.note.to:
        outcome = send_message(db, result.note.message_id, mailer, now=now)
        with db.reading() as session:
            note = prepared_note(session, result.note.message_id)
        return replace(result, note=note, sent=outcome)
    return result


def _load(session: Session, order_id: int) -> Order:
    order = session.get(Order, order_id, options=[selectinload(Order.lines), selectinload(Order.parent)])
    if order is None:
        raise NotFound(f"There is no order with id {order_id}.")
    return order


def _owed_before(session: Session, order: Order) -> dict[int, int]:
    """Units already owed per order line by earlier corrections whose replacement still stands."""
    replacement = Order.__table__.alias("replacement")
    rows = session.execute(
        select(CorrectionLine.order_line_id, func.sum(CorrectionLine.units))
        .join(Correction, Correction.id == CorrectionLine.correction_id)
        .join(replacement, replacement.c.id == Correction.replacement_id)
        .where(
            Correction.order_id == order.id,
            CorrectionLine.order_line_id.is_not(None),
            replacement.c.status != OrderStatus.CANCELLED.value,
        )
        .group_by(CorrectionLine.order_line_id)
    )
    return {line_id: int(units) for line_id, units in rows}


def _titles(session: Session, skus: set[str]) -> dict[str, str]:
    if not skus:
        return {}
    return {
        sku: title
        for sku, title in session.execute(select(Product.sku, Product.title).where(Product.sku.in_(skus)))
    }


def _resolve_lines(session: Session, order: Order, request: CorrectionRequest) -> list[CorrectionLine]:
    wanted = list(request.lines)
    if not wanted and request.kind in _WHOLE_ORDER_KINDS:
        wanted = [OwedLine(line.sku, line.quantity, "resend") for line in order.lines]
    if not wanted:
        raise CorrectionError(f"Say what is owed for order {order.number}: which lines, and how many units.")
    owed = _owed_before(session, order)
    titles = _titles(session, {line.sent_sku for line in wanted if line.sent_sku})
    by_sku: dict[str, list[OrderLine]] = {}
    for line in order.lines:
        by_sku.setdefault(line.sku.upper(), []).append(line)
    result: list[CorrectionLine] = []
    for want in wanted:
        if want.problem not in LINE_PROBLEMS:
            raise CorrectionError(f"{want.problem!r} is not something that can go wrong with a line.")
        if want.units < 1:
            raise CorrectionError(f"{want.sku}: the units owed must be at least 1.")
        candidates = by_sku.get(want.sku.strip().upper())
        if not candidates:
            skus = ", ".join(line.sku for line in order.lines)
            raise CorrectionError(f"Order {order.number} has no line {want.sku}; it has {skus}.")
        line = next((c for c in candidates if c.quantity - owed.get(c.id, 0) >= want.units), None)
        if line is None:
            left = sum(c.quantity - owed.get(c.id, 0) for c in candidates)
            ordered = sum(c.quantity for c in candidates)
            raise CorrectionError(
                f"Order {order.number} has {ordered} × {want.sku}"
                + (f", {ordered - left} already owed by an earlier correction" if left != ordered else "")
                + f"; {want.units} cannot be owed (at most {max(left, 0)})."
            )
        owed[line.id] = owed.get(line.id, 0) + want.units
        problem = want.problem
        if problem in ("missing", "short"):
            problem = "missing" if want.units == line.quantity else "short"
        sent_sku = sent_title = None
        if problem == "wrong_item":
            if not want.sent_sku or not want.sent_sku.strip():
                raise CorrectionError(f"{line.sku} was a wrong item: say which SKU was sent instead.")
            sent_sku = want.sent_sku.strip()
            if sent_sku.upper() == line.sku.upper():
                raise CorrectionError(f"{line.sku} cannot have been sent instead of itself.")
            sent_title = titles.get(sent_sku, "")
        result.append(
            CorrectionLine(
                order_line=line,
                kind=problem,
                sku=line.sku,
                title=line.title,
                units=want.units,
                sent_sku=sent_sku,
                sent_title=sent_title,
            )
        )
    # In the original order's sequence, so the replacement and the notes read like the order did.
    return sorted(result, key=lambda line: line.order_line.position if line.order_line else 0)


def _kind(request: CorrectionRequest, lines: Sequence[CorrectionLine]) -> CorrectionKind:
    if request.kind is not None:
        return CorrectionKind(request.kind)
    problems = {line.kind for line in lines}
    for problem, kind in _KIND_BY_PRIORITY:
        if problem in problems:
            return kind
    return CorrectionKind.OTHER


def replacement_number(session: Session, order: Order) -> str:
    """``1041-R1``, ``1041-R2``…: numbered after the first order of the chain, the first number free."""
    root = order
    while root.parent is not None:
        root = root.parent
    bare = root.number.lstrip("#").strip()
    taken = {
        number.upper()
        for number in session.scalars(
            select(Order.number).where(Order.source == "reship", Order.number.ilike(f"{bare}-R%"))
        )
    }
    n = 1
    while f"{bare}-R{n}".upper() in taken:
        n += 1
    return f"{bare}-R{n}"


def items_phrase(pairs: Sequence[tuple[int, str]]) -> str:
    """ "1 × Red Rose, 2 × Bee and 1 × Fern": how items read in a note."""
    parts = [f"{units} × {title}" for units, title in pairs]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _replacement_lines(
    session: Session, lines: Sequence[CorrectionLine], extra: Mapping[str, int]
) -> tuple[list[LineDraft], list[CorrectionLine]]:
    """Lines of the replacement (owed units plus the goodwill extra, one line per SKU and variation)."""
    drafts: dict[tuple[str, str], LineDraft] = {}
    for line in lines:
        variation = line.order_line.variation if line.order_line else ""
        key = (line.sku.upper(), variation)
        if key in drafts:
            drafts[key].quantity += line.units
        else:
            drafts[key] = LineDraft(line.sku, line.title, line.units, variation, unit_price_cents=0)
    extra_lines = []
    known = _titles(session, set(extra))
    ordered_titles = {line.sku.upper(): line.title for line in lines}
    for sku, units in extra.items():
        sku = sku.strip()
        if units < 1:
            raise CorrectionError(f"Goodwill extra {sku}: give at least 1 unit.")
        title = known.get(sku) or ordered_titles.get(sku.upper()) or sku
        extra_lines.append(CorrectionLine(kind=EXTRA, sku=sku, title=title, units=units))
        key = (sku.upper(), "")
        if key in drafts:
            drafts[key].quantity += units
        else:
            drafts[key] = LineDraft(sku, title, units, unit_price_cents=0)
    return list(drafts.values()), extra_lines


def template_values(correction: Correction, shop_name: str) -> dict[str, str]:
    """The placeholders' values for messages and notes about ``correction``."""
    return _values(
        correction.order,
        correction.replacement.number,
        correction.lines,
        correction.rma,
        correction.goodwill_note,
        correction.what_we_will_change,
        shop_name,
    )


def _values(
    order: Order,
    replacement_number: str,
    lines: Sequence[CorrectionLine],
    rma: str | None,
    goodwill_note: str,
    what_we_will_change: str,
    shop_name: str,
) -> dict[str, str]:
    owed = [line for line in lines if line.kind != EXTRA]
    extras = [line for line in lines if line.kind == EXTRA]
    wrong = [line for line in owed if line.kind == "wrong_item"]
    sent = items_phrase([(line.units, line.sent_title or line.sent_sku or "") for line in wrong])
    comes_back = bool(rma)
    return {
        "first_name": order.first_name or "there",
        "order_number": order.number,
        "replacement_number": replacement_number,
        "missing_items": items_phrase([(line.units, line.title or line.sku) for line in owed]),
        "extra_items": items_phrase([(line.units, line.title or line.sku) for line in extras]),
        "goodwill_note": goodwill_note.strip(),
        "return_items": sent if comes_back else "",
        "keep_items": sent if wrong and not comes_back else "",
        "rma": rma or "",
        "what_we_changed": what_we_will_change.strip(),
        "shop_name": shop_name,
    }


def reship_note_preview(session: Session, request: CorrectionRequest) -> templates.FilledIn:
    """The reship note as ``request`` would write it, with the replacement number and return number
    it would get, saving nothing: the "Something went wrong…" dialog's preview.

    Raises ``CorrectionError`` (or ``ShopDeskError`` for an address that is not one) exactly when
    ``apologise_and_reship`` would refuse the same request, so the dialog can say what to change.
    """
    order = _load(session, request.order_id)
    if problem := can_correct(order):
        raise CorrectionError(problem)
    if request.email:
        clean_address(request.email)
    with session.no_autoflush:  # the lines below are never saved
        lines = _resolve_lines(session, order, request)
        _drafts, extra_lines = _replacement_lines(session, lines, request.extra)
        wrong = any(line.kind == "wrong_item" for line in lines)
        rma = upcoming_rma(session, order) if wrong and not request.keep_wrong_item else None
        values = _values(
            order,
            replacement_number(session, order),
            [*lines, *extra_lines],
            rma,
            request.goodwill_note,
            request.what_we_will_change,
            shop_profile(session).name,
        )
        return templates.fill_in(templates.load_template(session, templates.RESHIP_NOTE), values)


def _apologise_and_reship(
    session: Session, request: CorrectionRequest, now: datetime, station: str
) -> CorrectionResult:
    order = _load(session, request.order_id)
    if problem := can_correct(order):
        raise CorrectionError(problem)
    lines = _resolve_lines(session, order, request)
    kind = _kind(request, lines)
    drafts, extra_lines = _replacement_lines(session, lines, request.extra)
    email = clean_address(request.email) if request.email else order.email
    ship = request.ship_to
    replacement = create_order(
        session,
        OrderDraft(
            source="reship",
            number=replacement_number(session, order),
            placed_at=now,
            customer_name=order.customer_name,
            email=email,
            ship_name=ship.name if ship else order.ship_name,
            ship_address1=ship.address1 if ship else order.ship_address1,
            ship_address2=ship.address2 if ship else order.ship_address2,
            ship_city=ship.city if ship else order.ship_city,
            ship_region=ship.region if ship else order.ship_region,
            ship_postcode=ship.postcode if ship else order.ship_postcode,
            ship_country=ship.country if ship else order.ship_country,
            currency=order.currency,
            total_cents=0,
            status=OrderStatus.NEW,
            lines=drafts,
        ),
        station=station,
        how=f"to put right order {order.number}",
    )
    replacement.parent = order
    correction = Correction(
        order=order,
        created_at=now,
        kind=kind,
        cause=CorrectionCause(request.cause),
        what_we_will_change=request.what_we_will_change.strip(),
        keep_wrong_item=request.keep_wrong_item,
        goodwill_note=request.goodwill_note.strip(),
        replacement=replacement,
        notes=request.notes.strip(),
        station=station,
        lines=[*lines, *extra_lines],
    )
    session.add(correction)
    session.flush()

    return_pdf = None
    wrong = [line for line in lines if line.kind == "wrong_item"]
    if wrong and not request.keep_wrong_item:
        label = add_return_label(
            session,
            order,
            [
                ReturnItem(line.sent_sku or "", line.sent_title or line.sent_sku or "", line.units)
                for line in wrong
            ],
            station=station,
            correction_id=correction.id,
        )
        correction.rma, return_pdf = label.rma, label.pdf

    profile = shop_profile(session)
    values = template_values(correction, profile.name)
    apology = templates.fill_in(templates.load_template(session, templates.APOLOGY_NOTE), values)
    correction.apology_text = apology.body
    from shopdesk.documents.apology_note import render_apology_note  # ReportLab: only when needed

    apology_pdf = render_apology_note(
        ApologyNoteData(_dear(order), order.number, replacement.number, apology.body), profile
    )

    note = templates.fill_in(templates.load_template(session, templates.RESHIP_NOTE), values)
    message = SentMessage(
        order=order,
        correction=correction,
        kind=RESHIP_NOTE_KIND,
        to_address=email,
        subject=note.subject,
        body=note.body,
        channel=channel_for(order, email),
        created_at=now,
    )
    session.add(message)
    delays = follow_up_delays(session)
    follow_up_days = check_days(
        delays.follow_up_days if request.follow_up_days is None else request.follow_up_days, "follow-up"
    )
    correction.follow_ups.append(
        FollowUp(kind=FollowUpKind.FOLLOW_UP, delay_days=follow_up_days, created_at=now)
    )
    if correction.rma:
        reminder_days = check_days(
            delays.return_reminder_days
            if request.return_reminder_days is None
            else request.return_reminder_days,
            "return reminder",
        )
        correction.follow_ups.append(
            FollowUp(kind=FollowUpKind.RETURN_REMINDER, delay_days=reminder_days, created_at=now)
        )
    owed_units = sum(line.units for line in lines)
    record_event(
        session,
        "correction",
        f"{kind.label}: {owed_units} unit{'s' if owed_units != 1 else ''} reshipped as {replacement.number}"
        + (f", return {correction.rma}" if correction.rma else ""),
        order=order,
        station=station,
        correction_id=correction.id,
        replacement=replacement.number,
        correction_kind=kind.value,
        cause=correction.cause.value,
    )
    session.flush()
    return CorrectionResult(
        correction_id=correction.id,
        original_number=order.number,
        replacement_id=replacement.id,
        replacement_number=replacement.number,
        rma=correction.rma,
        apology_note_pdf=apology_pdf,
        return_label_pdf=return_pdf,
        note=prepared_note(session, message.id),
    )


def _dear(order: Order) -> str:
    """Who the printed note is addressed to ("Dear Maya,")."""
    return order.first_name or "friend"


@dataclass(frozen=True)
class CorrectionDocuments:
    apology_note_pdf: bytes
    return_label_pdf: bytes | None


def correction_documents(db: Database, correction_id: int) -> CorrectionDocuments:
    """The apology note and return label of a saved correction, drawn again (to reprint them)."""
    with db.reading() as session:
        correction = session.get(Correction, correction_id)
        if correction is None:
            raise NotFound(f"There is no correction {correction_id}.")
        profile = shop_profile(session)
        from shopdesk.documents.apology_note import render_apology_note

        apology = render_apology_note(
            ApologyNoteData(
                _dear(correction.order),
                correction.order.number,
                correction.replacement.number,
                correction.apology_text,
            ),
            profile,
        )
        label = None
        if correction.rma:
            items = [
                ReturnItem(line.sent_sku or "", line.sent_title or line.sent_sku or "", line.units)
                for line in return_items_of(correction)
            ]
            label = return_label_pdf(session, correction.order, correction.rma, items)
        return CorrectionDocuments(apology, label)
