"""Messages to customers after a mistake: written and saved first, sent afterwards.

A message is saved in the same unit of work as what it talks about; sending happens after the commit,
outside any transaction (the database is never held while a mail server is slow). A failed send is
recorded on the message (``error``, ``attempts``) and can be tried again; the message stays saved.

Without an email address the message is "handed over" instead: copied for the platform's messages
(Etsy), opened in the owner's mail app (mailto:), or copied to the clipboard. The window does the
copying and opening; ``record_handed_over`` notes that it went.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shopdesk.db.database import Database
from shopdesk.db.models import Correction, CorrectionLine, FollowUp, MessageChannel, Order, SentMessage
from shopdesk.db.types import utc_now
from shopdesk.documents.data import ReturnItem
from shopdesk.errors import NotFound, ShopDeskError
from shopdesk.mail.errors import MailError
from shopdesk.mail.messages import Attachment, build_email, eml_bytes, mailto_url
from shopdesk.mail.platforms import messages_only, paste_ready, platform_order_url
from shopdesk.mail.smtp import Mailer, load_smtp_settings
from shopdesk.orders.history import record_event
from shopdesk.packing.profile import shop_profile
from shopdesk.packing.returns import return_label_pdf

log = logging.getLogger(__name__)

RESHIP_NOTE_KIND = "reship_note"


@dataclass(frozen=True)
class PreparedNote:
    """A saved message, with everything the window needs to send it or hand it over."""

    message_id: int
    kind: str
    order_number: str
    to: str | None
    subject: str
    body: str
    channel: MessageChannel
    """How it is meant to go: smtp when there is an address, platform for Etsy, else mailto."""
    sent_at: datetime | None
    error: str | None
    attempts: int
    platform_url: str | None
    """The order's page on its platform, where the buyer can be messaged (Etsy)."""
    attachment_names: tuple[str, ...]

    @property
    def paste_text(self) -> str:
        """Subject and body as one text, for a platform's message box or the clipboard."""
        return paste_ready(self.subject, self.body)

    @property
    def mailto(self) -> str:
        return mailto_url(self.to or "", self.subject, self.body)

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


@dataclass(frozen=True)
class SendOutcome:
    message_id: int
    sent: bool
    error: str | None
    attempts: int


def channel_for(order: Order, to: str | None) -> MessageChannel:
    if to:
        return MessageChannel.SMTP
    if messages_only(order.source):
        return MessageChannel.PLATFORM
    return MessageChannel.MAILTO


def clean_address(text: str) -> str:
    """An email address as typed by hand, checked enough to catch a slip of the finger."""
    _, address = parseaddr(text.strip())
    local, _, domain = address.rpartition("@")
    if not local or "." not in domain or " " in address:
        raise ShopDeskError(f"{text.strip()!r} does not look like an email address.")
    return address


def _message(session: Session, message_id: int) -> SentMessage:
    message = session.get(SentMessage, message_id)
    if message is None:
        raise NotFound(f"There is no message {message_id}.")
    return message


def _attachments(session: Session, message: SentMessage) -> list[Attachment]:
    """The return label goes with the reship note when something is to come back."""
    correction = message.correction
    if message.kind != RESHIP_NOTE_KIND or correction is None or not correction.rma:
        return []
    items = [
        ReturnItem(line.sent_sku or line.sku, line.sent_title or line.sent_sku or line.sku, line.units)
        for line in correction.lines
        if line.kind == "wrong_item"
    ]
    pdf = return_label_pdf(session, correction.order, correction.rma, items)
    return [Attachment(f"return-label-{correction.rma}.pdf", pdf)]


def _note(session: Session, message: SentMessage) -> PreparedNote:
    order = message.order
    names = ()
    if message.kind == RESHIP_NOTE_KIND and message.correction is not None and message.correction.rma:
        names = (f"return-label-{message.correction.rma}.pdf",)
    return PreparedNote(
        message_id=message.id,
        kind=message.kind,
        order_number=order.number,
        to=message.to_address,
        subject=message.subject,
        body=message.body,
        channel=message.channel,
        sent_at=message.sent_at,
        error=message.error,
        attempts=message.attempts,
        platform_url=platform_order_url(order.source, order.external_id, order.number),
        attachment_names=names,
    )


def prepared_note(session: Session, message_id: int) -> PreparedNote:
    return _note(session, _message(session, message_id))


def unsent_messages(session: Session) -> list[PreparedNote]:
    """Messages written but not sent or handed over yet, oldest first (the outbox)."""
    query = select(SentMessage).where(SentMessage.sent_at.is_(None)).order_by(SentMessage.id)
    return [_note(session, message) for message in session.scalars(query)]


def count_unsent(session: Session) -> int:
    """How many messages wait in the outbox, in one count."""
    query = select(func.count()).select_from(SentMessage).where(SentMessage.sent_at.is_(None))
    return session.scalar(query) or 0


