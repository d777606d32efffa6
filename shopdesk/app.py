"""Start-up: choose the database, open it, bring its schema up to date."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from shopdesk.config import backup_dir_for, chosen_database
from shopdesk.db.database import Database
from shopdesk.db.migrate import upgrade_database
from shopdesk.errors import DatabaseError

log = logging.getLogger(__name__)


def open_shop(db_choice: str | None = None) -> Database:
    """Open the shop's database (``--db``, ``$SHOPDESK_DB`` or the default) and upgrade it.

    Raises ``DatabaseError`` with a sentence for the owner when it cannot be used.
    """
    db = Database.open(chosen_database(db_choice))
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        path = db.sqlite_path
        result = upgrade_database(db, backup_dir_for(path) if path else None)
    except SQLAlchemyError as exc:
        db.dispose()
        reason = str(exc.orig) if getattr(exc, "orig", None) else str(exc)
        raise DatabaseError(f"Cannot open the database {db.describe()}: {reason}") from exc
    except DatabaseError:
        db.dispose()
        raise
    if result.changed:
        log.info(
            "database %s upgraded %s → %s (backup %s)",
            db.describe(),
            result.from_revision,
            result.to_revision,
            result.backup,
        )
    return db
