"""Building a message to a customer, as an email, an .eml file or a mailto: link."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from urllib.parse import quote


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mime_type: str = "application/pdf"


def build_email(
    from_address: str,
    to: str,
    subject: str,
    body: str,
    attachments: Sequence[Attachment] = (),
    reply_to: str = "",
) -> EmailMessage:
    """A plain-text email with its attachments, ready for SMTP or an .eml file."""
    message = EmailMessage(policy=SMTP)
    message["From"] = from_address
    if to:
        message["To"] = to
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    domain = from_address.rpartition("@")[2].strip("> ") or None
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(body)
    for attachment in attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


def eml_bytes(message: EmailMessage) -> bytes:
    """The message as an .eml file: opens in any mail app, ready to send."""
    return message.as_bytes(policy=SMTP)


def mailto_url(to: str, subject: str, body: str) -> str:
    """A mailto: link that opens the owner's mail app with the message written (without attachments)."""
    address = quote(to, safe="@+")
    query = f"subject={quote(subject, safe='')}&body={quote(body.replace(chr(13), ''), safe='')}"
    return f"mailto:{address}?{query}"
