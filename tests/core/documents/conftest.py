"""Fixtures and read-back helpers for the document tests: every document is read back, never just saved."""

from __future__ import annotations

import io
from datetime import date, datetime

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp

from shopdesk.documents.data import (
    Address,
    CheckStamp,
    PackingSlipData,
    Replacement,
    ShopProfile,
    SlipLine,
)

CHECKED_AT = datetime(2026, 11, 22, 10, 14)


@pytest.fixture
def profile() -> ShopProfile:
    return ShopProfile(
        name="Thread & Thistle Patches",
        address_lines=("14 Mill Lane", "Portland, OR 97201", "USA"),
        return_address_lines=("Thread & Thistle Returns", "PO Box 880", "Portland, OR 97208", "USA"),
        email="hello@threadandthistle.com",
        phone="+1 503 555 0142",
        thank_you_text="Thank you for supporting a tiny studio!",
    )


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


def pdf_pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages_text(pdf))


def flat(text: str) -> str:
    """Text with all whitespace collapsed, for phrases that may wrap across lines."""
    return " ".join(text.split())


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in reader.pages]


def metadata(pdf: bytes) -> dict[str, str]:
    info = pypdf.PdfReader(io.BytesIO(pdf)).metadata or {}
    return {str(k): str(v) for k, v in info.items()}


def fonts_used(pdf: bytes) -> dict[str, dict[str, object]]:
    """Every font the pages use: base name -> subtype, and whether a font file is embedded."""
    found: dict[str, dict[str, object]] = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"])] = {"subtype": str(font["/Subtype"]), "embedded": embedded}
    return found


def render_page(pdf: bytes, page: int = 0, dpi: int = 250):
    document = pdfium.PdfDocument(pdf)
    try:
        return document[page].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()


def decode_barcodes(pdf: bytes, page: int = 0, dpi: int = 250) -> list[str]:
    """Texts of the Code 128 barcodes found on a page rendered at ``dpi``."""
    image = render_page(pdf, page, dpi)
    return [
        result.text
        for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.Code128)
        if result.valid
    ]
