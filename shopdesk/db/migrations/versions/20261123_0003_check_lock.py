"""check lock: which station is checking an order, and since when

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 23:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import shopdesk.db.types

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('check_station', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('check_started_at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('check_started_at')
        batch_op.drop_column('check_station')
