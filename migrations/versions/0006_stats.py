"""stats: closed monthly reports (snapshots), area reference shares and plan targets

Revision ID: 0006_stats
Revises: 0005_evaluations
Create Date: 2026-11-24 05:13:44.418769
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_stats"
down_revision = "0005_evaluations"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('netvaerk_monthly_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('revised_at', sa.DateTime(), nullable=True),
    sa.Column('revised_by_id', sa.Integer(), nullable=True),
    sa.Column('revision_reason', sa.String(length=500), nullable=True),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_netvaerk_monthly_report_month_valid')),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_netvaerk_monthly_report_revision_positive')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2200', name=op.f('ck_netvaerk_monthly_report_year_valid')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_monthly_report_closed_by_id_netvaerk_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_monthly_report_network_id_netvaerk_network')),
    sa.ForeignKeyConstraint(['revised_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_monthly_report_revised_by_id_netvaerk_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_monthly_report')),
    sa.UniqueConstraint('network_id', 'year', 'month', name='uq_monthly_report_network_month')
    )
    with op.batch_alter_table('netvaerk_monthly_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_monthly_report_network_id'), ['network_id'], unique=False)

    op.create_table('netvaerk_plan_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=60), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Numeric(precision=10, scale=2, asdecimal=False), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('value >= 0', name=op.f('ck_netvaerk_plan_target_value_non_negative')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2200', name=op.f('ck_netvaerk_plan_target_year_valid')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_plan_target_entered_by_id_netvaerk_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_plan_target_network_id_netvaerk_network')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_plan_target')),
    sa.UniqueConstraint('network_id', 'metric', 'year', name='uq_plan_target_metric_year')
    )
    with op.batch_alter_table('netvaerk_plan_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_plan_target_network_id'), ['network_id'], unique=False)

    op.create_table('netvaerk_area_reference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('housing_area_id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('percent', sa.Numeric(precision=5, scale=2, asdecimal=False), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('percent >= 0 AND percent <= 100', name=op.f('ck_netvaerk_area_reference_percent_range')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['netvaerk_user.id'], name=op.f('fk_netvaerk_area_reference_entered_by_id_netvaerk_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['housing_area_id'], ['netvaerk_housing_area.id'], name=op.f('fk_netvaerk_area_reference_housing_area_id_netvaerk_housing_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['netvaerk_network.id'], name=op.f('fk_netvaerk_area_reference_network_id_netvaerk_network')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_netvaerk_area_reference')),
    sa.UniqueConstraint('housing_area_id', 'as_of', name='uq_area_reference_area_date')
    )
    with op.batch_alter_table('netvaerk_area_reference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_netvaerk_area_reference_network_id'), ['network_id'], unique=False)



def downgrade():
    with op.batch_alter_table('netvaerk_area_reference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_area_reference_network_id'))

    op.drop_table('netvaerk_area_reference')
    with op.batch_alter_table('netvaerk_plan_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_plan_target_network_id'))

    op.drop_table('netvaerk_plan_target')
    with op.batch_alter_table('netvaerk_monthly_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_netvaerk_monthly_report_network_id'))

    op.drop_table('netvaerk_monthly_report')
