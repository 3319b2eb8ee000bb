"""rota: chores, chore assignments and their change history

Revision ID: 0003_rota
Revises: 0002_participants
Create Date: 2026-11-24 05:06:00.867283
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_rota"
down_revision = "0002_participants"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('netvaerk_chore',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('people_needed', sa.Integer(), nullable=False),
    sa.Column('weekdays', sa.String(length=20), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('people_needed >= 1 AND people_needed <= 20', name=op.f('ck_netvaerk_chore_people_needed_range')),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_chore_network_id_netvaerk_network')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_chore')),
    sa.UniqueConstraint('network_id', 'name', name='uq_chore_network_name')
    )
    with op.batch_alter_table('netvaerk_chore', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_chore_network_id'), ['network_id'], unique=False)

    op.create_table('netvaerk_chore_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('chore_id', sa.Integer(), nullable=False),
    sa.Column('slot_no', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('is_manual', sa.Boolean(), nullable=False),
    sa.Column('is_done', sa.Boolean(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('slot_no >= 1', name=op.f('ck_netvaerk_chore_assignment_slot_no_positive')),
    sa.ForeignKeyConstraint(['chore_id'], ['netvaerk_chore.id'], name=op.f('fk_netvaerk_chore_assignment_chore_id_netvaerk_chore')),
    sa.ForeignKeyConstraint(['done_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_chore_assignment_done_by_id_netvaerk_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['netvaerk_meeting.id'], name=op.f('fk_netvaerk_chore_assignment_meeting_id_netvaerk_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_chore_assignment_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['participant_id'], ['netvaerk_participant.id'], name=op.f('fk_netvaerk_chore_assignment_participant_id_netvaerk_participant'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_chore_assignment')),
    sa.UniqueConstraint('meeting_id', 'chore_id', 'slot_no', name='uq_chore_assignment_slot'),
    sa.UniqueConstraint('meeting_id', 'participant_id', 'chore_id', name='uq_chore_assignment_person')
    )
    with op.batch_alter_table('netvaerk_chore_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_chore_assignment_chore_id'), ['chore_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_netvaerk_chore_assignment_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_netvaerk_chore_assignment_participant_id'), ['participant_id'], unique=False)

    op.create_table('netvaerk_chore_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_participant_id', sa.Integer(), nullable=True),
    sa.Column('to_participant_id', sa.Integer(), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("action IN ('swap', 'reassign', 'done', 'undone', 'assign')", name=op.f('ck_netvaerk_chore_change_action_known')),
    sa.ForeignKeyConstraint(['assignment_id'], ['netvaerk_chore_assignment.id'], name=op.f('fk_netvaerk_chore_change_assignment_id_netvaerk_chore_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['changed_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_chore_change_changed_by_id_netvaerk_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['from_participant_id'], ['netvaerk_participant.id'], name=op.f('fk_netvaerk_chore_change_from_participant_id_netvaerk_participant'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_chore_change_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['to_participant_id'], ['netvaerk_participant.id'], name=op.f('fk_netvaerk_chore_change_to_participant_id_netvaerk_participant'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_chore_change'))
    )
    with op.batch_alter_table('netvaerk_chore_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_chore_change_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_netvaerk_chore_change_network_id'), ['network_id'], unique=False)



def downgrade():
    with op.batch_alter_table('netvaerk_chore_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_chore_change_network_id'))
        batch_op.drop_index(batch_op.f('ix_netvaerk_chore_change_assignment_id'))

    op.drop_table('netvaerk_chore_change')
    with op.batch_alter_table('netvaerk_chore_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_chore_assignment_participant_id'))
        batch_op.drop_index(batch_op.f('ix_netvaerk_chore_assignment_network_id'))
        batch_op.drop_index(batch_op.f('ix_netvaerk_chore_assignment_chore_id'))

    op.drop_table('netvaerk_chore_assignment')
    with op.batch_alter_table('netvaerk_chore', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_chore_network_id'))

    op.drop_table('netvaerk_chore')
