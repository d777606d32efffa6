"""Where a check stands: every line's count against what was ordered, as plain data.

``check_state`` is what the check screen and the command line show. It is read fresh from the
database after every scan, so the screen always shows what is saved, never a count of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopdesk.checking.gate import block_reason
from shopdesk.corrections.history import lookalikes_for
from shopdesk.db.models import Order, OrderStatus, Product
from shopdesk.orders.queries import load_order


def normalise_code(code: str) -> str:
    """A scanned or typed code as it is compared: no whitespace anywhere, case folded."""
    return "".join(code.split()).casefold()


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class CheckLine:
    id: int
    # 1, 2, 3… as the screen numbers the lines (and their Alt+1, Alt+2… keys).
    number: int
    sku: str
    title: str
    # Variation and personalization exactly as the buyer gave them, newlines and all.
    variation: str
    quantity: int
    counted: int
    barcode: str | None
    picture_path: str | None
    # "Often mixed up with Pink Rose Patch", from earlier wrong-item corrections; "" when none.
    warning: str = ""

    @property
    def is_complete(self) -> bool:
        return self.counted >= self.quantity

    @property
    def remaining(self) -> int:
        return max(self.quantity - self.counted, 0)

    @property
    def codes(self) -> frozenset[str]:
        """The normalised codes that count toward this line: its SKU and its product's barcode."""
        return frozenset(normalise_code(code) for code in (self.sku, self.barcode or "") if code.strip())

    @property
    def name(self) -> str:
        return f"{self.title} ({self.sku})" if self.title else self.sku


@dataclass(frozen=True, slots=True)
class CheckState:
    order_id: int
    number: str
    source: str
    recipient: str
    status: OrderStatus
    lines: tuple[CheckLine, ...]
    skip_reason: str | None
    checked_at: datetime | None

    @property
    def units_total(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def units_counted(self) -> int:
        return sum(min(line.counted, line.quantity) for line in self.lines)

    @property
    def is_complete(self) -> bool:
        """Every unit of every line counted (an order without lines is never complete)."""
        return bool(self.lines) and all(line.is_complete for line in self.lines)

    @property
    def is_started(self) -> bool:
        return self.units_counted > 0

    @property
    def is_skipped(self) -> bool:
        return bool(self.skip_reason)

    @property
    def progress_text(self) -> str:
        """ "2 of 3 items checked": every unit is an item the owner puts in the box."""
        total = self.units_total
        return f"{self.units_counted} of {total} item{'' if total == 1 else 's'} checked"

    @property
    def blocked_reason(self) -> str | None:
        """Why the packing slip cannot be printed yet, or None when it can."""
        return block_reason(self.status, self.skip_reason, self.progress_text)

    @property
    def contents_text(self) -> str:
        """What the order contains, for messages: "Red Rose Patch (ROSE-RED) ×2, …"."""
        return ", ".join(f"{line.name} ×{line.quantity}" for line in self.lines) or "nothing"

    def line(self, line_id: int) -> CheckLine | None:
        return next((line for line in self.lines if line.id == line_id), None)

    def lines_matching(self, code: str) -> list[CheckLine]:
        wanted = normalise_code(code)
        return [line for line in self.lines if wanted and wanted in line.codes]


def check_state(session: Session, order_id: int) -> CheckState:
    """The check of one order as it is saved now. Raises ``NotFound`` for an unknown id."""
    order = load_order(session, order_id)
    return state_of_order(session, order)


def state_of_order(session: Session, order: Order) -> CheckState:
    skus = [line.sku for line in order.lines]
    products = products_by_sku(session, skus)
    warnings = lookalike_warnings(session, skus)
    lines = tuple(
        CheckLine(
            id=line.id,
            number=index,
            sku=line.sku,
            title=line.title or (products[line.sku].title if line.sku in products else ""),
            variation=line.variation,
            quantity=line.quantity,
            counted=line.counted,
            barcode=products[line.sku].barcode if line.sku in products else None,
            picture_path=products[line.sku].picture_path if line.sku in products else None,
            warning=warnings.get(line.sku, ""),
        )
        for index, line in enumerate(order.lines, start=1)
    )
    return CheckState(
        order_id=order.id,
        number=order.number,
        source=order.source,
        recipient=order.ship_name or order.customer_name,
        status=order.status,
        lines=lines,
        skip_reason=order.check_skip_reason,
        checked_at=order.checked_at,
    )


def products_by_sku(session: Session, skus: Iterable[str]) -> dict[str, Product]:
    wanted = set(skus)
    if not wanted:
        return {}
    return {p.sku: p for p in session.scalars(select(Product).where(Product.sku.in_(wanted)))}


def lookalike_warnings(session: Session, skus: Iterable[str]) -> dict[str, str]:
    """Warnings for lines whose product was involved in an earlier wrong-item mistake.

    When a correction said "sent ROSE-PNK instead of ROSE-RED", this returns
    ``{"ROSE-RED": "Mixed up before with Pink Rose Patch (ROSE-PNK) — look twice", "ROSE-PNK": …}``
    for the SKUs asked about, and the check screen shows it on the line. Read from the correction
    records (``corrections.history.lookalikes_for``), most often mixed up first.
    """
    found = lookalikes_for(session, skus)
    if not found:
        return {}
    others = {other for pairs in found.values() for other, _times in pairs}
    titles = {sku.upper(): product.title for sku, product in products_by_sku(session, others).items()}
    warnings = {}
    for sku, pairs in found.items():
        names = []
        for other, times in pairs:
            title = titles.get(other.upper())
            name = f"{title} ({other})" if title else other
            names.append(name + (f", {times} times" if times > 1 else ""))
        warnings[sku] = f"Mixed up before with {'; '.join(names)} — look twice"
    return warnings
