"""Killed at any moment, ShopDesk loses nothing it said it saved and leaves nothing half-written.

Each test kills real processes with SIGKILL at random moments and then looks at the database
files the way the next start would. ``make test`` runs a reduced number of trials; set
``SHOPDESK_CRASH_TRIALS=full`` (or a number) for the full count.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from crash_workers import commit_orders, fork_server, open_the_shop, shopdesk_command, trials
from shop_files import flip_bytes, order_numbers, shopify_export, sqlite_health

from shopdesk.app import open_shop
from shopdesk.db.backup import backup_database, list_backups, sqlite_problem
from shopdesk.importers.service import import_files
from shopdesk.orders.demo import load_demo_data

# Three exports of 1,000 orders (15 lines every 8 orders) each.
FILES = 3
COPIES = 125
ORDERS_PER_FILE = COPIES * 8
LINES_PER_FILE = COPIES * 15


@pytest.fixture(scope="module")
def context():
    return fork_server()


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("crashes")


@pytest.fixture(scope="module")
def base_shop(place) -> Path:
    """A migrated shop with the demo orders, closed (its log folded into the file)."""
    path = place / "base.db"
    db = open_shop(str(path))
    load_demo_data(db)
    db.dispose()
    return path


@pytest.fixture(scope="module")
def exports(place) -> list[Path]:
    return [
        shopify_export(place / f"orders_export_{'abc'[n]}.csv", COPIES, series=n + 1) for n in range(FILES)
    ]


def _copy_shop(base: Path, folder: Path) -> Path:
    folder.mkdir()
    path = folder / "shop.db"
    shutil.copyfile(base, path)
    os.chmod(path, 0o600)
    return path


def _per_file_state(path: Path, exports: list[Path]) -> list[str]:
    """For each export: "all" of its orders and lines are in the shop, or "none"; anything else fails."""
    with sqlite3.connect(path) as raw:
        numbers = {
            row[0]: row[1] for row in raw.execute("SELECT number, id FROM orders WHERE source = 'shopify'")
        }
        lines = dict(raw.execute("SELECT order_id, count(*) FROM order_lines GROUP BY order_id").fetchall())
    states = []
    for export in exports:
        wanted = order_numbers(export)
        present = wanted & numbers.keys()
        line_count = sum(lines.get(numbers[number], 0) for number in present)
        if len(present) == len(wanted) and line_count == LINES_PER_FILE:
            states.append("all")
        elif not present:
            states.append("none")
        else:
            states.append(f"{len(present)} of {len(wanted)} orders, {line_count} lines")
    return states


def _assert_consistent(path: Path, exports: list[Path]) -> list[str]:
    assert sqlite_health(path) == ("ok", [])
    states = _per_file_state(path, exports)
    assert set(states) <= {"all", "none"}, states
    # Every backup under its final name is whole: a kill mid-backup leaves only a temporary file.
    for backup in list_backups(path.parent / "backups"):
        assert sqlite_problem(backup.path) is None, backup.path
    return states


def _timed_import(context, shop: Path, exports: list[Path]) -> float:
    process = context.Process(
        target=shopdesk_command, args=(["--db", str(shop), "import", *map(str, exports)],)
    )
    started = time.perf_counter()
    process.start()
    process.join()
    assert process.exitcode == 0
    return time.perf_counter() - started


def test_an_import_killed_at_random_moments_leaves_each_file_all_or_nothing(
    context, place, base_shop, exports
):
    full = _timed_import(context, _copy_shop(base_shop, place / "import-full"), exports)
    assert _per_file_state(place / "import-full" / "shop.db", exports) == ["all"] * FILES
    rng = random.Random(8)
    outcomes: dict[tuple[str, ...], int] = {}
    for trial in range(trials(reduced=20, full=60)):
        shop = _copy_shop(base_shop, place / f"import-{trial}")
        process = context.Process(
            target=shopdesk_command, args=(["--db", str(shop), "import", *map(str, exports)],)
        )
        process.start()
        time.sleep(rng.uniform(0, full))  # the random moment of the kill
        process.kill()
        process.join()
        states = tuple(_assert_consistent(shop, exports))
        outcomes[states] = outcomes.get(states, 0) + 1
        # The next start is not hindered by what the killed import left behind.
        open_shop(str(shop)).dispose()
        shutil.rmtree(shop.parent)
    print(f"\nimport killed: full import {full:.2f} s; outcomes {outcomes}")
    # The kills did land in the middle: some trials stopped between two files.
    assert len(outcomes) >= 2, outcomes


def test_the_real_command_killed_mid_import_leaves_each_file_all_or_nothing(place, base_shop, exports):
    command = [sys.executable, "-m", "shopdesk", "--db"]
    shop = _copy_shop(base_shop, place / "command-full")
    started = time.perf_counter()
    subprocess.run([*command, str(shop), "import", *map(str, exports)], check=True, capture_output=True)
    full = time.perf_counter() - started
    rng = random.Random(80)
    for trial in range(trials(reduced=3, full=10)):
        shop = _copy_shop(base_shop, place / f"command-{trial}")
        process = subprocess.Popen(
            [*command, str(shop), "import", *map(str, exports)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(full * 0.3, full))
        process.send_signal(signal.SIGKILL)
        process.wait()
        _assert_consistent(shop, exports)
        shutil.rmtree(shop.parent)


def test_saved_means_saved_every_reported_order_survives_a_kill(context, place, base_shop):
    shop = _copy_shop(base_shop, place / "saved")
    rng = random.Random(100)
    reported: list[int] = []
    count = trials(reduced=100, full=300)
    for trial in range(count):
        receiving, sending = context.Pipe(duplex=False)
        child = context.Process(target=commit_orders, args=(str(shop), trial * 1000, sending))
        child.start()
        sending.close()
        wanted = rng.randint(1, 12)
        for _ in range(wanted):
            reported.append(receiving.recv())
        time.sleep(rng.uniform(0, 0.004))  # somewhere in the next commit, or just after it
        child.kill()
        child.join()
        while receiving.poll():
            try:
                reported.append(receiving.recv())
            except EOFError:
                break
        receiving.close()
        with sqlite3.connect(shop) as raw:
            present = {row[0] for row in raw.execute("SELECT id FROM orders WHERE source = 'manual'")}
        missing = [order_id for order_id in reported if order_id not in present]
        assert missing == [], f"trial {trial}: reported saved but lost: {missing}"
    assert sqlite_health(shop) == ("ok", [])
    print(f"\nsaved means saved: {count} kills, {len(reported)} reported orders, all there")


@pytest.fixture(scope="module")
def real_shop(place, base_shop, exports) -> Path:
    """A shop with demo orders, two imported exports and one good backup, closed."""
    folder = place / "real"
    shop = _copy_shop(base_shop, folder)
    db = open_shop(str(shop))
    import_files(db, exports[:2])
    backup_database(db, "by-hand")
    db.dispose()
    return shop


def test_a_damaged_database_is_refused_naming_the_newest_good_backup(context, place, real_shop):
    with sqlite3.connect(real_shop) as raw:
        orders = raw.execute("SELECT count(*) FROM orders").fetchone()[0]
    [good] = [b for b in list_backups(real_shop.parent / "backups") if b.reason == "by-hand"]
    rng = random.Random(4)
    outcomes = {"refused": 0, "opened": 0}
    for trial in range(trials(reduced=100, full=300)):
        folder = place / f"damaged-{trial}"
        (folder / "backups").mkdir(parents=True)
        os.link(good.path, folder / "backups" / good.path.name)
        shop = folder / "shop.db"
        shutil.copyfile(real_shop, shop)
        flipped = flip_bytes(shop, rng, rng.choice([1, 3, 10, 50]))
        receiving, sending = context.Pipe(duplex=False)
        child = context.Process(target=open_the_shop, args=(str(shop), sending))
        child.start()
        sending.close()
        if not receiving.poll(30):
            child.kill()
            pytest.fail(f"start-up hung on a database with bytes flipped at {flipped}")
        outcome, detail = receiving.recv()
        child.join()
        assert outcome != "crashed", f"bytes flipped at {flipped}:\n{detail}"
        if outcome == "refused":
            assert "damaged" in detail and str(folder / "backups" / good.path.name) in detail, detail
        else:
            # Opened: the damage was in bytes nothing reads (free space, a value) — never empty.
            assert detail == orders, f"opened with {detail} orders instead of {orders}; flipped at {flipped}"
        outcomes[outcome] += 1
        shutil.rmtree(folder)
    print(f"\ndamaged copies: {outcomes}")
    assert outcomes["refused"] > 0
