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


def font_files(pdf: bytes) -> dict[str, tuple[str, int]]:
    """The embedded font programs: base name -> (the descriptor's key, e.g. "/FontFile2", its length)."""
    found: dict[str, tuple[str, int]] = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:
                continue
            descriptor = descriptor.get_object()
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in descriptor:
                    found[str(font["/BaseFont"])] = (key, len(descriptor[key].get_object().get_data()))
    return found


def ink_in_text(pdf: bytes, text: str, page: int = 0, dpi: int = 150) -> float:
    """The share of dark pixels where ``text`` is on a page rendered by pdfium, as ShopDesk's preview
    and printing render it: 0 when the text is in the PDF but prints blank.

    The place comes from the PDF's text and font metrics (each character's advance and the font's
    ascent and descent), not from what was drawn, so it is found even when nothing shows.
    """
    document = pdfium.PdfDocument(pdf)
    try:
        pdf_page = document[page]
        text_page = pdf_page.get_textpage()
        found = text_page.search(text).get_next()
        assert found, f"{text!r} is not in the text of page {page}"
        start, count = found
        boxes = [text_page.get_charbox(index, loose=True) for index in range(start, start + count)]
        scale = dpi / 72
        height = pdf_page.get_height()
        left, right = min(b[0] for b in boxes) * scale, max(b[2] for b in boxes) * scale
        top, bottom = (height - max(b[3] for b in boxes)) * scale, (height - min(b[1] for b in boxes)) * scale
        image = pdf_page.render(scale=scale).to_pil().convert("L")
        area = image.crop((round(left), round(top), round(right), round(bottom)))
        return sum(area.histogram()[:128]) / (area.width * area.height)
    finally:
        document.close()


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
