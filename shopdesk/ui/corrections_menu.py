"""Owning mistakes, in the main window: the menu entries, the detail pane's "Something went wrong…"
and customer history, and the count of follow-ups due in the status bar.

The main window makes one call, ``install_corrections``; everything else about corrections in the
window starts here.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QPushButton

from shopdesk.corrections.follow_ups import due_follow_ups
from shopdesk.corrections.history import corrections_for_order, customer_history
from shopdesk.orders.queries import load_order
from shopdesk.ui.correction_controller import CorrectionController, MailAccess, reship_action_handler
from shopdesk.ui.follow_up_timing_dialog import FollowUpTimingDialog
from shopdesk.ui.follow_ups_view import FollowUpsController, FollowUpsWindow
from shopdesk.ui.mail_settings_dialog import MailSettingsDialog
from shopdesk.ui.outbox_view import OutboxController, OutboxWindow
from shopdesk.ui.template_editor import TemplateEditorDialog

# Follow-ups fall due as time passes, not only when something changes: look again now and then.
DUE_CHECK_INTERVAL_MS = 15 * 60 * 1000


class CorrectionsUi(QObject):
    def __init__(
        self, window: QMainWindow, order_menu: QMenu, view_menu: QMenu, settings_menu: QMenu
    ) -> None:
        super().__init__(window)
        self.window = window
        db = window.controller.db
        self.db = db
        self.mail = MailAccess(db)
        self.corrections = CorrectionController(db, window.jobs, window.printing, self.mail, window)
        self.follow_ups = FollowUpsController(db, window.jobs, self.mail, self)
        self.follow_ups_window: FollowUpsWindow | None = None
        self.outbox = OutboxController(db, window.jobs, self.mail, self)
        self.outbox_window: OutboxWindow | None = None

        order_menu.addSeparator()
        self.correction_action = QAction("Something went &wrong…", window)
        self.correction_action.setObjectName("correctionAction")
        self.correction_action.setShortcut(QKeySequence("Ctrl+E"))
        self.correction_action.triggered.connect(
            reship_action_handler(self.corrections, window.selected_order_id)
        )
        order_menu.addAction(self.correction_action)

        view_menu.addSeparator()
        self.follow_ups_action = QAction("F&ollow-ups", window)
        self.follow_ups_action.setObjectName("followUpsAction")
        self.follow_ups_action.triggered.connect(self.show_follow_ups)
        view_menu.addAction(self.follow_ups_action)
        self.outbox_action = QAction("O&utbox", window)
        self.outbox_action.setObjectName("outboxAction")
        self.outbox_action.triggered.connect(self.show_outbox)
        view_menu.addAction(self.outbox_action)

        settings_menu.addSeparator()
        self.timing_action = QAction("Follow-up &timing…", window)
        self.timing_action.setObjectName("followUpTimingAction")
        self.timing_action.triggered.connect(self.edit_follow_up_timing)
        settings_menu.addAction(self.timing_action)
        self.templates_action = QAction("&Message templates…", window)
        self.templates_action.setObjectName("templatesAction")
        self.templates_action.triggered.connect(self.edit_templates)
        settings_menu.addAction(self.templates_action)
        self.mail_action = QAction("&Mail…", window)
        self.mail_action.setObjectName("mailSettingsAction")
        self.mail_action.triggered.connect(self.edit_mail)
        settings_menu.addAction(self.mail_action)

        self.due_button = QPushButton()
        self.due_button.setObjectName("followUpsDueButton")
        self.due_button.setFlat(True)
        self.due_button.clicked.connect(self.show_follow_ups)
        self.due_button.hide()
        window.statusBar().addPermanentWidget(self.due_button)
        self._due_timer = QTimer(self)
        self._due_timer.setInterval(DUE_CHECK_INTERVAL_MS)
        self._due_timer.timeout.connect(self.count_due)
        self._due_timer.start()

        window.detail.correction_requested.connect(self.corrections.open_for_order)
        window.detail.order_shown.connect(self._load_customer_history)
        self.corrections.replacement_made.connect(self._show_replacement)
        self.follow_ups.changed.connect(self.count_due)
        # Messages are written with a correction and a follow-up, and leave when sent or handed over.
        self.corrections.replacement_made.connect(self.count_waiting)
        self.follow_ups.changed.connect(self.count_waiting)
        self.outbox.reloaded.connect(self.show_waiting)
        window.printing.orders_changed.connect(self.count_due)  # a shipped replacement starts the clock
        self.count_due()
        self.count_waiting()

    # -- follow-ups due --------------------------------------------------------------------------

    def count_due(self) -> None:
        self.window.jobs.start(lambda _control: self._due_now(), on_success=self.show_due)

    def _due_now(self) -> int:
        with self.db.reading() as session:
            return len(due_follow_ups(session))

    def show_due(self, count: int) -> None:
        text = f"{count} follow-up{'s' if count != 1 else ''} due"
        self.due_button.setText(text)
        self.due_button.setVisible(count > 0)
        self.follow_ups_action.setText(f"F&ollow-ups ({text})" if count else "F&ollow-ups")

    def show_follow_ups(self) -> FollowUpsWindow:
        if self.follow_ups_window is None:
            self.follow_ups_window = FollowUpsWindow(self.follow_ups, self.window)
        self.follow_ups.reload()
        if self.follow_ups_window.isVisible():
            self.follow_ups_window.raise_()  # already open, behind the main window: bring it up
        self.follow_ups_window.show()
        self.follow_ups_window.activateWindow()
        return self.follow_ups_window

    # -- the outbox ------------------------------------------------------------------------------

    def count_waiting(self, *_args) -> None:
        self.window.jobs.start(lambda _control: self.outbox.waiting(), on_success=self.show_waiting)

    def show_waiting(self, count: int) -> None:
        self.outbox_action.setText(f"O&utbox ({count} waiting)" if count else "O&utbox")

    def show_outbox(self) -> OutboxWindow:
        if self.outbox_window is None:
            self.outbox_window = OutboxWindow(self.outbox, self.window)
        self.outbox.reload()
        if self.outbox_window.isVisible():
            self.outbox_window.raise_()
        self.outbox_window.show()
        self.outbox_window.activateWindow()
        return self.outbox_window

    # -- settings --------------------------------------------------------------------------------

    def edit_templates(self) -> TemplateEditorDialog:
        dialog = TemplateEditorDialog(self.db, self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def edit_follow_up_timing(self) -> FollowUpTimingDialog:
        dialog = FollowUpTimingDialog(self.db, self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def edit_mail(self) -> MailSettingsDialog:
        dialog = MailSettingsDialog(self.db, self.window.jobs, self.mail, self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # -- the order list and detail ---------------------------------------------------------------

    def _show_replacement(self, order_id: int) -> None:
        """The new replacement, selected in the list (shown whatever the filter and search were)."""
        window = self.window
        window.refresh_orders([order_id])
        if not window.select_order(order_id):
            window.search_box.clear()
            window.filter_buttons[None].setChecked(True)
            window.select_order(order_id)

    def _load_customer_history(self, order_id: int) -> None:
        def work(_control):
            with self.db.reading() as session:
                order = load_order(session, order_id)
                return customer_history(session, order), corrections_for_order(session, order_id)

        self.window.jobs.start(
            work, on_success=lambda found: self.window.detail.show_customer_history(order_id, *found)
        )


def install_corrections(
    window: QMainWindow, order_menu: QMenu, view_menu: QMenu, settings_menu: QMenu
) -> CorrectionsUi:
    return CorrectionsUi(window, order_menu, view_menu, settings_menu)
