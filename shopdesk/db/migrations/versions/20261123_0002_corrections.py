"""corrections: what went wrong with an order, its free replacement, messages to the customer, follow-ups

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 22:38:18.022727
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import shopdesk.db.types

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('created_at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.Enum('missing', 'short', 'wrong_item', 'damaged', 'lost', 'wrong_address', 'other', name='correctionkind', native_enum=False, length=16), nullable=False),
    sa.Column('cause', sa.Enum('packing', 'stock', 'carrier', 'supplier', 'customer', 'unknown', name='correctioncause', native_enum=False, length=16), nullable=False),
    sa.Column('what_we_will_change', sa.Text(), nullable=False),
    sa.Column('keep_wrong_item', sa.Boolean(), nullable=False),
    sa.Column('goodwill_note', sa.Text(), nullable=False),
    sa.Column('replacement_id', sa.Integer(), nullable=False),
    sa.Column('rma', sa.String(length=64), nullable=True),
    sa.Column('return_received_at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('apology_text', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('station', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_corrections_order_id_orders')),
    sa.ForeignKeyConstraint(['replacement_id'], ['orders.id'], name=op.f('fk_corrections_replacement_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_corrections')),
    sa.UniqueConstraint('replacement_id', name=op.f('uq_corrections_replacement_id'))
    )
    with op.batch_alter_table('corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_corrections_cause'), ['cause'], unique=False)
        batch_op.create_index(batch_op.f('ix_corrections_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_corrections_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_corrections_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_corrections_rma'), ['rma'], unique=False)

    op.create_table('correction_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('correction_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('sent_sku', sa.String(length=64), nullable=True),
    sa.Column('sent_title', sa.String(length=255), nullable=True),
    sa.CheckConstraint('units > 0', name=op.f('ck_correction_lines_units_positive')),
    sa.ForeignKeyConstraint(['correction_id'], ['corrections.id'], name=op.f('fk_correction_lines_correction_id_corrections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_correction_lines_order_line_id_order_lines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_correction_lines'))
    )
    with op.batch_alter_table('correction_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_correction_lines_correction_id'), ['correction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_correction_lines_order_line_id'), ['order_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_correction_lines_sent_sku'), ['sent_sku'], unique=False)
        batch_op.create_index(batch_op.f('ix_correction_lines_sku'), ['sku'], unique=False)

    op.create_table('sent_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('correction_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('to_address', sa.String(length=255), nullable=True),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('channel', sa.Enum('smtp', 'eml', 'mailto', 'clipboard', 'platform', name='messagechannel', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['correction_id'], ['corrections.id'], name=op.f('fk_sent_messages_correction_id_corrections')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_sent_messages_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_messages'))
    )
    with op.batch_alter_table('sent_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sent_messages_correction_id'), ['correction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sent_messages_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sent_messages_sent_at'), ['sent_at'], unique=False)

    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('correction_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('follow_up', 'return_reminder', name='followupkind', native_enum=False, length=16), nullable=False),
    sa.Column('delay_days', sa.Integer(), nullable=False),
    sa.Column('due_at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('done_at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('created_at', shopdesk.db.types.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('delay_days >= 0', name=op.f('ck_follow_ups_delay_not_negative')),
    sa.ForeignKeyConstraint(['correction_id'], ['corrections.id'], name=op.f('fk_follow_ups_correction_id_corrections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['sent_messages.id'], name=op.f('fk_follow_ups_message_id_sent_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups'))
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_ups_correction_id'), ['correction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_done_at'), ['done_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_ups_done_at'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_correction_id'))

    op.drop_table('follow_ups')
    with op.batch_alter_table('sent_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sent_messages_sent_at'))
        batch_op.drop_index(batch_op.f('ix_sent_messages_order_id'))
        batch_op.drop_index(batch_op.f('ix_sent_messages_correction_id'))

    op.drop_table('sent_messages')
    with op.batch_alter_table('correction_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_correction_lines_sku'))
        batch_op.drop_index(batch_op.f('ix_correction_lines_sent_sku'))
        batch_op.drop_index(batch_op.f('ix_correction_lines_order_line_id'))
        batch_op.drop_index(batch_op.f('ix_correction_lines_correction_id'))

    op.drop_table('correction_lines')
    with op.batch_alter_table('corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_corrections_rma'))
        batch_op.drop_index(batch_op.f('ix_corrections_order_id'))
        batch_op.drop_index(batch_op.f('ix_corrections_kind'))
        batch_op.drop_index(batch_op.f('ix_corrections_created_at'))
        batch_op.drop_index(batch_op.f('ix_corrections_cause'))

    op.drop_table('corrections')