"""data version: one row that every committed change of the data moves forward

The page cache (app.web.page_cache) keys what it keeps by this row, so a cached page is served only
while nothing has changed since it was rendered, in any app process.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 21:40:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        'data_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('epoch', sa.String(length=32), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version')),
    )
    op.bulk_insert(table, [{'id': 1, 'epoch': uuid.uuid4().hex, 'version': 0}])


def downgrade() -> None:
    op.drop_table('data_version')
