"""Python's cycle collector, run on the GUI thread only.

Python collects reference cycles on whichever thread happens to allocate when a collection is due,
and that may be a background job's thread. A cycle holding a Qt object (a closed dialog and the
slot that refers back to it) is then destroyed there, which Qt does not allow: the app crashed
inside such a collection. So automatic collection is switched off and a timer on the GUI thread
collects what is due, as the automatic collector would have (the pattern calibre and qutebrowser
use). Reference counting, which frees almost everything, is not affected.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName("guiThreadCollector")
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.collect_due)
        self.timer.start()

    def collect_due(self) -> int | None:
        """Collect the oldest generation whose count passed its threshold; the generation, or None."""
        counts = gc.get_count()
        due = None
        for generation in range(3):
            if counts[generation] > self.thresholds[generation]:
                due = generation
        if due is not None:
            gc.collect(due)
        return due


def collect_on_the_gui_thread(app: QObject) -> GuiThreadCollector:
    """Install the collector once for ``app`` (the application object) and return it."""
    existing = app.findChild(GuiThreadCollector, "guiThreadCollector")
    return existing if existing is not None else GuiThreadCollector(app)
