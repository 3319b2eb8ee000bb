"""mail preferences, extra headers and attachments on outbox messages

Revision ID: 0031_mail_preferences
Revises: 0029_ended_sessions

A staff account's choice per kind of mail (no row: the kind's default), and what the monthly
summary and the reminders need from the outbox: extra headers (List-Unsubscribe), an HTML
alternative and attachments (the summary's PDF), stored with the message so every attempt
sends the same.
"""

import sqlalchemy as sa
from alembic import op

revision = "0031_mail_preferences"
down_revision = "0029_ended_sessions"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("netvaerk_outbox_message") as batch:
        batch.add_column(sa.Column("headers", sa.Text(), nullable=True))
        batch.add_column(sa.Column("html", sa.Text(), nullable=True))
    op.create_table(
        "netvaerk_outbox_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["netvaerk_outbox_message.id"],
            name=op.f("fk_netvaerk_outbox_attachment_message_id_netvaerk_outbox_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_outbox_attachment")),
    )
    op.create_index(
        op.f("ix_netvaerk_outbox_attachment_message_id"),
        "netvaerk_outbox_attachment",
        ["message_id"],
    )
    op.create_table(
        "netvaerk_mail_preference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("wanted", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["netvaerk_user.id"],
            name=op.f("fk_netvaerk_mail_preference_user_id_netvaerk_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_mail_preference")),
        sa.UniqueConstraint("user_id", "kind", name=op.f("uq_netvaerk_mail_preference_user_id")),
    )


def downgrade():
    op.drop_table("netvaerk_mail_preference")
    op.drop_index(
        op.f("ix_netvaerk_outbox_attachment_message_id"), table_name="netvaerk_outbox_attachment"
    )
    op.drop_table("netvaerk_outbox_attachment")
    with op.batch_alter_table("netvaerk_outbox_message") as batch:
        batch.drop_column("html")
        batch.drop_column("headers")
