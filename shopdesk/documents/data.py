"""What the documents print: plain, frozen data, filled in by whoever asks for a document.

Nothing here knows about the database or Qt. The order services turn an order into a
``PackingSlipData``, the settings turn into a ``ShopProfile``, and the renderers turn both into PDF bytes.
Values are checked when they are built, so a renderer never has to guess what an empty field means.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal, get_args

SlipPaper = Literal["letter", "a4", "label4x6"]
"""Paper a packing slip prints on: a sheet of Letter or A4, or a 4×6 in shipping label."""

ReturnLabelPaper = Literal["label4x6", "letter"]
SheetPaper = Literal["letter", "a4"]
"""Plain sheets, for pick lists and shelf-label sheets."""

NotePaper = Literal["half_letter", "label4x6"]
"""An apology note is an insert: half a Letter sheet (cut in two) or a 4×6 in card or label."""


def _check_choice(value: str, allowed: type, what: str) -> None:
    choices = get_args(allowed)
    if value not in choices:
        raise ValueError(f"{what} must be one of {', '.join(choices)}; got {value!r}")


def _lines(value: Sequence[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise TypeError("give address lines as a list of lines, not one string")
    return tuple(line for line in value if line.strip())


@dataclass(frozen=True)
class ShopProfile:
    """The shop as it introduces itself on every document (from settings)."""

    name: str
    address_lines: tuple[str, ...]
    return_address_lines: tuple[str, ...] = ()
    """Where returns go. Empty means the shop's own address."""
    email: str = ""
    phone: str = ""
    website: str = ""
    logo_path: Path | None = None
    thank_you_text: str = ""
    packing_slip_paper: SlipPaper = "letter"
    return_label_paper: ReturnLabelPaper = "label4x6"
    sheet_paper: SheetPaper = "letter"

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("the shop needs a name to print on its documents")
        object.__setattr__(self, "address_lines", _lines(self.address_lines))
        object.__setattr__(self, "return_address_lines", _lines(self.return_address_lines))
        if self.logo_path is not None:
            object.__setattr__(self, "logo_path", Path(self.logo_path))
        _check_choice(self.packing_slip_paper, SlipPaper, "packing slip paper")
        _check_choice(self.return_label_paper, ReturnLabelPaper, "return label paper")
        _check_choice(self.sheet_paper, SheetPaper, "sheet paper")

    @property
    def returns_to(self) -> tuple[str, ...]:
        """The address returns are sent to: the return address, or else the shop's address."""
        return self.return_address_lines or self.address_lines

    @property
    def contact_line(self) -> str:
        return "  ·  ".join(part for part in (self.email, self.phone, self.website) if part)


# Countries that write the postcode before the town ("10115 Berlin"), by ISO code and English name.
_POSTCODE_FIRST = {
    "AT", "BE", "CH", "DE", "DK", "ES", "FI", "FR", "IS", "IT", "LU", "NL", "NO", "PL", "PT", "SE",
    "AUSTRIA", "BELGIUM", "SWITZERLAND", "GERMANY", "DENMARK", "SPAIN", "FINLAND", "FRANCE", "ICELAND",
    "ITALY", "LUXEMBOURG", "NETHERLANDS", "NORWAY", "POLAND", "PORTUGAL", "SWEDEN",
}  # fmt: skip


@dataclass(frozen=True)
class Address:
    """A person's postal address, as the buyer typed it."""

    name: str
    address1: str
    address2: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""

    def lines(self) -> tuple[str, ...]:
        """The address as printed, one line per entry, empty parts left out."""
        if self.country.strip().upper() in _POSTCODE_FIRST:
            town = " ".join(p for p in (self.postcode, self.city) if p)
            if self.region:
                town = f"{town}, {self.region}" if town else self.region
        else:
            town = ", ".join(
                p for p in (self.city, " ".join(p for p in (self.region, self.postcode) if p)) if p
            )
        parts = (self.name, self.address1, self.address2, town, self.country)
        return tuple(p.strip() for p in parts if p and p.strip())


