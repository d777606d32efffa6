"""Run in a fresh process by the benchmark: time to first paint, and peak memory.

    python -m bench.gui_child floor|shopdesk|loaded DB_PATH SETTINGS_FOLDER
prints "epoch peak_rss_kb" and exits.

``floor`` shows an empty ``QMainWindow`` with a ``QTableView`` and quits at its first paint.
``shopdesk`` starts the app through its real entry point (``shopdesk --db DB_PATH``), loading its
modules in its own order, and quits at the order list's first paint. ``loaded`` starts it the same
way and quits once the list holds every order of the database (the history loads after the first
screen), so that the peak memory is that of the whole list. The watchers are attached when
``shopdesk`` builds its window, so nothing is imported ahead of it.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import resource
import sqlite3
import sys
import time
from collections.abc import Callable


def main() -> None:
    mode, db_path, settings_path = sys.argv[1], sys.argv[2], sys.argv[3]
    result: dict[str, float] = {}
    if mode == "floor":
        from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

        app = QApplication(sys.argv[:1])
        watcher = _first_paint_watcher(result)
        app.installEventFilter(watcher)
        window = QMainWindow()
        window.setCentralWidget(QTableView())
        window.resize(1280, 780)
        window.show()
        app.exec()
    else:
        watchers: list[object] = []

        def watch(window_module) -> None:
            build = window_module.build_main_window

            def build_and_watch(*args, **kwargs):
                from PySide6.QtCore import QSettings
                from PySide6.QtWidgets import QApplication

                QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, settings_path)
                window = build(*args, **kwargs)
                if mode == "loaded":
                    with sqlite3.connect(db_path) as raw:
                        expected = raw.execute("SELECT count(*) FROM orders").fetchone()[0]
                    watchers.append(_whole_list_watcher(window, expected, result))
                else:
                    watcher = _first_paint_watcher(result)
                    QApplication.instance().installEventFilter(watcher)
                    watchers.append(watcher)
                return window

            window_module.build_main_window = build_and_watch

        sys.meta_path.insert(0, _AfterImport("shopdesk.ui.application", watch))
        from shopdesk.cli import main as shopdesk

        if shopdesk(["--db", db_path]) != 0:
            sys.exit("ShopDesk did not start")
    print(result["at"], peak_rss_kb())


class _AfterImport(importlib.abc.MetaPathFinder):
    """Calls ``then(module)`` right after the module ``name`` is loaded, wherever it is imported."""

    def __init__(self, name: str, then: Callable[[object], None]) -> None:
        self.name, self.then = name, then

    def find_spec(self, fullname, path, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        load = spec.loader.exec_module

        def exec_module(module) -> None:
            load(module)
            self.then(module)

        spec.loader.exec_module = exec_module
        return spec


def _first_paint_watcher(result: dict[str, float]):
    """Notes when a table's rows are first painted, then quits the application."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QTableView

    class FirstPaint(QObject):
        def eventFilter(self, watched, event) -> bool:
            if (
                "at" not in result
                and event.type() == QEvent.Type.Paint
                and isinstance(watched.parent(), QTableView)
                and watched is watched.parent().viewport()
            ):
                result["at"] = time.time()
                QTimer.singleShot(0, QApplication.quit)
            return False

    return FirstPaint()


def _whole_list_watcher(window, expected: int, result: dict[str, float]):
    """Quits once the window's list holds ``expected`` orders."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    timer = QTimer()
    timer.setInterval(20)

    def look() -> None:
        if window.model.total_count() == expected:
            result["at"] = time.time()
            timer.stop()
            QApplication.quit()

    timer.timeout.connect(look)
    timer.start()
    return timer


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
