"""Importing from the window: File → Import…, files dropped on the window, and the inbox folder.

Imports run off the GUI thread with a progress dialog whose Cancel rolls back the file being
stored. When they finish the list reloads and a summary says what came in and what was refused;
a file of unknown layout can be mapped right from there.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from shopdesk.db.database import Database
from shopdesk.importers.mapped import ColumnMapping
from shopdesk.importers.reading import read_file
from shopdesk.importers.service import FileResult, import_files
from shopdesk.ui.background import JobControl, JobRunner
from shopdesk.ui.column_mapping_dialog import ColumnMappingDialog
from shopdesk.ui.import_summary import ImportSummaryDialog
from shopdesk.ui.problems import show_problem

log = logging.getLogger(__name__)

EXPORT_FILTER = "Order exports (*.csv *.CSV *.txt);;All files (*)"


def unknown_layouts(results: Sequence[FileResult]) -> list[Path]:
    """Refused files whose columns match no known export (they need a column mapping).

    The import found that out; no file is read again here, on the GUI thread.
    """
    return [
        result.paths[0]
        for result in results
        if result.unknown_layout and not result.imported and not result.cancelled and len(result.paths) == 1
    ]


class ImportController(QObject):
    orders_changed = Signal()
    # The summary dialog after an import (tests and the window use it).
    summary_shown = Signal(object)
    mapping_dialog_shown = Signal(object)
    finished = Signal(list)

    def __init__(self, db: Database, jobs: JobRunner, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.db = db
        self.jobs = jobs
        self.parent_widget = parent_widget
        self.busy = False

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.parent_widget, "Import orders", "", EXPORT_FILTER)
        if paths:
            self.import_paths([Path(path) for path in paths])

    def import_paths(
        self, paths: Sequence[Path], mapping: ColumnMapping | None = None, quiet: bool = False
    ) -> None:
        """Import ``paths`` in the background; ``quiet`` shows the summary only when something was refused."""
        if self.busy:
            QMessageBox.information(
                self.parent_widget, "Import", "An import is running; try again when it is done."
            )
            return
        self.busy = True
        progress = QProgressDialog("Reading the files…", "Cancel", 0, 0, self.parent_widget)
        progress.setObjectName("importProgress")
        progress.setWindowTitle("Import")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        paths = list(paths)

        def work(control: JobControl) -> list[FileResult]:
            return import_files(
                self.db,
                paths,
                mapping=mapping,
                progress=lambda text, done, total: control.report(done, total, text),
                cancelled=control.cancelled,
            )

        def on_progress(done: int, total: int, text: str) -> None:
            progress.setMaximum(total)
            progress.setValue(done)
            progress.setLabelText(text)

        def on_done(results: list[FileResult]) -> None:
            progress.reset()
            progress.deleteLater()
            self.busy = False
            self.orders_changed.emit()
            self.finished.emit(results)
            refused = any(not result.imported for result in results)
            if not quiet or refused:
                self.show_summary(results)

        def on_failed(error: Exception) -> None:
            progress.reset()
            progress.deleteLater()
            self.busy = False
            self.orders_changed.emit()
            show_problem(self.parent_widget, "Import", error, "nothing from the file was imported")

        job = self.jobs.start(work, on_success=on_done, on_failure=on_failed, on_progress=on_progress)
        progress.canceled.connect(job.control.cancel)

    def show_summary(self, results: Sequence[FileResult]) -> ImportSummaryDialog:
        dialog = ImportSummaryDialog(results, unknown_layouts(results), self.parent_widget)
        dialog.map_columns_requested.connect(self.open_mapping)
        self.summary_shown.emit(dialog)
        dialog.open()
        return dialog

    def open_mapping(self, path: Path) -> None:
        """Read ``path`` in the background (it may be a large file), then ask how its columns map."""

        def opened(table) -> None:
            dialog = ColumnMappingDialog(self.db, table, path, self.parent_widget)
            dialog.mapping_saved.connect(lambda mapping: self.import_paths([path], mapping))
            self.mapping_dialog_shown.emit(dialog)
            dialog.open()

        self.jobs.start(
            lambda _control: read_file(path),
            on_success=opened,
            on_failure=lambda error: show_problem(
                self.parent_widget, "Import", error, "nothing was imported"
            ),
        )


class InboxWatcher(QObject):
    """Imports new files that appear in the owner's inbox folder, on start and while the app runs.

    A file is imported once its size has stopped changing (a download may still be writing it);
    files already imported are remembered by name, size and time, and are left where they are.
    """

    SETTLE_MS = 1500

    def __init__(
        self, importer: ImportController, settings: QSettings, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.importer = importer
        self.settings = settings
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda _path: self.settle.start())
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(self.SETTLE_MS)
        self.settle.timeout.connect(self.scan)
        self._sizes: dict[Path, int] = {}

    @property
    def folder(self) -> Path | None:
        value = self.settings.value("inbox/folder", "")
        return Path(value) if value else None

    def set_folder(self, folder: Path | None) -> None:
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        self.settings.setValue("inbox/folder", str(folder) if folder else "")
        self.start()

    def start(self) -> None:
        folder = self.folder
        if folder and folder.is_dir():
            self.watcher.addPath(str(folder))
            self.scan()

    def _seen(self) -> set[str]:
        return set(self.settings.value("inbox/imported", []) or [])

    @staticmethod
    def _key(path: Path) -> str:
        stat = path.stat()
        return f"{path.name}|{stat.st_size}|{int(stat.st_mtime)}"

    def scan(self) -> None:
        folder = self.folder
        if not folder or not folder.is_dir() or self.importer.busy:
            if self.importer.busy:
                self.settle.start()
            return
        seen = self._seen()
        ready, growing = [], False
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.suffix.lower() not in (".csv", ".txt") or path.name.startswith("."):
                continue
            key = self._key(path)
            if key in seen:
                continue
            size = path.stat().st_size
            if self._sizes.get(path) != size:
                self._sizes[path] = size
                growing = True
                continue
            ready.append(path)
        if growing:
            self.settle.start()
        if ready:
            keys = [self._key(path) for path in ready]
            self.settings.setValue("inbox/imported", sorted(seen | set(keys)))
            log.info("importing from the inbox: %s", ", ".join(path.name for path in ready))
            self.importer.import_paths(ready, quiet=True)
