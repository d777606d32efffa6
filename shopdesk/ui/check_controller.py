"""Behind the check screen: turns scans and clicks into calls to ``shopdesk.checking``.

Every action runs on the GUI thread on purpose. Each is one short transaction on one order, and
a scanner types codes faster than a person reads: doing them in the order they arrive, one
finished before the next starts, is what guarantees that each scan counts exactly one unit.
"""

from __future__ import annotations

from contextlib import suppress

from PySide6.QtCore import QObject, Signal

from shopdesk.checking import (
    CheckedElsewhere,
    CheckState,
    ScanOutcome,
    ScanResult,
    add_one,
    check_state,
    release_check,
    resolve_scan_target,
    scan,
    skip_check,
    start_check,
    start_over,
    take_over_check,
)
from shopdesk.checking.state import plural
from shopdesk.corrections.history import customer_history
from shopdesk.db.database import Database
from shopdesk.db.models import OrderStatus
from shopdesk.errors import ShopDeskError
from shopdesk.orders.queries import load_order
from shopdesk.ui.check_panel import CheckPanel
from shopdesk.ui.sounds import COMPLETE, COUNTED, OVER, WRONG_ITEM, CheckSounds

# The message's colour and the sound for each outcome.
_OUTCOME_LOOK = {
    ScanResult.COUNTED: ("counted", COUNTED),
    ScanResult.WRONG_ITEM: ("wrong_item", WRONG_ITEM),
    ScanResult.OVER: ("over", OVER),
    ScanResult.ALREADY_CHECKED: ("over", OVER),
}


