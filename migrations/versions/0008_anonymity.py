"""anonymity: wheel consent table, sealed pool of waiting anonymous answers, coarse outcome
group, legacy answers re-released in one shuffled batch, used answer links deleted, absence
reason "ill" -> "personal"

Revision ID: 0008_anonymity
Revises: 0007_record_keys
"""

import secrets
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0008_anonymity"
down_revision = "0007_record_keys"
branch_labels = None
depends_on = None

WORK_OR_EDUCATION = ("ordinary_job", "flex_job", "wage_subsidy_job", "education")
GROUP_CHECK = "ck_netvaerk_evaluation_submission_outcome_group_known"
GROUP_SQL = "outcome_group IS NULL OR outcome_group IN ('work_or_education', 'other')"


def upgrade():
    op.create_table(
        "netvaerk_wheel_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["netvaerk_network.id"],
            name=op.f("fk_netvaerk_wheel_consent_network_id_netvaerk_network"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["netvaerk_participant.id"],
            name=op.f("fk_netvaerk_wheel_consent_participant_id_netvaerk_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["netvaerk_user.id"],
            name=op.f("fk_netvaerk_wheel_consent_recorded_by_id_netvaerk_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_wheel_consent")),
        sa.UniqueConstraint(
            "participant_id", name=op.f("uq_netvaerk_wheel_consent_participant_id")
        ),
    )
    op.create_table(
        "netvaerk_evaluation_pending",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["netvaerk_network.id"],
            name=op.f("fk_netvaerk_evaluation_pending_network_id_netvaerk_network"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["netvaerk_evaluation_form_version.id"],
            name=op.f("fk_netvaerk_evaluation_pending_version_id_netvaerk_evaluation_form_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netvaerk_evaluation_pending")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("netvaerk_evaluation_pending") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_netvaerk_evaluation_pending_version_id"), ["version_id"], unique=False
        )
    bind = op.get_bind()
    # Not through batch_alter_table: on SQLite that copies the table and drops the old one,
    # and dropping it would delete every answer item by its ON DELETE CASCADE.
    if bind.dialect.name == "sqlite":
        bind.execute(
            sa.text(
                "ALTER TABLE netvaerk_evaluation_submission ADD COLUMN outcome_group VARCHAR(20) "
                f"CONSTRAINT {GROUP_CHECK} CHECK ({GROUP_SQL})"
            )
        )
    else:
        op.add_column(
            "netvaerk_evaluation_submission",
            sa.Column("outcome_group", sa.String(length=20), nullable=True),
        )
        op.create_check_constraint(GROUP_CHECK, "netvaerk_evaluation_submission", GROUP_SQL)
    bind.execute(
        sa.text(
            "UPDATE netvaerk_attendance SET absence_reason = 'personal' "
            "WHERE absence_reason = 'ill'"
        )
    )
    # A used link was answered: the link goes, as it does now when an answer is stored.
    bind.execute(sa.text("DELETE FROM netvaerk_evaluation_answer_link WHERE used"))
    _rerelease_anonymous_answers(bind)


def _rerelease_anonymous_answers(bind) -> None:
    """Copy every anonymous answer to new random ids, in random order, in this one transaction,
    and delete the originals: their transaction ids (PostgreSQL's xmin) and physical order were
    shared with the "answered" marks written with them, and now are not."""
    submissions = bind.execute(
        sa.text(
            "SELECT id, network_id, version_id, year, month, outcome "
            "FROM netvaerk_evaluation_submission WHERE participant_id IS NULL"
        )
    ).all()
    items = bind.execute(
        sa.text(
            "SELECT a.submission_id, a.question_id, a.number, a.text, a.choices, a.redacted "
            "FROM netvaerk_evaluation_answer a JOIN netvaerk_evaluation_submission s "
            "ON s.id = a.submission_id WHERE s.participant_id IS NULL"
        ).columns(choices=sa.JSON)
    ).all()
    by_submission = {}
    for item in items:
        by_submission.setdefault(item.submission_id, []).append(item)
    order = list(submissions)
    secrets.SystemRandom().shuffle(order)
    old_ids = [s.id for s in order]
    for old in old_ids:
        bind.execute(
            sa.text("DELETE FROM netvaerk_evaluation_answer WHERE submission_id = :id"), {"id": old}
        )
        bind.execute(
            sa.text("DELETE FROM netvaerk_evaluation_submission WHERE id = :id"), {"id": old}
        )
    for row in order:
        new_id = uuid.uuid4().hex
        group = None
        if row.outcome is not None:
            group = "work_or_education" if row.outcome in WORK_OR_EDUCATION else "other"
        bind.execute(
            sa.text(
                "INSERT INTO netvaerk_evaluation_submission "
                "(id, network_id, version_id, year, month, outcome, outcome_group) "
                "VALUES (:id, :network_id, :version_id, :year, :month, :outcome, :group)"
            ),
            {
                "id": new_id,
                "network_id": row.network_id,
                "version_id": row.version_id,
                "year": row.year,
                "month": row.month,
                "outcome": row.outcome,
                "group": group,
            },
        )
        for item in by_submission.get(row.id, []):
            bind.execute(
                sa.text(
                    "INSERT INTO netvaerk_evaluation_answer "
                    "(id, submission_id, question_id, number, text, choices, redacted) "
                    "VALUES (:id, :submission_id, :question_id, :number, :text, :choices, "
                    ":redacted)"
                ).bindparams(sa.bindparam("choices", type_=sa.JSON)),
                {
                    "id": uuid.uuid4().hex,
                    "submission_id": new_id,
                    "question_id": item.question_id,
                    "number": item.number,
                    "text": item.text,
                    "choices": item.choices,
                    "redacted": item.redacted,
                },
            )


def downgrade():
    bind = op.get_bind()
    # The code before this revision knows no "personal"; "other" is the truthful one of its
    # reasons. Turning "personal reasons" into "ill" would invent health data about people.
    bind.execute(
        sa.text(
            "UPDATE netvaerk_attendance SET absence_reason = 'other' "
            "WHERE absence_reason = 'personal'"
        )
    )
    if bind.dialect.name != "sqlite":
        # On SQLite the (nullable) column stays: removing it would copy the table, and
        # dropping the old copy would delete every answer item by its ON DELETE CASCADE.
        op.drop_constraint(GROUP_CHECK, "netvaerk_evaluation_submission", type_="check")
        op.drop_column("netvaerk_evaluation_submission", "outcome_group")
    with op.batch_alter_table("netvaerk_evaluation_pending") as batch_op:
        batch_op.drop_index(batch_op.f("ix_netvaerk_evaluation_pending_version_id"))
    op.drop_table("netvaerk_evaluation_pending")
    op.drop_table("netvaerk_wheel_consent")
