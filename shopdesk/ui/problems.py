"""Telling the owner that something could not be done: hers to put right, or a bug.

A ``ShopDeskError`` carries the core's sentence (what is wrong, what to do) and is shown as it is.
Anything else is a bug: it was logged with its traceback where it happened, and the owner reads
that nothing was lost (or what did not happen) and where the details are.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from shopdesk.errors import ShopDeskError
from shopdesk.logs import log_file


def problem_text(error: BaseException, outcome: str = "nothing was lost") -> str:
    """The sentence for ``error``: the core's own words, or the plain one for a bug."""
    if isinstance(error, ShopDeskError):
        return str(error)
    return f"Something went wrong; {outcome}.\n\nDetails are in {log_file()}"


def show_problem(
    parent: QWidget | None, title: str, error: BaseException, outcome: str = "nothing was lost"
) -> None:
    """A warning for what the owner can fix, a critical message for a bug."""
    if isinstance(error, ShopDeskError):
        QMessageBox.warning(parent, title, str(error))
    else:
        QMessageBox.critical(parent, title, problem_text(error, outcome))
