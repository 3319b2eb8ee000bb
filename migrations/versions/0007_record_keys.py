"""stats: a record key per participation period (cell key method) and the reopening note

Revision ID: 0007_record_keys
Revises: 0006_stats
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_record_keys"
down_revision = "0006_stats"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "netvaerk_record_key",
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("key >= 0 AND key < 256", name=op.f("ck_netvaerk_record_key_key_range")),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["netvaerk_participation_period.id"],
            name=op.f("fk_netvaerk_record_key_period_id_netvaerk_participation_period"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("period_id", name=op.f("pk_netvaerk_record_key")),
    )
    with op.batch_alter_table("netvaerk_monthly_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision_note", sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table("netvaerk_monthly_report", schema=None) as batch_op:
        batch_op.drop_column("revision_note")
    op.drop_table("netvaerk_record_key")
