"""View → Mistakes…: the menu entry, which loads the report window (and QtCharts) when first opened."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu


def add_mistakes_action(window: QMainWindow, menu: QMenu) -> QAction:
    """Add View → Mistakes… to ``window`` (the main window, with ``controller.db``); one window at a time."""
    action = QAction("&Mistakes…", window)
    action.setObjectName("mistakesAction")
    opened: list = []

    def open_window() -> None:
        from shopdesk.ui.mistakes_window import MistakesWindow

        if not opened:
            opened.append(MistakesWindow(window.controller.db, parent=window))
        opened[0].show()
        opened[0].activateWindow()

    action.triggered.connect(open_window)
    action.opened_windows = opened  # for the window's tests
    menu.addAction(action)
    return action
