"""report versions: every version of a closed month the steering group has seen, kept unchanged
when a reopening replaces it

Revision ID: 0019_report_versions
Revises: 0018_internship_group

Months reopened before this migration kept only their latest figures; their earlier versions
are gone and are not invented here.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_report_versions"
down_revision = "0018_internship_group"
branch_labels = None
depends_on = None

TABLE = "netvaerk_monthly_report_version"


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("frozen_at", sa.DateTime(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(), nullable=False),
        sa.Column("revision_reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint("revision >= 1", name=op.f(f"ck_{TABLE}_revision_positive")),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["netvaerk_network.id"],
            name=op.f(f"fk_{TABLE}_network_id_netvaerk_network"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["netvaerk_monthly_report.id"],
            name=op.f(f"fk_{TABLE}_report_id_netvaerk_monthly_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint(
            "network_id", "year", "month", "revision", name="uq_monthly_report_version"
        ),
    )
    with op.batch_alter_table(TABLE) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{TABLE}_network_id"), ["network_id"], unique=False)
        batch_op.create_index(batch_op.f(f"ix_{TABLE}_report_id"), ["report_id"], unique=False)


def downgrade():
    # The replaced versions are dropped with the table: the current figures stay in
    # netvaerk_monthly_report, as before this migration.
    with op.batch_alter_table(TABLE) as batch_op:
        batch_op.drop_index(batch_op.f(f"ix_{TABLE}_report_id"))
        batch_op.drop_index(batch_op.f(f"ix_{TABLE}_network_id"))
    op.drop_table(TABLE)
