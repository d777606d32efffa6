"""File → Back up now, Restore…, Check database, and a backup every 30 minutes while data changed.

The window adds them with one line (``add_database_actions(window)``). The work itself is the
core's (``shopdesk.db.backup``, ``restore``, ``health``); backups and checks run off the GUI thread.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox
from sqlalchemy import func, select

from shopdesk.db.backup import backup_database, backup_dir
from shopdesk.db.database import Database
from shopdesk.db.health import CheckReport, check_database
from shopdesk.db.migrate import upgrade_database
from shopdesk.db.models import Event
from shopdesk.db.restore import check_restorable, restore_sqlite
from shopdesk.errors import ShopDeskError
from shopdesk.ui.background import JobRunner
from shopdesk.ui.problems import problem_text

log = logging.getLogger(__name__)

AUTOMATIC_BACKUP_MS = 30 * 60 * 1000


def add_database_actions(window: QMainWindow) -> DatabaseActions:
    """Add the database entries to the window's File menu, above Quit, and start the timer."""
    return DatabaseActions(window.controller.db, window.jobs, window)


class DatabaseActions(QObject):
    # The shop's data was replaced (a restore) or repaired: the window reloads what it shows.
    orders_changed = Signal()
    # A sentence for the status bar.
    message = Signal(str)

    def __init__(self, db: Database, jobs: JobRunner, window: QMainWindow) -> None:
        super().__init__(window)
        self.db = db
        self.jobs = jobs
        self.window = window
        # Where the shop stood at the last backup; noted once the window is up (``note_current_state``).
        self._backed_up_at: int | None = None
        menu = window.menuBar().actions()[0].menu()
        separators = [action for action in menu.actions() if action.isSeparator()]
        before = separators[-1] if separators else None
        self.backup_action = self._action("&Back up now", "backupNowAction", self.back_up_now)
        self.restore_action = self._action("&Restore from a backup…", "restoreAction", self.choose_backup)
        self.check_action = self._action("Check &database", "checkDatabaseAction", self.check_now)
        menu.insertSeparator(before)
        for action in (self.backup_action, self.restore_action, self.check_action):
            menu.insertAction(before, action)
        if self.db.sqlite_path is None:
            self.restore_action.setEnabled(False)
            self.restore_action.setToolTip("A PostgreSQL shop is restored with pg_restore.")
        self.timer = QTimer(self)
        self.timer.setObjectName("automaticBackupTimer")
        self.timer.setInterval(AUTOMATIC_BACKUP_MS)
        self.timer.timeout.connect(self.back_up_if_changed)
        if self.db.sqlite_path is not None:
            self.timer.start()
        self.message.connect(lambda text: window.statusBar().showMessage(text, 10_000))
        if hasattr(window, "refresh"):
            self.orders_changed.connect(window.refresh)

    def _action(self, text: str, name: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.triggered.connect(slot)
        return action

    def note_current_state(self) -> None:
        """The shop as the window found it is the baseline: the automatic backup waits for a change."""
        if self._backed_up_at is None:
            self._backed_up_at = self._fingerprint()

    def _fingerprint(self) -> int:
        """The newest history entry: every change to the shop writes one."""
        with self.db.reading() as session:
            return session.scalar(select(func.max(Event.id))) or 0

    # -- backups ---------------------------------------------------------------------------------

    def back_up_if_changed(self) -> None:
        if self._fingerprint() != self._backed_up_at:
            self._back_up("automatic")

    def back_up_now(self) -> None:
        self._back_up("by-hand")

    def _back_up(self, reason: str) -> None:
        # The backup holds the shop as it is now; the next timer compares against that at once,
        # not when the backup's result arrives, so two backups of the same state never start.
        previous, self._backed_up_at = self._backed_up_at, self._fingerprint()

        def failed(exc: Exception) -> None:
            self._backed_up_at = previous
            self._failed(exc)

        self.jobs.start(
            lambda _control: backup_database(self.db, reason),
            on_success=lambda path: self.message.emit(f"Backed up to {path}"),
            on_failure=failed,
        )

    # -- restore ---------------------------------------------------------------------------------

    def choose_backup(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self.window, "Restore from a backup", str(backup_dir(self.db)), "ShopDesk backups (*.db)"
        )
        if name:
            self.restore_from(Path(name))

    def restore_from(self, backup: Path) -> bool:
        """Ask, then put ``backup`` in place of the shop (keeping the current one first)."""
        try:
            check_restorable(backup)
        except ShopDeskError as exc:
            self._warn(str(exc))
            return False
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Restore from a backup",
            f"Replace the shop's orders with those in {backup.name}?\n\n"
            "Everything done since that backup is replaced. The shop as it is now is kept in the "
            "backups folder first.",
            QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setObjectName("restoreConfirmation")
        restore = box.addButton("Restore", QMessageBox.ButtonRole.DestructiveRole)
        restore.setObjectName("restoreButton")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not restore:
            return False
        try:
            # The window's own connections are closed so that the file can be replaced under them.
            self.db.engine.dispose()
            result = restore_sqlite(self.db.sqlite_path, backup, lock_held=True)
            upgrade_database(self.db, backup_dir(self.db))
        except ShopDeskError as exc:
            self._warn(str(exc))
            return False
        # Where the shop stood at the last backup; noted once the window is up (``note_current_state``).
        self._backed_up_at: int | None = None
        self.orders_changed.emit()
        kept = f" The shop as it was is kept in {result.kept}." if result.kept else ""
        self.message.emit(f"Restored {backup.name}.{kept}")
        return True

    # -- check -----------------------------------------------------------------------------------

    def check_now(self) -> None:
        self.jobs.start(
            lambda _control: check_database(self.db), on_success=self._checked, on_failure=self._failed
        )

    def _checked(self, report: CheckReport) -> None:
        if report.clean:
            text = "The database is sound: nothing to repair."
        else:
            lines = [f"Repaired: {line}" for line in report.repaired] + report.problems
            text = "\n\n".join(lines)
        if report.repaired:
            self.orders_changed.emit()
        box = QMessageBox(
            QMessageBox.Icon.Information if not report.problems else QMessageBox.Icon.Warning,
            "Check database",
            text,
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setObjectName("checkDatabaseResult")
        box.open()

    def _failed(self, exc: Exception) -> None:
        self._warn(problem_text(exc))

    def _warn(self, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, "ShopDesk", text, QMessageBox.StandardButton.Ok, self.window
        )
        box.setObjectName("databaseWarning")
        box.open()
