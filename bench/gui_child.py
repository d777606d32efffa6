"""Run in a fresh process by the benchmark: time to first paint, and peak memory.

    python -m bench.gui_child floor|shopdesk|loaded DB_PATH SETTINGS_FOLDER
prints "epoch peak_rss_kb" and exits.

``floor`` shows an empty ``QMainWindow`` with a ``QTableView`` and quits at its first paint.
``shopdesk`` starts the app through its real entry point (``shopdesk --db DB_PATH``), exactly as the
owner's launcher does, and quits at the order list's first paint. ``loaded`` starts it the same way
and quits once the list holds every order of the database (the history loads after the first
screen), so that the peak memory is that of the whole list.
"""

from __future__ import annotations

import resource
import sqlite3
import sys
import time


def main() -> None:
    mode, db_path, settings_path = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode != "floor":
        # What ``shopdesk`` loads before Qt, loaded first here too: the watchers below need Qt
        # before ``shopdesk`` starts, and PySide6 reads the source of every module imported after
        # it, a cost the real start-up avoids for these.
        import shopdesk.app
        import shopdesk.cli
    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    class FirstPaint(QObject):
        """Notes when a table's rows are first painted, then quits the application."""

        at: float | None = None

        def eventFilter(self, watched, event) -> bool:
            if (
                self.at is None
                and event.type() == QEvent.Type.Paint
                and isinstance(watched.parent(), QTableView)
                and watched is watched.parent().viewport()
            ):
                self.at = time.time()
                QTimer.singleShot(0, QApplication.quit)
            return False

    class WholeList(QObject):
        """Quits once the main window's list holds ``expected`` orders."""

        at: float | None = None

        def __init__(self, expected: int) -> None:
            super().__init__()
            self.expected = expected
            self.timer = QTimer(self)
            self.timer.setInterval(20)
            self.timer.timeout.connect(self._look)
            self.timer.start()

        def _look(self) -> None:
            for widget in QApplication.topLevelWidgets():
                model = getattr(widget, "model", None)
                if hasattr(model, "total_count") and model.total_count() == self.expected:
                    self.at = time.time()
                    self.timer.stop()
                    QApplication.quit()

    app = QApplication(sys.argv[:1])
    if mode == "floor":
        watcher = FirstPaint()
        app.installEventFilter(watcher)
        window = QMainWindow()
        window.setCentralWidget(QTableView())
        window.resize(1280, 780)
        window.show()
        app.exec()
    else:
        from shopdesk.cli import main as shopdesk

        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, settings_path)
        if mode == "loaded":
            with sqlite3.connect(db_path) as raw:
                watcher = WholeList(raw.execute("SELECT count(*) FROM orders").fetchone()[0])
        else:
            watcher = FirstPaint()
            app.installEventFilter(watcher)
        if shopdesk(["--db", db_path]) != 0:
            sys.exit("ShopDesk did not start")
    print(watcher.at, peak_rss_kb())


def peak_rss_kb() -> int:
    """This process's own peak memory. On Linux ``ru_maxrss`` keeps the peak of the process that
    started it (the benchmark, holding its large shops) across ``exec``; ``VmHWM`` does not."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    main()
