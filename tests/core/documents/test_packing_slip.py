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


def test_every_font_is_an_embedded_truetype_subset_cjk_included(profile):
    pdf = render_packing_slips([make_slip(name="王芳")], profile, "letter")
    used = fonts_used(pdf)

    assert {re.sub(r"^/[A-Z]{6}\+", "", name) for name in used} >= {"DejaVuSans", "DejaVuSans-Bold"}
    assert [name for name in used if name.endswith("+DroidSansFallback")], used
    for name, font in used.items():
        assert re.fullmatch(
            r"/[A-Z]{6}\+(DejaVuSans(-Bold|-Oblique|-BoldOblique)?|DroidSansFallback)", name
        ), name
        assert font == {"subtype": "/TrueType", "embedded": True}, name
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


def _poem(lines: int) -> str:
    return "Please embroider: " + " ".join(f"line{i} of the poem" for i in range(lines)) + " THE-END"


@pytest.mark.parametrize(("paper", "poem_lines"), [("letter", 400), ("label4x6", 160)])
def test_a_personalization_longer_than_a_page_carries_on_under_the_header_in_order(
    profile, paper, poem_lines
):
    lines = (
        SlipLine("POEM-XL", "Poem patch", 1, personalization=_poem(poem_lines)),
        SlipLine("FOX-03-IR", "Sleepy Fox patch", 2),
    )
    slip = make_slip(
        order_number="1070", lines=lines, check=CheckStamp.by_scan(3, 3, datetime(2026, 11, 22, 9, 0))
    )
    pdf = render_packing_slips([slip, make_slip(order_number="1071")], profile, paper)

    pages = pdf_pages_text(pdf)
    poem_pages = [page for page in pages if "Order #1070" in page]
    assert len(poem_pages) >= 3
    text = flat("\n".join(poem_pages))
    # Every line of the poem, once each and in order: nothing cut, nothing repeated.
    assert [int(n) for n in re.findall(r"\bline(\d+)\b", text)] == list(range(poem_lines))
    assert text.count("THE-END") == 1
    for number, page in enumerate(poem_pages[1:], start=2):
        assert f"Order #1070 · page {number} of {len(poem_pages)}" in flat(page)
        if re.search(r"\bline\d+\b", page):  # the poem carries on here, under the items' header
            assert "QTY" in page and "ITEM" in page
            assert "POEM-XL" in page and "(continued)" in page
    assert "FOX-03-IR" in text and "3 units in total" in flat(poem_pages[-1])
    assert "Order #1071 · page 1 of 1" in flat(pages[-1])


def test_a_word_wider_than_the_line_is_broken_between_letters_never_cut(profile):
    word = "".join(chr(ord("a") + i % 26) for i in range(300))
    slip = make_slip(lines=(SlipLine("LONG-1", "Long word", 1, personalization=word),))
    for paper in ("letter", "label4x6"):
        text = "".join(pdf_text(render_packing_slips([slip], profile, paper)).split())
        assert f"Personalization:{word}" in text


def test_cjk_personalization_wraps_between_characters_in_its_font_never_before_punctuation(profile):
    # Breaking between any two characters would start lines with "。" on a 4×6 label.
    wish = "お誕生日おめでとう、ゆきちゃん。" * 8
    slip = make_slip(lines=(SlipLine("NAME-JP", "Name patch", 1, personalization=wish),))
    pdf = render_packing_slips([slip], profile, "label4x6")

    text = pdf_text(pdf)
    assert wish in "".join(text.split())
    assert [name for name in fonts_used(pdf) if name.endswith("+DroidSansFallback")]
    wrapped = [line for line in text.splitlines() if "誕" in line or "ゆき" in line]
    assert len(wrapped) >= 3
    assert not [line for line in wrapped if line.startswith(("、", "。"))]  # punctuation stays with its word


def test_a_buyer_note_longer_than_a_label_flows_onto_the_next(profile):
    note = " ".join(f"note{i}" for i in range(700)) + " NOTE-END"
    pdf = render_packing_slips([make_slip(buyer_note=note)], profile, "label4x6")

    text = flat(pdf_text(pdf))
    assert [int(n) for n in re.findall(r"note(\d+)", text)] == list(range(700))
    assert "NOTE-END" in text and len(pdf_pages_text(pdf)) >= 2


def test_a_long_4x6_order_stays_on_the_label_on_every_page(profile):
    import pypdfium2 as pdfium

    lines = tuple(
        SlipLine(f"WILD-{i:03d}", f"Wildflower patch no. {i}", 1 + i % 4, "Size: 2 in · Backing: iron-on",
                 personalization=_poem(30) if i % 9 == 0 else "")
        for i in range(1, 61)
    )  # fmt: skip
    units = sum(line.quantity for line in lines)
    slip = make_slip(
        lines=lines,
        buyer_note="Two bags please",
        check=CheckStamp.by_scan(units, units, datetime(2026, 11, 22)),
    )
    pdf = render_packing_slips([slip], profile, "label4x6")

    document = pdfium.PdfDocument(pdf)
    assert len(document) >= 8
    for page in document:
        width, height = page.get_size()
        text = page.get_textpage()
        for i in range(text.count_rects()):
            left, bottom, right, top = text.get_rect(i)
            assert left >= 0 and right <= width and bottom >= 0 and top <= height
    all_text = pdf_text(pdf)
    for line in lines:
        assert line.sku in all_text


def test_the_shop_and_the_order_read_back_line_by_line(profile):
    text = pdf_text(render_packing_slips([make_slip()], profile, "letter"))
    assert "Thread & Thistle Patches\n14 Mill Lane\n" in text
    assert "Sleepy Fox patch\nSize: 3 in · Backing: iron-on" in text


def test_the_logo_prints_and_a_batch_keeps_one_copy_of_what_every_slip_shares(profile, tmp_path):
    import io
    from dataclasses import replace

    import pypdf
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 120), (30, 90, 160)).save(logo)
    slips = [make_slip(order_number=str(n)) for n in range(1041, 1051)]
    pdf = render_packing_slips(slips, replace(profile, logo_path=logo), "letter")

    shared: set[int] = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        forms = page["/Resources"]["/XObject"]
        shared |= {forms.raw_get(name).idnum for name in forms}
    # The letterhead (with the logo inside it), the items header, the footer and the thank-you.
    assert len(shared) <= 5
    assert pdf.count(b"/Subtype /Image") == 1
    assert "Thread & Thistle Patches" in pdf_pages_text(pdf)[9]


def test_an_unreadable_logo_is_refused_with_a_fix(profile, tmp_path):
    from dataclasses import replace

    from shopdesk.documents.errors import DocumentError

    logo = tmp_path / "logo.png"
    logo.write_text("not a picture")
    with pytest.raises(DocumentError, match=r"(?s)logo .* cannot be read.*shop settings"):
        render_packing_slips([make_slip()], replace(profile, logo_path=logo), "letter")
