"""stored staples matches; a deal's member producer

The table starts empty: run `flask --app wsgi staples-rebuild-matches` once after this upgrade on a database that
already has published posts (from then on every change to a post keeps it in step, staples/match_store.py).

Revision ID: 07d0e40cc928
Revises: 60f81c1e2b33
Create Date: 2026-12-01 20:39:59.321810

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '07d0e40cc928'
down_revision = '60f81c1e2b33'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staples_match',
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('offer_business_id', sa.Integer(), nullable=False),
    sa.Column('need_business_id', sa.Integer(), nullable=False),
    sa.Column('offer_region_code', sa.String(length=5), nullable=False),
    sa.Column('need_region_code', sa.String(length=5), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('share', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['need_business_id'], ['business.id'], name=op.f('fk_staples_match_need_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['need_id'], ['staples_post.id'], name=op.f('fk_staples_match_need_id_staples_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['need_region_code'], ['region.code'], name=op.f('fk_staples_match_need_region_code_region')),
    sa.ForeignKeyConstraint(['offer_business_id'], ['business.id'], name=op.f('fk_staples_match_offer_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offer_id'], ['staples_post.id'], name=op.f('fk_staples_match_offer_id_staples_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offer_region_code'], ['region.code'], name=op.f('fk_staples_match_offer_region_code_region')),
    sa.PrimaryKeyConstraint('offer_id', 'need_id', name=op.f('pk_staples_match'))
    )
    with op.batch_alter_table('staples_match', schema=None) as batch_op:
        batch_op.create_index('ix_staples_match_need_business', ['need_business_id', 'score'], unique=False)
        batch_op.create_index(batch_op.f('ix_staples_match_need_id'), ['need_id'], unique=False)
        batch_op.create_index('ix_staples_match_need_region', ['need_region_code', 'score'], unique=False)
        batch_op.create_index('ix_staples_match_offer_business', ['offer_business_id', 'score'], unique=False)
        batch_op.create_index('ix_staples_match_offer_region', ['offer_region_code', 'score'], unique=False)

    with op.batch_alter_table('deal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_deal_member_id'), ['member_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_deal_member_id_cooperative_member'), 'cooperative_member', ['member_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('deal', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_deal_member_id_cooperative_member'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_deal_member_id'))
        batch_op.drop_column('member_id')

    with op.batch_alter_table('staples_match', schema=None) as batch_op:
        batch_op.drop_index('ix_staples_match_offer_region')
        batch_op.drop_index('ix_staples_match_offer_business')
        batch_op.drop_index('ix_staples_match_need_region')
        batch_op.drop_index(batch_op.f('ix_staples_match_need_id'))
        batch_op.drop_index('ix_staples_match_need_business')

    op.drop_table('staples_match')
