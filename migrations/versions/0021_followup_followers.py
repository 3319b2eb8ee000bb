"""follow-up on a need-to-know basis: the facilitators who follow a resident

Revision ID: 0021_followup_followers
Revises: 0020_one_open_period

A coordinator names the facilitators who follow a resident (mentor, job consultant, contact);
other facilitators see none of that resident's follow-up (issue 27). Nobody is named in
existing networks: until a coordinator names someone, only coordinators see a resident's
follow-up.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_followup_followers"
down_revision = "0020_one_open_period"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "netvaerk_followup_follower",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "role IN ('mentor', 'job_consultant', 'contact')",
            name=op.f("ck_netvaerk_followup_follower_role_known"),
        ),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["netvaerk_network.id"],
            name=op.f("fk_netvaerk_followup_follower_network_id_netvaerk_network"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["netvaerk_participant.id"],
            name=op.f("fk_netvaerk_followup_follower_participant_id_netvaerk_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["netvaerk_user.id"],
            name=op.f("fk_netvaerk_followup_follower_user_id_netvaerk_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_followup_follower")),
        sa.UniqueConstraint("participant_id", "user_id", name="uq_followup_follower"),
    )
    with op.batch_alter_table("netvaerk_followup_follower") as batch:
        batch.create_index(
            batch.f("ix_netvaerk_followup_follower_network_id"), ["network_id"], unique=False
        )
        batch.create_index(
            batch.f("ix_netvaerk_followup_follower_participant_id"), ["participant_id"], unique=False
        )
        batch.create_index(
            batch.f("ix_netvaerk_followup_follower_user_id"), ["user_id"], unique=False
        )


def downgrade():
    # Drops the names of who follows whom; the follow-up itself is untouched (coordinators
    # see it; facilitators saw every resident's follow-up before this revision).
    op.drop_table("netvaerk_followup_follower")
