"""personal wheel areas: each resident's choice of the network's areas and areas of their own,
and scores of an own area

Revision ID: 0016_personal_wheel_areas
Revises: 0015_attendance_history_index

Seed 001: "Antallet af dele og valget af områder er op til den enkelte". A resident without rows
in the new table keeps the network's active areas, so existing wheels read as before. A score
now belongs either to an area of the network's list (`area_id`, as before) or to one of the
resident's own (`personal_area_id`).
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_personal_wheel_areas"
down_revision = "0015_attendance_history_index"
branch_labels = None
depends_on = None

AREA = "netvaerk_wheel_personal_area"
SCORE = "netvaerk_wheel_score"


def upgrade():
    op.create_table(
        AREA,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("own_name", sa.String(length=80), nullable=True),
        sa.Column("own_key", sa.String(length=255), nullable=True),
        sa.Column("in_use", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(area_id IS NOT NULL AND own_name IS NULL AND own_key IS NULL) OR "
            "(area_id IS NULL AND own_name IS NOT NULL AND own_key IS NOT NULL)",
            name=op.f(f"ck_{AREA}_one_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["netvaerk_wheel_area.id"],
            name=op.f(f"fk_{AREA}_area_id_netvaerk_wheel_area"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["netvaerk_network.id"],
            name=op.f(f"fk_{AREA}_network_id_netvaerk_network"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["netvaerk_participant.id"],
            name=op.f(f"fk_{AREA}_participant_id_netvaerk_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{AREA}")),
        sa.UniqueConstraint("participant_id", "area_id", name="uq_wheel_personal_area_chosen"),
        sa.UniqueConstraint("participant_id", "own_key", name="uq_wheel_personal_area_own"),
    )
    with op.batch_alter_table(AREA) as batch_op:
        batch_op.create_index(op.f(f"ix_{AREA}_participant_id"), ["participant_id"])

    # On SQLite this copies the table (foreign keys are off meanwhile, see env.py); the copy
    # keeps the score range check, which is named, and adds the new column's constraints.
    with op.batch_alter_table(SCORE) as batch_op:
        batch_op.alter_column("area_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("personal_area_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f(f"fk_{SCORE}_personal_area_id_{AREA}"),
            AREA,
            ["personal_area_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_unique_constraint(
            "uq_wheel_score_personal_area", ["scoring_id", "personal_area_id"]
        )
        batch_op.create_check_constraint(
            op.f(f"ck_{SCORE}_one_area"),
            "(area_id IS NOT NULL AND personal_area_id IS NULL) OR "
            "(area_id IS NULL AND personal_area_id IS NOT NULL)",
        )
        batch_op.create_index(op.f(f"ix_{SCORE}_personal_area_id"), ["personal_area_id"])


def downgrade():
    # The scores of residents' own areas cannot be kept without the areas they scored.
    op.execute(sa.text(f"DELETE FROM {SCORE} WHERE personal_area_id IS NOT NULL"))
    with op.batch_alter_table(SCORE) as batch_op:
        batch_op.drop_index(op.f(f"ix_{SCORE}_personal_area_id"))
        batch_op.drop_constraint(op.f(f"ck_{SCORE}_one_area"), type_="check")
        batch_op.drop_constraint("uq_wheel_score_personal_area", type_="unique")
        batch_op.drop_constraint(op.f(f"fk_{SCORE}_personal_area_id_{AREA}"), type_="foreignkey")
        batch_op.drop_column("personal_area_id")
        batch_op.alter_column("area_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table(AREA) as batch_op:
        batch_op.drop_index(op.f(f"ix_{AREA}_participant_id"))
    op.drop_table(AREA)
