"""Typed errors: what the owner can fix versus what is a bug.

A ``ShopDeskError`` carries a message written for the owner (what is wrong and what to do); the
window and the command line show it as it is. Anything else is a bug: it is logged with its
traceback and the owner is told that nothing was lost.
"""

from __future__ import annotations


class ShopDeskError(Exception):
    """An error the owner can understand and act on."""


class DatabaseError(ShopDeskError):
    """The database cannot be opened, read or upgraded."""


class DatabaseBusy(DatabaseError):
    """Another writer kept the database locked for longer than ShopDesk waits."""


class DiskProblem(DatabaseError):
    """The disk is full or failed while saving; nothing of the action was saved."""


class IllegalTransition(ShopDeskError):
    """An order was asked to move to a status it cannot reach from where it is."""


class NotFound(ShopDeskError):
    """A named order, product or record does not exist."""
