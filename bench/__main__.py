"""ShopDesk's benchmarks: each figure beside a floor measured in the same run.

    make bench            (or: python -m bench [--quick])

Builds its own large databases and files in a temporary folder, prints a table and writes
``bench/results/latest.json``; exits 1 when a target is missed. ``--quick`` uses smaller data for
a smoke run (the ratios then mean less).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.data import build_database, build_shopify_export

RESULTS = Path(__file__).parent / "results"


@dataclass
class Figure:
    name: str
    unit: str
    floor: float | None
    value: float
    target: str
    met: bool

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.floor else None


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def best_of(runs: int, work: Callable[[], object]) -> float:
    return min(timed(work) for _ in range(runs))


def ratio_figure(name: str, floor: float, value: float, limit: float, unit: str = "s") -> Figure:
    return Figure(name, unit, floor, value, f"≤ {limit:g} × floor", value <= limit * floor)


# -- start-up and memory, each in a fresh process ------------------------------------------------


def gui_child(mode: str, db_path: Path, folder: Path) -> tuple[float, int]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_STATE_HOME=str(folder / "state"))
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "bench.gui_child", mode, str(db_path), str(folder / "settings")],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=Path(__file__).parent.parent,
        timeout=300,
    ).stdout.split()
    return float(out[-2]) - started, int(out[-1])


def compile_shopdesk() -> None:
    """Byte-compile the package as installing it does (pip compiles every module of a wheel).

    Otherwise a development checkout run with ``PYTHONDONTWRITEBYTECODE`` would compile every
    module from source at each start, a cost no installed ShopDesk pays.
    """
    import compileall

    import shopdesk

    compileall.compile_dir(Path(shopdesk.__file__).parent, quiet=1)


def startup_and_memory(folder: Path, start_db: Path, memory_db: Path) -> list[Figure]:
    compile_shopdesk()
    # The first Qt process in a fresh folder builds caches (fonts) the later ones find made:
    # a warm-up run that is not counted, so that neither side pays for it.
    gui_child("floor", start_db, folder)
    floors = [gui_child("floor", start_db, folder) for _ in range(3)]
    starts = [gui_child("shopdesk", start_db, folder) for _ in range(3)]
    floor_s = statistics.median(t for t, _ in floors)
    start_s = statistics.median(t for t, _ in starts)
    floor_kb = statistics.median(kb for _, kb in floors)
    _, peak_kb = gui_child("loaded", memory_db, folder)
    return [
        ratio_figure(f"cold start to first paint ({start_db.stem})", floor_s, start_s, 5),
        ratio_figure(
            f"peak memory, list loaded ({memory_db.stem})", floor_kb / 1024, peak_kb / 1024, 3, "MB"
        ),
    ]


# -- the list: search and status filter -----------------------------------------------------------


def list_latencies(db_path: Path, folder: Path) -> list[Figure]:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from shopdesk.app import open_shop
    from shopdesk.ui.application import build_main_window, configure_application

    app = QApplication.instance() or QApplication([])
    configure_application(app)
    window = build_main_window(
        open_shop(str(db_path)), QSettings(str(folder / "list.ini"), QSettings.Format.IniFormat)
    )
    window.show()
    app.processEvents()
    # The history loads in the background after the first screen: measure the whole list.
    window.jobs.wait_for_all()
    app.processEvents()
    with sqlite3.connect(db_path) as raw:
        assert window.model.total_count() == raw.execute("SELECT count(*) FROM orders").fetchone()[0]

    def keystroke(key: str | Qt.Key) -> float:
        start = time.perf_counter()
        if isinstance(key, str):
            QTest.keyClicks(window.search_box, key)
        else:
            QTest.keyClick(window.search_box, key)
        app.processEvents()  # the list repaints here, as it would on screen
        return (time.perf_counter() - start) * 1000

    typing = []
    for query in ("muller", "rose-red", "#1005", "halifax", "wing"):
        window.search_box.setFocus()
        typing += [keystroke(char) for char in query]
        typing += [keystroke(Qt.Key.Key_Backspace) for _ in query]
    filters = []
    buttons = list(window.filter_buttons.values())
    for _ in range(5):
        for button in buttons:
            start = time.perf_counter()
            button.click()
            app.processEvents()
            filters.append((time.perf_counter() - start) * 1000)
    window.close()
    return [
        Figure(
            f"one key in the search box ({db_path.stem}), median",
            "ms",
            None,
            statistics.median(typing),
            "≤ 16 ms",
            statistics.median(typing) <= 16,
        ),
        Figure(
            f"one key in the search box ({db_path.stem}), worst",
            "ms",
            None,
            max(typing),
            "≤ 50 ms",
            max(typing) <= 50,
        ),
        Figure(
            f"status filter change ({db_path.stem}), median",
            "ms",
            None,
            statistics.median(filters),
            "≤ 16 ms",
            statistics.median(filters) <= 16,
        ),
    ]


# -- import ----------------------------------------------------------------------------------------


def imports(folder: Path, orders: int) -> list[Figure]:
    from shopdesk.app import open_shop
    from shopdesk.importers.service import import_files

    export = folder / "orders_export.csv"
    rows = build_shopify_export(export, orders)

    def read_with_csv() -> None:
        with export.open(newline="", encoding="utf-8") as file:
            for _row in csv.DictReader(file):
                pass

    floor = best_of(3, read_with_csv)
    db_path = folder / "import.db"
    db_path.unlink(missing_ok=True)
    db = open_shop(str(db_path))
    first = timed(lambda: import_files(db, [export]))
    again = best_of(2, lambda: import_files(db, [export]))
    db.dispose()
    return [
        ratio_figure(f"import {orders:,} Shopify orders ({rows:,} rows), empty database", floor, first, 10),
        ratio_figure("re-import of the same file (nothing new)", floor, again, 5),
    ]


def import_stall(folder: Path, orders: int) -> list[Figure]:
    """The window's longest stall while it imports ``orders`` orders (issue #8: ≤ 100 ms).

    A 10 ms heartbeat timer on the GUI thread; the longest gap between two beats, from the start
    of the import until the list shows the new orders, is how long the window stood still.
    """
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from shopdesk.app import open_shop
    from shopdesk.ui.application import build_main_window, configure_application

    export = folder / "orders_export_stall.csv"
    build_shopify_export(export, orders, seed=13)
    db_path = folder / "stall.db"
    db_path.unlink(missing_ok=True)
    app = QApplication.instance() or QApplication([])
    configure_application(app)
    window = build_main_window(
        open_shop(str(db_path)), QSettings(str(folder / "stall.ini"), QSettings.Format.IniFormat)
    )
    window.show()
    app.processEvents()
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    waiting = QEventLoop()
    window.list_loaded.connect(waiting.quit)
    window.importing.summary_shown.connect(lambda dialog: QTimer.singleShot(0, dialog.close))
    beats.append(time.perf_counter())
    heartbeat.start()
    window.importing.import_paths([export])
    waiting.exec()
    heartbeat.stop()
    beats.append(time.perf_counter())
    window.jobs.wait_for_all()
    window.close()
    stall = max(b - a for a, b in pairwise(beats)) * 1000
    return [
        Figure(
            f"longest stall of the window, {orders:,}-order import",
            "ms",
            None,
            stall,
            "≤ 100 ms",
            stall <= 100,
        )
    ]


# -- documents -------------------------------------------------------------------------------------


def slips(count: int) -> list[Figure]:
    from reportlab.graphics.barcode import code128
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    from bench.slips import slip_batch
    from shopdesk.documents.packing_slip import render_packing_slips

    def plain_reportlab() -> None:
        out = io.BytesIO()
        page = canvas.Canvas(out, pagesize=letter)
        for number in range(count):
            page.drawString(72, 720, f"Order #{10000 + number}")
            for line in range(3):
                page.drawString(72, 690 - line * 18, f"{line + 1} × Patch {line}")
            code128.Code128(f"#{10000 + number}", barHeight=36).drawOn(page, 400, 700)
            page.showPage()
        page.save()

    slips_data, profile = slip_batch(count)
    floor = best_of(2, plain_reportlab)
    value = best_of(2, lambda: render_packing_slips(slips_data, profile))
    return [ratio_figure(f"{count} packing slips in one PDF", floor, value, 4)]


# -- one scan on the check screen ------------------------------------------------------------------


def scan_latency(folder: Path) -> list[Figure]:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit

    from bench.slips import big_order_database

    db, order_id, sku = big_order_database(folder / "scan.db", units=40)
    from shopdesk.ui.application import build_main_window, configure_application

    app = QApplication.instance() or QApplication([])
    configure_application(app)
    window = build_main_window(db, QSettings(str(folder / "scan.ini"), QSettings.Format.IniFormat))
    window.show()
    window.check_requested.emit(order_id)
    app.processEvents()
    scan_input = window.findChild(QLineEdit, "scanInput")
    times = []
    for _ in range(39):
        QTest.keyClicks(scan_input, sku)
        start = time.perf_counter()
        QTest.keyClick(scan_input, Qt.Key.Key_Return)
        app.processEvents()
        times.append((time.perf_counter() - start) * 1000)
    window.close()
    median = statistics.median(times)
    return [
        Figure("one scan → counter and colour updated, median", "ms", None, median, "≤ 16 ms", median <= 16)
    ]


def print_table(figures: list[Figure]) -> None:
    print(f"{'figure':<62} {'floor':>10} {'value':>10} {'ratio':>7}  {'target':<16} ok")
    for figure in figures:
        floor = f"{figure.floor:.3f}" if figure.floor is not None else "—"
        ratio = f"{figure.ratio:.2f}" if figure.ratio is not None else "—"
        mark = "yes" if figure.met else "MISSED"
        print(
            f"{figure.name:<62} {floor:>10} {figure.value:>10.3f} {ratio:>7}  {figure.target:<16} {mark}  ({figure.unit})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data, for a smoke run")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="shopdesk-bench-") as temp:
        folder = Path(temp)
        os.environ["XDG_STATE_HOME"] = str(folder / "state")
        os.environ["XDG_DATA_HOME"] = str(folder / "data")
        print("building databases…", flush=True)
        start_db = build_database(folder / f"shop-{50_000 // scale}-orders.db", 50_000 // scale)
        big_db = build_database(folder / f"shop-{100_000 // scale}-orders.db", 100_000 // scale)
        steps = [
            lambda: startup_and_memory(folder, start_db, big_db),
            lambda: list_latencies(big_db, folder),
            lambda: imports(folder, 10_000 // scale),
            lambda: import_stall(folder, 5_000 // scale),
            lambda: slips(500 // scale),
            lambda: scan_latency(folder),
        ]
        for step in steps:
            figures += step()
    print()
    print_table(figures)
    RESULTS.mkdir(exist_ok=True)
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "cpus": os.cpu_count(),
        "figures": [{**asdict(f), "ratio": f.ratio} for f in figures],
    }
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    missed = [f.name for f in figures if not f.met]
    if missed:
        print(f"\n{len(missed)} target(s) missed.")
        return 1
    print("\nEvery target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
