"""Sending by SMTP with STARTTLS or SSL. Host, port, user and from address are shop settings (in the
database, shared by every station); the password is read from the system keyring at send time."""

from __future__ import annotations

import base64
import smtplib
import socket
import ssl
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from typing import Literal, Protocol

from sqlalchemy.orm import Session

from shopdesk.db.database import Database
from shopdesk.db.models import Setting
from shopdesk.mail.errors import MailError, MailNotSetUp
from shopdesk.mail.passwords import load_password, store_password

SMTP_KEY = "mail.smtp"
TIMEOUT_S = 30

Security = Literal["starttls", "ssl", "none"]
"""STARTTLS (usually port 587), SSL from the start (usually 465), or none: only for a relay on this
computer that needs no password."""


class Mailer(Protocol):
    """Anything that sends an ``EmailMessage``; raises ``MailError`` saying why it could not."""

    from_address: str

    def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str
    from_address: str
    security: Security = "starttls"

    def __post_init__(self) -> None:
        if not self.host.strip():
            raise MailError("Give the SMTP server's name, e.g. smtp.example.com.")
        if not 0 < int(self.port) < 65536:
            raise MailError(f"The SMTP port must be between 1 and 65535, not {self.port}.")
        if "@" not in self.from_address:
            raise MailError(f"The from address must be an email address, not {self.from_address!r}.")
        if self.security not in ("starttls", "ssl", "none"):
            raise MailError(f"Security must be starttls, ssl or none, not {self.security!r}.")
        if self.security == "none" and self.user:
            raise MailError("A password is never sent without encryption: choose STARTTLS or SSL.")


def load_smtp_settings(session: Session) -> SmtpSettings | None:
    setting = session.get(Setting, SMTP_KEY)
    if setting is None or not isinstance(setting.value, dict):
        return None
    value = setting.value
    return SmtpSettings(
        host=value["host"],
        port=int(value["port"]),
        user=value.get("user", ""),
        from_address=value["from_address"],
        security=value.get("security", "starttls"),
    )


def save_smtp_settings(db: Database, settings: SmtpSettings, password: str | None) -> None:
    """Keep the settings in the database and the password (when given) in the system keyring.

    The keyring is written first: if it refuses, nothing is saved and the error says what to do.
    """
    if password is not None and settings.user:
        store_password(settings.host, settings.user, password)
    with db.unit_of_work() as uow:
        setting = uow.session.get(Setting, SMTP_KEY)
        if setting is None:
            uow.session.add(Setting(key=SMTP_KEY, value=asdict(settings)))
        else:
            setting.value = asdict(settings)
        uow.commit()


class SmtpMailer:
    """Sends through the shop's SMTP server. ``ssl_context`` defaults to the system's trusted CAs."""

    def __init__(self, settings: SmtpSettings, ssl_context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self.from_address = settings.from_address
        self._context = ssl_context

    @classmethod
    def from_database(cls, db: Database, ssl_context: ssl.SSLContext | None = None) -> SmtpMailer:
        with db.reading() as session:
            settings = load_smtp_settings(session)
        if settings is None:
            raise MailNotSetUp(
                "Mail is not set up yet: give the SMTP server in mail settings (shopdesk mail-setup)."
            )
        return cls(settings, ssl_context)

    def send(self, message: EmailMessage) -> None:
        s = self.settings
        password = load_password(s.host, s.user) if s.user else None
        context = self._context or ssl.create_default_context()
        try:
            if s.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT_S, context=context)
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_S)
            with client:
                if s.security == "starttls":
                    client.starttls(context=context)
                if s.user:
                    try:
                        client.login(s.user, password or "")
                    except UnicodeEncodeError:
                        # smtplib sends a login as ASCII; its exception would carry the login whole.
                        raise MailError(
                            "The mail password or user name has characters (like é or ü) that cannot "
                            "be sent to an SMTP server. Change the password to plain letters, digits "
                            "and punctuation, then enter it again in mail settings."
                        ) from None
                client.send_message(message)
        # Raised ``from None``, with the password left out of the text: what the server answered,
        # or the exception itself, may quote the login, and it must reach no log, file or screen.
        except smtplib.SMTPAuthenticationError:
            raise MailError(
                f"The SMTP server {s.host} refused the user name or password for {s.user}. "
                "Check them in mail settings."
            ) from None
        except smtplib.SMTPRecipientsRefused as exc:
            refused = ", ".join(exc.recipients)
            raise MailError(f"The SMTP server refused the address {refused}.") from None
        except smtplib.SMTPResponseException as exc:
            reply = exc.smtp_error
            text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
            said = f"The SMTP server {s.host} did not take the message: {exc.smtp_code} {text}"
            raise MailError(_without(said, s.user, password)) from None
        except (smtplib.SMTPException, ssl.SSLError) as exc:
            said = f"The SMTP server {s.host} did not take the message: {exc}"
            raise MailError(_without(said, s.user, password)) from None
        except (TimeoutError, socket.gaierror, ConnectionError, OSError) as exc:
            said = (
                f"Could not reach the SMTP server {s.host}:{s.port} ({exc.__class__.__name__}: {exc}). "
                "Check the connection and mail settings, then send again."
            )
            raise MailError(_without(said, s.user, password)) from None


def _without(text: str, user: str, password: str | None) -> str:
    """``text`` with the password left out, as text and in the base64 forms a login sends it in."""
    if not password:
        return text
    for secret in (
        password,
        base64.b64encode(password.encode()).decode(),  # AUTH LOGIN
        base64.b64encode(f"\0{user}\0{password}".encode()).decode(),  # AUTH PLAIN
    ):
        text = text.replace(secret, "(password left out)")
    return text
