"""Packing slips, read back: text, barcodes, page sizes, fonts, continuation pages, stamps."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from document_samples import make_slip, replacement_slip
from readback import decode_barcodes, flat, fonts_used, metadata, page_sizes, pdf_pages_text, pdf_text

from shopdesk.documents.data import CheckStamp, SlipLine
from shopdesk.documents.packing_slip import render_packing_slips
from shopdesk.documents.paper import A4, LABEL_4X6, LETTER

PAPERS = [("letter", LETTER), ("a4", A4), ("label4x6", LABEL_4X6)]


@pytest.mark.parametrize(("paper", "size"), PAPERS)
def test_slip_prints_order_recipient_every_sku_and_quantity(profile, paper, size):
    pdf = render_packing_slips([make_slip()], profile, paper)

    assert page_sizes(pdf) == [(round(size[0], 1), round(size[1], 1))]
    text = pdf_text(pdf)
    assert "Order #1041" in text
    assert "Zoë Müller" in text
    assert "Bergmannstraße 12" in text
    for sku in ("FOX-03-IR", "MOTH-LUNA-L", "MUSH-SET-5"):
        assert sku in text
    assert "× 2" in text and "× 3" in text
    assert re.search(r"^6\s*units in total", text, re.MULTILINE)
    assert "Personalization: Renée" in text
    assert "Size: 3 in · Backing: iron-on" in text
    assert "Checked by scan: 6 of 6 units · 22 Nov 2026 10:14" in text
    assert "Thread & Thistle Patches" in text
    assert "Thank you for supporting a tiny studio!" in text


@pytest.mark.parametrize(("paper", "size"), PAPERS)
def test_order_barcode_decodes_to_the_order_number(profile, paper, size):
    pdf = render_packing_slips([make_slip(order_number="3141592653")], profile, paper)
    assert decode_barcodes(pdf) == ["3141592653"]


def test_letter_barcode_of_a_lettered_order_number(profile):
    pdf = render_packing_slips([make_slip(order_number="SD-2026-0041")], profile, "letter")
    assert decode_barcodes(pdf) == ["SD-2026-0041"]


@pytest.mark.parametrize(
    "name", ["Zoë Müller", "Ñuño Peña", "Renée Gagnon", "王芳", "山田太郎", "김민준", "Ørjan Ødegård"]
)
def test_names_print_as_typed(profile, name):
    text = pdf_text(render_packing_slips([make_slip(name=name)], profile, "letter"))
    assert name in text


def test_fonts_are_embedded_subsets_and_cjk_uses_cid_fonts(profile):
    pdf = render_packing_slips([make_slip(name="王芳")], profile, "letter")
    used = fonts_used(pdf)

    dejavu = {name: font for name, font in used.items() if "DejaVuSans" in name}
    assert dejavu, used
    for name, font in dejavu.items():
        assert re.fullmatch(r"/[A-Z]{6}\+DejaVuSans(-Bold|-Oblique|-BoldOblique)?", name), name
        assert font == {"subtype": "/TrueType", "embedded": True}
    assert used["/STSong-Light"]["subtype"] == "/Type0"
    # No Type 1 standard fonts (Helvetica & co.) sneak in: they cannot print "ë" beyond Latin-1 or CJK.
    assert not [name for name in used if "Helvetica" in name or "Times" in name]


def test_metadata_names_the_document_and_the_shop(profile):
    info = metadata(render_packing_slips([make_slip()], profile, "letter"))
    assert info["/Title"] == "Packing slip — order #1041"
    assert info["/Author"] == "Thread & Thistle Patches"


def test_batch_puts_each_order_on_its_own_pages_in_order(profile):
    slips = [make_slip(order_number=str(n), name=f"Customer {n}") for n in (1041, 1042, 1043)]
    pdf = render_packing_slips(slips, profile, "letter")

    pages = pdf_pages_text(pdf)
    assert len(pages) == 3
    for page, number in zip(pages, (1041, 1042, 1043), strict=True):
        assert f"Order #{number}" in page and f"Customer {number}" in page
        assert "page 1 of 1" in page
    assert [decode_barcodes(pdf, page=i) for i in range(3)] == [["1041"], ["1042"], ["1043"]]
    assert metadata(pdf)["/Title"] == "Packing slips — 3 orders"


@pytest.mark.parametrize("paper", ["letter", "a4", "label4x6"])
def test_long_order_flows_onto_more_pages_with_the_header_repeated(profile, paper):
    lines = tuple(
        SlipLine(f"WILD-{i:03d}", f"Wildflower patch no. {i}", 1 + i % 3, "Size: 2 in · Backing: iron-on")
        for i in range(1, 41)
    )
    units = sum(line.quantity for line in lines)
    slip = make_slip(
        order_number="1060",
        name="Ñuño Peña",
        lines=lines,
        check=CheckStamp.by_scan(units, units, datetime(2026, 11, 22, 12, 30)),
    )
    pdf = render_packing_slips([slip, make_slip(order_number="1061")], profile, paper)

    pages = pdf_pages_text(pdf)
    long_pages = [p for p in pages if "Order #1060" in p]
    assert len(long_pages) >= 2
    total = len(long_pages)
    for number, page in enumerate(long_pages, start=1):
        assert f"Order #1060 · page {number} of {total}" in flat(page)
        if number > 1:
            assert "Order #1060 — continued" in page and "Ship to Ñuño Peña" in page
        if "WILD-" in page:
            assert "QTY" in page and "ITEM" in page  # the items table repeats its header
    all_text = "\n".join(long_pages)
    for line in lines:
        assert line.sku in all_text
    assert f"{units} units in total" in flat(long_pages[-1])
    # The next order starts afresh on its own page.
    assert "Order #1061 · page 1 of 1" in flat(pages[-1])
    assert "Order #1060" not in pages[-1]


def test_long_personalization_wraps_and_is_never_cut(profile):
    wish = "Please embroider: " + " ".join(f"word{i}" for i in range(60)) + " THE-END"
    slip = make_slip(lines=(SlipLine("NAME-CUSTOM", "Custom name patch", 1, personalization=wish),))
    for paper in ("letter", "label4x6"):
        text = flat(pdf_text(render_packing_slips([slip], profile, paper)))
        assert flat(f"Personalization: {wish}") in text


@pytest.mark.parametrize("paper", ["letter", "label4x6"])
def test_skipped_check_prints_not_checked_with_the_reason(profile, paper):
    check = CheckStamp.skipped("scanner battery flat, counted by hand", datetime(2026, 11, 22, 11, 2))
    text = flat(pdf_text(render_packing_slips([make_slip(check=check)], profile, paper)))
    assert "NOT CHECKED — scanner battery flat, counted by hand · 22 Nov 2026 11:02" in text
    assert "Checked by scan" not in text


def test_incomplete_scan_is_not_printed_as_a_clean_check(profile):
    check = CheckStamp.by_scan(5, 6, datetime(2026, 11, 22, 10, 14))
    text = flat(pdf_text(render_packing_slips([make_slip(check=check)], profile, "letter")))
    assert "INCOMPLETE CHECK — Checked by scan: 5 of 6 units" in text
    assert "(1 not scanned)" in text
    assert "✓" not in text


@pytest.mark.parametrize("paper", ["letter", "a4", "label4x6"])
def test_replacement_carries_the_apology_block(profile, paper):
    text = flat(pdf_text(render_packing_slips([replacement_slip()], profile, paper)))
    assert "Replacement for order #1041 — we're sorry" in text
    assert "The border came loose; here is a new one, on us." in text


def test_ordinary_order_has_no_apology_block(profile):
    assert "Replacement for" not in pdf_text(render_packing_slips([make_slip()], profile, "letter"))


def test_buyer_note_prints_in_full_with_unprintable_characters_shown(profile):
    note = "Birthday gift — no receipt please! Danke 😊🧵\nSecond line <b>not markup</b> & more"
    text = flat(pdf_text(render_packing_slips([make_slip(buyer_note=note)], profile, "letter")))
    assert "YOUR NOTE TO US" in text
    # DejaVu has 😊 (U+1F60A); pypdf cannot read astral characters back, the substituted 🧵 it can.
    assert "Birthday gift — no receipt please! Danke" in text
    assert "[U+1F9F5]" in text
    assert "Second line <b>not markup</b> & more" in text


def test_every_page_of_a_4x6_slip_stays_on_the_label(profile):
    """Nothing is drawn outside the page: pdfium reports no text beyond the label's edges."""
    import pypdfium2 as pdfium

    pdf = render_packing_slips([make_slip(buyer_note="A note"), replacement_slip()], profile, "label4x6")
    document = pdfium.PdfDocument(pdf)
    for page in document:
        width, height = page.get_size()
        text = page.get_textpage()
        for i in range(text.count_rects()):
            left, bottom, right, top = text.get_rect(i)
            assert left >= 0 and right <= width and bottom >= 0 and top <= height


def test_no_orders_is_an_error(profile):
    with pytest.raises(ValueError, match="no orders"):
        render_packing_slips([], profile)


def test_paper_comes_from_the_profile(profile):
    from dataclasses import replace

    pdf = render_packing_slips([make_slip()], replace(profile, packing_slip_paper="a4"))
    assert page_sizes(pdf) == [(round(A4[0], 1), round(A4[1], 1))]


@pytest.mark.parametrize("paper", ["letter", "label4x6"])
def test_a_thank_you_longer_than_the_page_left_flows_onto_the_next(profile, paper):
    from dataclasses import replace

    words = " ".join(f"word{number}" for number in range(900))
    slips = [make_slip(), make_slip(order_number="1042")]
    pdf = render_packing_slips(slips, replace(profile, thank_you_text=words), paper)

    text = flat(pdf_text(pdf))
    assert "word0 " in text and "word899" in text
    assert len(pdf_pages_text(pdf)) >= 4
