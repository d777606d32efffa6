"""Return labels, pick lists, shelf labels and apology notes, read back."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from readback import decode_barcodes, flat, fonts_used, metadata, page_sizes, pdf_pages_text, pdf_text
from reportlab.pdfgen.canvas import Canvas

from shopdesk.documents.apology_note import render_apology_note
from shopdesk.documents.data import (
    Address,
    ApologyNoteData,
    PickListEntry,
    ReturnItem,
    ReturnLabelData,
    ShelfLabel,
)
from shopdesk.documents.errors import AttachedLabelError, BarcodeValueError
from shopdesk.documents.paper import A4, HALF_LETTER, LABEL_4X6, LETTER
from shopdesk.documents.pick_list import render_pick_list
from shopdesk.documents.return_label import render_return_label
from shopdesk.documents.shelf_labels import render_shelf_labels


def _size(size):
    return (round(size[0], 1), round(size[1], 1))


def _return(prepaid: bytes | None = None) -> ReturnLabelData:
    return ReturnLabelData(
        rma_number="RMA-2026-0007",
        sender=Address(
            "Renée Gagnon", "4521 rue Saint-Denis", "App. 3", "Montréal", "QC", "H2J 2L2", "Canada"
        ),
        items=(ReturnItem("MOTH-LUNA-L", "Luna Moth patch", 2), ReturnItem("FOX-03-IR", "Sleepy Fox patch")),
        order_number="1041",
        prepaid_label_pdf=prepaid,
    )


def _carrier_pdf(pages: int = 2) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(288, 432))
    for page in range(pages):
        canvas.drawString(40, 300, f"CARRIER PREPAID LABEL {page + 1}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- return label ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("paper", "size"), [("label4x6", LABEL_4X6), ("letter", LETTER)])
def test_return_label_goes_to_the_shop_from_the_customer(profile, paper, size):
    pdf = render_return_label(_return(), profile, paper)

    assert page_sizes(pdf) == [_size(size)]
    text = flat(pdf_text(pdf))
    assert "RETURN TO Thread & Thistle Patches Thread & Thistle Returns PO Box 880 Portland, OR 97208" in text
    assert "FROM Renée Gagnon 4521 rue Saint-Denis App. 3 Montréal, QC H2J 2L2 Canada" in text
    assert "RMA-2026-0007" in text and "Order #1041" in text
    assert "MOTH-LUNA-L" in text and "× 2" in text and "FOX-03-IR" in text
    assert "POSTAGE" in text and "HOW TO RETURN" in text
    assert decode_barcodes(pdf) == ["RMA-2026-0007"]
    assert metadata(pdf)["/Author"] == "Thread & Thistle Patches"


def test_attached_prepaid_label_prints_after_the_return_label(profile):
    pdf = render_return_label(_return(prepaid=_carrier_pdf(2)), profile, "label4x6")

    pages = pdf_pages_text(pdf)
    assert len(pages) == 3
    assert "RMA-2026-0007" in pages[0]
    assert "CARRIER PREPAID LABEL 1" in pages[1] and "CARRIER PREPAID LABEL 2" in pages[2]
    assert metadata(pdf)["/Title"] == "Return label — RMA-2026-0007"
    assert "prepaid carrier label" in flat(pages[0])


def test_attached_label_that_is_not_a_pdf_is_refused_with_a_fix(profile):
    with pytest.raises(AttachedLabelError, match="download the label from the carrier again"):
        render_return_label(_return(prepaid=b"<html>not a label</html>"), profile)


def test_return_number_that_cannot_be_a_barcode_is_refused(profile):
    data = _return()
    from dataclasses import replace

    with pytest.raises(BarcodeValueError, match="return number"):
        render_return_label(replace(data, rma_number="RMA–7 ✓"), profile)


# --- pick list -------------------------------------------------------------------------------------


def test_pick_list_sorted_by_location_then_sku_with_orders_and_total(profile):
    entries = [
        PickListEntry("FOX-03-IR", "Sleepy Fox patch", 4, ("1041", "1042"), "A2"),
        PickListEntry("BEE-01", "Honey Bee patch", 1, ("1057",)),
        PickListEntry("MOTH-LUNA-L", "Luna Moth patch", 2, ("1041",), "A1"),
        PickListEntry("ANT-02", "Ant patch", 3, ("1060",), "A2"),
    ]
    pdf = render_pick_list(entries, profile, datetime(2026, 11, 22, 9, 5))

    assert page_sizes(pdf) == [_size(LETTER)]
    text = pdf_text(pdf)
    order = [text.index(sku) for sku in ("MOTH-LUNA-L", "ANT-02", "FOX-03-IR", "BEE-01")]
    assert order == sorted(order)
    assert "#1041, #1042" in text
    assert "4 orders, 10 units" in flat(text)
    assert "Total" in text and "10" in text.split("Total")[-1]


def test_pick_list_on_a4(profile):
    pdf = render_pick_list([PickListEntry("BEE-01", "Bee", 1, ("1",))], profile, datetime(2026, 1, 2), "a4")
    assert page_sizes(pdf) == [_size(A4)]


# --- shelf labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("paper", "size", "per_sheet"), [("letter", LETTER, 30), ("a4", A4, 21)])
def test_shelf_labels_scan_to_their_skus(profile, paper, size, per_sheet):
    labels = [
        ShelfLabel("FOX-03-IR", "Sleepy Fox embroidered patch", copies=2),
        ShelfLabel("MUSH-SET-5-SEWON-XL", "Mushroom set"),
        ShelfLabel("BEE-01", "Honey Bee"),
    ]
    pdf = render_shelf_labels(labels, profile, paper=paper)

    assert page_sizes(pdf) == [_size(size)]
    assert sorted(decode_barcodes(pdf, dpi=300)) == sorted(
        ["FOX-03-IR", "FOX-03-IR", "MUSH-SET-5-SEWON-XL", "BEE-01"]
    )
    many = render_shelf_labels([ShelfLabel("BEE-01", "Bee", copies=per_sheet + 1)], profile, paper=paper)
    assert len(page_sizes(many)) == 2


def test_shelf_label_truncates_the_title_but_never_the_sku(profile):
    sku = "MOTH-LUNA-LG-IRON-26"
    title = "Luna Moth patch — Large 4 in, iron-on backing, glow-in-the-dark thread, limited run"
    pdf = render_shelf_labels([ShelfLabel(sku, title)], profile)
    text = pdf_text(pdf)
    assert sku in text
    assert decode_barcodes(pdf, dpi=300) == [sku]
    assert "Luna Moth patch" in text and "…" in text and "limited run" not in text


def test_sku_too_long_for_a_scannable_label_is_refused(profile):
    with pytest.raises(BarcodeValueError, match="too long"):
        render_shelf_labels([ShelfLabel("X" * 40, "Far too long")], profile)


def test_skip_leaves_used_labels_blank(profile):
    pdf = render_shelf_labels([ShelfLabel("BEE-01", "Bee", copies=29)], profile, skip=1)
    assert len(page_sizes(pdf)) == 1
    with pytest.raises(ValueError, match="skip"):
        render_shelf_labels([ShelfLabel("BEE-01", "Bee")], profile, skip=30)


# --- apology note ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("paper", "size"), [("half_letter", HALF_LETTER), ("label4x6", LABEL_4X6)])
def test_apology_note_greets_the_customer_and_names_the_replacement(profile, paper, size):
    note = ApologyNoteData(
        "Zoë", "1041", "1057", "So sorry about the loose thread.\n\nA new one is inside, on us."
    )
    pdf = render_apology_note(note, profile, paper)

    assert page_sizes(pdf) == [_size(size)]
    text = flat(pdf_text(pdf))
    assert "Dear Zoë," in text
    assert "So sorry about the loose thread." in text and "A new one is inside, on us." in text
    assert "With warm wishes, Thread & Thistle Patches" in text
    assert "Replacement order #1057 · for order #1041" in text
    assert all("DejaVuSans" in name for name in fonts_used(pdf))
