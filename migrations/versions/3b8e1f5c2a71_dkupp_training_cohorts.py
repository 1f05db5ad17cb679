"""training cohorts organised by a region's DKUPP: a cohort has an institution or an organising region, exactly one

Revision ID: 3b8e1f5c2a71
Revises: 00b1553a970a
Create Date: 2026-12-01 22:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b8e1f5c2a71'
down_revision = '00b1553a970a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organiser_region_code', sa.String(length=5), nullable=True))
        batch_op.alter_column('institution_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_cohort_organiser_region_code'), ['organiser_region_code'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cohort_organiser_region_code_region'), 'region',
                                    ['organiser_region_code'], ['code'])
        batch_op.create_check_constraint(batch_op.f('ck_cohort_one_organiser'),
                                         '(institution_id IS NULL) <> (organiser_region_code IS NULL)')


def downgrade():
    op.execute("DELETE FROM cohort WHERE institution_id IS NULL")
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_cohort_one_organiser'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_cohort_organiser_region_code_region'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cohort_organiser_region_code'))
        batch_op.alter_column('institution_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('organiser_region_code')
