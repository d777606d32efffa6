"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 22:15:52.577856
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import shopdesk.db.types

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=True),
    sa.Column('placed_at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('customer_name', sa.String(length=255), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('ship_name', sa.String(length=255), nullable=False),
    sa.Column('ship_address1', sa.String(length=255), nullable=False),
    sa.Column('ship_address2', sa.String(length=255), nullable=False),
    sa.Column('ship_city', sa.String(length=128), nullable=False),
    sa.Column('ship_region', sa.String(length=128), nullable=False),
    sa.Column('ship_postcode', sa.String(length=32), nullable=False),
    sa.Column('ship_country', sa.String(length=64), nullable=False),
    sa.Column('buyer_note', sa.Text(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('total_cents', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('new', 'checked', 'packed', 'shipped', 'on_hold', 'cancelled', name='orderstatus', native_enum=False, length=16), nullable=False),
    sa.Column('held_from', sa.String(length=16), nullable=True),
    sa.Column('check_skip_reason', sa.Text(), nullable=True),
    sa.Column('checked_at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('tracking_number', sa.String(length=128), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created_at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['orders.id'], name=op.f('fk_orders_parent_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('source', 'number', name='source_number')
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orders_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_placed_at'), ['placed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_status'), ['status'], unique=False)

    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('barcode', sa.String(length=64), nullable=True),
    sa.Column('picture_path', sa.String(length=1024), nullable=True),
    sa.Column('location', sa.String(length=64), nullable=True),
    sa.Column('created_at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('sku', name=op.f('uq_products_sku'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_barcode'), ['barcode'], unique=False)

    op.create_table('settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('station', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_events_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_order_id'), ['order_id'], unique=False)

    op.create_table('order_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('detected_at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('source_file', sa.String(length=1024), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('resolved_at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_changes_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_changes'))
    )
    with op.batch_alter_table('order_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_changes_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_changes_state'), ['state'], unique=False)

    op.create_table('order_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('variation', sa.Text(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_cents', sa.Integer(), nullable=True),
    sa.Column('external_id', sa.String(length=64), nullable=True),
    sa.Column('counted', sa.Integer(), nullable=False),
    sa.CheckConstraint('counted >= 0 AND counted <= quantity', name=op.f('ck_order_lines_counted_in_range')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_order_lines_quantity_positive')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_lines_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines'))
    )
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.create_index('ix_order_lines_order_id_position', ['order_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_lines_sku'), ['sku'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_lines_sku'))
        batch_op.drop_index('ix_order_lines_order_id_position')

    op.drop_table('order_lines')
    with op.batch_alter_table('order_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_changes_state'))
        batch_op.drop_index(batch_op.f('ix_order_changes_order_id'))

    op.drop_table('order_changes')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_order_id'))
        batch_op.drop_index(batch_op.f('ix_events_kind'))
        batch_op.drop_index(batch_op.f('ix_events_at'))

    op.drop_table('events')
    op.drop_table('settings')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_barcode'))

    op.drop_table('products')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_status'))
        batch_op.drop_index(batch_op.f('ix_orders_placed_at'))
        batch_op.drop_index(batch_op.f('ix_orders_parent_id'))
        batch_op.drop_index(batch_op.f('ix_orders_number'))

    op.drop_table('orders')
