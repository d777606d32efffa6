"""The same orders however the file comes: re-encoded, CRLF, UK headers, old headers, split parts."""

from __future__ import annotations

import pytest

from shopdesk.importers.service import import_files

SHOPIFY = "shopify/orders_export_1.csv"
ETSY_ITEMS = "etsy/EtsySoldOrderItems2026-11.csv"


def _reencode(source, target, *, encoding="utf-8", bom=False, crlf=False):
    text = source.read_bytes().decode("utf-8")
    if crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode(encoding)
    target.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return target


VARIANTS = {
    "utf-8-bom": {"bom": True},
    "windows-1252": {"encoding": "cp1252"},
    "crlf": {"crlf": True},
    "windows-1252-crlf": {"encoding": "cp1252", "crlf": True},
    "utf-8-bom-crlf": {"bom": True, "crlf": True},
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize(
    ("sample", "source"),
    [
        (SHOPIFY, "shopify"),
        (ETSY_ITEMS, "etsy"),
        ("squarespace/orders.csv", "squarespace"),
        ("woocommerce/orders-export-one-row-per-item.csv", "woocommerce"),
    ],
)
def test_reencoded_file_gives_the_same_orders(
    db, samples, tmp_path, expected, stored_orders, expected_for, variant, sample, source
):
    path = _reencode(samples / sample, tmp_path / sample.split("/")[1], **VARIANTS[variant])

    [result] = import_files(db, [path])

    assert result.imported, result.problems
    assert stored_orders(db, source) == expected_for(expected, source)


def test_crlf_file_after_lf_file_is_unchanged(db, samples, tmp_path):
    """A quoted note with a newline compares equal whatever the line ends of the file."""
    import_files(db, [samples / SHOPIFY])
    crlf = _reencode(samples / SHOPIFY, tmp_path / "orders_export_1.csv", encoding="cp1252", crlf=True)

    [result] = import_files(db, [crlf])

    assert (result.new, result.unchanged, result.changed) == (0, 8, 0)


def test_etsy_uk_headers(db, work, expected, stored_orders, expected_for):
    path = work / ETSY_ITEMS
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    for us, uk in [
        ("Ship City", "Delivery City"),
        ("Ship Zipcode", "Delivery Zipcode"),
        ("Ship Country", "Delivery Country"),
        ("Order Shipping", "Order Delivery"),
        ("Date Shipped", "Date Posted"),
    ]:
        header = header.replace(us, uk)
    path.write_text(header + "\n" + rest, encoding="utf-8")

    [result] = import_files(db, [path])

    assert result.imported, result.problems
    assert stored_orders(db, "etsy") == expected_for(expected, "etsy")


def test_shopify_old_header_with_fewer_columns(db, work, expected, stored_orders, expected_for):
    """A 2021 export ends at "Shipping Province Name"."""
    import csv

    path = work / SHOPIFY
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    end = rows[0].index("Shipping Province Name") + 1
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(row[:end] for row in rows)

    [result] = import_files(db, [path])

    assert result.imported, result.problems
    assert stored_orders(db, "shopify") == expected_for(expected, "shopify")


def test_shopify_columns_in_another_order(db, work, expected, stored_orders, expected_for):
    import csv

    path = work / SHOPIFY
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(list(reversed(row)) for row in rows)

    [result] = import_files(db, [path])

    assert result.imported, result.problems
    assert stored_orders(db, "shopify") == expected_for(expected, "shopify")


def _split(path, after_line: int):
    """Split a Shopify export into _1 and _2 after a physical line (header repeated)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = path.with_name("orders_export_1.csv")
    second = path.with_name("orders_export_2.csv")
    body = lines[1:]
    first.write_text(lines[0] + "".join(body[: after_line - 1]), encoding="utf-8")
    second.write_text(lines[0] + "".join(body[after_line - 1 :]), encoding="utf-8")
    return first, second


def test_split_shopify_export_straddling_an_order(db, work, expected, stored_orders, expected_for):
    # Line 10 is #1044's second row: the order starts in part 1 and ends in part 2.
    first, second = _split(work / SHOPIFY, after_line=9)

    results = import_files(db, [second, first])

    assert [r.name for r in results] == ["orders_export_1.csv + orders_export_2.csv"]
    assert results[0].imported, results[0].problems
    assert stored_orders(db, "shopify") == expected_for(expected, "shopify")


def test_second_part_alone_is_refused(db, work, snapshot):
    _first, second = _split(work / SHOPIFY, after_line=9)
    before = snapshot(db)

    [result] = import_files(db, [second])

    assert not result.imported
    assert "split export" in result.problems[0].message
    assert snapshot(db) == before


def test_problem_in_a_split_export_names_the_part_and_its_line(db, work):
    path = work / SHOPIFY
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            ",3,Winged Wheel Patch - Large,", ",three,Winged Wheel Patch - Large,"
        ),
        encoding="utf-8",
    )
    first, second = _split(path, after_line=9)

    [result] = import_files(db, [first, second])

    [problem] = result.problems
    # #1044's third row: line 10 of the whole export, line 2 of part 2.
    assert (problem.file, problem.line, problem.value) == ("orders_export_2.csv", 2, "three")


def test_etsy_orders_file_alone_is_refused(db, samples):
    [result] = import_files(db, [samples / "etsy/EtsySoldOrders2026-11.csv"])

    assert not result.imported
    assert "EtsySoldOrderItems" in result.problems[0].message


def test_etsy_pair_that_does_not_match_is_refused(db, work, snapshot):
    orders = work / "etsy/EtsySoldOrders2026-11.csv"
    orders.write_text(
        orders.read_text(encoding="utf-8").replace(
            ",3005,rider005,Tom Becker,Tom,Becker,8,", ",3005,rider005,Tom Becker,Tom,Becker,9,"
        ),
        encoding="utf-8",
    )
    before = snapshot(db)

    [result] = import_files(db, [work / ETSY_ITEMS, orders])

    assert not result.imported
    [problem] = result.problems
    assert (problem.file, problem.line, problem.column, problem.value) == (
        "EtsySoldOrders2026-11.csv",
        6,
        "Number of Items",
        "9",
    )
    assert snapshot(db) == before
