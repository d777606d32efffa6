"""Work that can wait until the window has first been painted.

Opening a shop should show its list at once. What the first screen does not need to be painted —
reading the selected order in full for the detail pane, noting where the automatic backups stand —
runs right after the list's first paint, a moment later and before the owner can act.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, work: Callable[[], None]) -> None:
        super().__init__(widget)
        self.widget = widget
        self.work = work
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Paint:
            self.widget.removeEventFilter(self)
            # Once this paint is done, not inside it.
            QTimer.singleShot(0, self._run)
        return False

    def _run(self) -> None:
        self.work()
        self.deleteLater()


def after_first_paint(widget: QWidget, work: Callable[[], None]) -> None:
    """Run ``work`` on the GUI thread just after ``widget`` is first painted."""
    _FirstPaint(widget, work)
