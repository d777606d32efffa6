"""Errors of sending mail, each worded for the owner."""

from __future__ import annotations

from shopdesk.errors import ShopDeskError


class MailError(ShopDeskError):
    """Mail cannot be sent as set up; the message says what to change."""


class MailNotSetUp(MailError):
    """There are no SMTP settings yet."""


class PasswordStoreError(MailError):
    """The system keyring is missing or refused to keep or give the mail password."""
