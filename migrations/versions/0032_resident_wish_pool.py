"""the sealed pool of wishes sent from residents' own pages

Revision ID: 0032_resident_wish_pool
Revises: 0031_mail_preferences

A wish from a resident's own page waits here, encrypted, with no person and no time, until
wishes of at least three residents of the network can be released together (mypage/wishes.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0032_resident_wish_pool"
down_revision = "0031_mail_preferences"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "netvaerk_resident_wish_pending",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["netvaerk_network.id"],
            name=op.f("fk_netvaerk_resident_wish_pending_network_id_netvaerk_network"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_resident_wish_pending")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        op.f("ix_netvaerk_resident_wish_pending_network_id"),
        "netvaerk_resident_wish_pending",
        ["network_id"],
        unique=False,
    )


def downgrade():
    op.drop_index(
        op.f("ix_netvaerk_resident_wish_pending_network_id"),
        table_name="netvaerk_resident_wish_pending",
    )
    op.drop_table("netvaerk_resident_wish_pending")
