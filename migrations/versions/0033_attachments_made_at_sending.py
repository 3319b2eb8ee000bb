"""outbox attachments made at sending: the monthly summary's PDF is made by the worker

Revision ID: 0033_attachments_made_at_sending
Revises: 0032_resident_wish_pool

An attachment may name its maker (JSON: a registered maker and its arguments) and have no data
until the worker makes it, just before the first attempt to send its message.
"""

import sqlalchemy as sa
from alembic import op

revision = "0033_attachments_made_at_sending"
down_revision = "0032_resident_wish_pool"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("netvaerk_outbox_attachment") as batch:
        batch.add_column(sa.Column("maker", sa.Text(), nullable=True))
        batch.alter_column("data", existing_type=sa.LargeBinary(), nullable=True)


def downgrade():
    # A file not made yet cannot be kept without its data: such messages lose the attachment.
    op.execute("DELETE FROM netvaerk_outbox_attachment WHERE data IS NULL")
    with op.batch_alter_table("netvaerk_outbox_attachment") as batch:
        batch.alter_column("data", existing_type=sa.LargeBinary(), nullable=False)
        batch.drop_column("maker")
