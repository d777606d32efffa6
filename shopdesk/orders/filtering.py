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

    def narrows(self, previous: OrderFilter) -> bool:
        """True when everything this filter shows, ``previous`` showed too (the owner typed on)."""
        if previous.status not in (None, self.status):
            return False
        return all(any(old in new for new in self.words) for old in previous.words)

    def apply(self, rows: Sequence[OrderRow], within: Sequence[int] | None = None) -> list[int]:
        """Indexes into ``rows`` of the orders to show, in the order given.

        ``within`` limits the search to indexes a broader filter already found; typing one more
        letter then only looks at what matched the letters before.
        """
        status, words = self.status, self.words
        candidates = range(len(rows)) if within is None else within
        if status is None and not words:
            return list(candidates)
        if status is not None:
            candidates = [i for i in candidates if rows[i].status == status]
        for word in words:
            candidates = [i for i in candidates if word in rows[i].search_text]
        return list(candidates)
