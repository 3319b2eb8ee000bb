"""wheel of life: the month's scorings of the networks through one index

Revision ID: 0017_report_indexes
Revises: 0016_personal_wheel_areas

The monthly report's wheel of life counts the people whose latest scoring falls in the month.
Without an index on the network and the day, PostgreSQL read every scoring of every year of
the networks to find them (EXPLAIN ANALYZE on 300 networks x 5 years of generated data). The
new index supersedes the single-column index on network_id.
"""

from alembic import op

revision = "0017_report_indexes"
down_revision = "0016_personal_wheel_areas"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_netvaerk_wheel_scoring_network_day",
        "netvaerk_wheel_scoring",
        ["network_id", "scored_on"],
        unique=False,
    )
    op.drop_index("ix_netvaerk_wheel_scoring_network_id", table_name="netvaerk_wheel_scoring")


def downgrade():
    op.create_index(
        "ix_netvaerk_wheel_scoring_network_id",
        "netvaerk_wheel_scoring",
        ["network_id"],
        unique=False,
    )
    op.drop_index("ix_netvaerk_wheel_scoring_network_day", table_name="netvaerk_wheel_scoring")
