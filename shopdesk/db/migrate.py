"""Bring a database to the schema this version of ShopDesk expects, backing it up first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from shopdesk.db.backup import backup_sqlite
from shopdesk.db.database import Database
from shopdesk.errors import DatabaseError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migration history has no head"
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@dataclass(frozen=True)
class UpgradeResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def upgrade_database(db: Database, backup_dir: Path | None) -> UpgradeResult:
    """Upgrade to the newest schema; an existing SQLite database is backed up before it changes.

    A database written by a newer ShopDesk is refused, never downgraded: its data would not fit.
    """
    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    head = head_revision()
    current = current_revision(db)
    if current == head:
        return UpgradeResult(current, head, None)
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise DatabaseError(
            f"The database {db.describe()} was written by a newer version of ShopDesk "
            f"(schema {current}). Update ShopDesk to open it; nothing was changed."
        )
    backup = None
    if db.sqlite_path is not None and backup_dir is not None and _has_tables(db):
        backup = backup_sqlite(db.sqlite_path, backup_dir, reason="before-upgrade")
    _run_upgrade(db, config)
    return UpgradeResult(current, head, backup)


def _has_tables(db: Database) -> bool:
    with db.engine.connect() as connection:
        return bool(inspect(connection).get_table_names())


def _run_upgrade(db: Database, config: Config) -> None:
    with db.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        if db.is_sqlite:
            # Batch mode rebuilds tables; with foreign keys enforced, dropping the old copy of a
            # table would cascade. SQLite only accepts this pragma outside a transaction, so it
            # goes straight to the driver, before SQLAlchemy begins one.
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if db.is_sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseError(
                            f"Upgrading the database broke {len(broken)} links; nothing was changed."
                        )
        finally:
            if db.is_sqlite:
                raw.execute("PRAGMA foreign_keys = ON")
