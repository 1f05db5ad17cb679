"""region office: the DKUPP's name, address and contact as reference data

Revision ID: 6072d070e70e
Revises: 2d2ad475f81e
Create Date: 2026-12-01 15:24:01.200485

Each region's cooperative and trade office (DKUPP or its local name), shown on the region page: its name, address,
phone, email and website, as columns of region. Existing rows get NULL (the page says the details are not
entered yet); `flask seed-reference` fills in the names known for sure, admins the rest (/admin/regions/<code>/office).

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6072d070e70e'
down_revision = '2d2ad475f81e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('office_address', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('office_phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('office_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('office_website', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.drop_column('office_website')
        batch_op.drop_column('office_email')
        batch_op.drop_column('office_phone')
        batch_op.drop_column('office_address')
        batch_op.drop_column('office_name')
