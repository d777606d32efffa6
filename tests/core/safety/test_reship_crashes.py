"""``shopdesk reship`` killed at any moment: each correction is there with its replacement, or neither.

Each trial copies a demo shop, runs the real command in a forked child and kills it with SIGKILL
at a random moment between its start and a little after its end (``SHOPDESK_CRASH_TRIALS`` as
for the other crash tests).
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from crash_workers import fork_server, kills_spread_over, reporting_command, start_on_copy, trials
from shop_files import sqlite_health

from shopdesk.app import open_shop
from shopdesk.orders.demo import load_demo_data

RESHIP = ["reship", "101", "--missing", "WING-S=1", "--cause", "packing", "--notes", "killed test"]


@pytest.fixture(scope="module")
def demo_shop(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reship") / "demo.db"
    db = open_shop(str(path))
    load_demo_data(db)
    db.dispose()
    return path


def _corrections_state(path: Path) -> str:
    """ "none" or "whole": the correction, its lines, its replacement and the replacement's lines."""
    with sqlite3.connect(path) as raw:
        corrections = raw.execute("SELECT id, replacement_id FROM corrections").fetchall()
        reships = {row[0] for row in raw.execute("SELECT id FROM orders WHERE source = 'reship'")}
        if not corrections and not reships:
            return "none"
        problems = []
        if len(corrections) != 1:
            problems.append(f"{len(corrections)} corrections")
        for correction_id, replacement_id in corrections:
            if replacement_id not in reships:
                problems.append(f"correction {correction_id} without its replacement")
            lines = raw.execute(
                "SELECT count(*) FROM correction_lines WHERE correction_id = ?", (correction_id,)
            ).fetchone()[0]
            replacement_lines = raw.execute(
                "SELECT count(*) FROM order_lines WHERE order_id = ?", (replacement_id,)
            ).fetchone()[0]
            if not lines or not replacement_lines:
                problems.append(f"correction {correction_id}: {lines} lines, replacement {replacement_lines}")
        if reships - {replacement for _, replacement in corrections}:
            problems.append("a replacement order without its correction")
    return "; ".join(problems) or "whole"


def test_a_reship_killed_at_random_moments_leaves_the_correction_whole_or_absent(demo_shop, tmp_path):
    context = fork_server()

    def start(folder: Path):
        return start_on_copy(
            context, demo_shop, folder, reporting_command, lambda shop: (["--db", str(shop), *RESHIP],)
        )

    shop, child, receiving = start(tmp_path / "whole")
    started = time.perf_counter()
    assert receiving.recv() == 0
    whole = time.perf_counter() - started
    child.join()
    assert _corrections_state(shop) == "whole"

    outcomes = {"none": 0, "whole": 0}
    count = trials(reduced=12, full=60)
    killed = kills_spread_over(whole, count, 1.2, 50, lambda trial: start(tmp_path / f"trial-{trial}"))
    for trial, shop in killed:
        state = _corrections_state(shop)
        assert state in outcomes, f"trial {trial}: {state}"
        assert sqlite_health(shop) == ("ok", [])
        outcomes[state] += 1
        open_shop(str(shop)).dispose()  # the next start is not hindered
        shutil.rmtree(shop.parent)
    print(f"\nreship killed: whole command {whole * 1000:.0f} ms; {count} kills, outcomes {outcomes}")
    assert outcomes["none"] > 0 and outcomes["whole"] > 0, outcomes
