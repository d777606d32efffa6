"""Reading the values of an export: quantities, money, dates, SKUs, with a problem for each bad one.

Every parser collects problems into a ``Problems`` list instead of stopping at the first, so the
owner sees everything wrong with a file at once; the file is refused if the list is not empty.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from shopdesk.importers.errors import ImportRefused, Problem
from shopdesk.importers.reading import Row

# Longest values the database keeps (see shopdesk.db.models).
MAX_NUMBER = 64
MAX_SKU = 64


@dataclass
class Problems:
    """Problems found so far in one file."""

    file: str
    items: list[Problem] = field(default_factory=list)

    def add(self, message: str, *, line: int | None = None, column: str | None = None, value=None) -> None:
        self.items.append(Problem(self.file, message, line=line, column=column, value=value))

    def at(self, row: Row, names: tuple[str, ...] | str, message: str) -> None:
        names = (names,) if isinstance(names, str) else names
        self.items.append(
            Problem(
                row.record.file or self.file,
                message,
                line=row.line,
                column=row.column(*names),
                value=row.get(*names),
            )
        )

    def on(self, row: Row, message: str) -> None:
        """A problem with a whole row rather than one of its values."""
        self.items.append(Problem(row.record.file or self.file, message, line=row.line))

    def __bool__(self) -> bool:
        return bool(self.items)

    def refuse_if_any(self, *, orders: int = 0) -> None:
        if self.items:
            raise ImportRefused(self.items, orders=orders)


def quantity(row: Row, names: tuple[str, ...], problems: Problems) -> int | None:
    """A whole number of at least 1, or None after noting the problem."""
    text = row(*names)
    if not text:
        problems.at(row, names, "The quantity is empty; every line needs how many were ordered.")
        return None
    cleaned = text[:-2] if text.endswith(".0") else text
    try:
        value = int(cleaned)
    except ValueError:
        problems.at(row, names, "The quantity must be a whole number such as 1 or 2.")
        return None
    if value < 1:
        problems.at(row, names, "The quantity must be at least 1.")
        return None
    return value


_MONEY_JUNK = re.compile(r"[^\d.,\-]")


def cents(row: Row, names: tuple[str, ...], problems: Problems) -> int | None:
    """Money as integer cents; empty is None. ``$1,234.50``, ``12.5`` and ``4.9`` are understood."""
    text = row(*names)
    if not text:
        return None
    amount = _cents(text)
    if amount is None:
        problems.at(row, names, "This should be an amount of money such as 12.50.")
    return amount


@functools.lru_cache(maxsize=4096)
def _cents(text: str) -> int | None:
    """``cents`` for one text (None: not an amount); an export repeats the same few prices."""
    cleaned = _MONEY_JUNK.sub("", text)
    if "," in cleaned and "." not in cleaned and re.fullmatch(r"-?\d+,\d{1,2}", cleaned):
        cleaned = cleaned.replace(",", ".")  # 12,50 written by a European spreadsheet
    cleaned = cleaned.replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    return int((amount * 100).to_integral_value())


def parse_time(
    row: Row, names: tuple[str, ...], formats: tuple[str, ...], problems: Problems
) -> datetime | None:
    """A timezone-aware time. Times written without a zone are taken as this computer's local time."""
    text = row(*names)
    if not text:
        problems.at(row, names, "The order date is empty.")
        return None
    for fmt in formats:
        try:
            value = _strptime(text, fmt)
        except ValueError:
            continue
        return value if value.tzinfo else value.astimezone()
    problems.at(row, names, "This is not a date ShopDesk understands for this export.")
    return None


# The two formats most exports write, read without ``strptime`` (ten times slower): the same
# text gives the same time either way, and anything of another shape still goes to ``strptime``.
_ISO_SPACED = {
    "%Y-%m-%d %H:%M:%S %z": re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}", re.ASCII),
    "%Y-%m-%d %H:%M:%S": re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", re.ASCII),
}


def _strptime(text: str, fmt: str) -> datetime:
    shape = _ISO_SPACED.get(fmt)
    if shape is not None and shape.fullmatch(text):
        try:
            # ``2026-01-01 09:13:00 -0500`` → ``2026-01-01 09:13:00-0500``
            return datetime.fromisoformat(text[:19] + text[20:])
        except ValueError:
            pass
    return datetime.strptime(text, fmt)


def text(value: str) -> str:
    """A name or title as the buyer should see it: entities decoded, outer spaces gone."""
    return html.unescape(value).strip()


def postcode(value: str) -> str:
    """Zips keep leading zeros; Shopify's apostrophe (``'04101``, against Excel) is dropped."""
    return value.strip().lstrip("'").strip()


def generated_sku(title: str) -> str:
    """A stable SKU for a line that has none, made from its title, so it can still be scanned.

    The same title always gives the same SKU; the short hash keeps two titles that differ only in
    punctuation apart.
    """
    words = re.sub(r"[^A-Z0-9]+", "-", title.upper()).strip("-") or "ITEM"
    digest = hashlib.sha1(" ".join(title.split()).casefold().encode()).hexdigest()[:4].upper()
    return f"NOSKU-{words[: MAX_SKU - 11]}-{digest}"


def sku(row: Row, names: tuple[str, ...], title: str, problems: Problems) -> str:
    """The line's SKU, or a generated one when the export has none."""
    value = row(*names)
    if not value:
        return generated_sku(title)
    if len(value) > MAX_SKU:
        problems.at(row, names, f"The SKU is longer than {MAX_SKU} characters; shorten it on the platform.")
    return value


def check_number(row: Row, names: tuple[str, ...], problems: Problems) -> str | None:
    """The order number as the customer sees it; it groups the lines, so it may not be empty."""
    value = row(*names)
    if not value:
        problems.at(row, names, "The order number is empty; every line must say which order it is on.")
        return None
    if len(value) > MAX_NUMBER:
        problems.at(row, names, f"The order number is longer than {MAX_NUMBER} characters.")
        return None
    return value


def now() -> datetime:
    return datetime.now(UTC)
