"""The Mistakes window (View → Mistakes…): how often packing goes wrong, why, with which products, what it
cost, and whether the changes the owner made helped.

The figures come from ``shopdesk.reports.mistakes`` (its doc says exactly what each one counts); this
module only lays them out: the rate over time with the process changes marked, kind and cause as bars,
and tables for products, look-alike pairs, costs, open items and checked vs skipped. The date range and
the source filter at the top apply to all of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QDate,
    QDateTime,
    QMargins,
    QPointF,
    Qt,
    QTime,
    QTimer,
)
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shopdesk.db.database import Database
from shopdesk.errors import ShopDeskError
from shopdesk.orders.sources import source_name
from shopdesk.reports.mistakes import (
    MONTH,
    WEEK,
    Count,
    MistakeReport,
    ProcessChange,
    RatePoint,
    ReportFilter,
    check_sentence,
    last_twelve_months,
    money,
    per_100_text,
)
from shopdesk.ui.background import JobRunner
from shopdesk.ui.mistakes_controller import MistakesController
from shopdesk.ui.mistakes_menu import add_mistakes_action  # noqa: F401  (the window's entry point)
from shopdesk.ui.problems import show_problem
from shopdesk.ui.rows_table_model import Column, RowsTableModel

LINE_COLOUR = QColor("#1f5f99")
BAR_COLOUR = QColor("#4a7fb0")
CHANGE_COLOUR = QColor("#a1141c")
# Filters wait this long after the last change before the report is computed again.
RELOAD_DELAY_MS = 250


# -- table models ------------------------------------------------------------------------------------


def _day(at: datetime | None) -> str:
    if at is None:
        return ""
    local = at.astimezone()
    return f"{local.day} {local:%b %Y}"


PRODUCT_COLUMNS = (
    Column("SKU", lambda p: p.sku),
    Column("Product", lambda p: p.title),
    Column("Corrections", lambda p: p.corrections, numeric=True),
    Column("Units owed", lambda p: p.units_owed, numeric=True),
    Column("Sent instead of another", lambda p: p.sent_instead, numeric=True),
)
LOOKALIKE_COLUMNS = (
    Column("Ordered", lambda p: f"{p.ordered_sku}  {p.ordered_title}".strip()),
    Column("Sent instead", lambda p: f"{p.sent_sku}  {p.sent_title}".strip()),
    Column("In range", lambda p: p.times, numeric=True),
    Column("All time", lambda p: p.all_time, numeric=True),
)
COST_COLUMNS = (Column("", lambda row: row[0]), Column("", lambda row: row[1], numeric=True))
OPEN_COLUMNS = (
    Column("What", lambda row: row[0]),
    Column("Order", lambda row: row[1]),
    Column("Replacement", lambda row: row[2]),
    Column("Status", lambda row: row[3]),
)
CHECK_COLUMNS = (
    Column("", lambda row: row[0]),
    Column("Orders shipped", lambda row: row[1], numeric=True),
    Column("Later corrected", lambda row: row[2], numeric=True),
    Column("Per 100", lambda row: row[3], numeric=True),
)


def cost_rows(report: MistakeReport) -> list[tuple[str, str]]:
    costs = report.costs
    rows = [
        ("Reships", str(costs.reships)),
        ("Units reshipped", str(costs.units_reshipped)),
        ("Goodwill extras (units)", str(costs.goodwill_units)),
        ("Goodwill notes", str(costs.goodwill_notes)),
        ("Returns asked for", str(costs.returns)),
    ]
    if costs.postage_cents is None:
        rows.append(("Postage", "not set (shopdesk report --postage 6.20)"))
    else:
        rows.append(
            (f"Postage ({money(costs.postage_per_reship_cents)} per reship)", money(costs.postage_cents))
        )
    return rows


def open_rows(report: MistakeReport) -> list[tuple[str, str, str, str]]:
    items = report.open_items
    rows = [(f"Return {r.rma}", r.order_number, "", f"not back since {_day(r.since)}") for r in items.returns]
    for f in items.follow_ups:
        if f.due_at is None:
            status = "after the replacement ships"
        else:
            status = ("due since " if f.due else "due ") + _day(f.due_at)
        rows.append((f.title, f.order_number, f.replacement_number, status))
    return rows


def check_rows(report: MistakeReport) -> list[tuple[str, int, int, str]]:
    checked, skipped = report.checking.checked, report.checking.skipped
    return [
        ("Checked", checked.orders, checked.corrected, per_100_text(checked.per_100)),
        ("Packed without a check", skipped.orders, skipped.corrected, per_100_text(skipped.per_100)),
    ]


# -- charts ------------------------------------------------------------------------------------------


def _msecs(day: date) -> float:
    """Midnight at the start of ``day`` (local time) on the chart's time axis."""
    return float(QDateTime(QDate(day.year, day.month, day.day), QTime(0, 0)).toMSecsSinceEpoch())


