"""Any other CSV (Big Cartel, PayPal, a spreadsheet of craft-fair orders) through a column mapping.

The owner maps each order field to one of the file's columns once, in the mapping dialog; the
mapping is checked, saved under a name (a ``Setting`` keyed ``import.mapping.<name>``) and used for
every later file of that layout. Rows with the same order number make one order; order fields are
taken from the first row of the order that fills them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopdesk.db.models import Setting
from shopdesk.errors import NotFound, ShopDeskError
from shopdesk.importers import fields
from shopdesk.importers.fields import Problems
from shopdesk.importers.reading import Row, Table
from shopdesk.orders.drafts import LineDraft, OrderDraft

SETTING_PREFIX = "import.mapping."
# Setting keys are at most 64 characters.
MAX_NAME = 64 - len(SETTING_PREFIX)
RESERVED_SOURCES = {"manual", "reship"}

# Order fields a column can be mapped to, with the label the mapping dialog shows.
ORDER_FIELDS: dict[str, str] = {
    "number": "Order number",
    "placed_at": "Order date",
    "customer_name": "Customer name",
    "email": "Email",
    "ship_name": "Ship to: name",
    "ship_address1": "Ship to: street",
    "ship_address2": "Ship to: street, second line",
    "ship_city": "Ship to: city",
    "ship_region": "Ship to: state or province",
    "ship_postcode": "Ship to: postcode",
    "ship_country": "Ship to: country",
    "buyer_note": "Note from the buyer",
    "currency": "Currency",
    "total": "Order total",
    "sku": "SKU",
    "title": "Item name",
    "variation": "Variation / personalization",
    "quantity": "Quantity",
    "unit_price": "Price per item",
}
REQUIRED = ("number", "ship_name", "quantity")
# Without a SKU, the item name makes one (see ``fields.generated_sku``); one of the two is needed.
SKU_OR_TITLE = ("sku", "title")

DEFAULT_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%m/%d/%y",
)

_SOURCE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")


class MappingInvalid(ShopDeskError):
    """A column mapping cannot be used as it is; ``problems`` lists why, one sentence each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(" ".join(problems))


@dataclass
class ColumnMapping:
    """Which column of a file holds each order field, saved under ``name``.

    ``source`` is stored on the orders (with the order number it keeps them unique), e.g.
    ``bigcartel``; ``date_format`` is a ``strptime`` format when the dates are not one of the
    common ones (``DEFAULT_TIME_FORMATS``, month first). Without a date column, orders are dated
    when they are imported.
    """

    name: str
    columns: dict[str, str] = field(default_factory=dict)
    source: str = "csv"
    date_format: str | None = None

    def problems(self, header: list[str] | None = None) -> list[str]:
        """Why this mapping cannot be used (for the file with ``header``, if given); empty if it can."""
        found: list[str] = []
        if not self.name.strip():
            found.append("Give the mapping a name.")
        elif len(self.name) > MAX_NAME:
            found.append(f"The mapping's name is longer than {MAX_NAME} characters.")
        if not _SOURCE.fullmatch(self.source):
            found.append(
                "The shop name must be lower-case letters, digits, - or _ (up to 32), e.g. bigcartel."
            )
        elif self.source in RESERVED_SOURCES:
            found.append(f'"{self.source}" is kept for orders made in ShopDesk; choose another shop name.')
        unknown = sorted(set(self.columns) - set(ORDER_FIELDS))
        if unknown:
            found.append("Unknown order fields: " + ", ".join(unknown) + ".")
        for name in REQUIRED:
            if not self.columns.get(name):
                found.append(f'Choose the column that holds "{ORDER_FIELDS[name]}".')
        if not any(self.columns.get(name) for name in SKU_OR_TITLE):
            found.append('Choose the column that holds the "SKU" or the "Item name".')
        if header is not None:
            present = {" ".join(name.split()).casefold() for name in header}
            for name, column in self.columns.items():
                if column and " ".join(column.split()).casefold() not in present:
                    found.append(
                        f'The file has no column "{column}" (mapped to "{ORDER_FIELDS.get(name, name)}").'
                    )
        return found

    def check(self, header: list[str] | None = None) -> None:
        problems = self.problems(header)
        if problems:
            raise MappingInvalid(problems)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "date_format": self.date_format,
            "columns": {name: column for name, column in self.columns.items() if column},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ColumnMapping:
        return cls(
            name=str(data["name"]),
            columns={str(k): str(v) for k, v in dict(data.get("columns") or {}).items()},
            source=str(data.get("source") or "csv"),
            date_format=data.get("date_format") or None,
        )


def save_mapping(session: Session, mapping: ColumnMapping) -> None:
    """Check and save (or replace) a mapping under its name."""
    mapping.check()
    key = SETTING_PREFIX + mapping.name
    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=mapping.to_json()))
    else:
        setting.value = mapping.to_json()


def load_mapping(session: Session, name: str) -> ColumnMapping:
    setting = session.get(Setting, SETTING_PREFIX + name)
    if setting is None:
        names = mapping_names(session)
        known = f" Saved mappings: {', '.join(names)}." if names else " No mapping has been saved yet."
        raise NotFound(f'There is no saved column mapping called "{name}".{known}')
    return ColumnMapping.from_json(setting.value)


def mapping_names(session: Session) -> list[str]:
    keys = session.scalars(select(Setting.key).where(Setting.key.startswith(SETTING_PREFIX)))
    return sorted(key.removeprefix(SETTING_PREFIX) for key in keys)


