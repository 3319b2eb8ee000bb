"""consistency: closed days and notice period per network, one held meeting per day,
sign-up seats within the activity's places

Revision ID: 0009_consistency
Revises: 0008_anonymity
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_consistency"
down_revision = "0008_anonymity"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("netvaerk_network", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "closed_days", sa.String(length=200), nullable=False, server_default="12-24,12-31"
            )
        )
        batch_op.add_column(
            sa.Column("cancel_notice_hours", sa.Integer(), nullable=False, server_default="48")
        )
        batch_op.create_check_constraint(
            "notice_hours_range", "cancel_notice_hours BETWEEN 0 AND 720"
        )
    with op.batch_alter_table("netvaerk_network", schema=None) as batch_op:
        batch_op.alter_column("closed_days", server_default=None)
        batch_op.alter_column("cancel_notice_hours", server_default=None)

    # Two meetings held on one day (possible before): keep the first, cancel the others.
    op.execute(
        """
        UPDATE netvaerk_meeting SET is_cancelled = true,
            cancel_reason = 'Another meeting on the same day'
        WHERE NOT is_cancelled AND EXISTS (
            SELECT 1 FROM netvaerk_meeting AS other
            WHERE other.network_id = netvaerk_meeting.network_id
              AND other.date = netvaerk_meeting.date
              AND NOT other.is_cancelled
              AND other.id < netvaerk_meeting.id
        )
        """
    )
    with op.batch_alter_table("netvaerk_meeting", schema=None) as batch_op:
        batch_op.create_index(
            "uq_meeting_network_day_held",
            ["network_id", "date"],
            unique=True,
            sqlite_where=sa.text("NOT is_cancelled"),
            postgresql_where=sa.text("NOT is_cancelled"),
        )

    with op.batch_alter_table("netvaerk_activity", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_activity_id_places", ["id", "facilitators_needed"])

    with op.batch_alter_table("netvaerk_activity_signup", schema=None) as batch_op:
        batch_op.add_column(sa.Column("places", sa.Integer(), nullable=True))
    op.execute(
        """
        UPDATE netvaerk_activity SET facilitators_needed = (
            SELECT MAX(seat) FROM netvaerk_activity_signup
            WHERE netvaerk_activity_signup.activity_id = netvaerk_activity.id
        )
        WHERE facilitators_needed < (
            SELECT MAX(seat) FROM netvaerk_activity_signup
            WHERE netvaerk_activity_signup.activity_id = netvaerk_activity.id
        )
        """
    )
    op.execute(
        """
        UPDATE netvaerk_activity_signup SET places = (
            SELECT facilitators_needed FROM netvaerk_activity
            WHERE netvaerk_activity.id = netvaerk_activity_signup.activity_id
        )
        """
    )
    with op.batch_alter_table("netvaerk_activity_signup", schema=None) as batch_op:
        batch_op.alter_column("places", existing_type=sa.Integer(), nullable=False)
        batch_op.create_check_constraint("seat_within_places", "seat <= places")
        batch_op.create_foreign_key(
            "fk_activity_signup_places",
            "netvaerk_activity",
            ["activity_id", "places"],
            ["id", "facilitators_needed"],
            onupdate="CASCADE",
            ondelete="CASCADE",
        )


def downgrade():
    with op.batch_alter_table("netvaerk_activity_signup", schema=None) as batch_op:
        batch_op.drop_constraint("fk_activity_signup_places", type_="foreignkey")
        batch_op.drop_constraint("ck_netvaerk_activity_signup_seat_within_places", type_="check")
        batch_op.drop_column("places")
    with op.batch_alter_table("netvaerk_activity", schema=None) as batch_op:
        batch_op.drop_constraint("uq_activity_id_places", type_="unique")
    with op.batch_alter_table("netvaerk_meeting", schema=None) as batch_op:
        batch_op.drop_index("uq_meeting_network_day_held")
    with op.batch_alter_table("netvaerk_network", schema=None) as batch_op:
        batch_op.drop_constraint("ck_netvaerk_network_notice_hours_range", type_="check")
        batch_op.drop_column("cancel_notice_hours")
        batch_op.drop_column("closed_days")
