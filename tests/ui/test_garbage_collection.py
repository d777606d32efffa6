"""Cycles holding Qt objects are collected on the GUI thread, never on a background job's thread."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject

from shopdesk.ui.application import configure_application
from shopdesk.ui.garbage import GuiThreadCollector


def test_a_cycle_with_a_qt_object_waits_for_the_gui_thread(qapp):
    configure_application(qapp)
    collector = qapp.findChild(GuiThreadCollector, "guiThreadCollector")
    assert collector is not None and not gc.isenabled()
    configure_application(qapp)  # once per application, however often it is configured
    assert len(qapp.findChildren(GuiThreadCollector)) == 1

    gc.collect()
    holder = QObject()
    holder.itself = holder  # a cycle: only the cycle collector can free it
    gone = weakref.ref(holder)
    del holder

    made: list[list] = []

    def busy_job() -> None:  # allocates far past every threshold, as an import does
        made.extend([] for _ in range(50_000))

    job = threading.Thread(target=busy_job)
    job.start()
    job.join()
    assert gone() is not None, "collected on the background thread"

    assert collector.collect_due() is not None  # the GUI thread's timer, when it next ticks
    assert gone() is None
