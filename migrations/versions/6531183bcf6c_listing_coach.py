"""listing coach: photo hints, reply time, holiday mode, archiving, kecamatan, follow-up log, dormancy snapshots

Revision ID: 6531183bcf6c
Revises: 89c50f4890fa
Create Date: 2026-12-01 17:17:14.943357

Additive only. Existing photos get NULL hints (the coach counts an unmeasured photo as fine until
`flask coach backfill-photo-hints` measures it); existing replied inquiries keep replied_at NULL (counted as
answered, without a reply time); existing businesses are not away, not archived and have no kecamatan.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6531183bcf6c'
down_revision = '89c50f4890fa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('dormancy_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=5), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('active', sa.Integer(), nullable=False),
    sa.Column('dormant', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_dormancy_snapshot_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dormancy_snapshot')),
    sa.UniqueConstraint('region_code', 'day', name='uq_dormancy_snapshot_region_day')
    )
    with op.batch_alter_table('dormancy_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dormancy_snapshot_region_code'), ['region_code'], unique=False)

    op.create_table('away_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_away_period_business_id_business'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_away_period'))
    )
    with op.batch_alter_table('away_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_away_period_business_id'), ['business_id'], unique=False)

    op.create_table('follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('visited', 'trained', 'photographed', 'nudged', 'not_trading', 'archived', 'restored', name='followupkind', native_enum=False, length=24), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_follow_up_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_follow_up_business_id_business'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up'))
    )
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kecamatan', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('away_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('archive_reason', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_business_kecamatan'), ['kecamatan'], unique=False)

    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mean_luminance', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('sharpness', sa.Float(), nullable=True))



def downgrade():
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_column('sharpness')
        batch_op.drop_column('mean_luminance')

    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.drop_column('replied_at')

    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_business_kecamatan'))
        batch_op.drop_column('archive_reason')
        batch_op.drop_column('archived_at')
        batch_op.drop_column('away_until')
        batch_op.drop_column('kecamatan')

    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_created_at'))
        batch_op.drop_index(batch_op.f('ix_follow_up_business_id'))

    op.drop_table('follow_up')
    with op.batch_alter_table('away_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_away_period_business_id'))

    op.drop_table('away_period')
    with op.batch_alter_table('dormancy_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dormancy_snapshot_region_code'))

    op.drop_table('dormancy_snapshot')
