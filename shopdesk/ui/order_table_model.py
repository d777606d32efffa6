"""The order list's table model: a thin adapter over plain ``OrderRow`` objects.

Filtering and sorting happen here over plain Python lists instead of in a QSortFilterProxyModel:
a proxy calls back into Python once per row for every key press, which is too slow for a shop
with years of orders; a list comprehension over pre-lowered text is not. The view only ever asks
for the rows it paints.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from shopdesk.db.models import OrderStatus
from shopdesk.orders.filtering import OrderFilter, SearchIndex
from shopdesk.orders.queries import OrderRow
from shopdesk.orders.sources import source_name

NUMBER, SOURCE, PLACED, CUSTOMER, ITEMS, STATUS = range(6)
HEADERS = ("Order", "Source", "Placed", "Customer", "Items", "Status")

RECENT_FILTERS = 32

ORDER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2

STATUS_COLOURS = {
    OrderStatus.NEW: ("#1d4ed8", "#e0e9ff"),
    OrderStatus.CHECKED: ("#166534", "#dcfce7"),
    OrderStatus.PACKED: ("#7c2d12", "#ffedd5"),
    OrderStatus.SHIPPED: ("#475569", "#f1f5f9"),
    OrderStatus.ON_HOLD: ("#92400e", "#fef3c7"),
    OrderStatus.CANCELLED: ("#6b7280", "#f3f4f6"),
}

_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.TextAlignmentRole,
        ORDER_ID_ROLE,
        STATUS_ROLE,
    }
)

_SORT_KEYS = {
    NUMBER: lambda r: (r.number.lstrip("#").zfill(12), r.number),
    SOURCE: lambda r: r.source,
    PLACED: lambda r: r.placed_at,
    CUSTOMER: lambda r: r.customer.casefold(),
    ITEMS: lambda r: (r.units, r.line_count),
    STATUS: lambda r: list(OrderStatus).index(r.status),
}


class RowLookup:
    """Where each order is in the sorted rows: order ids and their positions in two compact
    arrays, searched by bisection. A dict of a large shop's orders would hold three times the
    memory for the same answers."""

    def __init__(self, rows: Sequence[OrderRow], positions: Sequence[int]) -> None:
        by_id = sorted(positions, key=lambda position: rows[position].id)
        self._ids = array("q", (rows[position].id for position in by_id))
        self._positions = array("l", by_id)

    def get(self, order_id: int) -> int | None:
        found = bisect_left(self._ids, order_id)
        if found < len(self._ids) and self._ids[found] == order_id:
            return self._positions[found]
        return None


@dataclass(frozen=True)
class SortedRows:
    """Rows sorted for the list, with their search index: what ``OrderTableModel`` shows.

    Built by ``sort_rows``, which needs no Qt object and so can run on a background thread:
    sorting and indexing a large shop's whole history must not hold up the window.
    """

    rows: list[OrderRow]
    index: SearchIndex
    lookup: RowLookup
    sort: tuple[int, Qt.SortOrder]


def sort_rows(rows: Sequence[OrderRow], sort: tuple[int, Qt.SortOrder]) -> SortedRows:
    column, order = sort
    ordered = sorted(rows, key=_SORT_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)
    index = SearchIndex(ordered)
    return SortedRows(ordered, index, RowLookup(ordered, index.positions), sort)


def items_text(row: OrderRow) -> str:
    units = f"{row.units} unit{'s' if row.units != 1 else ''}"
    return units if row.line_count <= 1 else f"{units} · {row.line_count} lines"


class OrderTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[OrderRow] = []
        self._index = SearchIndex([])
        self._lookup = RowLookup([], [])
        self._visible: list[int] = []
        # Display texts are made when a row is first painted and kept: painting asks for them
        # many times per second, and formatting dates is not free.
        self._display_cache: dict[int, tuple[str, ...]] = {}
        # The last few filters' results: deleting letters goes back to what was already found.
        self._recent: dict[OrderFilter, list[int]] = {}
        self._filter = OrderFilter()
        self._sort: tuple[int, Qt.SortOrder] = (PLACED, Qt.SortOrder.DescendingOrder)
        self._brushes = {
            status: (QBrush(QColor(foreground)), QBrush(QColor(background)))
            for status, (foreground, background) in STATUS_COLOURS.items()
        }
        self._bold = QFont()
        self._bold.setBold(True)

    # -- what the window calls -------------------------------------------------------------------

    def set_rows(self, rows: Sequence[OrderRow] | SortedRows) -> None:
        """Show these rows (already sorted with ``sort_rows`` off the GUI thread, or not)."""
        if not isinstance(rows, SortedRows) or rows.sort != self._sort:
            rows = sort_rows(rows.rows if isinstance(rows, SortedRows) else rows, self._sort)
        self.beginResetModel()
        self._display_cache.clear()
        self._show_sorted(rows)
        self.endResetModel()

    @property
    def sort_order(self) -> tuple[int, Qt.SortOrder]:
        return self._sort

    def update_rows(self, rows: Sequence[OrderRow]) -> None:
        """Put these orders' fresh rows in place of their old ones (or add them, if new).

        An order just checked, printed or added changes one row, not the shop: the list is
        sorted and filtered again in memory instead of being read again whole.
        """
        self.beginResetModel()
        for row in rows:
            self._display_cache.pop(row.id, None)
            position = self._lookup.get(row.id)
            if position is None:
                self._rows.append(row)
            else:
                self._rows[position] = row
        self._sort_all()
        self.endResetModel()

    def set_filter(self, order_filter: OrderFilter) -> None:
        if order_filter == self._filter:
            return
        cached = self._recent.get(order_filter)
        if cached is None:
            within = self._visible if order_filter.narrows(self._filter) else None
            cached = order_filter.apply(self._index, within)
        self._remember(order_filter, cached)
        self.beginResetModel()
        self._filter = order_filter
        self._visible = cached
        self.endResetModel()

    @property
    def order_filter(self) -> OrderFilter:
        return self._filter

    def order_id_at(self, row: int) -> int | None:
        if 0 <= row < len(self._visible):
            return self._rows[self._visible[row]].id
        return None

    def row_of(self, order_id: int) -> int | None:
        """The visible row showing ``order_id``, or None; a lookup, not a walk through the list."""
        index = self._lookup.get(order_id)
        if index is None:
            return None
        # ``_visible`` lists row indexes in increasing order (filters keep the order they find).
        position = bisect_left(self._visible, index)
        if position < len(self._visible) and self._visible[position] == index:
            return position
        return None

    def total_count(self) -> int:
        return len(self._rows)

    # -- QAbstractTableModel -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # The view asks for a dozen roles per cell on every paint; answer the unused ones first.
        if role not in _ROLES or not index.isValid() or not (0 <= index.row() < len(self._visible)):
            return None
        row = self._rows[self._visible[index.row()]]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            texts = self._display_cache.get(row.id)
            if texts is None:
                texts = self._display_cache[row.id] = tuple(
                    self._display(row, c) for c in range(len(HEADERS))
                )
            return texts[column]
        if role == ORDER_ID_ROLE:
            return row.id
        if role == STATUS_ROLE:
            return row.status.value
        if role == Qt.ItemDataRole.ToolTipRole and column == PLACED:
            return row.placed_at.astimezone().strftime("%A %d %B %Y, %H:%M")
        if column == STATUS and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            foreground, background = self._brushes[row.status]
            return foreground if role == Qt.ItemDataRole.ForegroundRole else background
        if role == Qt.ItemDataRole.FontRole and (
            column == NUMBER or (column == ITEMS and row.units > row.line_count)
        ):
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ITEMS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in _SORT_KEYS:
            return
        self.layoutAboutToBeChanged.emit()
        # Keep the selection on the same orders: remember which order each persistent index was on.
        persistent = self.persistentIndexList()
        order_ids = [self.order_id_at(index.row()) for index in persistent]
        self._sort = (column, order)
        self._sort_all()
        positions = {self._rows[i].id: position for position, i in enumerate(self._visible)}
        moved = [
            self.index(positions[oid], index.column()) if oid in positions else QModelIndex()
            for oid, index in zip(order_ids, persistent, strict=True)
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    # -- inside ----------------------------------------------------------------------------------

    def _remember(self, order_filter: OrderFilter, visible: list[int]) -> None:
        self._recent.pop(order_filter, None)
        self._recent[order_filter] = visible
        while len(self._recent) > RECENT_FILTERS:
            del self._recent[next(iter(self._recent))]

    def _sort_all(self) -> None:
        """Sort every row, rebuild the search index over the new order, and filter again."""
        self._show_sorted(sort_rows(self._rows, self._sort))

    def _show_sorted(self, sorted_rows: SortedRows) -> None:
        self._rows = sorted_rows.rows
        self._index = sorted_rows.index
        self._lookup = sorted_rows.lookup
        self._recent.clear()
        self._visible = self._filter.apply(self._index)

    @staticmethod
    def _display(row: OrderRow, column: int) -> str:
        if column == NUMBER:
            return row.number
        if column == SOURCE:
            return source_name(row.source)
        if column == PLACED:
            return row.placed_at.astimezone().strftime("%d %b %Y, %H:%M")
        if column == CUSTOMER:
            return row.customer
        if column == ITEMS:
            return items_text(row)
        return row.status.label
