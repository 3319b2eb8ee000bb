"""sessions that logged out: "Log out" ends this browser's session only

Revision ID: 0029_ended_sessions
Revises: 0028_kiosk_taps

Logging out used to bump the account's session version, which ended the account's sessions on
every device (issue 29). Now each login gets a random session id; logging out stores its hash
here, so a copy of that cookie is refused while the account's other sessions go on. "Log out
everywhere" still bumps the session version. Rows older than the longest session are pruned.
"""

import sqlalchemy as sa
from alembic import op

revision = "0029_ended_sessions"
down_revision = "0028_kiosk_taps"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "netvaerk_ended_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_ended_session")),
        sa.UniqueConstraint("session_hash", name=op.f("uq_netvaerk_ended_session_session_hash")),
    )
    with op.batch_alter_table("netvaerk_ended_session") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_netvaerk_ended_session_ended_at"), ["ended_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("netvaerk_ended_session") as batch_op:
        batch_op.drop_index(batch_op.f("ix_netvaerk_ended_session_ended_at"))
    op.drop_table("netvaerk_ended_session")
