"""Run in a fresh process by the benchmark: time to first paint, and peak memory.

    python -m bench.gui_child floor|shopdesk DB_PATH
prints "first_paint_epoch peak_rss_kb" and exits.
"""

from __future__ import annotations

import resource
import sys
import time

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView


class FirstPaint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.time()
            QTimer.singleShot(0, QApplication.quit)
        return False


def main() -> None:
    mode, db_path, settings_path = sys.argv[1], sys.argv[2], sys.argv[3]
    app = QApplication(sys.argv[:1])
    painted = FirstPaint()
    if mode == "floor":
        window = QMainWindow()
        table = QTableView()
        window.setCentralWidget(table)
    else:
        from shopdesk.app import open_shop
        from shopdesk.ui.application import build_main_window, configure_application

        configure_application(app)
        window = build_main_window(open_shop(db_path), QSettings(settings_path, QSettings.Format.IniFormat))
        table = window.table
    table.viewport().installEventFilter(painted)
    window.resize(1280, 780)
    window.show()
    app.exec()
    print(painted.at, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


if __name__ == "__main__":
    main()
