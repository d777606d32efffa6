"""Alembic environment. ShopDesk runs migrations itself (``shopdesk.db.migrate``) with a
connection it opened; the ``alembic`` command line works too, given ``-x db=PATH_OR_URL``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from shopdesk.db.database import database_url
from shopdesk.db.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    target = context.get_x_argument(as_dictionary=True).get("db")
    if not target:
        raise SystemExit("Give the database: alembic -x db=PATH_OR_URL upgrade head")
    engine = create_engine(database_url(target))
    with engine.begin() as conn:
        _run(conn)
