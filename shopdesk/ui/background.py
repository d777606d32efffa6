"""Long work off the GUI thread, with progress and cancel: the one helper every screen uses.

A job is a plain function from the core that takes a ``JobControl`` (to report progress and to
ask whether the owner pressed Cancel) and returns its result. The function runs on Qt's thread
pool; its signals arrive on the GUI thread, where the screen decides what to redraw.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class JobControl:
    """What the background function sees: ``report(done, total, text)`` and ``cancelled()``."""

    def __init__(self, signals: JobSignals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def report(self, done: int, total: int, text: str = "") -> None:
        self._signals.progress.emit(done, total, text)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class JobSignals(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    finished = Signal()


class Job(QRunnable):
    def __init__(self, work: Callable[[JobControl], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = JobSignals()
        self.control = JobControl(self.signals)
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self.control)
        except Exception as exc:  # reported to the screen, which shows it to the owner
            log.exception("background job failed") if not _is_user_error(exc) else None
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)
        finally:
            self.signals.finished.emit()


def _is_user_error(exc: Exception) -> bool:
    from shopdesk.errors import ShopDeskError

    return isinstance(exc, ShopDeskError)


class JobRunner(QObject):
    """Starts jobs and keeps them alive until they finish."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._running: set[Job] = set()

    def start(
        self,
        work: Callable[[JobControl], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> Job:
        job = Job(work)
        if on_success:
            job.signals.succeeded.connect(on_success)
        if on_failure:
            job.signals.failed.connect(on_failure)
        if on_progress:
            job.signals.progress.connect(on_progress)
        job.signals.finished.connect(lambda: self._running.discard(job))
        self._running.add(job)
        self._pool.start(job)
        return job

    def wait_for_all(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)
