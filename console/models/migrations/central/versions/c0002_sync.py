"""sync: change feed, applied mutations, clients, central meta, conflicts

Revision ID: c0002_sync
Revises: c0001
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

import console.models.base

revision = 'c0002_sync'
down_revision = 'c0001'
branch_labels = None
depends_on = None

Seq = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('change_feed',
    sa.Column('seq', Seq, autoincrement=False, nullable=False),
    sa.Column('change_id', sa.Uuid(), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('row_key', sa.String(length=64), nullable=False),
    sa.Column('centre_code', sa.String(length=32), nullable=True),
    sa.Column('mutation_id', sa.Uuid(), nullable=True),
    sa.Column('committed_at', console.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_change_feed'))
    )
    op.create_index('ix_change_feed_centre_seq', 'change_feed', ['centre_code', 'seq'], unique=False)
    op.create_table('applied_mutations',
    sa.Column('mutation_id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('seq', Seq, nullable=True),
    sa.Column('row_key', sa.String(length=64), nullable=True),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('applied_at', console.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('mutation_id', name=op.f('pk_applied_mutations'))
    )
    op.create_index('ix_applied_mutations_kind_row', 'applied_mutations', ['kind', 'row_key'], unique=False)
    op.create_table('sync_clients',
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('token', sa.Uuid(), nullable=False),
    sa.Column('previous_token', sa.Uuid(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('created_at', console.models.base.UTCDateTime(), nullable=False),
    sa.Column('last_push_at', console.models.base.UTCDateTime(), nullable=True),
    sa.Column('replaced_by', sa.Uuid(), nullable=True),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_sync_clients'))
    )
    meta = op.create_table('central_meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_central_meta'))
    )
    op.bulk_insert(meta, [{'key': 'mutation_schema_version', 'value': '1'},
                          {'key': 'min_client_schema_version', 'value': '0'}])
    _create_conflicts()


def _create_conflicts() -> None:
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
    op.drop_table('central_meta')
    op.drop_table('sync_clients')
    op.drop_index('ix_applied_mutations_kind_row', table_name='applied_mutations')
    op.drop_table('applied_mutations')
    op.drop_index('ix_change_feed_centre_seq', table_name='change_feed')
    op.drop_table('change_feed')
