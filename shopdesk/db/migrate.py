"""Bring a database to the schema this version of ShopDesk expects, backing it up first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text

from shopdesk.db.backup import backup_sqlite
from shopdesk.db.database import Database
from shopdesk.errors import DatabaseError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config():
    # Alembic is imported here, not at the top: an up-to-date database never needs it.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migration history has no head"
    return head


_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w-]+|None)['\"]?", re.MULTILINE)


def quick_head_revision() -> str:
    """The newest revision, read from the migration files without loading Alembic.

    Start-up only needs to know whether the database is already current; Alembic (and its
    import time) is loaded only when it is not. A test keeps this equal to ``head_revision``.
    """
    revisions: set[str] = set()
    pointed_at: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((key, value) for key, value in _REVISION.findall(path.read_text(encoding="utf-8")))
        revisions.add(found["revision"])
        if found.get("down_revision") not in (None, "None"):
            pointed_at.add(found["down_revision"])
    heads = revisions - pointed_at
    if len(heads) != 1:
        raise DatabaseError(f"ShopDesk's migration history has {len(heads)} heads; reinstall ShopDesk.")
    return heads.pop()


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


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
    current = current_revision(db)
    if current is not None and current == quick_head_revision():
        return UpgradeResult(current, current, None)
    from alembic.script import ScriptDirectory

    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    head = head_revision()
    if current == head:
        return UpgradeResult(current, head, None)
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise DatabaseError(
            f"The database {db.describe()} was written by a newer version of ShopDesk "
            f"(schema {current}). Update ShopDesk to open it; nothing was changed."
        )
    backup = None
    if db.sqlite_path is not None and backup_dir is not None and _has_tables(db):
        try:
            backup = backup_sqlite(db.sqlite_path, backup_dir, reason="before-upgrade")
        except DatabaseError as exc:
            raise DatabaseError(
                "This version of ShopDesk needs to update the database, and the backup made first "
                f"failed, so nothing was changed. {exc}"
            ) from exc
    _run_upgrade(db, config)
    return UpgradeResult(current, head, backup)


def _has_tables(db: Database) -> bool:
    with db.engine.connect() as connection:
        return bool(inspect(connection).get_table_names())


def downgrade_database(db: Database, revision: str) -> None:
    """Take the schema back to ``revision`` (``"base"`` for empty): for tests and support, never at start-up."""
    from alembic import command

    _migrate(db, alembic_config(), lambda config: command.downgrade(config, revision))


def upgrade_to(db: Database, revision: str) -> None:
    """Bring the schema up to ``revision`` without a backup: for tests of the history only."""
    from alembic import command

    _migrate(db, alembic_config(), lambda config: command.upgrade(config, revision))


def _run_upgrade(db: Database, config) -> None:
    from alembic import command

    _migrate(db, config, lambda config: command.upgrade(config, "head"))


def _migrate(db: Database, config, step) -> None:
    """Run ``step(config)`` in one transaction on one connection, foreign keys checked at the end."""
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
                step(config)
                if db.is_sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseError(
                            f"Changing the database's schema broke {len(broken)} links; nothing was changed."
                        )
        finally:
            if db.is_sqlite:
                raw.execute("PRAGMA foreign_keys = ON")
