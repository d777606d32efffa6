"""File → Back up now, Restore…, Check database, and the 30-minute backup, driven from the window."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from shop_files import SAMPLES

from shopdesk.db.backup import backup_database, list_backups
from shopdesk.importers.service import import_files
from shopdesk.ui.application import show_start_error


def _file_menu_names(window) -> list[str]:
    menu = window.menuBar().actions()[0].menu()
    return [action.objectName() or action.text() for action in menu.actions() if not action.isSeparator()]


def _answer_next_box(qtbot, button_name: str | None = None, clicked: list | None = None) -> None:
    """Click a button of the next modal message box once it is shown."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        if clicked is not None:
            clicked.append(box.objectName())
        button = (
            box.findChild(object, button_name)
            if button_name
            else box.button(QMessageBox.StandardButton.Cancel)
        )
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)


def test_the_file_menu_offers_backup_restore_and_check_above_quit(make_window, db):
    window = make_window(db)
    names = _file_menu_names(window)
    assert names[-4:] == ["backupNowAction", "restoreAction", "checkDatabaseAction", "&Quit"]


def test_back_up_now_makes_a_backup_and_says_where(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    window.findChild(object, "backupNowAction").trigger()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Backed up to "), timeout=10_000)
    [backup] = list_backups(demo_db.sqlite_path.parent / "backups")
    assert str(backup.path) in window.statusBar().currentMessage()


def test_the_timer_backs_up_only_when_the_data_changed(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    actions = window.database_actions
    folder = demo_db.sqlite_path.parent / "backups"
    assert actions.timer.isActive() and actions.timer.interval() == 30 * 60 * 1000

    actions.timer.timeout.emit()
    window.jobs.wait_for_all()
    assert list_backups(folder) == []  # nothing changed since the window opened

    import_files(demo_db, [SAMPLES / "squarespace/orders.csv"])  # makes its own "before-import"
    actions.timer.timeout.emit()
    qtbot.waitUntil(lambda: any(b.reason == "automatic" for b in list_backups(folder)), timeout=10_000)
    window.jobs.wait_for_all()
    actions.timer.timeout.emit()
    window.jobs.wait_for_all()
    assert [b.reason for b in list_backups(folder)].count("automatic") == 1


def test_restore_asks_first_and_cancel_changes_nothing_then_restore_replaces(qtbot, make_window, demo_db):
    backup = backup_database(demo_db, "by-hand")
    import_files(demo_db, [SAMPLES / "squarespace/orders.csv"])
    window = make_window(demo_db)
    assert window.model.rowCount() == 44
    actions = window.database_actions

    seen: list[str] = []
    _answer_next_box(qtbot, None, seen)
    assert actions.restore_from(backup) is False
    assert seen == ["restoreConfirmation"] and window.model.rowCount() == 44

    _answer_next_box(qtbot, "restoreButton")
    assert actions.restore_from(backup) is True
    qtbot.waitUntil(lambda: window.model.rowCount() == 40, timeout=10_000)
    with sqlite3.connect(demo_db.sqlite_path) as raw:
        assert raw.execute("SELECT count(*) FROM orders").fetchone()[0] == 40
    assert any(b.reason == "before-restore" for b in list_backups(demo_db.sqlite_path.parent / "backups"))


def test_check_database_shows_what_it_found(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    window.findChild(object, "checkDatabaseAction").trigger()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "checkDatabaseResult") is not None, timeout=10_000)
    box = window.findChild(QMessageBox, "checkDatabaseResult")
    assert box.text() == "The database is sound: nothing to repair."
    box.accept()


def answer_the_next_box() -> list[str]:
    """Read and close the next modal box as soon as it shows; returns where its text will be."""
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        box.accept()

    QTimer.singleShot(0, answer)
    return seen


def test_a_start_error_is_shown_in_a_box(qtbot, qapp):
    seen = answer_the_next_box()
    show_start_error("ShopDesk is already open on this shop (shop.db).")
    assert seen == ["ShopDesk is already open on this shop (shop.db)."]


def test_a_second_window_on_the_same_shop_says_it_is_already_open_and_writes_nothing(qtbot, qapp, db_path):
    from shopdesk.app import open_shop
    from shopdesk.cli import main

    first = open_shop(str(db_path), exclusive=True)
    before = db_path.stat().st_mtime_ns
    seen = answer_the_next_box()
    try:
        assert main(["--db", str(db_path)]) == 1
        assert db_path.stat().st_mtime_ns == before
    finally:
        first.dispose()
    assert len(seen) == 1 and seen[0].startswith("ShopDesk is already open on this shop")
