"""reminders: a network's reminder settings, the reminders written, residents' consent, and
the worker's heartbeat

Revision ID: 0026_reminders
Revises: 0024_form_receipts

A daily message per address is written once: its key is unique, so a job that runs again
after a crash writes no second one. Residents are not staff accounts; their consent to
reminders is a date on the participant, cleared when they are erased. The worker's tick
writes one heartbeat row, so the start page can say when no worker runs. Each night, after
the retention clean-up, the residents it will erase within 14 days are written down for the
coordinators' start page.
"""

import sqlalchemy as sa
from alembic import op

revision = "0026_reminders"
down_revision = "0024_form_receipts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "netvaerk_reminder_settings",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("facilitator_tomorrow", sa.Boolean(), nullable=False),
        sa.Column("open_slots", sa.Boolean(), nullable=False),
        sa.Column("coordinator_morning", sa.Boolean(), nullable=False),
        sa.Column("changes", sa.Boolean(), nullable=False),
        sa.Column("residents", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["netvaerk_network.id"],
            name=op.f("fk_netvaerk_reminder_settings_network_id_netvaerk_network"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("network_id", name=op.f("pk_netvaerk_reminder_settings")),
    )
    op.create_table(
        "netvaerk_reminder_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_reminder_sent")),
        sa.UniqueConstraint("key", name=op.f("uq_netvaerk_reminder_sent_key")),
    )
    op.create_index(
        op.f("ix_netvaerk_reminder_sent_day"), "netvaerk_reminder_sent", ["day"], unique=False
    )
    with op.batch_alter_table("netvaerk_participant") as batch:
        batch.add_column(sa.Column("reminders_agreed_on", sa.Date(), nullable=True))
    op.create_table(
        "netvaerk_erasure_forecast",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("erase_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["netvaerk_network.id"],
            name=op.f("fk_netvaerk_erasure_forecast_network_id_netvaerk_network"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["netvaerk_participant.id"],
            name=op.f("fk_netvaerk_erasure_forecast_participant_id_netvaerk_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_erasure_forecast")),
        sa.UniqueConstraint(
            "participant_id", name=op.f("uq_netvaerk_erasure_forecast_participant_id")
        ),
    )
    op.create_index(
        op.f("ix_netvaerk_erasure_forecast_network_id"),
        "netvaerk_erasure_forecast",
        ["network_id"],
        unique=False,
    )
    op.create_table(
        "netvaerk_worker_heartbeat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("beat_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_worker_heartbeat")),
    )


def downgrade():
    op.drop_table("netvaerk_worker_heartbeat")
    op.drop_index(
        op.f("ix_netvaerk_erasure_forecast_network_id"), table_name="netvaerk_erasure_forecast"
    )
    op.drop_table("netvaerk_erasure_forecast")
    with op.batch_alter_table("netvaerk_participant") as batch:
        batch.drop_column("reminders_agreed_on")
    op.drop_index(op.f("ix_netvaerk_reminder_sent_day"), table_name="netvaerk_reminder_sent")
    op.drop_table("netvaerk_reminder_sent")
    op.drop_table("netvaerk_reminder_settings")
