"""sync: local copy of edit conflicts

Revision ID: 0002_sync
Revises: 0001
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

import console.models.base

revision = '0002_sync'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_conflicts',
    sa.Column('pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.String(length=64), nullable=False),
    sa.Column('mutation_id', sa.Uuid(), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('proposed', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('centre_code', sa.String(length=32), nullable=True),
    sa.Column('created_at', console.models.base.UTCDateTime(), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.Column('resolved_by', sa.String(length=64), nullable=True),
    sa.Column('resolved_at', console.models.base.UTCDateTime(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('server_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.PrimaryKeyConstraint('pk', name=op.f('pk_sync_conflicts')),
    sa.UniqueConstraint('id', name=op.f('uq_sync_conflicts_id'))
    )
    op.create_index(op.f('ix_sync_conflicts_row_id'), 'sync_conflicts', ['row_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sync_conflicts_row_id'), table_name='sync_conflicts')
    op.drop_table('sync_conflicts')