class CheckController(QObject):
    # The packer is done with this screen; the list shows again with this order selected.
    closed = Signal(int)
    # An order's status changed (checked, back to new, skipped): the list should refresh.
    order_changed = Signal(int)
    # Print this order's packing slip (it has passed the check or was skipped with a reason).
    print_requested = Signal(int)

    def __init__(
        self,
        db: Database,
        panel: CheckPanel | None = None,
        sounds: CheckSounds | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.panel = panel or CheckPanel()
        self.sounds = sounds or CheckSounds(self)
        self.order_id: int | None = None
        self.panel.scan_submitted.connect(self.handle_scan)
        self.panel.plus_one_clicked.connect(self.handle_plus_one)
        self.panel.start_over_clicked.connect(self.ask_start_over)
        self.panel.skip_clicked.connect(self.ask_skip)
        self.panel.back_requested.connect(self.close)
        self.panel.print_requested.connect(self.print_requested)
        self.panel.take_over_clicked.connect(self.take_over)

    @property
    def state(self) -> CheckState | None:
        return self.panel.state

    def open_order(self, order_id: int) -> None:
        """Show the check of ``order_id`` where it was left (counts are read from the database).

        The screen takes the order's check lock; while another station holds it, the check is
        shown but every scan is refused, and "Take over" offers to take it deliberately.
        """
        if self.order_id is not None and self.order_id != order_id:
            self._release(self.order_id)
        held_elsewhere: CheckedElsewhere | None = None
        try:
            start_check(self.db, order_id)
        except CheckedElsewhere as exc:
            held_elsewhere = exc
        with self.db.reading() as session:
            state = check_state(session, order_id)
            care = self._care_note(session, order_id)
        self.order_id = order_id
        self.panel.show_state(state)
        self.panel.show_care_note(care)
        if held_elsewhere is not None:
            self._show_held_elsewhere(held_elsewhere)
        else:
            self.panel.show_take_over(False)
            self.panel.show_outcome(*self._opening_message(state))
        self.panel.focus_scan()

    def close(self) -> None:
        if self.order_id is not None:
            order_id = self.order_id
            self._release(order_id)
            self.order_id = None
            self.closed.emit(order_id)

    def release_current(self) -> None:
        """The window is closing: let go of the check it holds, so other stations need not ask."""
        if self.order_id is not None:
            self._release(self.order_id)
            self.order_id = None

    def take_over(self) -> None:
        """ "Take over": this station checks the order from now on; the other one is refused."""
        if self.order_id is None:
            return
        try:
            holder = take_over_check(self.db, self.order_id)
        except ShopDeskError as exc:
            self.panel.show_outcome("wrong_item", str(exc))
            return
        self.open_order(self.order_id)
        if holder is not None and holder.station != self.db.station:
            self.panel.show_outcome(
                "info",
                f"You took over this check from {holder.station}. What was counted there stays counted.",
            )

    def _release(self, order_id: int) -> None:
        # A lock left behind (the database was busy) goes stale; the next station is not held up long.
        with suppress(ShopDeskError):
            release_check(self.db, order_id)

    def _show_held_elsewhere(self, exc: CheckedElsewhere) -> None:
        self.panel.show_take_over(True)
        self.panel.show_outcome(
            "over",
            f"{exc}\nNothing is counted here. Take over only if nobody is checking it there any more.",
        )
        self.sounds.play(WRONG_ITEM)

    # -- scans -----------------------------------------------------------------------------------

    def handle_scan(self, code: str) -> None:
        """A code from the scanner (or typed): an item of this order, or another order's slip."""
        state = self.state
        if state is None or not code.strip():
            return
        if not state.lines_matching(code):
            with self.db.reading() as session:
                target = resolve_scan_target(session, code)
            if target is not None and target.order_id == state.order_id:
                self.panel.show_outcome("info", f"This is order {state.number}'s slip — scan its items.")
                return
            if target is not None:
                self._switch_to(target.order_id, target.number)
                return
        self._run(lambda: scan(self.db, state.order_id, code))

    def handle_plus_one(self, line_id: int) -> None:
        if self.state is not None:
            order_id = self.state.order_id
            self._run(lambda: add_one(self.db, order_id, line_id))

    def _run(self, action) -> None:
        try:
            outcome: ScanOutcome = action()
        except CheckedElsewhere as exc:  # another station took the check over meanwhile
            self._show_held_elsewhere(exc)
            return
        except ShopDeskError as exc:  # e.g. the order was packed from another station meanwhile
            self.panel.show_outcome("wrong_item", str(exc))
            self.sounds.play(WRONG_ITEM)
            return
        self.panel.show_state(outcome.state, last_line_id=outcome.line.id if outcome.line else None)
        if outcome.completed:
            self.panel.show_outcome("complete", outcome.message)
            self.sounds.play(COMPLETE)
            self.order_changed.emit(outcome.state.order_id)
        else:
            look, sound = _OUTCOME_LOOK[outcome.result]
            self.panel.show_outcome(look, outcome.message)
            self.sounds.play(sound)

    def _switch_to(self, order_id: int, number: str) -> None:
        state = self.state
        unfinished = state.is_started and not state.is_complete and not state.is_skipped
        if not unfinished:
            self.open_order(order_id)
            return
        self.sounds.play(OVER)
        self.panel.confirm(
            "switchOrderConfirm",
            "Switch orders?",
            f"Order {state.number} is not finished: {state.progress_text}.\n\n"
            f"Switch to order {number}? What was counted stays saved, and the check "
            f"of {state.number} carries on when you open it again.",
            f"Switch to {number}",
            f"Stay on {state.number}",
            lambda: self.open_order(order_id),
        )

    # -- start over, skip ------------------------------------------------------------------------

    def ask_start_over(self) -> None:
        state = self.state
        if state is None:
            return
        self.panel.confirm(
            "startOverConfirm",
            "Start over?",
            f"Set every count of order {state.number} back to zero ({state.progress_text} now)?\n\n"
            "Take everything out of the box and scan each item again.",
            "Start over",
            "Keep the counts",
            self._start_over,
        )

    def _start_over(self) -> None:
        try:
            state = start_over(self.db, self.state.order_id)
        except CheckedElsewhere as exc:
            self._show_held_elsewhere(exc)
            return
        except ShopDeskError as exc:
            self.panel.show_outcome("wrong_item", str(exc))
            return
        self.panel.show_state(state)
        self.panel.show_outcome("info", "Started over: every count is back to zero. Scan each item.")
        self.order_changed.emit(state.order_id)

    def ask_skip(self) -> None:
        if self.state is not None:
            self.panel.ask_skip_reason(self._skip)

    def _skip(self, reason: str) -> None:
        try:
            state = skip_check(self.db, self.state.order_id, reason)
        except CheckedElsewhere as exc:
            self._show_held_elsewhere(exc)
            return
        except ShopDeskError as exc:
            self.panel.show_outcome("wrong_item", str(exc))
            return
        self.panel.show_state(state)
        self.panel.show_outcome("over", f"Not checked — packed without checking: {state.skip_reason}")
        self.order_changed.emit(state.order_id)

    @staticmethod
    def _care_note(session, order_id: int) -> str:
        """ "Had a problem last time — take extra care" when an earlier order of this customer went wrong."""
        history = customer_history(session, load_order(session, order_id))
        if not history.had_problem:
            return ""
        last = history.corrections[0]
        return (
            f"⚠  Had a problem last time — take extra care. Order {last.order_number}: "
            f"{last.kind.label.lower()}, put right with {last.replacement_number}."
        )

    # -- words -----------------------------------------------------------------------------------

    @staticmethod
    def _opening_message(state: CheckState) -> tuple[str, str]:
        if state.status not in (OrderStatus.NEW, OrderStatus.CHECKED):
            return "info", f"Order {state.number} is {state.status.label.lower()}; its check is over."
        if state.is_complete:
            return "complete", f"All {plural(state.units_total, 'item')} checked — print the packing slip."
        if state.is_skipped:
            return "over", f"Not checked — packed without checking: {state.skip_reason}"
        if state.is_started:
            return "info", f"Carrying on where you left off: {state.progress_text}."
        return "info", "Scan each item as it goes into the box — one scan for each one."
