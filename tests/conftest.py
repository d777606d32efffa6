"""Shared fixtures.

Qt runs offscreen, and ShopDesk's user folders (data, logs, settings) point into a throw-away
directory, both set before anything imports Qt or ShopDesk, so no test touches the real ones.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_HOME = Path(tempfile.mkdtemp(prefix="shopdesk-tests-"))
# Offscreen, with a screen the size of a real desktop (the default is 800×600, smaller than the window).
_SCREEN = _HOME / "offscreen-screen.json"
_SCREEN.write_text(
    '{"screens": [{"name": "desk", "x": 0, "y": 0, "width": 1920, "height": 1080, '
    '"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}'
)
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
for _var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_HOME / _var.lower())
os.environ.pop("SHOPDESK_DB", None)

import pytest  # noqa: E402

from shopdesk.app import open_shop  # noqa: E402
from shopdesk.db.database import Database  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "shop.db"


@pytest.fixture
def db(db_path: Path) -> Database:
    """A fresh, migrated shop database in a temporary folder."""
    database = open_shop(str(db_path))
    yield database
    database.dispose()


@pytest.fixture
def demo_db(db: Database) -> Database:
    from shopdesk.orders.demo import load_demo_data

    load_demo_data(db)
    return db
