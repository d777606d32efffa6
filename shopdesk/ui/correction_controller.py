"""Behind "Something went wrong…": reads what the dialog offers, runs "Apologise and reship" off the
GUI thread in one call to the core, and gets the note to the customer (SMTP, or handed over).

The dialog (``correction_dialog.py``) and the note's buttons (``note_hand_over.py``) only show things
and say what the owner asked for; everything that touches the database or the mail server is here.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy import select

from shopdesk.corrections.delays import FollowUpDelays, follow_up_delays
from shopdesk.corrections.outbox import PreparedNote, record_handed_over, send_message, set_customer_email
from shopdesk.corrections.service import (
    CorrectionRequest,
    CorrectionResult,
    OwableLine,
    apologise_and_reship,
    can_correct,
    owable_lines,
    reship_note_preview,
)
from shopdesk.corrections.templates import FilledIn
from shopdesk.db.database import Database
from shopdesk.db.models import MessageChannel, OrderStatus, Product
from shopdesk.documents.data import Address
from shopdesk.errors import ShopDeskError
from shopdesk.mail.errors import MailNotSetUp
from shopdesk.mail.smtp import SmtpMailer, load_smtp_settings
from shopdesk.orders.queries import load_order
from shopdesk.orders.sources import source_name
from shopdesk.ui.background import JobRunner
from shopdesk.ui.correction_dialog import CorrectionDialog
from shopdesk.ui.note_hand_over import NoteHandOver
from shopdesk.ui.print_controller import PrintController
from shopdesk.ui.problems import problem_text

log = logging.getLogger(__name__)


class MailAccess:
    """The shop's SMTP mailer, when mail is set up. ``ssl_context`` is None for the system's CAs."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.ssl_context: ssl.SSLContext | None = None

    def mailer(self) -> SmtpMailer | None:
        try:
            return SmtpMailer.from_database(self.db, ssl_context=self.ssl_context)
        except MailNotSetUp:
            return None

    def is_set_up(self) -> bool:
        with self.db.reading() as session:
            return load_smtp_settings(session) is not None


class NoteHandOverController(QObject):
    """Sends one ``NoteHandOver``'s note, or records how the owner handed it over."""

    note_changed = Signal(object)  # PreparedNote

    def __init__(
        self, db: Database, jobs: JobRunner, mail: MailAccess, widget: NoteHandOver, platform: str = ""
    ) -> None:
        super().__init__(widget)
        self.db, self.jobs, self.mail, self.widget, self.platform = db, jobs, mail, widget, platform
        widget.send_requested.connect(self.send)
        widget.handed_over.connect(self.hand_over)
        widget.email_given.connect(self.use_email)

    def show(self, note: PreparedNote, *, sending: bool = False) -> None:
        self.widget.show_note(note, smtp_ready=self.mail.is_set_up(), platform=self.platform, sending=sending)

    def send(self, message_id: int) -> None:
        """Send (or send again) by SMTP, off the GUI thread; a failure stays on the note, saved."""
        note = self.widget.note
        if note is not None:
            self.show(note, sending=True)

        def work(_control):
            mailer = self.mail.mailer()
            if mailer is None:
                raise MailNotSetUp("Mail is not set up yet: give the SMTP server in Settings → Mail….")
            send_message(self.db, message_id, mailer)
            return self._read(message_id)

        self.jobs.start(work, on_success=self._changed, on_failure=self._failed)

    def hand_over(self, message_id: int, channel: MessageChannel) -> None:
        note = self.widget.note
        if note is None:
            return
        if channel in (MessageChannel.CLIPBOARD, MessageChannel.PLATFORM):
            QGuiApplication.clipboard().setText(note.paste_text)
        if channel == MessageChannel.MAILTO:
            QDesktopServices.openUrl(QUrl(note.mailto))
        if channel == MessageChannel.PLATFORM and note.platform_url:
            QDesktopServices.openUrl(QUrl(note.platform_url))
        try:
            self._changed(record_handed_over(self.db, message_id, channel))
        except ShopDeskError as error:
            self.widget.show_problem(str(error))

    def use_email(self, message_id: int, address: str) -> None:
        try:
            note = set_customer_email(self.db, message_id, address)
        except ShopDeskError as error:
            self.widget.show_problem(str(error))
            return
        self._changed(note)

    def _read(self, message_id: int) -> PreparedNote:
        from shopdesk.corrections.outbox import prepared_note

        with self.db.reading() as session:
            return prepared_note(session, message_id)

    def _changed(self, note: PreparedNote) -> None:
        self.show(note)
        self.note_changed.emit(note)

    def _failed(self, error: Exception) -> None:
        if self.widget.note is not None:
            self.show(self._read(self.widget.note.message_id))
        self.widget.show_problem(problem_text(error))


@dataclass(frozen=True)
class CorrectionForm:
    """What the dialog starts from: the order as it is, and what can still be owed."""

    order_id: int
    number: str
    customer: str
    source: str
    status: OrderStatus
    email: str | None
    ship_to: Address
    lines: tuple[OwableLine, ...]
    products: tuple[tuple[str, str], ...]
    """Every known product (SKU, title): what may have been sent instead, or added as an extra."""
    smtp_ready: bool
    delays: FollowUpDelays = field(default_factory=FollowUpDelays)
    """When this correction's follow-up and return reminder will come due (the shop's setting)."""


class CorrectionController(QObject):
    # The replacement order was saved: the list shows it selected.
    replacement_made = Signal(int)
    # The dialog opened (tests and the window use it).
    dialog_opened = Signal(object)
    # The dialog finished its work (done or refused); the argument is the result or the error.
    correction_finished = Signal(object)

    def __init__(
        self, db: Database, jobs: JobRunner, printing: PrintController, mail: MailAccess, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.db, self.jobs, self.printing, self.mail = db, jobs, printing, mail
        self.parent_widget = parent

    def form(self, order_id: int) -> CorrectionForm:
        """The dialog's starting point; raises ``ShopDeskError`` when the order cannot be corrected."""
        with self.db.reading() as session:
            order = load_order(session, order_id)
            if reason := can_correct(order):
                raise ShopDeskError(reason)
            products = tuple(
                (sku, title)
                for sku, title in session.execute(select(Product.sku, Product.title).order_by(Product.sku))
            )
            return CorrectionForm(
                order_id=order.id,
                number=order.number,
                customer=order.customer_name or order.ship_name,
                source=order.source,
                status=order.status,
                email=order.email,
                ship_to=Address(
                    order.ship_name,
                    order.ship_address1,
                    order.ship_address2,
                    order.ship_city,
                    order.ship_region,
                    order.ship_postcode,
                    order.ship_country,
                ),
                lines=tuple(owable_lines(session, order_id)),
                products=products,
                smtp_ready=load_smtp_settings(session) is not None,
                delays=follow_up_delays(session),
            )

    def open_for_order(self, order_id: int) -> CorrectionDialog | None:
        try:
            form = self.form(order_id)
        except ShopDeskError as error:
            QMessageBox.warning(self.parent_widget, "Something went wrong…", str(error))
            return None
        dialog = CorrectionDialog(form, self.preview, self.parent_widget)
        dialog.reship_requested.connect(lambda request: self._reship(dialog, request))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog_opened.emit(dialog)
        dialog.open()
        return dialog

    def preview(self, request: CorrectionRequest) -> FilledIn:
        with self.db.reading() as session:
            return reship_note_preview(session, request)

    def _reship(self, dialog: CorrectionDialog, request: CorrectionRequest) -> None:
        dialog.set_busy(True)

        def work(_control) -> tuple[CorrectionResult, bool]:
            mailer = self.mail.mailer()
            return apologise_and_reship(self.db, request, mailer=mailer), mailer is not None

        self.jobs.start(
            work,
            on_success=lambda done: self._done(dialog, *done),
            on_failure=lambda error: self._refused(dialog, error),
        )

    def _done(self, dialog: CorrectionDialog, result: CorrectionResult, _smtp_ready: bool) -> None:
        notes = NoteHandOverController(
            self.db, self.jobs, self.mail, dialog.hand_over, source_name(dialog.form.source)
        )
        dialog.show_result(result)
        notes.show(result.note)
        dialog.print_apology.clicked.connect(
            lambda: self._show_document(
                result.apology_note_pdf,
                f"Apology note — {result.replacement_number}",
                f"apology-note-{result.replacement_number}.pdf",
            )
        )
        if result.return_label_pdf is not None:
            pdf = result.return_label_pdf
            dialog.print_return_label.clicked.connect(
                lambda: self._show_document(pdf, f"Return label {result.rma}", f"{result.rma}.pdf")
            )
        self.replacement_made.emit(result.replacement_id)
        self.correction_finished.emit(result)

    def _refused(self, dialog: CorrectionDialog, error: Exception) -> None:
        dialog.set_busy(False)
        dialog.show_problem(problem_text(error))
        self.correction_finished.emit(error)

    def _show_document(self, pdf: bytes, title: str, name: str) -> None:
        self.printing.show_document(pdf, title, name)


def reship_action_handler(controller: CorrectionController, selected: Callable[[], int | None]):
    """The Order menu's "Something went wrong…": for the selected order, if there is one."""

    def handler() -> None:
        order_id = selected()
        if order_id is None:
            QMessageBox.information(
                controller.parent_widget, "Something went wrong…", "Select an order first."
            )
            return
        controller.open_for_order(order_id)

    return handler
