"""one-time keys of create forms: a double submit creates one row

Revision ID: 0024_form_receipts
Revises: 0022_task_queue

Each form that creates something (a closure, a wish, an invitation, an evaluation form, an
idea on a resident's list of options) carries a hidden random key; saving it stores the key
here first, and the unique constraint lets only one of N identical simultaneous submissions
through (issue 27). The table starts empty: rows that earlier double submits already
duplicated are left as they are (they cannot be told apart from rows meant to be twice).
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_form_receipts"
down_revision = "0022_task_queue"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "netvaerk_form_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_form_receipt")),
        sa.UniqueConstraint("token", name=op.f("uq_netvaerk_form_receipt_token")),
    )


def downgrade():
    op.drop_table("netvaerk_form_receipt")