def messages_for_order(session: Session, order_id: int) -> list[PreparedNote]:
    """Every message about an order, sent or not, oldest first: kept with the order."""
    query = select(SentMessage).where(SentMessage.order_id == order_id).order_by(SentMessage.id)
    return [_note(session, message) for message in session.scalars(query)]


def sender_address(session: Session) -> str:
    """Who a message is from: the SMTP from address, else the shop's email."""
    settings = load_smtp_settings(session)
    if settings is not None:
        return settings.from_address
    profile = shop_profile(session)
    return profile.email or "shop@localhost"


def email_for(session: Session, message: SentMessage, from_address: str) -> EmailMessage:
    profile = shop_profile(session)
    reply_to = profile.email if profile.email and profile.email != from_address else ""
    return build_email(
        from_address,
        message.to_address or "",
        message.subject,
        message.body,
        _attachments(session, message),
        reply_to=reply_to,
    )


def message_eml(db: Database, message_id: int) -> bytes:
    """The message as an .eml file, attachments included; opens ready to send in any mail app."""
    with db.reading() as session:
        message = _message(session, message_id)
        return eml_bytes(email_for(session, message, sender_address(session)))


def _finish_follow_up(session: Session, message: SentMessage, now: datetime) -> None:
    follow_up = session.scalar(select(FollowUp).where(FollowUp.message_id == message.id))
    if follow_up is not None and follow_up.done_at is None:
        follow_up.done_at = now


def send_message(db: Database, message_id: int, mailer: Mailer, now: datetime | None = None) -> SendOutcome:
    """Send a saved message by SMTP; records the outcome either way and never loses the message.

    Raises ``ShopDeskError`` only when there is nothing to send to (no address: add one first).
    A message already sent is not sent twice.
    """
    with db.reading() as session:
        message = _message(session, message_id)
        if message.sent_at is not None:
            return SendOutcome(message.id, True, None, message.attempts)
        if not message.to_address:
            raise ShopDeskError(
                f"There is no email address for order {message.order.number}. Add one, or send the note "
                "through the platform's messages or your mail app."
            )
        email = email_for(session, message, mailer.from_address)
    error: str | None = None
    try:
        mailer.send(email)
    except MailError as exc:
        error = str(exc)
    except Exception as exc:
        log.exception("sending message %s failed", message_id)
        error = f"Sending failed unexpectedly ({exc.__class__.__name__}); try again."
    with db.unit_of_work() as uow:
        message = _message(uow.session, message_id)
        message.attempts += 1
        if error is None:
            message.sent_at = now or utc_now()
            message.error = None
            message.channel = MessageChannel.SMTP
            _finish_follow_up(uow.session, message, message.sent_at)
            summary = f"Message sent to {message.to_address}: {message.subject}"
        else:
            message.error = error
            summary = f"Message not sent (try {message.attempts}): {error}"
        record_event(
            uow.session,
            "message",
            summary,
            order=message.order,
            station=uow.station,
            message_id=message.id,
            sent=error is None,
        )
        uow.commit()
        return SendOutcome(message.id, error is None, error, message.attempts)


def record_handed_over(
    db: Database, message_id: int, channel: MessageChannel, now: datetime | None = None
) -> PreparedNote:
    """The owner sent the message herself (platform, mail app, clipboard, .eml): mark it as gone."""
    with db.unit_of_work() as uow:
        message = _message(uow.session, message_id)
        if message.sent_at is None:
            message.sent_at = now or utc_now()
            message.channel = MessageChannel(channel)
            message.error = None
            _finish_follow_up(uow.session, message, message.sent_at)
            record_event(
                uow.session,
                "message",
                f"Message handed over ({message.channel.value}): {message.subject}",
                order=message.order,
                station=uow.station,
                message_id=message.id,
                sent=True,
            )
        uow.commit()
        return _note(uow.session, message)


def set_customer_email(db: Database, message_id: int, address: str) -> PreparedNote:
    """An email added by hand (the platform gave none): used for this message, the other unsent ones
    of the same correction, and the replacement order (so its follow-ups reach the customer too)."""
    address = clean_address(address)
    with db.unit_of_work() as uow:
        message = _message(uow.session, message_id)
        targets = [message]
        correction: Correction | None = message.correction
        if correction is not None:
            targets += [m for m in correction.messages if m.id != message.id]
            correction.replacement.email = address
        for target in targets:
            if target.sent_at is None:
                target.to_address = address
                target.channel = MessageChannel.SMTP
        record_event(
            uow.session,
            "email_added",
            f"Email added by hand: {address}",
            order=message.order,
            station=uow.station,
        )
        uow.commit()
        return _note(uow.session, message)


def address_for(correction: Correction) -> str | None:
    """Where messages about ``correction`` go: the replacement's address (may be added by hand), else the order's."""
    return correction.replacement.email or correction.order.email


def return_items_of(correction: Correction) -> list[CorrectionLine]:
    return [line for line in correction.lines if line.kind == "wrong_item"]
