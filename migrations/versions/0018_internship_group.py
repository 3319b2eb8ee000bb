"""internship counts as "work or education" in the evaluation's outcome groups, as it does in
the statistics (released answers whose exact outcome was kept get the group that fits it)

Revision ID: 0018_internship_group
Revises: 0017_report_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_internship_group"
down_revision = "0017_report_indexes"
branch_labels = None
depends_on = None


def _set_group(group: str) -> None:
    # Only rows that kept the exact outcome: a coarsened one ("other" without an outcome) may
    # have been anything, and its batch was coarsened under the old groups.
    op.get_bind().execute(
        sa.text(
            "UPDATE netvaerk_evaluation_submission SET outcome_group = :group "
            "WHERE outcome = 'internship'"
        ),
        {"group": group},
    )


def upgrade():
    _set_group("work_or_education")


def downgrade():
    _set_group("other")
