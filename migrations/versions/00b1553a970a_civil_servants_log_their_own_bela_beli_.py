"""civil servants log their own bela beli purchases; purchases flagged to DKUPP once

A civil servant (role 'civil_servant') is bound to one office and has a rank band (user.rank_band); a purchase left
unconfirmed too long is told to the region's DKUPP once (bela_beli_purchase.flagged_at).

Revision ID: 00b1553a970a
Revises: 03652a02276c
Create Date: 2026-12-01 21:57:07.299494

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '00b1553a970a'
down_revision = '03652a02276c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bela_beli_purchase', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flagged_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rank_band', sa.String(length=24), nullable=True))
        # a civil servant is bound to one office and has a rank band, like an office coordinator to their office
        batch_op.create_check_constraint(batch_op.f('ck_user_civil_servant_has_office'),
                                         "role <> 'civil_servant' OR (office_id IS NOT NULL AND rank_band IS NOT NULL)")


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_user_civil_servant_has_office'), type_='check')
        batch_op.drop_column('rank_band')

    with op.batch_alter_table('bela_beli_purchase', schema=None) as batch_op:
        batch_op.drop_column('flagged_at')
