"""participants: the kiosk code's wrong-attempt counter and lock

Revision ID: 0002_participants
Revises: 0001_foundation
Create Date: 2026-11-24 05:05:20.051062
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_participants"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("netvaerk_participant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("checkin_code_failures", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("checkin_code_locked_until", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("netvaerk_participant", schema=None) as batch_op:
        batch_op.drop_column("checkin_code_locked_until")
        batch_op.drop_column("checkin_code_failures")
