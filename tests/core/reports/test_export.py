"""The report as a PDF (read back) and the corrections as CSV (read back with ``csv``, formulas defused)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date

import pytest
from mistake_shop import CHANGE_1, CHANGE_2, NOW
from readback import flat, font_files, fonts_used, metadata, pdf_text
from sqlalchemy import update

from shopdesk.db.models import Correction, Product
from shopdesk.reports.export import (
    CSV_HEADER,
    export_corrections_csv,
    export_report_pdf,
    safe_cell,
)
from shopdesk.reports.mistakes import ReportFilter

RANGE = ReportFilter(date(2026, 2, 1), date(2026, 3, 15))


def read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Red Rose", "Red Rose"),
        ("", ""),
        (3, 3),
    ],
)
def test_cells_that_look_like_formulas_are_neutralised(value, written):
    assert safe_cell(value) == written


def test_corrections_csv_reads_back(mistake_shop, tmp_path):
    path = tmp_path / "corrections.csv"
    assert export_corrections_csv(mistake_shop.db, RANGE, path, tz=UTC, now=NOW) == 7
    rows = read_csv(path)
    assert list(rows[0]) == list(CSV_HEADER)
    assert [row["Order"] for row in rows] == ["S0", "E2", "E2", "S3", "X", "S1", "S5"]
    c1 = rows[1]
    assert c1["Date"] == "2026-02-05 15:00"
    assert c1["Shipped"] == "2026-02-03 12:00"
    assert (c1["Kind"], c1["Cause"], c1["Source"]) == ("Missing item", "Packing mistake", "Etsy")
    assert c1["What went wrong"] == "1 × ROSE-RED missing"
    assert (c1["Units owed"], c1["Goodwill extras"]) == ("1", "1 × BEE")
    assert c1["What we will change"] == CHANGE_1
    assert (c1["Replacement"], c1["Replacement status"]) == ("E2-R1", "Shipped")
    assert rows[3]["What went wrong"] == "1 × ROSE-RED wrong item (sent ROSE-PNK)"
    assert rows[3]["Return (RMA)"] == "RMA-S3-1"
    assert rows[4]["Shipped"] == ""  # X was imported as shipped
    assert rows[6]["What we will change"] == CHANGE_2
    assert not list(tmp_path.glob(".*partial"))


def test_formulas_typed_by_the_owner_are_defused_in_the_csv(mistake_shop, tmp_path):
    with mistake_shop.db.unit_of_work() as uow:
        uow.session.execute(
            update(Correction)
            .where(Correction.id == mistake_shop.ids["C3"])
            .values(notes='=HYPERLINK("http://evil.example","Click")', goodwill_note="@SUM(1+1)")
        )
        uow.session.execute(
            update(Correction)
            .where(Correction.id == mistake_shop.ids["C8"])
            .values(notes="-5 off\tnext time")
        )
        uow.commit()
    path = tmp_path / "corrections.csv"
    export_corrections_csv(mistake_shop.db, RANGE, path, tz=UTC, now=NOW)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = {row["Order"] + row["Kind"]: row for row in read_csv(path)}
    assert rows["S1Damaged"]["Notes"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert rows["S1Damaged"]["Goodwill note"] == "'@SUM(1+1)"
    assert rows["E2Damaged"]["Notes"] == "'-5 off\tnext time"
    for row in read_csv(path):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_the_pdf_reads_back_with_every_section(mistake_shop, tmp_path):
    path = tmp_path / "mistakes.pdf"
    report = export_report_pdf(mistake_shop.db, RANGE, path, tz=UTC, now=NOW)
    assert report.corrections == 7
    pdf = path.read_bytes()
    text = flat(pdf_text(pdf))
    assert "Mistakes" in text
    assert "1 Feb 2026 – 15 Mar 2026 · all sources" in text
    assert "Corrections per 100 orders shipped, by week" in text
    assert "7 45.5 8 100.0 CORRECTIONS MADE PER 100 ORDERS SHIPPED (5 OF 11) UNITS RESHIPPED" in text
    assert "PER 100 PACKED WITHOUT A CHECK WENT WRONG · CHECKED: 22.2" in text
    assert f"Change 1 · 5 Feb 2026 (order E2): {CHANGE_1}" in text
    assert f"Change 2 · 9 Mar 2026 (order S5): {CHANGE_2}" in text
    for label in ("Wrong item sent", "Lost in transit", "Packing mistake", "Supplier"):
        assert label in text
    assert "Feb 2026 7 4 57.1" in text
    assert "Mar 2026 4 1 25.0" in text
    assert "Checked 9 2 22.2" in text
    assert "Packed without a check 2 2 100.0" in text
    assert "Postage (6.20 per reship) 43.40" in text
    assert "ROSE-RED Red Rose Patch 3 3 0" in text
    assert "ROSE-RED Red Rose Patch ROSE-PNK Pink Rose Patch 2 3" in text
    assert "Return RMA-S3-1 S3 not back since 12 Feb 2026" in text
    assert "Follow-up E2 due since 2 Mar 2026" in text
    assert "1 correction was made on orders ShopDesk never saw ship" in text
    assert metadata(pdf)["/Title"] == "Mistakes — 1 Feb 2026 – 15 Mar 2026 · all sources"
    # Charts and tables alike are set in the shipped DejaVu Sans, embedded; nothing falls back to Helvetica.
    used = fonts_used(pdf)
    assert used and all("DejaVu" in name for name in used), used
    assert all(font["embedded"] for font in used.values())


def test_a_long_range_charts_months_and_an_empty_one_still_prints(mistake_shop, tmp_path):
    path = tmp_path / "year.pdf"
    export_report_pdf(
        mistake_shop.db, ReportFilter(date(2025, 4, 1), date(2026, 3, 15)), path, tz=UTC, now=NOW
    )
    assert "Corrections per 100 orders shipped, by month" in flat(pdf_text(path.read_bytes()))
    empty = tmp_path / "empty.pdf"
    export_report_pdf(
        mistake_shop.db, ReportFilter(date(2024, 1, 1), date(2024, 1, 31)), empty, tz=UTC, now=NOW
    )
    text = flat(pdf_text(empty.read_bytes()))
    assert "0 corrections made in the range." in text
    assert "No wrong items in the range." in text


def test_cjk_product_titles_print_in_the_embedded_cjk_font(mistake_shop, tmp_path):
    with mistake_shop.db.unit_of_work() as uow:
        uow.session.execute(
            update(Product).where(Product.sku == "ROSE-RED").values(title="赤いバラ 장미 玫瑰 Rose Patch")
        )
        uow.commit()
    path = tmp_path / "mistakes.pdf"
    export_report_pdf(mistake_shop.db, RANGE, path, tz=UTC, now=NOW)

    pdf = path.read_bytes()
    assert "ROSE-RED 赤いバラ 장미 玫瑰 Rose Patch 3 3 0" in flat(pdf_text(pdf))
    cjk = [key for name, (key, _size) in font_files(pdf).items() if name.endswith("+DroidSansFallback")]
    assert cjk == ["/FontFile2"]


def test_the_csv_of_a_source_holds_only_its_corrections(mistake_shop, tmp_path):
    path = tmp_path / "etsy.csv"
    filter = ReportFilter(date(2026, 2, 1), date(2026, 3, 15), source="etsy")
    assert export_corrections_csv(mistake_shop.db, filter, path, tz=UTC, now=NOW) == 2
    assert {row["Source"] for row in read_csv(path)} == {"Etsy"}
    assert io.BytesIO(path.read_bytes()).read(3) == b"\xef\xbb\xbf"
