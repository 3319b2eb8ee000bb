"""The intranet's users.

Revision ID: 0001_intranet_users
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_intranet_users"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "intranet_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
        sa.UniqueConstraint("email"),
    )


def downgrade():
    op.drop_table("intranet_user")
