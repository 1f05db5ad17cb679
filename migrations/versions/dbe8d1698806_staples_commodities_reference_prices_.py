"""staples: commodities, reference prices, offers and needs, deals and deliveries

Revision ID: dbe8d1698806
Revises: fa9c011fae92
Create Date: 2026-12-01 17:16:04.587145

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'dbe8d1698806'
down_revision = 'fa9c011fae92'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staples_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staples_state'))
    )
    op.create_table('commodity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name_id', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('pihps_name', sa.String(length=120), nullable=False),
    sa.Column('base_unit', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commodity')),
    sa.UniqueConstraint('code', name=op.f('uq_commodity_code'))
    )
    op.create_table('commodity_grade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commodity_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_id', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commodity_id'], ['commodity.id'], name=op.f('fk_commodity_grade_commodity_id_commodity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commodity_grade')),
    sa.UniqueConstraint('commodity_id', 'code', name=op.f('uq_commodity_grade_commodity_id'))
    )
    with op.batch_alter_table('commodity_grade', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commodity_grade_commodity_id'), ['commodity_id'], unique=False)

    op.create_table('commodity_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commodity_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('factor', sa.Float(), nullable=False),
    sa.CheckConstraint('factor > 0', name=op.f('ck_commodity_unit_unit_factor_positive')),
    sa.ForeignKeyConstraint(['commodity_id'], ['commodity.id'], name=op.f('fk_commodity_unit_commodity_id_commodity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commodity_unit')),
    sa.UniqueConstraint('commodity_id', 'code', name=op.f('uq_commodity_unit_commodity_id'))
    )
    with op.batch_alter_table('commodity_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commodity_unit_commodity_id'), ['commodity_id'], unique=False)

    op.create_table('reference_price',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commodity_id', sa.Integer(), nullable=False),
    sa.Column('grade_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Enum('producer', 'wholesale', 'consumer', name='level', native_enum=False, length=24), nullable=False),
    sa.Column('region_code', sa.String(length=5), nullable=True),
    sa.Column('province_code', sa.String(length=2), nullable=True),
    sa.Column('valid_on', sa.Date(), nullable=False),
    sa.Column('price_min', sa.Integer(), nullable=False),
    sa.Column('price_max', sa.Integer(), nullable=True),
    sa.Column('is_reference', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('price_min > 0 AND (price_max IS NULL OR price_max >= price_min)', name=op.f('ck_reference_price_reference_price_range')),
    sa.ForeignKeyConstraint(['commodity_id'], ['commodity.id'], name=op.f('fk_reference_price_commodity_id_commodity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user.id'], name=op.f('fk_reference_price_entered_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['grade_id'], ['commodity_grade.id'], name=op.f('fk_reference_price_grade_id_commodity_grade'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_reference_price_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_price'))
    )
    with op.batch_alter_table('reference_price', schema=None) as batch_op:
        batch_op.create_index('ix_reference_price_lookup', ['commodity_id', 'level', 'valid_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_reference_price_region_code'), ['region_code'], unique=False)

    op.create_table('staples_post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('offer', 'need', name='postkind', native_enum=False, length=24), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('region_code', sa.String(length=5), nullable=False),
    sa.Column('commodity_id', sa.Integer(), nullable=False),
    sa.Column('grade_id', sa.Integer(), nullable=True),
    sa.Column('unit_code', sa.String(length=16), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('period', sa.Enum('once', 'week', 'month', name='period', native_enum=False, length=24), nullable=False),
    sa.Column('min_lot', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('price_min', sa.Integer(), nullable=True),
    sa.Column('price_max', sa.Integer(), nullable=True),
    sa.Column('negotiable', sa.Boolean(), nullable=False),
    sa.Column('delivery_terms', sa.Enum('loco', 'franco', name='deliveryterms', native_enum=False, length=24), nullable=False),
    sa.Column('transport_by', sa.Enum('seller', 'buyer', name='transport', native_enum=False, length=24), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('monthly_base', sa.Float(), nullable=False),
    sa.Column('min_lot_base', sa.Float(), nullable=True),
    sa.Column('price_min_base', sa.Float(), nullable=True),
    sa.Column('price_max_base', sa.Float(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'published', 'changes_requested', 'rejected', 'withdrawn', name='poststatus', native_enum=False, length=24), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('pending_edit', sa.JSON(), nullable=True),
    sa.Column('edit_status', sa.Enum('pending', 'published', 'changes_requested', 'rejected', 'withdrawn', name='poststatus', native_enum=False, length=24), nullable=True),
    sa.Column('edit_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_staples_post_post_window_ordered')),
    sa.CheckConstraint('price_max IS NULL OR price_min IS NULL OR price_max >= price_min', name=op.f('ck_staples_post_post_price_ordered')),
    sa.CheckConstraint('quantity > 0 AND (min_lot IS NULL OR min_lot > 0)', name=op.f('ck_staples_post_post_quantity_positive')),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_staples_post_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['commodity_id'], ['commodity.id'], name=op.f('fk_staples_post_commodity_id_commodity')),
    sa.ForeignKeyConstraint(['grade_id'], ['commodity_grade.id'], name=op.f('fk_staples_post_grade_id_commodity_grade'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_staples_post_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staples_post'))
    )
    with op.batch_alter_table('staples_post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staples_post_business_id'), ['business_id'], unique=False)
        batch_op.create_index('ix_staples_post_matching', ['kind', 'status', 'commodity_id', 'ends_on'], unique=False)
        batch_op.create_index('ix_staples_post_newest', ['status', 'published_at'], unique=False)
        batch_op.create_index('ix_staples_post_pairing', ['region_code', 'commodity_id', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_staples_post_region_code'), ['region_code'], unique=False)

    op.create_table('deal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('commodity_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('seller_region_code', sa.String(length=5), nullable=False),
    sa.Column('buyer_region_code', sa.String(length=5), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('volume', sa.Integer(), nullable=False),
    sa.Column('remaining', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('delivery_terms', sa.Enum('loco', 'franco', name='deliveryterms', native_enum=False, length=24), nullable=False),
    sa.Column('transport_by', sa.Enum('seller', 'buyer', name='transport', native_enum=False, length=24), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'active', 'completed', 'closed', 'declined', name='dealstatus', native_enum=False, length=24), nullable=False),
    sa.Column('close_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_deal_deal_period_ordered')),
    sa.CheckConstraint('remaining >= 0 AND remaining <= volume', name=op.f('ck_deal_deal_remaining_within_volume')),
    sa.CheckConstraint('volume > 0', name=op.f('ck_deal_deal_volume_positive')),
    sa.ForeignKeyConstraint(['buyer_id'], ['business.id'], name=op.f('fk_deal_buyer_id_business')),
    sa.ForeignKeyConstraint(['buyer_region_code'], ['region.code'], name=op.f('fk_deal_buyer_region_code_region')),
    sa.ForeignKeyConstraint(['commodity_id'], ['commodity.id'], name=op.f('fk_deal_commodity_id_commodity')),
    sa.ForeignKeyConstraint(['need_id'], ['staples_post.id'], name=op.f('fk_deal_need_id_staples_post')),
    sa.ForeignKeyConstraint(['offer_id'], ['staples_post.id'], name=op.f('fk_deal_offer_id_staples_post')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['business.id'], name=op.f('fk_deal_proposed_by_id_business')),
    sa.ForeignKeyConstraint(['seller_id'], ['business.id'], name=op.f('fk_deal_seller_id_business')),
    sa.ForeignKeyConstraint(['seller_region_code'], ['region.code'], name=op.f('fk_deal_seller_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal'))
    )
    with op.batch_alter_table('deal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_buyer_region_code'), ['buyer_region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_seller_id'), ['seller_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_seller_region_code'), ['seller_region_code'], unique=False)

    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('quality', sa.String(length=200), nullable=False),
    sa.Column('received_by', sa.String(length=120), nullable=False),
    sa.Column('note_photo', sa.String(length=80), nullable=True),
    sa.Column('logged_by_id', sa.Integer(), nullable=False),
    sa.Column('seller_confirmed', sa.Boolean(), nullable=False),
    sa.Column('buyer_confirmed', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('logged', 'confirmed', 'disputed', name='deliverystatus', native_enum=False, length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_delivery_delivery_quantity_positive')),
    sa.ForeignKeyConstraint(['deal_id'], ['deal.id'], name=op.f('fk_delivery_deal_id_deal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['logged_by_id'], ['business.id'], name=op.f('fk_delivery_logged_by_id_business')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery'))
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_deal_id'), ['deal_id'], unique=False)

    # ### end Alembic commands ###


def downgrade():
    op.drop_table('staples_state')
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_deal_id'))

    op.drop_table('delivery')
    with op.batch_alter_table('deal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deal_seller_region_code'))
        batch_op.drop_index(batch_op.f('ix_deal_seller_id'))
        batch_op.drop_index(batch_op.f('ix_deal_offer_id'))
        batch_op.drop_index(batch_op.f('ix_deal_need_id'))
        batch_op.drop_index(batch_op.f('ix_deal_buyer_region_code'))
        batch_op.drop_index(batch_op.f('ix_deal_buyer_id'))

    op.drop_table('deal')
    with op.batch_alter_table('staples_post', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staples_post_region_code'))
        batch_op.drop_index('ix_staples_post_pairing')
        batch_op.drop_index('ix_staples_post_newest')
        batch_op.drop_index('ix_staples_post_matching')
        batch_op.drop_index(batch_op.f('ix_staples_post_business_id'))

    op.drop_table('staples_post')
    with op.batch_alter_table('reference_price', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reference_price_region_code'))
        batch_op.drop_index('ix_reference_price_lookup')

    op.drop_table('reference_price')
    with op.batch_alter_table('commodity_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commodity_unit_commodity_id'))

    op.drop_table('commodity_unit')
    with op.batch_alter_table('commodity_grade', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commodity_grade_commodity_id'))

    op.drop_table('commodity_grade')
    op.drop_table('commodity')
    # ### end Alembic commands ###