def delete_mapping(session: Session, name: str) -> None:
    setting = session.get(Setting, SETTING_PREFIX + name)
    if setting is not None:
        session.delete(setting)


_GUESSES: dict[str, tuple[str, ...]] = {
    "number": ("order number", "order no", "order #", "order id", "order", "invoice", "number"),
    "placed_at": ("order date", "date", "created", "created at", "sale date", "paid at"),
    "customer_name": ("customer name", "customer", "buyer", "billing name", "name"),
    "email": ("email", "e-mail", "buyer email", "customer email"),
    "ship_name": ("ship name", "shipping name", "ship to", "recipient", "name"),
    "ship_address1": ("address", "address 1", "address1", "street", "shipping address1", "ship address1"),
    "ship_address2": ("address 2", "address2", "shipping address2", "ship address2"),
    "ship_city": ("city", "town", "shipping city", "ship city"),
    "ship_region": ("state", "province", "region", "county", "shipping province", "ship state"),
    "ship_postcode": ("zip", "zipcode", "postcode", "postal code", "shipping zip", "ship zipcode"),
    "ship_country": ("country", "shipping country", "ship country"),
    "buyer_note": ("note", "notes", "message", "buyer note", "customer note"),
    "currency": ("currency",),
    "total": ("total", "order total", "amount", "gross"),
    "sku": ("sku", "item sku", "product sku", "code"),
    "title": ("item", "item name", "product", "product name", "title", "description"),
    "variation": ("variation", "variant", "options", "option", "personalization"),
    "quantity": ("quantity", "qty", "item quantity", "count"),
    "unit_price": ("price", "item price", "unit price"),
}


def suggest_columns(header: list[str]) -> dict[str, str]:
    """A first guess at the mapping from the column names, for the dialog to start from."""
    by_key = {" ".join(name.split()).casefold(): name for name in header if name}
    suggestion: dict[str, str] = {}
    taken: set[str] = set()
    for order_field, guesses in _GUESSES.items():
        for guess in guesses:
            column = by_key.get(guess)
            if column and column not in taken:
                suggestion[order_field] = column
                taken.add(column)
                break
    return suggestion


def parse(table: Table, mapping: ColumnMapping) -> list[OrderDraft]:
    """Orders from ``table`` read through ``mapping`` (checked against the file's header first)."""
    problems = Problems(table.name)
    for reason in mapping.problems(table.header):
        problems.add(reason, line=1)
    problems.refuse_if_any()
    columns = {name: (column,) for name, column in mapping.columns.items() if column}
    groups: dict[str, list[Row]] = {}
    for row in table.rows():
        number = fields.check_number(row, columns["number"], problems)
        if number is not None:
            groups.setdefault(number, []).append(row)
    formats = (mapping.date_format,) if mapping.date_format else DEFAULT_TIME_FORMATS
    drafts = []
    for number, rows in groups.items():
        draft = _order(number, rows, columns, formats, mapping.source, problems)
        if draft is not None:
            drafts.append(draft)
    problems.refuse_if_any(orders=len(groups))
    return drafts


def _order(
    number: str,
    rows: list[Row],
    columns: dict[str, tuple[str, ...]],
    formats: tuple[str, ...],
    source: str,
    problems: Problems,
) -> OrderDraft | None:
    before = len(problems.items)

    def first_filled(name: str) -> tuple[Row, str]:
        names = columns.get(name)
        if names:
            for row in rows:
                if row(*names):
                    return row, row.get(*names)
        return rows[0], ""

    placed_at = fields.now()
    if "placed_at" in columns:
        row, _ = first_filled("placed_at")
        placed_at = fields.parse_time(row, columns["placed_at"], formats, problems) or placed_at
    lines = []
    for row in rows:
        title = fields.text(row.get(*columns["title"])) if "title" in columns else ""
        sku = fields.sku(row, columns["sku"], title, problems) if "sku" in columns else ""
        if not sku and not title:
            problems.add("This line has neither a SKU nor an item name.", line=row.line)
            continue
        quantity = fields.quantity(row, columns["quantity"], problems)
        price = fields.cents(row, columns["unit_price"], problems) if "unit_price" in columns else None
        if quantity is not None:
            lines.append(
                LineDraft(
                    sku=sku or fields.generated_sku(title),
                    title=title or sku,
                    quantity=quantity,
                    variation=fields.text(row.get(*columns["variation"])) if "variation" in columns else "",
                    unit_price_cents=price,
                )
            )
    total = None
    if "total" in columns:
        row, _ = first_filled("total")
        total = fields.cents(row, columns["total"], problems)
    ship_row, ship_name = first_filled("ship_name")
    if not ship_name.strip():
        problems.at(ship_row, columns["ship_name"], f"Order {number} has no name to ship to.")
    if len(problems.items) > before:
        return None

    def value(name: str) -> str:
        return fields.text(first_filled(name)[1])

    return OrderDraft(
        source=source,
        number=number,
        placed_at=placed_at,
        customer_name=value("customer_name") or fields.text(ship_name),
        email=value("email") or None,
        ship_name=fields.text(ship_name),
        ship_address1=value("ship_address1"),
        ship_address2=value("ship_address2"),
        ship_city=value("ship_city"),
        ship_region=value("ship_region"),
        ship_postcode=fields.postcode(first_filled("ship_postcode")[1]),
        ship_country=value("ship_country"),
        buyer_note=first_filled("buyer_note")[1].strip(),
        currency=value("currency").upper()[:3],
        total_cents=total,
        lines=lines,
    )
