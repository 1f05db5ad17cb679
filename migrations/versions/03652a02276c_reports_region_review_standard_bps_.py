"""reports: a region's service standard for reviews, BPS codes of the regions, an inquiry's unknown buyer region

Revision ID: 03652a02276c
Revises: 07d0e40cc928
Create Date: 2026-12-01 20:39:05

region_report_setting holds the hours a region promises from a product's submission to a decision (the reports
chart moderation latency against it). region_statistics_code is reference data (filled by `flask seed-reference`
like the commodities). inquiry.buyer_region_code may be NULL: a buyer whose region is unknown, counted as "unknown"
by the reports. Covering indexes on inquiry, product and audit_entry serve the reports' grouped counts.

"""
from alembic import op
import sqlalchemy as sa

revision = "03652a02276c"
down_revision = "07d0e40cc928"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "region_report_setting",
        sa.Column("region_code", sa.String(length=5), nullable=False),
        sa.Column("review_standard_hours", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"], name=op.f("fk_region_report_setting_region_code_region")),
        sa.PrimaryKeyConstraint("region_code", name=op.f("pk_region_report_setting")),
    )
    op.create_table(
        "region_statistics_code",
        sa.Column("region_code", sa.String(length=5), nullable=False),
        sa.Column("bps_code", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"],
                                name=op.f("fk_region_statistics_code_region_code_region")),
        sa.PrimaryKeyConstraint("region_code", name=op.f("pk_region_statistics_code")),
        sa.UniqueConstraint("bps_code", name=op.f("uq_region_statistics_code_bps_code")),
    )
    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.alter_column("buyer_region_code", existing_type=sa.String(length=5), nullable=True)
        batch_op.create_index("ix_inquiry_report", ["seller_region_code", "created_at", "buyer_region_code", "replied_at"],
                              unique=False)
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.create_index("ix_product_region_status_category", ["region_code", "status", "category_id"], unique=False)
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_report", ["region_code", "action", "created_at", "object_id"], unique=False)


def downgrade():
    # an unknown buyer region cannot be NULL before this revision: the seller's region stands in (the closest guess)
    op.execute("UPDATE inquiry SET buyer_region_code = seller_region_code WHERE buyer_region_code IS NULL")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_report")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_index("ix_product_region_status_category")
    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.drop_index("ix_inquiry_report")
        batch_op.alter_column("buyer_region_code", existing_type=sa.String(length=5), nullable=False)
    op.drop_table("region_statistics_code")
    op.drop_table("region_report_setting")
