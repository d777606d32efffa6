"""Which orders the list shows: a status and the words typed in the search box.

Kept in the core as plain Python so that it is tested without Qt, and fast enough to run on every
key press over a large shop's whole history (a list comprehension over pre-folded text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shopdesk.db.models import OrderStatus
from shopdesk.orders.queries import OrderRow, fold_text


@dataclass(frozen=True)
class OrderFilter:
    status: OrderStatus | None = None
    text: str = ""

    @property
    def words(self) -> list[str]:
        return fold_text(self.text).split()

    def matches(self, row: OrderRow) -> bool:
        if self.status is not None and row.status != self.status:
            return False
        return all(word in row.search_text for word in self.words)

    def apply(self, rows: Sequence[OrderRow]) -> list[int]:
        """Indexes into ``rows`` of the orders to show, in the order given."""
        status, words = self.status, self.words
        if status is None and not words:
            return list(range(len(rows)))
        return [
            index
            for index, row in enumerate(rows)
            if (status is None or row.status == status) and all(word in row.search_text for word in words)
        ]
