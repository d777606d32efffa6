"""Reading documents back in tests: text (pypdf), page sizes, fonts, and barcodes (pdfium + zxing-cpp).

Every document test reads what it made; "a file exists" proves nothing.
"""

from __future__ import annotations

import io

import pypdf
import pypdfium2 as pdfium
import zxingcpp


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
