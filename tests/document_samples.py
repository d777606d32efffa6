"""Sample packing-slip data for the document tests."""

from __future__ import annotations

from datetime import date, datetime

from shopdesk.documents.data import Address, CheckStamp, PackingSlipData, Replacement, SlipLine

CHECKED_AT = datetime(2026, 11, 22, 10, 14)


def make_slip(
    order_number: str = "1041",
    name: str = "Zoë Müller",
    lines: tuple[SlipLine, ...] | None = None,
    check: CheckStamp | None = None,
    **kwargs,
) -> PackingSlipData:
    return PackingSlipData(
        order_number=order_number,
        order_date=date(2026, 11, 14),
        ship_to=Address(name, "Bergmannstraße 12", "Hinterhaus", "Berlin", "", "10961", "Germany"),
        lines=lines
        or (
            SlipLine("FOX-03-IR", "Sleepy Fox patch", 1, "Size: 3 in · Backing: iron-on"),
            SlipLine("MOTH-LUNA-L", "Luna Moth patch", 2, "Size: Large", personalization="Renée"),
            SlipLine("MUSH-SET-5", "Mushroom set", 3),
        ),
        check=check or CheckStamp.by_scan(6, 6, CHECKED_AT),
        **kwargs,
    )


def replacement_slip() -> PackingSlipData:
    return make_slip(
        order_number="1057",
        name="Renée Gagnon",
        lines=(SlipLine("BEE-01", "Honey Bee patch", 1),),
        check=CheckStamp.by_scan(1, 1, CHECKED_AT),
        replacement=Replacement("1041", "The border came loose; here is a new one, on us."),
    )
