"""``shopdesk report`` through the command's entry point, on the known shop of ``mistake_shop``."""

from __future__ import annotations

import csv
import json
import time

import mistake_shop as known_shop
import pytest
from readback import flat, pdf_text

from shopdesk.cli import main
from shopdesk.reports.mistakes import postage_per_reship

# The known shop's fixtures, used by the tests below.
mistake_template = known_shop.mistake_template
mistake_shop = known_shop.mistake_shop
CHANGE_1 = known_shop.CHANGE_1

RANGE = ["--from", "2026-02-01", "--to", "2026-03-15"]


@pytest.fixture(autouse=True)
def utc_calendar(monkeypatch):
    """The command uses the computer's calendar; these tests pin it to UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def shopdesk(shop, *args: str) -> int:
    return main(["--db", str(shop.db.sqlite_path), *args])


def test_json_prints_the_figures_the_window_shows(mistake_shop, capsys):
    assert shopdesk(mistake_shop, "report", *RANGE, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["start"], data["end"], data["source"]) == ("2026-02-01", "2026-03-15", None)
    assert [(m["label"], m["orders_shipped"], m["corrections"]) for m in data["by_month"]] == [
        ("Feb 2026", 7, 4),
        ("Mar 2026", 4, 1),
    ]
    assert [w["per_100"] for w in data["by_week"]] == [None, 75.0, 50.0, 0.0, None, 25.0, None]
    assert {c["key"]: c["count"] for c in data["by_kind"] if c["count"]} == {
        "missing": 1, "short": 1, "wrong_item": 2, "damaged": 2, "lost": 1,
    }  # fmt: skip
    assert {c["key"]: c["count"] for c in data["by_cause"] if c["count"]} == {
        "packing": 3, "stock": 1, "carrier": 2, "supplier": 1,
    }  # fmt: skip
    assert [(p["ordered_sku"], p["sent_sku"], p["times"], p["all_time"]) for p in data["lookalikes"]] == [
        ("ROSE-RED", "ROSE-PNK", 2, 3)
    ]
    assert data["costs"] == {
        "reships": 7, "units_reshipped": 8, "goodwill_units": 1, "goodwill_notes": 1, "returns": 1,
        "postage_per_reship_cents": 620, "postage_cents": 4340,
    }  # fmt: skip
    assert data["checking"] == {
        "checked": {"orders": 9, "corrected": 2, "per_100": 200 / 9},
        "skipped": {"orders": 2, "corrected": 2, "per_100": 100.0},
    }
    assert data["changes"][0] == {"on": "2026-02-05", "text": CHANGE_1, "order_number": "E2"}


def test_source_filter_and_a_source_the_shop_does_not_have(mistake_shop, capsys):
    assert shopdesk(mistake_shop, "report", *RANGE, "--source", "Etsy", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["source"], data["orders_shipped"], data["corrections"]) == ("etsy", 3, 2)
    assert shopdesk(mistake_shop, "report", *RANGE, "--source", "ebay") == 1
    assert (
        "No orders come from 'ebay'; the shop's sources are: etsy, reship, shopify."
        in capsys.readouterr().err
    )


def test_summary_pdf_and_csv(mistake_shop, capsys, tmp_path):
    assert shopdesk(mistake_shop, "report", *RANGE) == 0
    out = capsys.readouterr().out
    assert out.startswith("Mistakes, 1 Feb 2026 – 15 Mar 2026, all sources\nCorrections made: 7\n")
    assert "Per 100 orders shipped: 45.5 (5 corrections on 11 orders shipped)" in out
    assert "Packed without a check: 2 orders, 2 later corrected (100.0 per 100)" in out
    assert "Feb 2026          7            4     57.1" in out

    pdf, table = tmp_path / "mistakes.pdf", tmp_path / "corrections.csv"
    assert shopdesk(mistake_shop, "report", *RANGE, "-o", str(pdf), "--csv", str(table)) == 0
    out = capsys.readouterr().out
    assert f"Wrote 7 corrections to {table}" in out
    assert f"Wrote the mistake report (7 corrections) to {pdf}" in out
    assert "Checked 9 2 22.2" in flat(pdf_text(pdf.read_bytes()))
    with open(table, encoding="utf-8-sig", newline="") as file:
        assert [row["Order"] for row in csv.DictReader(file)] == ["S0", "E2", "E2", "S3", "X", "S1", "S5"]


def test_postage_is_saved_and_used(mistake_shop, capsys):
    assert shopdesk(mistake_shop, "report", *RANGE, "--postage", "4.85", "--json") == 0
    assert json.loads(capsys.readouterr().out)["costs"]["postage_cents"] == 7 * 485
    with mistake_shop.db.reading() as session:
        assert postage_per_reship(session) == 485
    assert shopdesk(mistake_shop, "report", *RANGE, "--postage", "0", "--json") == 0
    assert json.loads(capsys.readouterr().out)["costs"]["postage_cents"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "1 March"], "Write dates as YEAR-MONTH-DAY"),
        (["--from", "2026-03-02", "--to", "2026-03-01"], "swap the dates"),
        (["--from", "2026-03-02", "--all"], "either --from or --all"),
        (["--postage", "cheap"], "Write the postage as an amount"),
    ],
)
def test_mistakes_in_the_command_are_explained(mistake_shop, capsys, args, message):
    assert shopdesk(mistake_shop, "report", *args) == 1
    assert message in capsys.readouterr().err


def test_json_and_pdf_are_one_or_the_other(mistake_shop, capsys):
    with pytest.raises(SystemExit):
        shopdesk(mistake_shop, "report", "--json", "-o", "x.pdf")
    assert "not allowed with argument" in capsys.readouterr().err
