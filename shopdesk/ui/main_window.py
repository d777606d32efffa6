"""The main window: status filter with live counts, search, the order list and the detail pane.

The check screen takes the whole window while an order is being checked (Esc comes back).
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QItemSelectionModel, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk import __version__
from shopdesk.db.models import OrderStatus
from shopdesk.errors import ShopDeskError
from shopdesk.importers.service import accept_change, dismiss_change
from shopdesk.orders.filtering import OrderFilter
from shopdesk.orders.queries import OrderRow
from shopdesk.ui.background import JobRunner
from shopdesk.ui.check_controller import CheckController
from shopdesk.ui.corrections_menu import install_corrections
from shopdesk.ui.database_actions import add_database_actions
from shopdesk.ui.first_paint import after_first_paint
from shopdesk.ui.import_controller import ImportController, InboxWatcher
from shopdesk.ui.mistakes_menu import add_mistakes_action
from shopdesk.ui.new_order_dialog import NewOrderDialog
from shopdesk.ui.order_detail import OrderDetailPane
from shopdesk.ui.order_list_controller import OrderListController
from shopdesk.ui.order_table_model import (
    CUSTOMER,
    ITEMS,
    NUMBER,
    PLACED,
    SOURCE,
    STATUS,
    OrderTableModel,
    SortedRows,
    sort_rows,
)
from shopdesk.ui.print_controller import PrintController
from shopdesk.ui.problems import show_problem
from shopdesk.ui.shop_profile_dialog import ShopProfileDialog
from shopdesk.ui.slip_scan import SlipScanCatcher

# The filter buttons, left to right; None is "All".
FILTERS: tuple[OrderStatus | None, ...] = (
    None,
    OrderStatus.NEW,
    OrderStatus.CHECKED,
    OrderStatus.PACKED,
    OrderStatus.SHIPPED,
    OrderStatus.ON_HOLD,
    OrderStatus.CANCELLED,
)
EMPTY_PAGE, LIST_PAGE = 0, 1
# Orders shown before the whole history is read: more than a screenful.
FIRST_SCREEN_ROWS = 200


def _settle_long_lived_objects() -> None:
    """Leave what is loaded now (modules, the list's rows) out of Python's cycle collections.

    A full collection walks every object the program holds; with a large shop's list loaded it
    took 70 ms and more, on whichever thread it struck, and the window stood still meanwhile.
    Rows hold no cycles: when a reload replaces them they are freed all the same. The young
    generations are collected first (a millisecond), so that recent cyclic garbage is not kept.
    """
    gc.collect(1)
    gc.freeze()


class MainWindow(QMainWindow):
    # The owner pressed Enter (or double-clicked) on an order, or scanned its packing slip: open its check.
    check_requested = Signal(int)
    # The check screen's "Print packing slip" was pressed on an order that passed the print gate.
    print_slip_requested = Signal(int)
    # The list shows the whole shop as the database holds it (at start, after a refresh).
    list_loaded = Signal()

    def __init__(self, controller: OrderListController, settings: QSettings | None = None) -> None:
        super().__init__()
        self.controller = controller
        self.settings = settings or QSettings()
        self.jobs = JobRunner(self)
        self.setObjectName("mainWindow")
        self.setWindowTitle("ShopDesk")
        self.model = OrderTableModel(self)
        # Whole-list readings started, and the last one shown (``refresh``).
        self._refreshes = self._refreshed_generation = 0
        self.check = CheckController(controller.db, parent=self)
        self.importing = ImportController(controller.db, self.jobs, self)
        self.importing.orders_changed.connect(self.refresh)
        self.inbox = InboxWatcher(self.importing, self.settings, self)
        self.printing = PrintController(controller.db, self.jobs, self)
        self.printing.orders_changed.connect(self.refresh_orders)
        self.setAcceptDrops(True)
        self._build()
        self._build_actions()
        self.database_actions = add_database_actions(self)
        self._connect_check()
        self._restore_layout()
        self._load_first_screen()
        after_first_paint(self, self._window_painted)
        after_first_paint(self.table.viewport(), self._first_screen_painted)

    def _window_painted(self) -> None:
        # What SQLAlchemy does once, on the first order opened, done now in the background.
        self.jobs.start(lambda _control: self.controller.prepare())
        _settle_long_lived_objects()

    def _first_screen_painted(self) -> None:
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self.database_actions.note_current_state()
        self.inbox.start()

    # -- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(12, 10, 12, 6)
        outer.setSpacing(8)

        top = QHBoxLayout()
        top.setSpacing(6)
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[OrderStatus | None, QToolButton] = {}
        for status in FILTERS:
            button = QToolButton()
            button.setCheckable(True)
            button.setObjectName(f"filter_{status.value if status else 'all'}")
            button.setProperty("chip", True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            self.filter_group.addButton(button)
            self.filter_buttons[status] = button
            top.addWidget(button)
        self.filter_buttons[None].setChecked(True)
        self.filter_group.buttonToggled.connect(self._filter_changed)
        top.addStretch(1)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText("Search order, customer, SKU…  (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(280)
        self.search_box.textChanged.connect(self._filter_changed)
        self.search_box.returnPressed.connect(self._search_entered)
        top.addWidget(self.search_box)
        outer.addLayout(top)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_empty_page())
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.table = QTableView()
        self.table.setObjectName("orderTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(PLACED, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Fixed row heights: with years of orders, measuring each row would cost a pass over all of them.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(CUSTOMER, QHeaderView.ResizeMode.Stretch)
        for column, width in ((NUMBER, 90), (SOURCE, 120), (PLACED, 160), (ITEMS, 140), (STATUS, 90)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self._clear_detail_timer = QTimer(self)
        self._clear_detail_timer.setSingleShot(True)
        self._clear_detail_timer.setInterval(0)
        self._clear_detail_timer.timeout.connect(self._show_current_detail)
        self.table.activated.connect(self._activated)
        self.detail = OrderDetailPane()
        self.detail.change_decided.connect(self._change_decided)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.pages.addWidget(self.splitter)
        outer.addWidget(self.pages, 1)
        # The list, or the check screen over the whole window.
        self.screens = QStackedWidget()
        self.screens.setObjectName("screens")
        self.screens.addWidget(central)
        self.screens.addWidget(self.check.panel)
        self.list_screen = central
        self.setCentralWidget(self.screens)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("summaryLabel")
        self.statusBar().addWidget(self.summary_label, 1)

    def _build_empty_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("emptyState")
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        title = QLabel("No orders yet")
        title.setObjectName("emptyTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            "Import the order exports from Etsy, Shopify, Squarespace or WooCommerce,\n"
            "or load some demo orders to try ShopDesk out first."
        )
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setObjectName("emptyText")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.import_button = QPushButton("Import orders…")
        self.import_button.setObjectName("importButton")
        self.demo_button = QPushButton("Load demo orders")
        self.demo_button.setObjectName("loadDemoButton")
        self.demo_button.clicked.connect(self.load_demo)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(2)
        return page

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.import_action = QAction("&Import orders…", self)
        self.import_action.setObjectName("importAction")
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.importing.choose_files)
        file_menu.addAction(self.import_action)
        self.import_button.clicked.connect(self.import_action.trigger)
        self.new_order_action = QAction("&New order…", self)
        self.new_order_action.setObjectName("newOrderAction")
        self.new_order_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_order_action.triggered.connect(self.new_order)
        file_menu.addAction(self.new_order_action)
        self.demo_action = QAction("Load &demo orders", self)
        self.demo_action.triggered.connect(self.load_demo)
        file_menu.addAction(self.demo_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        order_menu = self.menuBar().addMenu("&Order")
        self.check_action = QAction("&Check order", self)
        self.check_action.setObjectName("checkAction")
        self.check_action.triggered.connect(self._check_current)
        order_menu.addAction(self.check_action)
        order_menu.addSeparator()
        self.print_slip_action = self._order_action(
            order_menu, "&Print packing slip…", "printSlipAction", "Ctrl+P", self.printing.print_slips
        )
        self.print_all_action = QAction("Print &all checked slips…", self)
        self.print_all_action.setObjectName("printAllAction")
        self.print_all_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.print_all_action.triggered.connect(self.printing.print_all_checked)
        order_menu.addAction(self.print_all_action)
        self.ship_action = QAction("Mark &shipped…", self)
        self.ship_action.setObjectName("shipAction")
        self.ship_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.ship_action.triggered.connect(self._ship_current)
        order_menu.addAction(self.ship_action)
        order_menu.addSeparator()
        self.return_label_action = QAction("&Return label…", self)
        self.return_label_action.setObjectName("returnLabelAction")
        self.return_label_action.triggered.connect(self._return_label_current)
        order_menu.addAction(self.return_label_action)
        pick_list = QAction("Pic&k list for new orders…", self)
        pick_list.triggered.connect(self.printing.print_pick_list)
        order_menu.addAction(pick_list)
        shelf = QAction("S&helf labels for products without barcode…", self)
        shelf.triggered.connect(self.printing.print_shelf_labels)
        order_menu.addAction(shelf)

        settings_menu = self.menuBar().addMenu("&Settings")
        self.profile_action = QAction("Shop &profile…", self)
        self.profile_action.setObjectName("profileAction")
        self.profile_action.triggered.connect(self.edit_shop_profile)
        settings_menu.addAction(self.profile_action)
        inbox = QAction("&Inbox folder…", self)
        inbox.setObjectName("inboxAction")
        inbox.triggered.connect(self.choose_inbox)
        settings_menu.addAction(inbox)

        view_menu = self.menuBar().addMenu("&View")
        find = QAction("&Find", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.focus_search)
        view_menu.addAction(find)
        refresh = QAction("&Refresh", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh)
        view_menu.addAction(refresh)
        self.mistakes_action = add_mistakes_action(self, view_menu)

        self.corrections = install_corrections(self, order_menu, view_menu, settings_menu)

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About ShopDesk", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _connect_check(self) -> None:
        self.check_requested.connect(self.open_check)
        self.check.closed.connect(self.close_check)
        self.check.order_changed.connect(lambda order_id: self.refresh_orders([order_id]))
        self.check.print_requested.connect(self.print_slip_requested)
        self.print_slip_requested.connect(lambda order_id: self.printing.print_slips([order_id]))
        # A packing slip scanned while the list has the keyboard opens that order's check.
        self.slip_scans = SlipScanCatcher(self.controller.order_for_scan, self)
        self.slip_scans.watch(self.table)
        self.slip_scans.order_scanned.connect(self.check_requested)

    # -- behaviour -------------------------------------------------------------------------------

    def open_check(self, order_id: int) -> None:
        try:
            self.check.open_order(order_id)
        except ShopDeskError as exc:
            self.show_error(exc)
            return
        self.screens.setCurrentWidget(self.check.panel)
        self.check.panel.focus_scan()

    def close_check(self, order_id: int) -> None:
        """Back to the list, refreshed, with the order just checked selected."""
        self.screens.setCurrentWidget(self.list_screen)
        self.refresh_orders([order_id])
        if not self.select_order(order_id):
            # Hidden by the filter or the search: show everything so it can be selected.
            self.search_box.clear()
            self.filter_buttons[None].setChecked(True)
            self.select_order(order_id)
        self.table.setFocus()

    def is_checking(self) -> bool:
        return self.screens.currentWidget() is self.check.panel

    def _search_entered(self) -> None:
        """Enter in the search box: a scanned packing slip opens its check; anything else goes to the list."""
        order_id = self.controller.order_for_scan(self.search_box.text())
        if order_id is None:
            self._focus_first_result()
            return
        self.search_box.clear()
        self.check_requested.emit(order_id)

    def refresh(self, then: Callable[[], None] | None = None) -> None:
        """Read the whole list again (after an import, a restore…), keeping the selection.

        The reading, sorting and indexing run in the background, so that the window stays
        responsive whatever the shop's size; ``list_loaded`` says when the list shows it, and
        ``then`` runs then.
        """
        self._refreshes += 1
        generation, sort = self._refreshes, self.model.sort_order

        def read(_control) -> tuple[SortedRows, Counter[OrderStatus]]:
            rows, counts = self.controller.rows_and_counts()
            return sort_rows(rows, sort), counts

        self.jobs.start(read, on_success=lambda result: self._refreshed(generation, *result, then))

    def _refreshed(
        self,
        generation: int,
        rows: SortedRows,
        counts: Counter[OrderStatus],
        then: Callable[[], None] | None,
    ) -> None:
        if generation != self._refreshes:
            return  # a newer reading is on its way
        self._refreshed_generation = generation
        self._apply_rows(rows, counts)
        _settle_long_lived_objects()
        self.list_loaded.emit()
        if then is not None:
            then()

    def refresh_orders(self, order_ids: Collection[int]) -> None:
        """Show what changed in these orders (checked, printed, shipped, added), keeping the
        selection: their rows are read again, not the whole list."""
        if self._refreshes != self._refreshed_generation:
            # The whole list is being read: what it reads may predate this change; read again.
            self.refresh()
        rows, counts = self.controller.rows_and_counts(ids=order_ids)
        selected = self.selected_order_id()
        self.model.update_rows(rows)
        self._update_counts(counts, self.model.total_count())
        self.pages.setCurrentIndex(LIST_PAGE if self.model.total_count() else EMPTY_PAGE)
        self._update_summary()
        if selected is not None:
            self.select_order(selected)
        if selected in order_ids:
            self._show_current_detail(force=True)

    def _apply_rows(self, rows: SortedRows, counts: Counter[OrderStatus]) -> None:
        selected = self.selected_order_id()
        self._show_rows(rows, counts)
        if selected is not None:
            self.select_order(selected)
        # The order itself may have changed (checked, packed, a new event): show it afresh.
        self._show_current_detail(force=True)

    def _load_first_screen(self) -> None:
        """Show the newest orders at once, and the whole history as soon as it is read.

        A shop with years of orders would otherwise wait for all of them before the window
        appears; the newest are what the list shows first anyway.
        """
        rows, counts = self.controller.rows_and_counts(newest=FIRST_SCREEN_ROWS)
        self._show_rows(rows, counts)
        if sum(counts.values()) > len(rows):
            self.summary_label.setText(f"Loading all {sum(counts.values()):,} orders…")
            self.refresh()
        else:
            self.list_loaded.emit()

    def _show_rows(self, rows: Sequence[OrderRow] | SortedRows, counts: Counter[OrderStatus]) -> None:
        self.model.set_rows(rows)
        total = self.model.total_count()
        self._update_counts(counts, total)
        self.pages.setCurrentIndex(LIST_PAGE if total else EMPTY_PAGE)
        self._update_summary()

    def _update_counts(self, counts: Counter[OrderStatus], total: int) -> None:
        for status, button in self.filter_buttons.items():
            name = "All" if status is None else status.label
            button.setText(f"{name}  {total if status is None else counts[status]}")

    def _update_summary(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_count()
        text = f"{total} orders" if shown == total else f"{shown} of {total} orders shown"
        self.summary_label.setText(f"{text}  ·  {self.controller.db.describe()}")

    def _filter_changed(self, *_args) -> None:
        status = next((s for s, b in self.filter_buttons.items() if b.isChecked()), None)
        selected = self.selected_order_id()
        self.model.set_filter(OrderFilter(status, self.search_box.text()))
        if selected is not None and self.model.row_of(selected) is not None:
            self.select_order(selected)
        elif self.detail.detail is not None:
            self.detail.show_order(None)
        self._update_summary()

    def selected_order_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.order_id_at(index.row()) if index.isValid() else None

    def select_order(self, order_id: int) -> bool:
        row = self.model.row_of(order_id)
        if row is None:
            return False
        index = self.model.index(row, NUMBER)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)
        return True

    def _current_changed(self, current, _previous) -> None:
        if not current.isValid():
            # A filter or reload resets the list (and so the selection) before re-selecting the
            # same order; clear the pane only if nothing is selected once that is over.
            self._clear_detail_timer.start()
            return
        self._show_current_detail()

    def _show_current_detail(self, force: bool = False) -> None:
        order_id = self.selected_order_id()
        shown = self.detail.detail.id if self.detail.detail else None
        if order_id == shown and not force:
            return
        if order_id is None:
            self.detail.show_order(None)
        else:
            self.detail.show_order(
                self.controller.detail(order_id), self.controller.pending_changes(order_id)
            )

    def _activated(self, index) -> None:
        order_id = self.model.order_id_at(index.row())
        if order_id is not None:
            self.check_requested.emit(order_id)

    def _check_current(self) -> None:
        order_id = self.selected_order_id()
        if order_id is not None:
            self.check_requested.emit(order_id)

    def _order_action(self, menu, text: str, name: str, shortcut: str, handler) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda: self._with_selected(lambda order_id: handler([order_id])))
        menu.addAction(action)
        return action

    def _with_selected(self, act) -> None:
        order_id = self.selected_order_id()
        if order_id is None:
            self.statusBar().showMessage("Select an order first.", 4000)
            return
        act(order_id)

    def _ship_current(self) -> None:
        detail = self.detail.detail
        if detail is not None:
            self.printing.mark_shipped(detail.id, detail.number)

    def _return_label_current(self) -> None:
        self._with_selected(self.printing.print_return_label)

    def _focus_first_result(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()
            if self.selected_order_id() is None:
                self.table.selectRow(0)

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def load_demo(self) -> None:
        self.demo_button.setEnabled(False)
        self.statusBar().showMessage("Loading demo orders…")
        self.jobs.start(self.controller.load_demo, on_success=self._demo_loaded, on_failure=self.show_error)

    def _demo_loaded(self, added: int) -> None:
        self.demo_button.setEnabled(True)
        message = f"{added} demo orders added." if added else "The demo orders are already there."
        self.statusBar().showMessage(message, 5000)

        def select_the_first() -> None:
            if self.model.rowCount() and self.selected_order_id() is None:
                self.table.selectRow(0)
                self.table.setFocus()

        self.refresh(then=select_the_first)

    def show_error(self, error: Exception) -> None:
        self.demo_button.setEnabled(True)
        self.statusBar().clearMessage()
        show_problem(self, "ShopDesk", error)

    def new_order(self) -> NewOrderDialog:
        dialog = NewOrderDialog(self.controller.db, self)
        dialog.order_added.connect(self._order_added)
        dialog.open()
        return dialog

    def _order_added(self, order_id: int) -> None:
        self.filter_buttons[None].setChecked(True)
        self.search_box.clear()
        self.refresh_orders([order_id])
        self.select_order(order_id)

    def choose_inbox(self) -> None:
        current = str(self.inbox.folder or "")
        folder = QFileDialog.getExistingDirectory(self, "Folder where your order exports arrive", current)
        if folder:
            self.inbox.set_folder(Path(folder))
            self.statusBar().showMessage(f"New exports in {folder} are imported automatically.", 6000)

    def _change_decided(self, change_id: int, accept: bool) -> None:
        try:
            (accept_change if accept else dismiss_change)(self.controller.db, change_id)
        except ShopDeskError as error:
            self.show_error(error)
        selected = self.selected_order_id()
        if selected is not None:
            self.refresh_orders([selected])

    # -- drag and drop ---------------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.importing.import_paths(paths)

    def edit_shop_profile(self) -> ShopProfileDialog:
        dialog = ShopProfileDialog(self.controller.db, self)
        dialog.open()
        return dialog

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About ShopDesk",
            f"<b>ShopDesk {__version__}</b><p>Import, double-check, print and ship.<br>"
            f"Database: {self.controller.db.describe()}</p>",
        )

    # -- remembered layout -----------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 780)
        splitter = self.settings.value("main/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        else:
            QTimer.singleShot(0, lambda: self.splitter.setSizes([760, 500]))
        columns = self.settings.value("main/columns")
        if isinstance(columns, QByteArray) and not columns.isEmpty():
            self.table.horizontalHeader().restoreState(columns)

    def save_layout(self) -> None:
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.setValue("main/splitter", self.splitter.saveState())
        self.settings.setValue("main/columns", self.table.horizontalHeader().saveState())
        self.settings.sync()

    def closeEvent(self, event) -> None:
        self.save_layout()
        self.jobs.wait_for_all()
        self.check.release_current()
        super().closeEvent(event)
