"""The reports' own rows: a region's service standard for moderation, and the BPS code of each region."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry

DEFAULT_REVIEW_STANDARD_HOURS = 72  # three days from a submission to a decision, until the region sets its own


class RegionReportSetting(db.Model):
    """What a region promises its owners: hours from a product's submission to the moderator's decision."""

    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    review_standard_hours: Mapped[int] = mapped_column(default=DEFAULT_REVIEW_STANDARD_HOURS)


class RegionStatisticsCode(db.Model):
    """Reference data: the region's code at BPS (Statistics Indonesia), so other offices can join the exports."""

    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    bps_code: Mapped[str] = mapped_column(String(4), unique=True)


# The reports' covering indexes on other features' tables: a region's grouped counts read the index, not the table.
Index("ix_inquiry_report", Inquiry.seller_region_code, Inquiry.created_at, Inquiry.buyer_region_code, Inquiry.replied_at)
Index("ix_product_region_status_category", Product.region_code, Product.status, Product.category_id)
Index("ix_audit_entry_report", AuditEntry.region_code, AuditEntry.action, AuditEntry.created_at, AuditEntry.object_id)
