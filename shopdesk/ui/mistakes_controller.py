"""The Mistakes window's controller: computes the report and writes the exports off the GUI thread.

Only the newest request counts: when the owner changes the range while a report is being computed, the
older result is dropped when it arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from shopdesk.db.database import Database
from shopdesk.db.types import utc_now
from shopdesk.reports.mistakes import MistakeReport, ReportFilter, build_report, report_sources
from shopdesk.ui.background import JobRunner


class MistakesController(QObject):
    report_ready = Signal(object)  # MistakeReport
    failed = Signal(object)  # the exception
    # An export was written: (what, path), e.g. ("PDF", "/home/…/mistakes.pdf").
    exported = Signal(str, str)

    def __init__(
        self,
        db: Database,
        jobs: JobRunner,
        parent: QObject | None = None,
        *,
        tz: tzinfo | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.jobs = jobs
        self.tz = tz
        self.clock = clock
        self.report: MistakeReport | None = None
        self._request = 0

    def sources(self) -> list[str]:
        with self.db.reading() as session:
            return report_sources(session)

    def load(self, filter: ReportFilter) -> None:
        self._request += 1
        request = self._request
        now, tz = self.clock(), self.tz
        self.jobs.start(
            lambda _control: build_report(self.db, filter, now=now, tz=tz),
            on_success=lambda report: self._loaded(request, report),
            on_failure=self.failed.emit,
        )

    def _loaded(self, request: int, report: MistakeReport) -> None:
        if request != self._request:
            return
        self.report = report
        self.report_ready.emit(report)

    def export_pdf(self, filter: ReportFilter, path: Path) -> None:
        now, tz = self.clock(), self.tz

        def work(_control) -> None:
            from shopdesk.reports.export import export_report_pdf  # ReportLab: only when exporting

            export_report_pdf(self.db, filter, path, tz=tz, now=now)

        self.jobs.start(
            work, on_success=lambda _: self.exported.emit("PDF", str(path)), on_failure=self.failed.emit
        )

    def export_csv(self, filter: ReportFilter, path: Path) -> None:
        now, tz = self.clock(), self.tz

        def work(_control) -> int:
            from shopdesk.reports.export import export_corrections_csv

            return export_corrections_csv(self.db, filter, path, tz=tz, now=now)

        self.jobs.start(
            work, on_success=lambda _: self.exported.emit("CSV", str(path)), on_failure=self.failed.emit
        )
