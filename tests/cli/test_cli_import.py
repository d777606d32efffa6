"""``shopdesk import`` through ``shopdesk.cli.main``: summary lines, reasons on stderr, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shop_files import NARROW_SHOPIFY_HEADER, narrow_shopify_row, sparse_file

from shopdesk.app import open_shop
from shopdesk.cli import main
from shopdesk.importers.mapped import ColumnMapping, save_mapping

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


@pytest.fixture
def shop(tmp_path) -> str:
    return str(tmp_path / "shop.db")


def _orders(shop, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["--db", shop, "orders", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_import_prints_one_line_per_file_and_exits_0(shop, capsys):
    code = main(
        [
            "--db",
            shop,
            "import",
            str(SAMPLES / "etsy/EtsySoldOrderItems2026-11.csv"),
            str(SAMPLES / "etsy/EtsySoldOrders2026-11.csv"),
            str(SAMPLES / "shopify/orders_export_1.csv"),
        ]
    )

    out, err = capsys.readouterr()
    assert code == 0
    assert out.splitlines() == [
        "EtsySoldOrderItems2026-11.csv + EtsySoldOrders2026-11.csv: 8 new, 0 unchanged, 0 changed, 0 refused",
        "orders_export_1.csv: 8 new, 0 unchanged, 0 changed, 0 refused",
    ]
    assert err == ""
    assert len(_orders(shop, capsys)) == 16


def test_importing_again_says_unchanged(shop, capsys):
    path = str(SAMPLES / "squarespace/orders.csv")
    assert main(["--db", shop, "import", path]) == 0
    capsys.readouterr()

    assert main(["--db", shop, "import", path]) == 0

    assert capsys.readouterr().out == "orders.csv: 0 new, 4 unchanged, 0 changed, 0 refused\n"


def test_refused_file_exits_1_with_reasons_on_stderr(shop, capsys):
    code = main(
        [
            "--db",
            shop,
            "import",
            str(SAMPLES / "woocommerce/orders-export-one-row-per-item.csv"),
            str(SAMPLES / "broken/etsy_items_bad_quantity.csv"),
        ]
    )

    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines() == [
        "orders-export-one-row-per-item.csv: 4 new, 0 unchanged, 0 changed, 0 refused",
        "etsy_items_bad_quantity.csv: refused, nothing imported (4 problems)",
    ]
    assert (
        'etsy_items_bad_quantity.csv, line 3, column "Quantity" "two": The quantity must be a whole number'
        in err
    )
    assert (
        'etsy_items_bad_quantity.csv, line 4, column "Quantity" "-1": The quantity must be at least 1.' in err
    )
    assert {order["source"] for order in _orders(shop, capsys)} == {"woocommerce"}


def test_unknown_layout_names_the_closest_format(shop, capsys):
    code = main(["--db", shop, "import", str(SAMPLES / "broken/etsy_items_missing_quantity.csv")])

    err = capsys.readouterr().err
    assert code == 1
    assert "closest is an Etsy sold order items export" in err
    assert '"Quantity"' in err


@pytest.mark.parametrize(
    "name", ["empty.csv", "not_a_csv.csv", "truncated_shopify.csv", "header_only_shopify.csv"]
)
def test_bad_files_get_one_clear_message_not_a_traceback(shop, capsys, name):
    code = main(["--db", shop, "import", str(SAMPLES / "broken" / name)])

    err = capsys.readouterr().err
    assert code == 1
    assert name in err
    assert "Traceback" not in err and "something went wrong" not in err


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "orders_export_big.csv: The file is 200 MB"),
        (narrow_shopify_row(1, "x" * 1_000_000), 'orders_export_big.csv, line 2, column "Notes" "xxx'),
    ],
    ids=["200 MB file", "1 MB value"],
)
def test_an_oversized_file_is_refused_and_the_others_import(shop, capsys, tmp_path, content, reason):
    big = tmp_path / "orders_export_big.csv"
    if content is None:
        sparse_file(big, 200_000_000)
    else:
        big.write_text(NARROW_SHOPIFY_HEADER + content, encoding="utf-8")

    code = main(["--db", shop, "import", str(big), str(SAMPLES / "squarespace/orders.csv")])

    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines() == [
        "orders_export_big.csv: refused, nothing imported (1 problem)",
        "orders.csv: 4 new, 0 unchanged, 0 changed, 0 refused",
    ]
    assert reason in err
    assert {order["source"] for order in _orders(shop, capsys)} == {"squarespace"}


def test_missing_file_is_a_usage_error(shop, capsys, tmp_path):
    code = main(["--db", shop, "import", str(tmp_path / "nope.csv")])

    assert code == 2
    assert "no such file" in capsys.readouterr().err


def test_no_file_is_a_usage_error(shop):
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", shop, "import"])
    assert exit_info.value.code == 2


def test_unknown_mapping_is_a_usage_error(shop, capsys):
    code = main(
        ["--db", shop, "import", "--mapping", "bigcartel", str(SAMPLES / "broken/unknown_columns.csv")]
    )

    assert code == 2
    assert 'no saved column mapping called "bigcartel"' in capsys.readouterr().err


def test_import_with_a_saved_mapping(shop, capsys, tmp_path):
    fair = tmp_path / "craft-fair.csv"
    fair.write_text(
        "Ticket,Who,Street,Town,Zip,Land,Patch,How many\n"
        "F-1,Ada Lovelace,1 Analytical Way,London,N1 9GU,United Kingdom,ROSE-RED,2\n"
        "F-1,Ada Lovelace,1 Analytical Way,London,N1 9GU,United Kingdom,FLAG-CA,1\n"
        "F-2,Grace Hopper,2 Compiler Ct,Arlington,22201,United States,WING-S,3\n",
        encoding="utf-8",
    )
    db = open_shop(shop)
    with db.unit_of_work() as uow:
        save_mapping(
            uow.session,
            ColumnMapping(
                name="craft fair",
                source="fair",
                columns={
                    "number": "Ticket",
                    "ship_name": "Who",
                    "ship_address1": "Street",
                    "ship_city": "Town",
                    "ship_postcode": "Zip",
                    "ship_country": "Land",
                    "sku": "Patch",
                    "quantity": "How many",
                },
            ),
        )
        uow.commit()
    db.dispose()

    code = main(["--db", shop, "import", "--mapping", "craft fair", str(fair)])

    assert code == 0
    assert capsys.readouterr().out == "craft-fair.csv: 2 new, 0 unchanged, 0 changed, 0 refused\n"
    orders = {order["number"]: order for order in _orders(shop, capsys)}
    assert set(orders) == {"F-1", "F-2"}
    assert orders["F-1"]["source"] == "fair"
