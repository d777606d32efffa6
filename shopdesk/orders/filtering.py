"""Which orders the list shows: a status and the words typed in the search box.

Kept in the core as plain Python so that it is tested without Qt, and fast enough to run on every
key press over a large shop's whole history: the searchable text of every order is folded once
(``SearchIndex``), then each key press is a list comprehension over plain strings, and typing one
more letter only looks again at what the letters before had found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shopdesk.db.models import OrderStatus
from shopdesk.orders.queries import OrderRow, fold_text

_STATUSES = list(OrderStatus)
_CODE_OF = {status: code for code, status in enumerate(_STATUSES)}


class SearchIndex:
    """The rows' folded texts and statuses, laid out for fast scanning.

    ``positions`` (0, 1, 2 … one per row) is made once and shared by every list of positions
    built from it: a large shop's list would otherwise hold the same numbers several times over.
    """

    def __init__(self, rows: Sequence[OrderRow]) -> None:
        self.texts = [row.search_text for row in rows]
        self.positions = list(range(len(rows)))
        self.by_status: dict[OrderStatus, list[int]] = {status: [] for status in OrderStatus}
        for position, row in zip(self.positions, rows, strict=True):
            self.by_status[row.status].append(position)
        # One byte per row: a large shop's statuses, not a list of references to them.
        self._status_codes = bytes(_CODE_OF[row.status] for row in rows)

    def __len__(self) -> int:
        return len(self.texts)

    def status_of(self, index: int) -> OrderStatus:
        return _STATUSES[self._status_codes[index]]


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

    def apply(self, index: SearchIndex, within: Sequence[int] | None = None) -> list[int]:
        """Positions (into the rows the index was built from) of the orders to show, in order.

        ``within`` limits the search to positions a broader filter already found. The list
        returned may be shared with the index: read it, never change it.
        """
        words = self.words
        texts = index.texts
        if within is not None:
            candidates = list(within)
            if self.status is not None:
                candidates = [i for i in candidates if index.status_of(i) == self.status]
        elif self.status is not None:
            candidates = index.by_status[self.status]
        else:
            if not words:
                return index.positions
            first, words = words[0], words[1:]
            candidates = [i for i, text in enumerate(texts) if first in text]
        for word in words:
            candidates = [i for i in candidates if word in texts[i]]
        return list(candidates)
