"""The Qt application: names, icon, look, the main window, and errors shown without tracebacks."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QSettings, QThread
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from shopdesk import __version__
from shopdesk.db.database import Database
from shopdesk.resources import resource_path
from shopdesk.ui.garbage import collect_on_the_gui_thread
from shopdesk.ui.main_window import MainWindow
from shopdesk.ui.order_list_controller import OrderListController
from shopdesk.ui.problems import problem_text

log = logging.getLogger(__name__)


def configure_application(app: QApplication) -> None:
    app.setApplicationName("ShopDesk")
    app.setOrganizationName("ShopDesk")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("shopdesk")
    app.setWindowIcon(QIcon(str(resource_path("icons", "shopdesk.svg"))))
    app.setStyle("Fusion")
    app.setStyleSheet(resource_path("styles", "shopdesk.qss").read_text(encoding="utf-8"))
    collect_on_the_gui_thread(app)


def build_main_window(db: Database, settings: QSettings | None = None) -> MainWindow:
    return MainWindow(OrderListController(db), settings)


def report_unexpected(exc_type, exc, tb) -> None:
    """An error nobody planned for: log it whole, tell the owner plainly, keep the app running.

    Only the GUI thread may show a window: an error on a background thread is logged, and the
    screen that started the job says what it could not do.
    """
    log.error("unexpected error", exc_info=(exc_type, exc, tb))
    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return
    QMessageBox.critical(None, "ShopDesk", problem_text(exc))


def show_start_error(message: str) -> None:
    """Say why the window cannot open (already open on this shop, a damaged database…)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_application(app)
    box = QMessageBox(QMessageBox.Icon.Critical, "ShopDesk", message, QMessageBox.StandardButton.Ok)
    box.setObjectName("startError")
    box.exec()


def run_window(db: Database, argv: Sequence[str]) -> int:
    app = QApplication.instance() or QApplication(list(argv))
    configure_application(app)
    sys.excepthook = report_unexpected
    window = build_main_window(db)
    window.show()
    code = app.exec()
    # Work still running (the history still loading when the app was quit) ends before the
    # database is closed under it.
    window.jobs.wait_for_all()
    return code
