from __future__ import annotations

import pytest
from correction_shop import shop  # noqa: F401  (a shop with orders to put right)
from mailserver import memory_keyring, running_smtp, smtp_server  # noqa: F401
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from shopdesk.ui.application import build_main_window, configure_application


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "shopdesk.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, qapp: QApplication, settings):
    configure_application(qapp)
    windows = []

    def make(db):
        window = build_main_window(db, settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        # Key presses reach shortcuts and focus only in the active window.
        window.windowHandle().requestActivate()
        qtbot.waitUntil(window.isActiveWindow)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.jobs.wait_for_all()
