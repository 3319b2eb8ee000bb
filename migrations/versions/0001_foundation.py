"""networks, staff, participants, meetings, attendance, audit

Revision ID: 0001_foundation
Revises: 
Create Date: 2026-11-24 04:49:18.940601
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('netvaerk_network',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('meeting_weekdays', sa.String(length=20), nullable=False),
    sa.Column('meeting_start', sa.Time(), nullable=False),
    sa.Column('meeting_end', sa.Time(), nullable=False),
    sa.Column('places_group1', sa.Integer(), nullable=False),
    sa.Column('places_group3', sa.Integer(), nullable=False),
    sa.Column('group1_label', sa.String(length=60), nullable=False),
    sa.Column('group3_label', sa.String(length=60), nullable=False),
    sa.Column('checkin_code_required', sa.Boolean(), nullable=False),
    sa.Column('retention_months', sa.Integer(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('meeting_end > meeting_start', name=op.f('ck_netvaerk_network_meeting_end_after_start')),
    sa.CheckConstraint('places_group1 >= 0 AND places_group3 >= 0', name=op.f('ck_netvaerk_network_places_non_negative')),
    sa.CheckConstraint('retention_months >= 1', name=op.f('ck_netvaerk_network_retention_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_network')),
    sa.UniqueConstraint('name', name=op.f('uq_netvaerk_network_name'))
    )
    op.create_table('netvaerk_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('is_enabled', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_user')),
    sa.UniqueConstraint('email', name=op.f('uq_netvaerk_user_email'))
    )
    op.create_table('netvaerk_audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.Column('detail', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_audit_event_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['user_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_audit_event_user_id_netvaerk_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_audit_event'))
    )
    with op.batch_alter_table('netvaerk_audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_netvaerk_audit_event_network_created', ['network_id', 'created_at'], unique=False)
        batch_op.create_index('ix_netvaerk_audit_event_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table('netvaerk_closure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_netvaerk_closure_end_after_start')),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_closure_network_id_netvaerk_network')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_closure'))
    )
    with op.batch_alter_table('netvaerk_closure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_closure_network_id'), ['network_id'], unique=False)

    op.create_table('netvaerk_housing_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_housing_area_network_id_netvaerk_network')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_housing_area')),
    sa.UniqueConstraint('network_id', 'name', name='uq_housing_area_name')
    )
    with op.batch_alter_table('netvaerk_housing_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_housing_area_network_id'), ['network_id'], unique=False)

    op.create_table('netvaerk_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('pattern_date', sa.Date(), nullable=True),
    sa.Column('is_cancelled', sa.Boolean(), nullable=False),
    sa.Column('cancel_reason', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('end_time > start_time', name=op.f('ck_netvaerk_meeting_end_after_start')),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_meeting_network_id_netvaerk_network')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_meeting')),
    sa.UniqueConstraint('network_id', 'pattern_date', name='uq_meeting_network_pattern_date')
    )
    with op.batch_alter_table('netvaerk_meeting', schema=None) as batch_op:
        batch_op.create_index('ix_netvaerk_meeting_network_date', ['network_id', 'date'], unique=False)

    op.create_table('netvaerk_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.CheckConstraint("role IN ('coordinator', 'facilitator', 'steering', 'kiosk')", name=op.f('ck_netvaerk_membership_role_known')),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_membership_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['user_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_membership_user_id_netvaerk_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_membership')),
    sa.UniqueConstraint('user_id', 'network_id', name='uq_membership_user_network')
    )
    with op.batch_alter_table('netvaerk_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_membership_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_netvaerk_membership_user_id'), ['user_id'], unique=False)

    op.create_table('netvaerk_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=80), nullable=False),
    sa.Column('last_name', sa.String(length=80), nullable=False),
    sa.Column('housing_area_id', sa.Integer(), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('readiness_group', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('preferred_locale', sa.String(length=5), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('intake_date', sa.Date(), nullable=True),
    sa.Column('intake_note', sa.Text(), nullable=True),
    sa.Column('consent_date', sa.Date(), nullable=True),
    sa.Column('consent_text', sa.Text(), nullable=True),
    sa.Column('consent_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('checkin_code_hash', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('interested', 'intake', 'active', 'left')", name=op.f('ck_netvaerk_participant_status_known')),
    sa.CheckConstraint('birth_year IS NULL OR (birth_year >= 1900 AND birth_year <= 2100)', name=op.f('ck_netvaerk_participant_birth_year_range')),
    sa.CheckConstraint('readiness_group IN (1, 3)', name=op.f('ck_netvaerk_participant_readiness_group_known')),
    sa.ForeignKeyConstraint(['consent_recorded_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_participant_consent_recorded_by_id_netvaerk_user')),
    sa.ForeignKeyConstraint(['housing_area_id'], ['netvaerk_housing_area.id'], name=op.f('fk_netvaerk_participant_housing_area_id_netvaerk_housing_area')),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_participant_network_id_netvaerk_network')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_participant'))
    )
    with op.batch_alter_table('netvaerk_participant', schema=None) as batch_op:
        batch_op.create_index('ix_netvaerk_participant_network_status', ['network_id', 'status'], unique=False)

    op.create_table('netvaerk_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('absence_reason', sa.String(length=20), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("source IN ('kiosk', 'register')", name=op.f('ck_netvaerk_attendance_source_known')),
    sa.CheckConstraint("status IN ('present', 'absent', 'notified')", name=op.f('ck_netvaerk_attendance_status_known')),
    sa.ForeignKeyConstraint(['meeting_id'], ['netvaerk_meeting.id'], name=op.f('fk_netvaerk_attendance_meeting_id_netvaerk_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['netvaerk_participant.id'], name=op.f('fk_netvaerk_attendance_participant_id_netvaerk_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_attendance_recorded_by_id_netvaerk_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_attendance')),
    sa.UniqueConstraint('meeting_id', 'participant_id', name='uq_attendance_meeting_participant')
    )
    with op.batch_alter_table('netvaerk_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_attendance_participant_id'), ['participant_id'], unique=False)

    op.create_table('netvaerk_participation_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=30), nullable=True),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('ordinary_job', 'flex_job', 'wage_subsidy_job', 'internship', 'education', 'other_programme', 'moved_away', 'stopped', 'unknown')", name=op.f('ck_netvaerk_participation_period_outcome_known')),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_netvaerk_participation_period_end_after_start')),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_participation_period_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['participant_id'], ['netvaerk_participant.id'], name=op.f('fk_netvaerk_participation_period_participant_id_netvaerk_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_participation_period'))
    )
    with op.batch_alter_table('netvaerk_participation_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_participation_period_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_netvaerk_participation_period_participant_id'), ['participant_id'], unique=False)

    op.create_table('netvaerk_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_status_change_changed_by_id_netvaerk_user')),
    sa.ForeignKeyConstraint(['participant_id'], ['netvaerk_participant.id'], name=op.f('fk_netvaerk_status_change_participant_id_netvaerk_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_status_change'))
    )
    with op.batch_alter_table('netvaerk_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_status_change_participant_id'), ['participant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('netvaerk_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_status_change_participant_id'))

    op.drop_table('netvaerk_status_change')
    with op.batch_alter_table('netvaerk_participation_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_participation_period_participant_id'))
        batch_op.drop_index(batch_op.f('ix_netvaerk_participation_period_network_id'))

    op.drop_table('netvaerk_participation_period')
    with op.batch_alter_table('netvaerk_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_attendance_participant_id'))

    op.drop_table('netvaerk_attendance')
    with op.batch_alter_table('netvaerk_participant', schema=None) as batch_op:
        batch_op.drop_index('ix_netvaerk_participant_network_status')

    op.drop_table('netvaerk_participant')
    with op.batch_alter_table('netvaerk_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_membership_user_id'))
        batch_op.drop_index(batch_op.f('ix_netvaerk_membership_network_id'))

    op.drop_table('netvaerk_membership')
    with op.batch_alter_table('netvaerk_meeting', schema=None) as batch_op:
        batch_op.drop_index('ix_netvaerk_meeting_network_date')

    op.drop_table('netvaerk_meeting')
    with op.batch_alter_table('netvaerk_housing_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_housing_area_network_id'))

    op.drop_table('netvaerk_housing_area')
    with op.batch_alter_table('netvaerk_closure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_closure_network_id'))

    op.drop_table('netvaerk_closure')
    with op.batch_alter_table('netvaerk_audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_netvaerk_audit_event_subject')
        batch_op.drop_index('ix_netvaerk_audit_event_network_created')

    op.drop_table('netvaerk_audit_event')
    op.drop_table('netvaerk_user')
    op.drop_table('netvaerk_network')
