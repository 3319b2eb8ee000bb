"""evaluations and wheel of life

Revision ID: 0005_evaluations
Revises: 0004_activities
Create Date: 2026-11-24 05:04:16.105710
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_evaluations"
down_revision = "0004_activities"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('netvaerk_evaluation_form',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('is_named', sa.Boolean(), nullable=False),
    sa.Column('title_da', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('intro_da', sa.Text(), nullable=False),
    sa.Column('intro_en', sa.Text(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("purpose IN ('exit', 'activity', 'midway', 'other')", name=op.f('ck_netvaerk_evaluation_form_purpose_known')),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_evaluation_form_network_id_netvaerk_network')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_evaluation_form'))
    )
    with op.batch_alter_table('netvaerk_evaluation_form', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_evaluation_form_network_id'), ['network_id'], unique=False)

    op.create_table('netvaerk_wheel_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('name_da', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_wheel_area_network_id_netvaerk_network')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_wheel_area')),
    sa.UniqueConstraint('network_id', 'name_da', name='uq_wheel_area_name')
    )
    with op.batch_alter_table('netvaerk_wheel_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_wheel_area_network_id'), ['network_id'], unique=False)

    op.create_table('netvaerk_evaluation_form_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('number >= 1', name=op.f('ck_netvaerk_evaluation_form_version_number_positive')),
    sa.ForeignKeyConstraint(['form_id'], ['netvaerk_evaluation_form.id'], name=op.f('fk_netvaerk_evaluation_form_version_form_id_netvaerk_evaluation_form'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_evaluation_form_version_network_id_netvaerk_network')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_evaluation_form_version')),
    sa.UniqueConstraint('form_id', 'number', name='uq_evaluation_form_version_number')
    )
    with op.batch_alter_table('netvaerk_evaluation_form_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_evaluation_form_version_form_id'), ['form_id'], unique=False)

    op.create_table('netvaerk_evaluation_answer_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_evaluation_answer_link_created_by_id_netvaerk_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['form_id'], ['netvaerk_evaluation_form.id'], name=op.f('fk_netvaerk_evaluation_answer_link_form_id_netvaerk_evaluation_form'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_evaluation_answer_link_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['participant_id'], ['netvaerk_participant.id'], name=op.f('fk_netvaerk_evaluation_answer_link_participant_id_netvaerk_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_evaluation_answer_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_netvaerk_evaluation_answer_link_token_hash'))
    )
    with op.batch_alter_table('netvaerk_evaluation_answer_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_evaluation_answer_link_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_netvaerk_evaluation_answer_link_participant_id'), ['participant_id'], unique=False)

    op.create_table('netvaerk_evaluation_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('text_da', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('low_label_da', sa.String(length=120), nullable=False),
    sa.Column('low_label_en', sa.String(length=120), nullable=False),
    sa.Column('high_label_da', sa.String(length=120), nullable=False),
    sa.Column('high_label_en', sa.String(length=120), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.CheckConstraint("kind IN ('scale', 'yes_no', 'single', 'multiple', 'text')", name=op.f('ck_netvaerk_evaluation_question_kind_known')),
    sa.ForeignKeyConstraint(['version_id'], ['netvaerk_evaluation_form_version.id'], name=op.f('fk_netvaerk_evaluation_question_version_id_netvaerk_evaluation_form_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_evaluation_question')),
    sa.UniqueConstraint('version_id', 'key', name='uq_evaluation_question_key')
    )
    with op.batch_alter_table('netvaerk_evaluation_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_evaluation_question_version_id'), ['version_id'], unique=False)

    op.create_table('netvaerk_evaluation_submission',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=True),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('ordinary_job', 'flex_job', 'wage_subsidy_job', 'internship', 'education', 'other_programme', 'moved_away', 'stopped', 'unknown')", name=op.f('ck_netvaerk_evaluation_submission_outcome_known')),
    sa.CheckConstraint('(participant_id IS NULL AND answered_on IS NULL) OR (participant_id IS NOT NULL AND answered_on IS NOT NULL)', name=op.f('ck_netvaerk_evaluation_submission_named_has_date')),
    sa.CheckConstraint('month >= 1 AND month <= 12', name=op.f('ck_netvaerk_evaluation_submission_month_range')),
    sa.CheckConstraint('year >= 2000 AND year <= 2200', name=op.f('ck_netvaerk_evaluation_submission_year_range')),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_evaluation_submission_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['participant_id'], ['netvaerk_participant.id'], name=op.f('fk_netvaerk_evaluation_submission_participant_id_netvaerk_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['netvaerk_evaluation_form_version.id'], name=op.f('fk_netvaerk_evaluation_submission_version_id_netvaerk_evaluation_form_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_evaluation_submission')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('netvaerk_evaluation_submission', schema=None) as batch_op:
        batch_op.create_index('ix_netvaerk_evaluation_submission_network_month', ['network_id', 'year', 'month'], unique=False)
        batch_op.create_index(batch_op.f('ix_netvaerk_evaluation_submission_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_netvaerk_evaluation_submission_version_id'), ['version_id'], unique=False)

    op.create_table('netvaerk_evaluation_tablet_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['netvaerk_evaluation_form.id'], name=op.f('fk_netvaerk_evaluation_tablet_session_form_id_netvaerk_evaluation_form'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_evaluation_tablet_session_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_evaluation_tablet_session_opened_by_id_netvaerk_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['netvaerk_participant.id'], name=op.f('fk_netvaerk_evaluation_tablet_session_participant_id_netvaerk_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_evaluation_tablet_session')),
    sa.UniqueConstraint('form_id', 'participant_id', name='uq_evaluation_tablet_form_participant')
    )
    with op.batch_alter_table('netvaerk_evaluation_tablet_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_evaluation_tablet_session_network_id'), ['network_id'], unique=False)

    op.create_table('netvaerk_wheel_scoring',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('scored_on', sa.Date(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('plan_a', sa.Text(), nullable=False),
    sa.Column('plan_b', sa.Text(), nullable=False),
    sa.Column('plan_c', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_wheel_scoring_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['participant_id'], ['netvaerk_participant.id'], name=op.f('fk_netvaerk_wheel_scoring_participant_id_netvaerk_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_wheel_scoring_recorded_by_id_netvaerk_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_wheel_scoring')),
    sa.UniqueConstraint('participant_id', 'scored_on', name='uq_wheel_scoring_day')
    )
    with op.batch_alter_table('netvaerk_wheel_scoring', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_wheel_scoring_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_netvaerk_wheel_scoring_participant_id'), ['participant_id'], unique=False)

    op.create_table('netvaerk_evaluation_answer',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('submission_id', sa.String(length=32), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('choices', sa.JSON(), nullable=True),
    sa.Column('redacted', sa.Boolean(), nullable=False),
    sa.CheckConstraint('number IS NULL OR (number >= 0 AND number <= 5)', name=op.f('ck_netvaerk_evaluation_answer_number_range')),
    sa.ForeignKeyConstraint(['question_id'], ['netvaerk_evaluation_question.id'], name=op.f('fk_netvaerk_evaluation_answer_question_id_netvaerk_evaluation_question')),
    sa.ForeignKeyConstraint(['submission_id'], ['netvaerk_evaluation_submission.id'], name=op.f('fk_netvaerk_evaluation_answer_submission_id_netvaerk_evaluation_submission'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_evaluation_answer')),
    sa.UniqueConstraint('submission_id', 'question_id', name='uq_evaluation_answer_question'),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('netvaerk_evaluation_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_evaluation_answer_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_netvaerk_evaluation_answer_submission_id'), ['submission_id'], unique=False)

    op.create_table('netvaerk_exit_evaluation_status',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.CheckConstraint("status IN ('offered', 'answered', 'declined')", name=op.f('ck_netvaerk_exit_evaluation_status_status_known')),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_exit_evaluation_status_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['period_id'], ['netvaerk_participation_period.id'], name=op.f('fk_netvaerk_exit_evaluation_status_period_id_netvaerk_participation_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_exit_evaluation_status')),
    sa.UniqueConstraint('period_id', name=op.f('uq_netvaerk_exit_evaluation_status_period_id'))
    )
    with op.batch_alter_table('netvaerk_exit_evaluation_status', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_exit_evaluation_status_network_id'), ['network_id'], unique=False)

    op.create_table('netvaerk_wheel_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scoring_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.CheckConstraint('score >= 0 AND score <= 10', name=op.f('ck_netvaerk_wheel_score_score_range')),
    sa.ForeignKeyConstraint(['area_id'], ['netvaerk_wheel_area.id'], name=op.f('fk_netvaerk_wheel_score_area_id_netvaerk_wheel_area')),
    sa.ForeignKeyConstraint(['scoring_id'], ['netvaerk_wheel_scoring.id'], name=op.f('fk_netvaerk_wheel_score_scoring_id_netvaerk_wheel_scoring'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_wheel_score')),
    sa.UniqueConstraint('scoring_id', 'area_id', name='uq_wheel_score_area')
    )
    with op.batch_alter_table('netvaerk_wheel_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_wheel_score_scoring_id'), ['scoring_id'], unique=False)



def downgrade():
    with op.batch_alter_table('netvaerk_wheel_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_wheel_score_scoring_id'))

    op.drop_table('netvaerk_wheel_score')
    with op.batch_alter_table('netvaerk_exit_evaluation_status', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_exit_evaluation_status_network_id'))

    op.drop_table('netvaerk_exit_evaluation_status')
    with op.batch_alter_table('netvaerk_evaluation_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_evaluation_answer_submission_id'))
        batch_op.drop_index(batch_op.f('ix_netvaerk_evaluation_answer_question_id'))

    op.drop_table('netvaerk_evaluation_answer')
    with op.batch_alter_table('netvaerk_wheel_scoring', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_wheel_scoring_participant_id'))
        batch_op.drop_index(batch_op.f('ix_netvaerk_wheel_scoring_network_id'))

    op.drop_table('netvaerk_wheel_scoring')
    with op.batch_alter_table('netvaerk_evaluation_tablet_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_evaluation_tablet_session_network_id'))

    op.drop_table('netvaerk_evaluation_tablet_session')
    with op.batch_alter_table('netvaerk_evaluation_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_evaluation_submission_version_id'))
        batch_op.drop_index(batch_op.f('ix_netvaerk_evaluation_submission_participant_id'))
        batch_op.drop_index('ix_netvaerk_evaluation_submission_network_month')

    op.drop_table('netvaerk_evaluation_submission')
    with op.batch_alter_table('netvaerk_evaluation_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_evaluation_question_version_id'))

    op.drop_table('netvaerk_evaluation_question')
    with op.batch_alter_table('netvaerk_evaluation_answer_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_evaluation_answer_link_participant_id'))
        batch_op.drop_index(batch_op.f('ix_netvaerk_evaluation_answer_link_network_id'))

    op.drop_table('netvaerk_evaluation_answer_link')
    with op.batch_alter_table('netvaerk_evaluation_form_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_evaluation_form_version_form_id'))

    op.drop_table('netvaerk_evaluation_form_version')
    with op.batch_alter_table('netvaerk_wheel_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_wheel_area_network_id'))

    op.drop_table('netvaerk_wheel_area')
    with op.batch_alter_table('netvaerk_evaluation_form', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_evaluation_form_network_id'))

    op.drop_table('netvaerk_evaluation_form')
