"""attendance: a person's history through one covering index

Revision ID: 0015_attendance_history_index
Revises: 0014_sso

The participant list and the follow-up list read a network's attendance by person. Without an
index leading with the person (and carrying the status), PostgreSQL hashed the whole attendance
table, every network and year, for one network's list (EXPLAIN ANALYZE on generated data).
The new index supersedes the single-column index on participant_id.
"""

from alembic import op

revision = "0015_attendance_history_index"
down_revision = "0014_sso"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_netvaerk_attendance_participant_meeting",
        "netvaerk_attendance",
        ["participant_id", "meeting_id"],
        unique=False,
        postgresql_include=["status"],
    )
    op.drop_index("ix_netvaerk_attendance_participant_id", table_name="netvaerk_attendance")


def downgrade():
    op.create_index(
        "ix_netvaerk_attendance_participant_id",
        "netvaerk_attendance",
        ["participant_id"],
        unique=False,
    )
    op.drop_index("ix_netvaerk_attendance_participant_meeting", table_name="netvaerk_attendance")
