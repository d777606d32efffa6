"""The pieces on their own: reading, detection, Etsy variations, column mappings, hand-entered orders."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from shopdesk.db.models import OrderLine
from shopdesk.importers import detect, etsy
from shopdesk.importers.errors import ImportRefused, UnknownLayout
from shopdesk.importers.fields import generated_sku
from shopdesk.importers.manual import (
    ManualOrderInvalid,
    add_manual_order,
    manual_order_problems,
    next_manual_number,
)
from shopdesk.importers.mapped import (
    ColumnMapping,
    MappingInvalid,
    load_mapping,
    mapping_names,
    save_mapping,
    suggest_columns,
)
from shopdesk.importers.reading import read_file, read_table
from shopdesk.importers.service import import_files
from shopdesk.orders.drafts import LineDraft, OrderDraft

# Reading


def test_records_keep_the_line_they_start_on():
    table = read_table(b'a,b\n1,"two\nlines"\n3,x\n\n5,y\n', "f.csv")

    assert [(r.line, r.values) for r in table.records] == [
        (2, ("1", "two\nlines")),
        (4, ("3", "x")),
        (6, ("5", "y")),
    ]


def test_every_field_stays_text():
    table = read_table(b"zip,qty\n04101,007\n", "f.csv")

    assert table.records[0].values == ("04101", "007")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"   \r\n", "empty"),
        (b"a,b\n", "no orders"),
        (b"a,b\n1,2,3\n", "3 values but the header names 2"),
        (b'a,b\n1,"open\n', "never ends"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV file"),
    ],
)
def test_unreadable_files_are_refused_in_words(data, words):
    with pytest.raises(ImportRefused) as refused:
        read_table(data, "f.csv")

    assert words in str(refused.value)


def test_windows_1252_and_bom_are_read():
    assert read_table("name\nZoë\n".encode("cp1252"), "f.csv").records[0].values == ("Zoë",)
    assert read_table(b"\xef\xbb\xbfname\nx\n", "f.csv").header == ["name"]


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ImportRefused, match="not there"):
        read_file(tmp_path / "gone.csv")


# Detection


@pytest.mark.parametrize(
    ("sample", "fmt"),
    [
        ("etsy/EtsySoldOrderItems2026-11.csv", detect.ETSY_ITEMS),
        ("etsy/EtsySoldOrders2026-11.csv", detect.ETSY_ORDERS),
        ("shopify/orders_export_1.csv", detect.SHOPIFY),
        ("squarespace/orders.csv", detect.SQUARESPACE),
        ("woocommerce/orders-export-one-row-per-item.csv", detect.WOOCOMMERCE),
    ],
)
def test_format_is_told_from_the_header(samples, sample, fmt):
    assert detect.detect(read_file(samples / sample)) is fmt


def test_unknown_header_names_the_closest_format_and_missing_columns():
    table = read_table(
        b"Name,Created at,Lineitem quantity,Lineitem name,Shipping Name\n#1,x,1,y,z\n", "f.csv"
    )

    with pytest.raises(UnknownLayout) as unknown:
        detect.detect(table)

    assert unknown.value.closest == detect.SHOPIFY.label
    assert unknown.value.missing == ["Lineitem sku", "Shipping Zip"]


# Etsy variations


@pytest.mark.parametrize(
    ("cell", "pairs"),
    [
        ("", []),
        ("Size:4 inch", [("Size", "4 inch")]),
        ("Color:Black,Backing:Sew-on", [("Color", "Black"), ("Backing", "Sew-on")]),
        (
            'Color:Black,Personalization:RIDER, "Doc"\nEst. 1987',
            [("Color", "Black"), ("Personalization", 'RIDER, "Doc"\nEst. 1987')],
        ),
        ("Personalisation:Size: big, Color: red", [("Personalisation", "Size: big, Color: red")]),
        ("Thread:Gold, glittery,Size:3 inch", [("Thread", "Gold, glittery"), ("Size", "3 inch")]),
        ("Name:Fish &amp; Chips", [("Name", "Fish & Chips")]),
    ],
)
def test_etsy_variations_split_into_pairs(cell, pairs):
    assert etsy.variation_pairs(cell) == pairs


def test_etsy_buyer_name_drops_the_username():
    assert etsy.buyer_name("Zo&euml; M&#252;ller (rider001)") == "Zoë Müller"


def test_generated_sku_is_stable_and_short():
    sku = generated_sku("Red Rose Patch &  Thorns")
    assert sku == generated_sku("red rose patch & thorns")
    assert sku.startswith("NOSKU-RED-ROSE-PATCH-THORNS-")
    assert len(generated_sku("x" * 300)) <= 64


# Column mappings


def _mapping(**columns):
    base = {"number": "Order", "ship_name": "Name", "quantity": "Qty", "title": "Item"}
    return ColumnMapping(name="fair", source="fair", columns={**base, **columns})


def test_mapping_needs_its_required_fields():
    problems = ColumnMapping(name="x", columns={"number": "Order"}).problems()

    assert any("Ship to: name" in p for p in problems)
    assert any("Quantity" in p for p in problems)
    assert any('"SKU" or the "Item name"' in p for p in problems)


def test_mapping_is_checked_against_the_file():
    problems = _mapping(sku="Code").problems(["Order", "Name", "Qty", "Item"])

    assert problems == ['The file has no column "Code" (mapped to "SKU").']


def test_mapping_round_trips_through_the_settings(db):
    mapping = _mapping(placed_at="When")
    mapping.date_format = "%d.%m.%Y"
    with db.unit_of_work() as uow:
        save_mapping(uow.session, mapping)
        uow.commit()

    with db.reading() as session:
        assert mapping_names(session) == ["fair"]
        assert load_mapping(session, "fair") == mapping


def test_an_invalid_mapping_is_not_saved(db):
    with db.unit_of_work() as uow, pytest.raises(MappingInvalid):
        save_mapping(uow.session, ColumnMapping(name="x", source="Manual!", columns={}))


def test_mapped_import_checks_quantities_and_imports_once(db, tmp_path):
    path = tmp_path / "fair.csv"
    path.write_text(
        "Order,Name,Qty,Item,When\nA1,Ada,2,Red Rose Patch,03.11.2026\nA2,Bo,x,Pink Rose,03.11.2026\n"
    )
    mapping = _mapping(placed_at="When")
    mapping.date_format = "%d.%m.%Y"

    [refused] = import_files(db, [path], mapping=mapping)
    path.write_text(path.read_text().replace(",x,", ",1,"))
    [imported] = import_files(db, [path], mapping=mapping)
    [again] = import_files(db, [path], mapping=mapping)

    assert [(p.line, p.column, p.value) for p in refused.problems] == [(3, "Qty", "x")]
    assert (imported.new, again.unchanged) == (2, 2)


def test_a_refused_file_says_whether_a_column_mapping_could_read_it(db, samples, tmp_path):
    fair = tmp_path / "fair.csv"
    fair.write_text("Order,Name,Qty,Item\nA1,Ada,x,Red Rose Patch\n")

    [unknown, known] = import_files(db, [fair, samples / "broken/etsy_items_bad_quantity.csv"])
    [mapped] = import_files(db, [fair], mapping=_mapping())

    assert not (unknown.imported or known.imported or mapped.imported)
    assert (unknown.unknown_layout, known.unknown_layout, mapped.unknown_layout) == (True, False, True)


def test_columns_are_suggested_from_their_names():
    suggestion = suggest_columns(["Order Number", "Date", "Ship To", "Zip", "Qty", "SKU", "Product"])

    assert suggestion == {
        "number": "Order Number",
        "placed_at": "Date",
        "ship_name": "Ship To",
        "ship_postcode": "Zip",
        "sku": "SKU",
        "title": "Product",
        "quantity": "Qty",
    }


# Orders by hand


def _manual(number="M-001", quantity=1, **fields):
    values = {
        "ship_name": "Ada Lovelace",
        "ship_address1": "1 Analytical Way",
        "ship_city": "London",
        "ship_country": "United Kingdom",
        **fields,
    }
    return OrderDraft(
        source="manual",
        number=number,
        placed_at=datetime(2026, 11, 20, tzinfo=UTC),
        lines=[LineDraft(sku="", title="Red Rose Patch", quantity=quantity)],
        **values,
    )


def test_manual_order_numbers_count_up(db):
    with db.reading() as session:
        assert next_manual_number(session) == "M-001"

    add_manual_order(db, _manual("M-001"))
    add_manual_order(db, _manual("M-007"))

    with db.reading() as session:
        assert next_manual_number(session) == "M-008"


def test_manual_order_problems_are_by_field(db):
    add_manual_order(db, _manual("M-001"))

    with db.reading() as session:
        problems = manual_order_problems(session, _manual("M-001", quantity=0, ship_name=" "))

    assert set(problems) == {"number", "ship_name", "lines.0.quantity"}
    assert "M-002" in problems["number"]


def test_invalid_manual_order_is_not_saved(db):
    with pytest.raises(ManualOrderInvalid) as invalid:
        add_manual_order(db, _manual("M-001", quantity=-2))

    assert "lines.0.quantity" in invalid.value.problems
    with db.reading() as session:
        assert next_manual_number(session) == "M-001"


def test_manual_line_without_sku_gets_one(db):
    add_manual_order(db, _manual("M-001"))

    with db.reading() as session:
        [line] = session.scalars(select(OrderLine))
        assert line.sku == generated_sku("Red Rose Patch")
