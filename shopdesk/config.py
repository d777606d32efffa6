"""Where ShopDesk keeps its files, and which database it opens."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "ShopDesk"
DB_ENV_VAR = "SHOPDESK_DB"
_dirs = PlatformDirs(APP_NAME, appauthor=False)


def data_dir() -> Path:
    return Path(_dirs.user_data_dir)


def log_dir() -> Path:
    return Path(_dirs.user_log_dir)


def default_db_path() -> Path:
    return data_dir() / "shopdesk.db"


def chosen_database(cli_value: str | None) -> str:
    """The database to open: ``--db``, else ``$SHOPDESK_DB``, else the default file."""
    if cli_value:
        return cli_value
    if os.environ.get(DB_ENV_VAR):
        return os.environ[DB_ENV_VAR]
    path = default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return str(path)


def backup_dir_for(db_path: Path) -> Path:
    return db_path.parent / "backups"
