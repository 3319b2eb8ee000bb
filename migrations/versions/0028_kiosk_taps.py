"""offline kiosk taps: each tap stored on the tablet is recorded once, by its key

Revision ID: 0028_kiosk_taps
Revises: 0027_resident_links

A tap the kiosk stored while the network was down is sent later with a key made on the tablet;
the unique (network, key) lets it count once however often it is sent. Taps that arrive too
late, or with a wrong code, are kept here (not as check-ins) for the coordinator's register.
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_kiosk_taps"
down_revision = "0027_resident_links"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "netvaerk_kiosk_tap",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("tapped_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('counted', 'already', 'late', 'wrong_code')",
            name=op.f("ck_netvaerk_kiosk_tap_outcome_known"),
        ),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["netvaerk_network.id"],
            name=op.f("fk_netvaerk_kiosk_tap_network_id_netvaerk_network"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["netvaerk_participant.id"],
            name=op.f("fk_netvaerk_kiosk_tap_participant_id_netvaerk_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["netvaerk_meeting.id"],
            name=op.f("fk_netvaerk_kiosk_tap_meeting_id_netvaerk_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_kiosk_tap")),
        sa.UniqueConstraint("network_id", "key", name="uq_kiosk_tap_network_key"),
    )
    with op.batch_alter_table("netvaerk_kiosk_tap") as batch:
        batch.create_index("ix_netvaerk_kiosk_tap_participant_id", ["participant_id"])
        batch.create_index("ix_netvaerk_kiosk_tap_meeting_id", ["meeting_id"])


def downgrade():
    op.drop_table("netvaerk_kiosk_tap")
