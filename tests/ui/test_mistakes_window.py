"""The Mistakes window on the known shop of ``mistake_shop``: the charts and tables show the core's figures,
the filters apply to everything, the exports are written, and View → Mistakes… opens it."""

from __future__ import annotations

import csv
import time
from datetime import UTC, date

import mistake_shop as known_shop
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog
from readback import flat, pdf_text

from shopdesk.reports.mistakes import ReportFilter, build_report
from shopdesk.ui.background import JobRunner
from shopdesk.ui.mistakes_controller import MistakesController
from shopdesk.ui.mistakes_window import MistakesWindow, _msecs

mistake_template = known_shop.mistake_template
mistake_shop = known_shop.mistake_shop
RANGE = ReportFilter(date(2026, 2, 1), date(2026, 3, 15))


@pytest.fixture(autouse=True)
def utc_calendar(monkeypatch):
    """The window uses the computer's calendar; these tests pin it to UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def window(qtbot, mistake_shop):
    made = MistakesWindow(mistake_shop.db)
    made.controller.clock = lambda: known_shop.NOW
    qtbot.addWidget(made)
    qtbot.waitUntil(lambda: made.report is not None)
    made.show()
    qtbot.waitExposed(made)
    yield made
    made.jobs.wait_for_all()


def choose(qtbot, window, start: date, end: date, source_index: int | None = None):
    with qtbot.waitSignal(window.controller.report_ready, timeout=10_000):
        window.from_edit.setDate(QDate(start.year, start.month, start.day))
        window.to_edit.setDate(QDate(end.year, end.month, end.day))
        if source_index is not None:
            window.source_box.setCurrentIndex(source_index)
    return window.report


def table_text(model) -> list[list[str]]:
    return [
        [model.data(model.index(row, column)) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_the_charts_and_tables_show_the_reports_numbers(qtbot, qtmodeltester, window, mistake_shop):
    report = choose(qtbot, window, RANGE.start, RANGE.end)
    assert report == build_report(mistake_shop.db, RANGE, now=known_shop.NOW, tz=UTC)

    # The rate by month: one point per month with orders shipped, at the month's first day.
    points = [(p.x(), p.y()) for p in window.rate_chart.rate_series.points()]
    assert points == [(_msecs(date(2026, 2, 1)), 400 / 7), (_msecs(date(2026, 3, 1)), 25.0)]
    # By week: weeks with no order shipped have no point.
    window.period_box.setCurrentIndex(0)
    assert [p.y() for p in window.rate_chart.rate_series.points()] == [75.0, 50.0, 0.0, 25.0]
    assert window.rate_title.text() == "Corrections per 100 orders shipped, by week"
    # Each process change is a vertical line at its day.
    changes = [[(p.x(), p.y()) for p in s.points()] for s in window.rate_chart.change_series]
    top = window.rate_chart.y_axis.max()
    assert changes == [
        [(_msecs(date(2026, 2, 5)), 0.0), (_msecs(date(2026, 2, 5)), top)],
        [(_msecs(date(2026, 3, 9)), 0.0), (_msecs(date(2026, 3, 9)), top)],
    ]
    assert f"Change 1 · 5 Feb 2026 (order E2): {known_shop.CHANGE_1}" in window.changes_label.text()

    assert window.kind_chart.counts() == {
        "Missing item": 1, "Short quantity": 1, "Wrong item sent": 2, "Damaged": 2, "Lost in transit": 1,
        "Wrong address": 0, "Other": 0,
    }  # fmt: skip
    assert window.cause_chart.counts() == {
        "Packing mistake": 3, "Stock": 1, "Carrier": 2, "Supplier": 1, "Customer": 0, "Unknown": 0,
    }  # fmt: skip

    assert window.figures["corrections"].text() == "7"
    assert window.figures["rate"].text() == "45.5"
    assert window.captions["rate"].text() == "per 100 orders shipped (5 of 11)"
    assert window.figures["units"].text() == "8"
    assert window.figures["skipped"].text() == "100.0"

    assert table_text(window.checking) == [
        ["Checked", "9", "2", "22.2"],
        ["Packed without a check", "2", "2", "100.0"],
    ]
    assert table_text(window.products)[0] == ["ROSE-RED", "Red Rose Patch", "3", "3", "0"]
    assert table_text(window.lookalikes) == [
        ["ROSE-RED  Red Rose Patch", "ROSE-PNK  Pink Rose Patch", "2", "3"]
    ]
    assert ["Postage (6.20 per reship)", "43.40"] in table_text(window.costs)
    assert table_text(window.open_items)[:2] == [
        ["Return RMA-S3-1", "S3", "", "not back since 12 Feb 2026"],
        ["Follow-up", "E2", "E2-R1", "due since 2 Mar 2026"],
    ]
    assert window.tabs.tabText(4) == "Open items (2)"
    assert window.check_note.text().startswith("2 orders were packed without a check and 2 of them")
    for model in (window.products, window.lookalikes, window.costs, window.open_items, window.checking):
        qtmodeltester.check(model)


def test_the_source_filter_applies_to_charts_and_tables(qtbot, window):
    etsy = [window.source_box.itemText(i) for i in range(window.source_box.count())].index("Etsy")
    report = choose(qtbot, window, RANGE.start, RANGE.end, etsy)
    assert report.source == "etsy"
    assert [p.y() for p in window.rate_chart.rate_series.points()] == [100.0, 0.0]
    assert {k: v for k, v in window.kind_chart.counts().items() if v} == {"Missing item": 1, "Damaged": 1}
    assert [row[0] for row in table_text(window.products)] == ["BEE", "ROSE-RED"]
    assert window.lookalikes.rowCount() == 0
    assert [row[1] for row in table_text(window.open_items)] == ["E2", "E2"]


def test_a_backwards_range_is_explained_not_computed(qtbot, window):
    window.from_edit.setDate(QDate(2026, 3, 10))
    window.to_edit.setDate(QDate(2026, 3, 1))
    qtbot.waitUntil(lambda: "swap the dates" in window.status_label.text())


def test_export_buttons_write_the_pdf_and_the_csv(qtbot, window, tmp_path, monkeypatch):
    choose(qtbot, window, RANGE.start, RANGE.end)
    pdf, table = tmp_path / "mistakes.pdf", tmp_path / "corrections.csv"
    answers = iter([(str(pdf), "PDF (*.pdf)"), (str(table), "CSV (*.csv)")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: next(answers))
    with qtbot.waitSignal(window.controller.exported, timeout=20_000):
        qtbot.mouseClick(window.pdf_button, Qt.MouseButton.LeftButton)
    text = flat(pdf_text(pdf.read_bytes()))
    assert "1 Feb 2026 – 15 Mar 2026 · all sources" in text
    assert "Checked 9 2 22.2" in text
    with qtbot.waitSignal(window.controller.exported, timeout=20_000):
        qtbot.mouseClick(window.csv_button, Qt.MouseButton.LeftButton)
    with open(table, encoding="utf-8-sig", newline="") as file:
        assert len(list(csv.DictReader(file))) == 7
    assert window.statusBar().currentMessage() == f"CSV saved: {table}"


def test_only_the_newest_request_is_shown(qtbot, mistake_shop):
    jobs = JobRunner()
    controller = MistakesController(mistake_shop.db, jobs)
    shown = []
    controller.report_ready.connect(shown.append)
    controller.load(ReportFilter(date(2024, 1, 1), date(2024, 1, 31)))
    with qtbot.waitSignal(controller.report_ready, timeout=10_000):
        controller.load(RANGE)
    jobs.wait_for_all()
    qtbot.wait(50)
    assert [r.start for r in shown] == [RANGE.start]


def test_view_menu_opens_the_mistakes_window(qtbot, make_window, mistake_shop):
    main = make_window(mistake_shop.db)
    action = main.mistakes_action
    assert action.text() == "&Mistakes…"
    view_menu = next(a.menu() for a in main.menuBar().actions() if a.text() == "&View")
    assert action in view_menu.actions()
    action.trigger()
    (opened,) = action.opened_windows
    qtbot.waitUntil(lambda: opened.report is not None, timeout=10_000)
    assert opened.isVisible() and opened.windowTitle() == "Mistakes — ShopDesk"
    action.trigger()
    assert action.opened_windows == [opened]  # the same window again, brought to the front
    opened.close()
    opened.jobs.wait_for_all()
