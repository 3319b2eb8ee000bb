"""followup: conversations, commitments, options, status checks after leaving, settings

Revision ID: 0010_followup
Revises: 0009_consistency
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_followup"
down_revision = "0009_consistency"
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete=None):
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade():
    t = "netvaerk_followup_settings"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("interval_days", sa.Integer(), nullable=False),
        sa.Column("check_months", sa.String(length=40), nullable=False),
        sa.CheckConstraint("interval_days BETWEEN 1 AND 365", name=op.f(f"ck_{t}_interval_range")),
        _fk(t, "network_id", "netvaerk_network"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("network_id", name=op.f(f"uq_{t}_network_id")),
    )

    t = "netvaerk_followup_conversation"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("present", sa.String(length=300), nullable=False),
        sa.Column("agreed", sa.Text(), nullable=False),
        sa.Column("next_due_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("next_due_on >= held_on", name=op.f(f"ck_{t}_next_after_held")),
        _fk(t, "network_id", "netvaerk_network"),
        _fk(t, "participant_id", "netvaerk_participant", "CASCADE"),
        _fk(t, "recorded_by_id", "netvaerk_user", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    with op.batch_alter_table(t) as batch_op:
        batch_op.create_index(op.f(f"ix_{t}_network_id"), ["network_id"])
        batch_op.create_index(op.f(f"ix_{t}_participant_id"), ["participant_id"])

    t = "netvaerk_followup_commitment"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        _fk(t, "network_id", "netvaerk_network"),
        _fk(t, "participant_id", "netvaerk_participant", "CASCADE"),
        _fk(t, "conversation_id", "netvaerk_followup_conversation", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    with op.batch_alter_table(t) as batch_op:
        batch_op.create_index(op.f(f"ix_{t}_network_id"), ["network_id"])
        batch_op.create_index(op.f(f"ix_{t}_participant_id"), ["participant_id"])
        batch_op.create_index(op.f(f"ix_{t}_conversation_id"), ["conversation_id"])

    t = "netvaerk_followup_option"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("plan", sa.String(length=1), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "plan IS NULL OR plan IN ('A', 'B', 'C')", name=op.f(f"ck_{t}_plan_known")
        ),
        _fk(t, "network_id", "netvaerk_network"),
        _fk(t, "participant_id", "netvaerk_participant", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("participant_id", "plan", name="uq_followup_option_plan"),
    )
    with op.batch_alter_table(t) as batch_op:
        batch_op.create_index(op.f(f"ix_{t}_network_id"), ["network_id"])
        batch_op.create_index(op.f(f"ix_{t}_participant_id"), ["participant_id"])

    t = "netvaerk_followup_check"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("period_id", sa.Integer(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=False),
        sa.Column("exit_outcome", sa.String(length=30), nullable=False),
        sa.Column("months_after", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=True),
        sa.Column("reached_on", sa.Date(), nullable=True),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("months_after BETWEEN 1 AND 60", name=op.f(f"ck_{t}_months_range")),
        sa.CheckConstraint("due_on >= left_on", name=op.f(f"ck_{t}_due_after_left")),
        sa.CheckConstraint(
            "status IS NULL OR status IN ('same_job', 'other_job', 'education', 'internship', "
            "'benefits', 'other_programme', 'moved_away', 'not_reached')",
            name=op.f(f"ck_{t}_status_known"),
        ),
        _fk(t, "network_id", "netvaerk_network"),
        _fk(t, "participant_id", "netvaerk_participant", "SET NULL"),
        _fk(t, "period_id", "netvaerk_participation_period", "SET NULL"),
        _fk(t, "recorded_by_id", "netvaerk_user", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("period_id", "months_after", name="uq_followup_check_period_months"),
    )
    with op.batch_alter_table(t) as batch_op:
        batch_op.create_index(op.f(f"ix_{t}_network_id"), ["network_id"])
        batch_op.create_index(op.f(f"ix_{t}_participant_id"), ["participant_id"])
        batch_op.create_index(op.f(f"ix_{t}_open"), ["network_id", "status", "due_on"])


def downgrade():
    for table in (
        "netvaerk_followup_check",
        "netvaerk_followup_option",
        "netvaerk_followup_commitment",
        "netvaerk_followup_conversation",
        "netvaerk_followup_settings",
    ):
        op.drop_table(table)
