"""the residents' personal links to their own page

Revision ID: 0027_resident_links
Revises: 0026_reminders

One row per resident with a working link: the SHA-256 of the token (never the token), when it
was made, when it stops working and by whom. Renewing replaces the hash, revoking deletes the
row; erasing the resident deletes it by cascade (issue 30).
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_resident_links"
down_revision = "0026_reminders"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "netvaerk_resident_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["netvaerk_network.id"],
            name=op.f("fk_netvaerk_resident_link_network_id_netvaerk_network"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["netvaerk_participant.id"],
            name=op.f("fk_netvaerk_resident_link_participant_id_netvaerk_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["netvaerk_user.id"],
            name=op.f("fk_netvaerk_resident_link_created_by_id_netvaerk_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_resident_link")),
        sa.UniqueConstraint("participant_id", name="uq_resident_link_participant"),
        sa.UniqueConstraint("token_hash", name="uq_resident_link_token_hash"),
    )
    with op.batch_alter_table("netvaerk_resident_link") as batch:
        batch.create_index(
            batch.f("ix_netvaerk_resident_link_network_id"), ["network_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("netvaerk_resident_link") as batch:
        batch.drop_index(batch.f("ix_netvaerk_resident_link_network_id"))
    op.drop_table("netvaerk_resident_link")
