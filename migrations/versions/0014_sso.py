"""Single sign-on: identities linked to staff accounts, roles managed by the intranet's groups.

Revision ID: 0014_sso
Revises: 0010_followup
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_sso"
down_revision = "0010_followup"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "netvaerk_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["netvaerk_user.id"],
            name=op.f("fk_netvaerk_identity_user_id_netvaerk_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_identity")),
        sa.UniqueConstraint("issuer", "subject", name="uq_identity_issuer_subject"),
    )
    with op.batch_alter_table("netvaerk_identity") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_netvaerk_identity_user_id"), ["user_id"], unique=False
        )
    op.create_table(
        "netvaerk_managed_membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["netvaerk_membership.id"],
            name=op.f("fk_netvaerk_managed_membership_membership_id_netvaerk_membership"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_managed_membership")),
        sa.UniqueConstraint(
            "membership_id", name=op.f("uq_netvaerk_managed_membership_membership_id")
        ),
    )


def downgrade():
    op.drop_table("netvaerk_managed_membership")
    with op.batch_alter_table("netvaerk_identity") as batch_op:
        batch_op.drop_index(batch_op.f("ix_netvaerk_identity_user_id"))
    op.drop_table("netvaerk_identity")
