"""task queue: the periodic jobs' runs and the mail outbox

Revision ID: 0022_task_queue
Revises: 0021_followup_followers

A periodic job writes one row per occurrence (job, Copenhagen day), unique, so two workers run
it once. Every e-mail is a row of the outbox, written in the transaction of the change it tells
about and delivered by a worker.
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_task_queue"
down_revision = "0021_followup_followers"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "netvaerk_job_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=80), nullable=False),
        sa.Column("occurrence", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_job_run")),
        sa.UniqueConstraint("job", "occurrence", name=op.f("uq_netvaerk_job_run_job")),
    )
    op.create_table(
        "netvaerk_outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("sender", sa.String(length=254), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("handed_over_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'sending', 'sent', 'failed')",
            name=op.f("ck_netvaerk_outbox_message_status"),
        ),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["netvaerk_network.id"],
            name=op.f("fk_netvaerk_outbox_message_network_id_netvaerk_network"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_outbox_message")),
        sa.UniqueConstraint("message_id", name=op.f("uq_netvaerk_outbox_message_message_id")),
    )
    op.create_index(
        "ix_netvaerk_outbox_message_status_next",
        "netvaerk_outbox_message",
        ["status", "next_attempt_at"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_netvaerk_outbox_message_status_next", table_name="netvaerk_outbox_message")
    op.drop_table("netvaerk_outbox_message")
    op.drop_table("netvaerk_job_run")
