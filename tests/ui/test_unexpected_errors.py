"""An error nobody planned for is logged whole and told plainly, and never hangs the app."""

from __future__ import annotations

import logging
import sys
import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from shopdesk.ui.application import report_unexpected


def _raised() -> tuple:
    try:
        raise ValueError("a bug")
    except ValueError:
        return sys.exc_info()


def test_on_the_gui_thread_the_owner_is_told_nothing_was_lost(qtbot, caplog):
    said = []

    def read_and_close() -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        said.append(box.text())
        box.accept()

    QTimer.singleShot(0, read_and_close)
    with caplog.at_level(logging.ERROR):
        report_unexpected(*_raised())
    assert said and said[0].startswith("Something went wrong; nothing was lost.")
    assert "Details are in" in said[0]
    assert "ValueError: a bug" in caplog.text


def test_on_a_background_thread_it_is_logged_and_no_window_is_opened(qtbot, caplog):
    done = threading.Event()

    def background() -> None:
        report_unexpected(*_raised())
        done.set()

    with caplog.at_level(logging.ERROR):
        worker = threading.Thread(target=background)
        worker.start()
        worker.join(10)
    assert done.is_set(), "reporting an error off the GUI thread must not wait for anyone"
    assert "ValueError: a bug" in caplog.text
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
