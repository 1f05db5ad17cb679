"""the catalogue's highest-price-first order from an index on PostgreSQL: public products by price descending, unpriced last

Revision ID: 499b53e8860c
Revises: 5d0c7a9e4b12
Create Date: 2026-12-02 01:10:00

?sort=price_desc orders by `price_min DESC NULLS LAST, id DESC`; the ascending price indexes read backwards give the
unpriced first, so without these PostgreSQL sorted every public product of the filter for each page. SQLite's indexes
take no NULLS LAST (and its DESC already puts NULLs last): nothing to do there.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '499b53e8860c'
down_revision = '5d0c7a9e4b12'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_index('ix_product_public_region_price_desc', 'product',
                    ['public', 'region_code', 'category_id', sa.text('price_min DESC NULLS LAST')], unique=False)
    op.create_index('ix_product_public_price_desc', 'product',
                    ['public', sa.text('price_min DESC NULLS LAST')], unique=False)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index('ix_product_public_price_desc', table_name='product')
    op.drop_index('ix_product_public_region_price_desc', table_name='product')
