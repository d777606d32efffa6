"""Schema migrations: a sound history, and an upgrade killed at any moment leaves the old or the new.

The history is checked the way pytest-alembic does it, in plain pytest: one head, empty → head,
each step down and up again, and the migrated schema equal to the models, on SQLite and on
PostgreSQL. The kill test upgrades copies of a real shop at revision 0001 in forked children and
kills each with SIGKILL at a random moment of the upgrade (``SHOPDESK_CRASH_TRIALS`` as for the
other crash tests).
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from itertools import pairwise
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from crash_workers import fork_server, kills_spread_over, start_on_copy, trials, upgrade_the_shop
from shop_files import sqlite_health
from sqlalchemy import inspect

from shopdesk.app import open_shop
from shopdesk.db.database import Database
from shopdesk.db.migrate import (
    alembic_config,
    current_revision,
    downgrade_database,
    head_revision,
    upgrade_database,
    upgrade_to,
)
from shopdesk.db.models import Base
from shopdesk.orders.demo import load_demo_data

OLD = "0001"


def _schema_differences(db: Database) -> list:
    with db.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def test_the_history_has_one_head_and_every_revision_steps_back_to_the_one_before():
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    assert [rev.down_revision for rev in revisions][-1] is None
    for newer, older in pairwise(revisions):
        assert newer.down_revision == older.revision


@pytest.mark.both_backends
def test_base_to_head_each_step_down_and_up_again_ends_at_the_models_schema(db):
    downgrade_database(db, "base")
    assert current_revision(db) is None
    assert [t for t in inspect(db.engine).get_table_names() if t != "alembic_version"] == []
    revisions = [
        rev.revision for rev in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))
    ]
    previous = "base"
    for revision in revisions:  # the stairway: up one, down one, up again
        upgrade_to(db, revision)
        assert current_revision(db) == revision
        downgrade_database(db, previous)
        assert current_revision(db) == (None if previous == "base" else previous)
        upgrade_to(db, revision)
        previous = revision
    assert current_revision(db) == head_revision()
    assert _schema_differences(db) == []
    # And from empty to head in one go, as a new shop starts.
    downgrade_database(db, "base")
    upgrade_database(db, backup_dir=None)
    assert current_revision(db) == head_revision() and _schema_differences(db) == []


@pytest.fixture(scope="module")
def old_shop(tmp_path_factory) -> Path:
    """A demo shop taken back to revision 0001, closed."""
    path = tmp_path_factory.mktemp("migrations") / "old.db"
    db = open_shop(str(path))
    load_demo_data(db)
    downgrade_database(db, OLD)
    assert current_revision(db) == OLD
    db.dispose()
    return path


def _schema_state(path: Path) -> str:
    """ "old" or "new": the version row and the tables and columns agree; anything else fails."""
    with sqlite3.connect(path) as raw:
        [(version,)] = raw.execute("SELECT version_num FROM alembic_version").fetchall()
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = {row[1] for row in raw.execute("PRAGMA table_info(orders)")}
    has_new = ("corrections" in tables, "check_station" in columns)
    if version == OLD and has_new == (False, False):
        return "old"
    if version == head_revision() and has_new == (True, True):
        return "new"
    return f"between: version {version}, corrections table {has_new[0]}, check lock {has_new[1]}"


def test_an_upgrade_killed_at_random_moments_leaves_the_old_or_the_new_schema(old_shop, tmp_path):
    context = fork_server()
    with sqlite3.connect(old_shop) as raw:
        orders = raw.execute("SELECT count(*) FROM orders").fetchone()[0]

    def start(folder: Path):
        return start_on_copy(context, old_shop, folder, upgrade_the_shop, lambda shop: (str(shop),))

    shop, child, receiving = start(tmp_path / "whole")
    started = time.perf_counter()
    assert receiving.recv() == "done"
    whole = time.perf_counter() - started
    child.join()
    assert _schema_state(shop) == "new"

    outcomes = {"old": 0, "new": 0}
    count = trials(reduced=10, full=40)
    killed = kills_spread_over(whole, count, 1.3, 30, lambda trial: start(tmp_path / f"trial-{trial}"))
    for trial, shop in killed:
        state = _schema_state(shop)
        assert state in outcomes, f"trial {trial}: {state}"
        assert sqlite_health(shop) == ("ok", [])
        outcomes[state] += 1
        # The next start finishes the job, with every order still there.
        db = open_shop(str(shop))
        assert current_revision(db) == head_revision()
        db.dispose()
        assert _schema_state(shop) == "new"
        with sqlite3.connect(shop) as raw:
            assert raw.execute("SELECT count(*) FROM orders").fetchone()[0] == orders
        shutil.rmtree(shop.parent)
    print(f"\nupgrade killed: whole upgrade {whole * 1000:.0f} ms; {count} kills, outcomes {outcomes}")
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes
