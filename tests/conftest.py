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


# A PostgreSQL server the database tests may use, as a SQLAlchemy URL to a database with the right
# to create others, e.g. postgresql+psycopg://shopdesk@127.0.0.1:5432/postgres (.ci/run starts one).
POSTGRES_URL_ENV = "SHOPDESK_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers",
        "both_backends: run the test's `db` on SQLite and on PostgreSQL ($SHOPDESK_TEST_POSTGRES_URL)",
    )


def pytest_generate_tests(metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_backends") and "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres_server():
    """The test PostgreSQL server, with one migrated template database to copy for each test."""
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        pytest.skip(
            f"no PostgreSQL server: set {POSTGRES_URL_ENV}=postgresql+psycopg://USER@HOST:PORT/postgres "
            "to run the database tests on PostgreSQL too (.ci/run starts a throw-away server)"
        )
    from tests_postgres import PostgresServer

    server = PostgresServer(url)
    yield server
    server.close()


@pytest.fixture
def shop_target(backend, db_path, request) -> str:
    """Where the test's shop lives: a SQLite file, or a fresh database on the PostgreSQL server."""
    if backend == "sqlite":
        yield str(db_path)
        return
    server = request.getfixturevalue("postgres_server")
    url = server.new_database()
    yield url
    server.drop(url)


@pytest.fixture
def db(shop_target: str) -> Database:
    """A fresh, migrated shop database: a temporary SQLite file (or PostgreSQL, see ``both_backends``)."""
    database = open_shop(shop_target)
    yield database
    database.dispose()


@pytest.fixture
def demo_db(db: Database) -> Database:
    from shopdesk.orders.demo import load_demo_data

    load_demo_data(db)
    return db
