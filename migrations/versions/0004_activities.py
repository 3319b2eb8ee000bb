"""activities

Revision ID: 0004_activities
Revises: 0003_rota
Create Date: 2026-11-24 05:03:05.284893
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_activities"
down_revision = "0003_rota"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('netvaerk_activity_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=True),
    sa.Column('name_da', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_activity_type_network_id_netvaerk_network')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_activity_type')),
    sa.UniqueConstraint('network_id', 'key', name='uq_activity_type_key'),
    sa.UniqueConstraint('network_id', 'name_da', name='uq_activity_type_name_da'),
    sa.UniqueConstraint('network_id', 'name_en', name='uq_activity_type_name_en')
    )
    with op.batch_alter_table('netvaerk_activity_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_activity_type_network_id'), ['network_id'], unique=False)

    op.create_table('netvaerk_calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_calendar_feed_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['user_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_calendar_feed_user_id_netvaerk_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_calendar_feed')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_netvaerk_calendar_feed_token_hash')),
    sa.UniqueConstraint('user_id', 'network_id', name='uq_calendar_feed_user')
    )
    op.create_table('netvaerk_facilitator_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_facilitator_invitation_created_by_id_netvaerk_user')),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_facilitator_invitation_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['user_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_facilitator_invitation_user_id_netvaerk_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_facilitator_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_netvaerk_facilitator_invitation_token_hash'))
    )
    with op.batch_alter_table('netvaerk_facilitator_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_facilitator_invitation_network_id'), ['network_id'], unique=False)

    op.create_table('netvaerk_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=160), nullable=False),
    sa.Column('facilitators_needed', sa.Integer(), nullable=False),
    sa.Column('has_waitlist', sa.Boolean(), nullable=False),
    sa.Column('is_cancelled', sa.Boolean(), nullable=False),
    sa.Column('was_held', sa.Boolean(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('end_time > start_time', name=op.f('ck_netvaerk_activity_end_after_start')),
    sa.CheckConstraint('facilitators_needed >= 1', name=op.f('ck_netvaerk_activity_needed_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_activity_created_by_id_netvaerk_user')),
    sa.ForeignKeyConstraint(['meeting_id'], ['netvaerk_meeting.id'], name=op.f('fk_netvaerk_activity_meeting_id_netvaerk_meeting'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_activity_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['type_id'], ['netvaerk_activity_type.id'], name=op.f('fk_netvaerk_activity_type_id_netvaerk_activity_type'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_activity'))
    )
    with op.batch_alter_table('netvaerk_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_activity_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index('ix_netvaerk_activity_network_date', ['network_id', 'date'], unique=False)
        batch_op.create_index(batch_op.f('ix_netvaerk_activity_type_id'), ['type_id'], unique=False)

    op.create_table('netvaerk_activity_wish',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'planned', 'declined')", name=op.f('ck_netvaerk_activity_wish_status_known')),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_activity_wish_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_activity_wish_recorded_by_id_netvaerk_user')),
    sa.ForeignKeyConstraint(['type_id'], ['netvaerk_activity_type.id'], name=op.f('fk_netvaerk_activity_wish_type_id_netvaerk_activity_type'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_activity_wish'))
    )
    with op.batch_alter_table('netvaerk_activity_wish', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_activity_wish_network_id'), ['network_id'], unique=False)

    op.create_table('netvaerk_activity_cancellation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('is_late', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['activity_id'], ['netvaerk_activity.id'], name=op.f('fk_netvaerk_activity_cancellation_activity_id_netvaerk_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_activity_cancellation_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['user_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_activity_cancellation_user_id_netvaerk_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_activity_cancellation'))
    )
    with op.batch_alter_table('netvaerk_activity_cancellation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_activity_cancellation_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_netvaerk_activity_cancellation_network_id'), ['network_id'], unique=False)

    op.create_table('netvaerk_activity_signup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('seat', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('hours_confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('hours_confirmed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('hours IS NULL OR (hours > 0 AND hours <= 24)', name=op.f('ck_netvaerk_activity_signup_hours_range')),
    sa.CheckConstraint('seat >= 1', name=op.f('ck_netvaerk_activity_signup_seat_positive')),
    sa.ForeignKeyConstraint(['activity_id'], ['netvaerk_activity.id'], name=op.f('fk_netvaerk_activity_signup_activity_id_netvaerk_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hours_confirmed_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_activity_signup_hours_confirmed_by_id_netvaerk_user')),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_activity_signup_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['user_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_activity_signup_user_id_netvaerk_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_activity_signup')),
    sa.UniqueConstraint('activity_id', 'seat', name='uq_activity_signup_seat'),
    sa.UniqueConstraint('activity_id', 'user_id', name='uq_activity_signup_user')
    )
    with op.batch_alter_table('netvaerk_activity_signup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_activity_signup_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_netvaerk_activity_signup_user_id'), ['user_id'], unique=False)

    op.create_table('netvaerk_activity_waitlist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['netvaerk_activity.id'], name=op.f('fk_netvaerk_activity_waitlist_activity_id_netvaerk_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_activity_waitlist_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['user_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_activity_waitlist_user_id_netvaerk_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_activity_waitlist')),
    sa.UniqueConstraint('activity_id', 'user_id', name='uq_activity_waitlist_user')
    )
    with op.batch_alter_table('netvaerk_activity_waitlist', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_activity_waitlist_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_netvaerk_activity_waitlist_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('netvaerk_activity_waitlist', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_activity_waitlist_user_id'))
        batch_op.drop_index(batch_op.f('ix_netvaerk_activity_waitlist_network_id'))

    op.drop_table('netvaerk_activity_waitlist')
    with op.batch_alter_table('netvaerk_activity_signup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_activity_signup_user_id'))
        batch_op.drop_index(batch_op.f('ix_netvaerk_activity_signup_network_id'))

    op.drop_table('netvaerk_activity_signup')
    with op.batch_alter_table('netvaerk_activity_cancellation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_activity_cancellation_network_id'))
        batch_op.drop_index(batch_op.f('ix_netvaerk_activity_cancellation_activity_id'))

    op.drop_table('netvaerk_activity_cancellation')
    with op.batch_alter_table('netvaerk_activity_wish', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_activity_wish_network_id'))

    op.drop_table('netvaerk_activity_wish')
    with op.batch_alter_table('netvaerk_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_activity_type_id'))
        batch_op.drop_index('ix_netvaerk_activity_network_date')
        batch_op.drop_index(batch_op.f('ix_netvaerk_activity_meeting_id'))

    op.drop_table('netvaerk_activity')
    with op.batch_alter_table('netvaerk_facilitator_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_facilitator_invitation_network_id'))

    op.drop_table('netvaerk_facilitator_invitation')
    op.drop_table('netvaerk_calendar_feed')
    with op.batch_alter_table('netvaerk_activity_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_activity_type_network_id'))

    op.drop_table('netvaerk_activity_type')
