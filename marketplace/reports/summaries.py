"""The reports' summary tables counted again from their source rows: InquiryMonth and InquiryReplyMonth from the
inquiries, DecisionWeek from the product decisions in the audit log. The services keep them up to date as events
happen (inquiries/services.py, moderation/services.py, in the same transaction); this rebuild is for the migration
that creates them, for data written straight as rows (the bench data, the demo seed, the tests' fixed data set) and
for `flask reports-rebuild-summaries` after a repair. Each table is emptied and filled by one grouped
INSERT ... SELECT: the database counts, no row comes into Python. The caller's unit of work commits.

What a rebuild cannot see: inquiries deleted with their product (the summary kept them: they were sent), and a
decision on an earlier submission of a product submitted again since (the rebuild only knows the latest submission,
and leaves out decisions made before it, as the figure did before the summaries)."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select

from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Product
from marketplace.counting import UNKNOWN, bucket_sql
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry, InquiryMonth, InquiryReplyMonth
from marketplace.moderation.models import DecisionWeek
from marketplace.reports.sql import local_month, local_week

DECISIONS = ("product.approve", "product.request_changes", "product.reject")


def _inquiry_month():
    month, buyer = local_month(Inquiry.created_at), func.coalesce(Inquiry.buyer_region_code, UNKNOWN)
    return insert(InquiryMonth).from_select(
        ["seller_region_code", "month", "buyer_region_code", "inquiries", "answered"],
        select(Inquiry.seller_region_code, month, buyer, func.count(Inquiry.id), func.count(Inquiry.replied_at))
        .group_by(Inquiry.seller_region_code, month, buyer))


def _inquiry_reply_month():
    month, minutes = local_month(Inquiry.created_at), bucket_sql(Inquiry.replied_at, Inquiry.created_at)
    return insert(InquiryReplyMonth).from_select(
        ["seller_region_code", "month", "minutes", "inquiries"],
        select(Inquiry.seller_region_code, month, minutes, func.count(Inquiry.id))
        .where(Inquiry.replied_at.is_not(None)).group_by(Inquiry.seller_region_code, month, minutes))


def _decision_week():
    month, week = local_month(AuditEntry.created_at), local_week(AuditEntry.created_at)
    minutes = bucket_sql(AuditEntry.created_at, Product.submitted_at)
    return insert(DecisionWeek).from_select(
        ["region_code", "month", "week", "minutes", "decisions"],
        select(AuditEntry.region_code, month, week, minutes, func.count(AuditEntry.id))
        .join(Product, Product.id == AuditEntry.object_id)
        .where(AuditEntry.action.in_(DECISIONS), AuditEntry.object_type == "product",
               AuditEntry.region_code.is_not(None), Product.submitted_at <= AuditEntry.created_at)
        .group_by(AuditEntry.region_code, month, week, minutes))


SUMMARIES = ((InquiryMonth, _inquiry_month), (InquiryReplyMonth, _inquiry_reply_month), (DecisionWeek, _decision_week))


def fill_statements() -> list:
    """The grouped INSERT ... SELECT of each summary (the migration that creates the tables runs them too)."""
    return [fill() for _model, fill in SUMMARIES]


def rebuild() -> dict[str, int]:
    """Empty and fill the summary tables from the source rows; returns the rows each now holds."""
    db.session.flush()
    for model, fill in SUMMARIES:
        db.session.execute(delete(model))
        db.session.execute(fill())
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) for model, _ in SUMMARIES}
