"""reports: summary tables kept by the services (inquiries per region and month, time to first reply, moderation
decisions per week), filled from the existing rows

Revision ID: 5d0c7a9e4b12
Revises: 3b8e1f5c2a71
Create Date: 2026-12-02 01:10:00

inquiry_month counts inquiries (and the answered ones) per seller region at the time of asking, local month and
buyer region ("" when not known); inquiry_reply_month the answered ones by the time to the first reply in fixed
buckets; decision_week the product decisions per region, month, week and latency bucket. The inquiry and moderation
services add to them in the same transaction as the event; the reports read only them. The upgrade fills them from
the inquiries and the audit log with the same grouped INSERT ... SELECT as `flask reports-rebuild-summaries`.

"""
from alembic import op
import sqlalchemy as sa

revision = "5d0c7a9e4b12"
down_revision = "3b8e1f5c2a71"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inquiry_month",
        sa.Column("seller_region_code", sa.String(length=5), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("buyer_region_code", sa.String(length=5), nullable=False),
        sa.Column("inquiries", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("seller_region_code", "month", "buyer_region_code", name=op.f("pk_inquiry_month")),
    )
    op.create_table(
        "inquiry_reply_month",
        sa.Column("seller_region_code", sa.String(length=5), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("minutes", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("inquiries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("seller_region_code", "month", "minutes", name=op.f("pk_inquiry_reply_month")),
    )
    op.create_table(
        "decision_week",
        sa.Column("region_code", sa.String(length=5), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("week", sa.String(length=10), nullable=False),
        sa.Column("minutes", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("decisions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("region_code", "month", "week", "minutes", name=op.f("pk_decision_week")),
    )
    from marketplace.reports.summaries import fill_statements

    bind = op.get_bind()
    for statement in fill_statements():
        bind.execute(statement)


def downgrade():
    op.drop_table("decision_week")
    op.drop_table("inquiry_reply_month")
    op.drop_table("inquiry_month")