@dataclass(frozen=True)
class SlipLine:
    """One line of an order: which patch, which variation, how many."""

    sku: str
    title: str
    quantity: int
    variation: str = ""
    """The variation in full, e.g. "Size: 3 in · Backing: iron-on"."""
    personalization: str = ""
    """What the buyer asked to have embroidered, exactly as typed."""

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError(f"line {self.sku}: quantity must be at least 1, got {self.quantity}")


@dataclass(frozen=True)
class CheckStamp:
    """How the order's contents were double-checked before the slip was printed.

    Build one with :meth:`by_scan` or :meth:`skipped`.
    """

    at: datetime | None
    units_counted: int = 0
    units_total: int = 0
    skipped_reason: str = ""

    @classmethod
    def by_scan(cls, units_counted: int, units_total: int, at: datetime) -> CheckStamp:
        if units_counted < 0 or units_total < 1:
            raise ValueError("a scan check counts at least one unit")
        return cls(at=at, units_counted=units_counted, units_total=units_total)

    @classmethod
    def skipped(cls, reason: str, at: datetime | None = None) -> CheckStamp:
        if not reason.strip():
            raise ValueError("a skipped check must say why it was skipped")
        return cls(at=at, skipped_reason=reason.strip())

    @property
    def is_skipped(self) -> bool:
        return bool(self.skipped_reason)

    @property
    def is_complete(self) -> bool:
        """Every unit was scanned."""
        return not self.is_skipped and self.units_counted == self.units_total


@dataclass(frozen=True)
class Replacement:
    """This order is a free reship that puts right an earlier order."""

    original_order_number: str
    apology_text: str


@dataclass(frozen=True)
class PackingSlipData:
    order_number: str
    order_date: date
    ship_to: Address
    lines: tuple[SlipLine, ...]
    check: CheckStamp
    buyer_note: str = ""
    channel: str = ""
    """Where the order came from ("Etsy", "Shopify", "Website"); printed beside the order date."""
    replacement: Replacement | None = None

    def __post_init__(self) -> None:
        if not self.order_number.strip():
            raise ValueError("a packing slip needs an order number")
        object.__setattr__(self, "lines", tuple(self.lines))
        if not self.lines:
            raise ValueError(f"order {self.order_number} has no lines to pack")

    @property
    def total_units(self) -> int:
        return sum(line.quantity for line in self.lines)


@dataclass(frozen=True)
class ReturnItem:
    sku: str
    title: str
    quantity: int = 1


@dataclass(frozen=True)
class ReturnLabelData:
    rma_number: str
    """The return number, printed large and as a barcode; scanning it finds the return."""
    sender: Address
    """The customer sending the package back."""
    items: tuple[ReturnItem, ...]
    order_number: str
    prepaid_label_pdf: bytes | None = None
    """A carrier's prepaid label bought elsewhere; its pages print after the return label."""

    def __post_init__(self) -> None:
        if not self.rma_number.strip():
            raise ValueError("a return label needs a return number")
        object.__setattr__(self, "items", tuple(self.items))


@dataclass(frozen=True)
class PickListEntry:
    """One SKU to pick for a set of orders."""

    sku: str
    title: str
    total_units: int
    order_numbers: tuple[str, ...] = ()
    location: str = ""
    """Bin or shelf where the patch is kept, if known."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "order_numbers", tuple(self.order_numbers))


@dataclass(frozen=True)
class ShelfLabel:
    sku: str
    title: str
    copies: int = 1

    def __post_init__(self) -> None:
        if self.copies < 1:
            raise ValueError(f"shelf label {self.sku}: copies must be at least 1")


@dataclass(frozen=True)
class ApologyNoteData:
    customer_first_name: str
    original_order_number: str
    replacement_order_number: str
    body_text: str
    """The note's text, already filled in from the owner's template."""
    sign_off: str = field(default="With warm wishes,")