class RateChart(QChartView):
    """Corrections per 100 orders shipped over time; each process change is a dashed red line."""

    def __init__(self, parent=None) -> None:
        self.chart_ = QChart()
        super().__init__(self.chart_, parent)
        self.setObjectName("rateChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(260)
        self.chart_.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_.setMargins(QMargins(4, 4, 4, 4))
        self.rate_series = QLineSeries()
        self.rate_series.setName("Corrections per 100 orders shipped")
        self.rate_series.setPointsVisible(True)
        self.rate_series.setPen(QPen(LINE_COLOUR, 2.5))
        self.change_series: list[QLineSeries] = []
        # Labels sit on the first day of each week or month shown, so they say exactly where it starts.
        self.x_axis = QCategoryAxis()
        self.x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self.y_axis = QValueAxis()
        self.y_axis.setLabelFormat("%g")
        self.y_axis.setTitleText("per 100")
        self.chart_.addSeries(self.rate_series)
        self.chart_.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart_.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        self.rate_series.attachAxis(self.x_axis)
        self.rate_series.attachAxis(self.y_axis)

    def show_rate(
        self, points: Sequence[RatePoint], changes: Sequence[ProcessChange], period: str, end: date
    ) -> None:
        self.rate_series.replace(
            [QPointF(_msecs(p.start), p.per_100) for p in points if p.per_100 is not None]
        )
        for series in self.change_series:
            self.chart_.removeSeries(series)
        self.change_series = []
        top = max([p.per_100 for p in points if p.per_100 is not None] + [1.0])
        top = _nice_ceiling(top)
        first = points[0].start if points else date.today()
        last = points[-1].start if points else first
        for label in self.x_axis.categoriesLabels():
            self.x_axis.remove(label)
        step = max(1, -(-len(points) // 12))  # at most about twelve labels
        for point in points[::step]:
            day = point.start
            self.x_axis.append(f"{day.day} {day:%b}" if period == WEEK else f"{day:%b %Y}", _msecs(day))
        # Up to the range's last day (a change made after the last week or month began still shows), with
        # room for the last label.
        room = (3 if period == WEEK else 12) * 86_400_000
        self.x_axis.setRange(_msecs(first), max(_msecs(last) + room, _msecs(end) + room / 3))
        self.y_axis.setRange(0, top)
        self.y_axis.applyNiceNumbers()
        top = self.y_axis.max()
        pen = QPen(CHANGE_COLOUR, 1.5, Qt.PenStyle.DashLine)
        for number, change in enumerate(changes, start=1):
            series = QLineSeries()
            series.setName("Process change (see the list)")
            series.setPen(pen)
            x = _msecs(change.on)
            series.append(x, 0)
            series.append(x, top)
            self.chart_.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
            marker = self.chart_.legend().markers(series)
            if number > 1 and marker:
                marker[0].setVisible(False)
            self.change_series.append(series)


def _nice_ceiling(value: float) -> float:
    for nice in (1, 2, 5, 10, 20, 25, 50, 75, 100, 150, 200, 300, 500, 1000):
        if value <= nice:
            return float(nice)
    return float(value)


class CountChart(QChartView):
    """One horizontal bar per kind or cause."""

    def __init__(self, title: str, name: str, parent=None) -> None:
        self.chart_ = QChart()
        super().__init__(self.chart_, parent)
        self.setObjectName(name)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.chart_.setTitle(title)
        self.chart_.legend().hide()
        self.bar_set = QBarSet(title)
        self.bar_set.setColor(BAR_COLOUR)
        self.series = QHorizontalBarSeries()
        self.series.append(self.bar_set)
        self.series.setLabelsVisible(True)
        self.series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.series.setLabelsFormat("@value")
        self.bar_set.setLabelColor(QColor("#0f172a"))
        self.chart_.addSeries(self.series)
        self.categories = QBarCategoryAxis()
        self.categories.setTruncateLabels(False)
        self.values = QValueAxis()
        self.values.setLabelFormat("%d")
        self.chart_.addAxis(self.categories, Qt.AlignmentFlag.AlignLeft)
        self.chart_.addAxis(self.values, Qt.AlignmentFlag.AlignBottom)
        self.series.attachAxis(self.categories)
        self.series.attachAxis(self.values)

    def show_counts(self, counts: Sequence[Count]) -> None:
        # Top to bottom in the report's order: the chart draws the first category at the bottom.
        shown = list(reversed(counts))
        self.bar_set.remove(0, self.bar_set.count())
        self.bar_set.append([float(c.count) for c in shown])
        self.categories.clear()
        self.categories.append([c.label for c in shown])
        top = max([c.count for c in counts] + [1])
        self.values.setRange(0, top + max(1, top // 5))
        self.values.setTickCount(min(top + 2, 6))

    def counts(self) -> dict[str, int]:
        """What the chart shows, label → bar length (for tests and accessibility)."""
        return {self.categories.at(i): int(self.bar_set.at(i)) for i in range(self.bar_set.count())}


# -- the window ----------------------------------------------------------------------------------------


class MistakesWindow(QMainWindow):
    def __init__(
        self, db: Database, parent: QWidget | None = None, controller: MistakesController | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setObjectName("mistakesWindow")
        self.setWindowTitle("Mistakes — ShopDesk")
        self.jobs = JobRunner(self)
        self.controller = controller or MistakesController(db, self.jobs, self)
        self.controller.report_ready.connect(self.show_report)
        self.controller.failed.connect(self.show_error)
        self.controller.exported.connect(self._exported)
        self.report: MistakeReport | None = None
        self._reload = QTimer(self)
        self._reload.setSingleShot(True)
        self._reload.setInterval(RELOAD_DELAY_MS)
        self._reload.timeout.connect(self.reload)
        self._build()
        self.resize(1400, 920)
        self.reload()

    # -- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(12, 10, 12, 6)
        outer.setSpacing(8)

        bar = QHBoxLayout()
        default = last_twelve_months(date.today())
        self.from_edit = self._date_edit("fromDate", default.start)
        self.to_edit = self._date_edit("toDate", default.end)
        self.source_box = QComboBox()
        self.source_box.setObjectName("sourceFilter")
        self.source_box.addItem("All sources", None)
        for source in self.controller.sources():
            self.source_box.addItem(source_name(source), source)
        self.period_box = QComboBox()
        self.period_box.setObjectName("periodChoice")
        self.period_box.addItem("By week", WEEK)
        self.period_box.addItem("By month", MONTH)
        self.period_box.setCurrentIndex(1)
        for label, widget in (("From", self.from_edit), ("to", self.to_edit), ("Source", self.source_box)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
            bar.addSpacing(6)
        bar.addStretch(1)
        self.pdf_button = QPushButton("Export PDF…")
        self.pdf_button.setObjectName("exportPdfButton")
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.setObjectName("exportCsvButton")
        self.csv_button.setToolTip("The corrections made in the range, one per row, for a spreadsheet")
        bar.addWidget(self.pdf_button)
        bar.addWidget(self.csv_button)
        outer.addLayout(bar)

        self.headline = QFrame()
        self.headline.setObjectName("mistakesHeadline")
        self.headline.setStyleSheet(
            "#mistakesHeadline { background: #ffffff; border: 1px solid #e2e8f0; border-radius: 8px; }"
            "QLabel[figure='true'] { font-size: 20pt; font-weight: 700; color: #0f172a; }"
            "QLabel[caption='true'] { color: #64748b; font-weight: 600; }"
        )
        cards = QGridLayout(self.headline)
        cards.setContentsMargins(16, 10, 16, 10)
        cards.setHorizontalSpacing(28)
        self.figures: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        for column, key in enumerate(("corrections", "rate", "units", "skipped")):
            figure, caption = QLabel("—"), QLabel("")
            figure.setObjectName(f"{key}Figure")
            figure.setProperty("figure", True)
            caption.setProperty("caption", True)
            caption.setWordWrap(True)
            cards.addWidget(figure, 0, column)
            cards.addWidget(caption, 1, column)
            cards.setColumnStretch(column, 1)
            self.figures[key], self.captions[key] = figure, caption
        outer.addWidget(self.headline)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("mistakesSplitter")
        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        rate_box = QVBoxLayout()
        rate_top = QHBoxLayout()
        self.rate_title = QLabel("Corrections per 100 orders shipped")
        self.rate_title.setStyleSheet("font-weight: 700; font-size: 11pt;")
        rate_top.addWidget(self.rate_title)
        rate_top.addStretch(1)
        rate_top.addWidget(self.period_box)
        rate_box.addLayout(rate_top)
        self.rate_chart = RateChart()
        rate_box.addWidget(self.rate_chart, 1)
        self.changes_label = QLabel()
        self.changes_label.setObjectName("changesList")
        self.changes_label.setWordWrap(True)
        self.changes_label.setTextFormat(Qt.TextFormat.PlainText)
        rate_box.addWidget(self.changes_label)
        grid.addLayout(rate_box, 0, 0, 1, 2)
        self.kind_chart = CountChart("By kind", "kindChart")
        self.cause_chart = CountChart("By cause", "causeChart")
        grid.addWidget(self.kind_chart, 1, 0)
        grid.addWidget(self.cause_chart, 1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        splitter.addWidget(charts)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("mistakesTabs")
        self.products = RowsTableModel(PRODUCT_COLUMNS, self)
        self.lookalikes = RowsTableModel(LOOKALIKE_COLUMNS, self)
        self.costs = RowsTableModel(COST_COLUMNS, self)
        self.open_items = RowsTableModel(OPEN_COLUMNS, self)
        self.checking = RowsTableModel(CHECK_COLUMNS, self)
        self.tables: dict[str, QTableView] = {}
        # (name, tab, model, the column that takes the spare width; None: the table keeps to its contents)
        for name, title, model, stretch in (
            ("checking", "Checked vs skipped", self.checking, None),
            ("products", "Products", self.products, 1),
            ("lookalikes", "Look-alike pairs", self.lookalikes, 1),
            ("costs", "Costs", self.costs, None),
            ("open", "Open items", self.open_items, 3),
        ):
            table = self._table(f"{name}Table", model, stretch)
            self.tables[name] = table
            self.tabs.addTab(table, title)
        self.check_note = QLabel()
        self.check_note.setObjectName("checkNote")
        self.check_note.setWordWrap(True)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        outer.addWidget(splitter, 1)
        outer.addWidget(self.check_note)
        self.setCentralWidget(central)
        self.status_label = QLabel()
        self.status_label.setObjectName("mistakesStatus")
        self.statusBar().addWidget(self.status_label, 1)

        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(self._filters_changed)
        self.source_box.currentIndexChanged.connect(self._filters_changed)
        self.period_box.currentIndexChanged.connect(self._show_rate)
        self.pdf_button.clicked.connect(self.choose_pdf)
        self.csv_button.clicked.connect(self.choose_csv)

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        return edit

    def _table(self, name: str, model: RowsTableModel, stretch: int | None) -> QTableView:
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(90)
        if stretch is not None:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return table

    # -- behaviour --------------------------------------------------------------------------------

    def current_filter(self) -> ReportFilter:
        start, end = self.from_edit.date().toPython(), self.to_edit.date().toPython()
        return ReportFilter(start, end, self.source_box.currentData())

    def _filters_changed(self, *_args) -> None:
        self._reload.start()

    def reload(self) -> None:
        try:
            filter = self.current_filter()
        except ShopDeskError as error:
            self.status_label.setText(str(error))
            return
        self.status_label.setText("Counting…")
        self.controller.load(filter)

    def show_report(self, report: MistakeReport) -> None:
        self.report = report
        sources = source_name(report.source) if report.source else "all sources"
        self.status_label.setText(
            f"{_day_text(report.start)} – {_day_text(report.end)} · {sources}. Orders count in the week or month "
            "they shipped, with every correction made on them since; the rest counts corrections made in the range."
        )
        self._set_figure("corrections", str(report.corrections), "corrections made")
        self._set_figure(
            "rate",
            per_100_text(report.per_100),
            f"per 100 orders shipped ({report.corrections_on_shipped} of {report.orders_shipped})",
        )
        self._set_figure("units", str(report.costs.units_reshipped), "units reshipped")
        checked = report.checking.checked
        self._set_figure(
            "skipped",
            per_100_text(report.checking.skipped.per_100),
            f"per 100 packed without a check went wrong · checked: {per_100_text(checked.per_100)}",
        )
        self._show_rate()
        self.kind_chart.show_counts(report.by_kind)
        self.cause_chart.show_counts(report.by_cause)
        self.products.set_rows(report.products)
        self.lookalikes.set_rows(report.lookalikes)
        self.costs.set_rows(cost_rows(report))
        self.open_items.set_rows(open_rows(report))
        self.checking.set_rows(check_rows(report))
        self.tabs.setTabText(
            4, f"Open items ({len(report.open_items.returns) + report.open_items.follow_ups_due})"
        )
        self.check_note.setText(check_sentence(report))

    def _set_figure(self, key: str, figure: str, caption: str) -> None:
        self.figures[key].setText(figure)
        self.captions[key].setText(caption)

    def _show_rate(self, *_args) -> None:
        if self.report is None:
            return
        period = self.period_box.currentData()
        points = self.report.by_week if period == WEEK else self.report.by_month
        self.rate_chart.show_rate(points, self.report.changes, period, self.report.end)
        self.rate_title.setText(f"Corrections per 100 orders shipped, by {period}")
        self.changes_label.setText(
            "\n".join(
                f"Change {n} · {_day_text(c.on)} (order {c.order_number}): {c.text}"
                for n, c in enumerate(self.report.changes, start=1)
            )
            or "No process changes in the range."
        )

    def choose_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the report", "mistakes.pdf", "PDF (*.pdf)")
        if path:
            self.controller.export_pdf(self.current_filter(), Path(path))

    def choose_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the corrections", "corrections.csv", "CSV (*.csv)"
        )
        if path:
            self.controller.export_csv(self.current_filter(), Path(path))

    def _exported(self, what: str, path: str) -> None:
        self.statusBar().showMessage(f"{what} saved: {path}", 8000)

    def show_error(self, error: Exception) -> None:
        show_problem(self, "Mistakes", error)

    def closeEvent(self, event) -> None:
        self.jobs.wait_for_all()
        super().closeEvent(event)


def _day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"
