"""The region's review queues with their age, and moderation latency (submission to decision) per week against the
service standard the region sets.

Latency: each product decision (approve, request changes, reject) of the region, from the product's submission
(Product.submitted_at) to the decision, counted by the moderation service when the decision is made (DecisionWeek,
in the same transaction). Decisions made before the summary existed were counted by its migration from the audit log
with the product's latest submission time: a product submitted again after a decision had its earlier decisions
(made before that time) left out there rather than counted negative."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, select

from marketplace.businesses.models import Business, BusinessRevision, ProfileEditStatus, Verification
from marketplace.catalog.models import Product, ProductRevision, ProductStatus, RevisionStatus
from marketplace.certifications.models import Certification, CertStatus
from marketplace.extensions import db
from marketplace.models_base import UTCDateTime, utcnow
from marketplace.moderation.models import DecisionWeek
from marketplace.reports.sql import bucket_percentiles, hours_between
from marketplace.reports.tables import Table, share


def _age_days(oldest, now) -> float | None:
    return round((now - oldest).total_seconds() / 86400, 1) if oldest else None


def queues(scope, period) -> list[Table]:
    """What waits for the region's moderators now: how many, and how long the oldest and the average have waited."""
    now = utcnow()
    queues = (
        (_l("Businesses awaiting verification"), Business.created_at,
         (Business.region_code.in_(scope.codes), Business.verification == Verification.UNVERIFIED,
          Business.archived_at.is_(None)), None),
        (_l("Business profile edits"), BusinessRevision.submitted_at,
         (Business.region_code.in_(scope.codes), BusinessRevision.status == ProfileEditStatus.PENDING),
         (Business, Business.id == BusinessRevision.business_id)),
        (_l("Products in review"), Product.submitted_at,
         (Product.region_code.in_(scope.codes), Product.status == ProductStatus.PENDING), None),
        (_l("Product edits in review"), ProductRevision.submitted_at,
         (Product.region_code.in_(scope.codes), ProductRevision.status == RevisionStatus.PENDING),
         (Product, Product.id == ProductRevision.product_id)),
        (_l("Certifications awaiting verification"), Certification.created_at,
         (Business.region_code.in_(scope.codes), Certification.status == CertStatus.CLAIMED),
         (Business, Business.id == Certification.business_id)),
    )
    rows = []
    for label, since, where, join in queues:
        stmt = select(func.count(), func.min(since), func.avg(hours_between(literal(now, UTCDateTime()), since)))
        stmt = stmt.select_from(since.class_)
        if join is not None:
            stmt = stmt.join(*join)
        count, oldest, average_hours = db.session.execute(stmt.where(*where)).one()
        rows.append([str(label), count, _age_days(oldest, now),
                     round(float(average_hours) / 24, 1) if average_hours is not None else None])
    return [Table("queues", _l("Review queues"),
                  [_l("Queue"), _l("Waiting"), _l("Oldest (days)"), _l("Average wait (days)")], rows, chart=(0, (1,)))]


def latency(scope, period) -> list[Table]:
    """Median and p90 hours from submission to decision per week of the decision, and the share within standard:
    from the summary the moderation service keeps (DecisionWeek), its rows of the period's months."""
    where = (DecisionWeek.region_code.in_(scope.codes), period.contains_month(DecisionWeek.month))
    rows_by_week = {week: (n, median, p90) for week, n, median, p90 in db.session.execute(bucket_percentiles(
        DecisionWeek.week, DecisionWeek.minutes, DecisionWeek.decisions, *where))}
    within = dict(db.session.execute(
        select(DecisionWeek.week, func.sum(DecisionWeek.decisions))
        .where(*where, DecisionWeek.minutes <= scope.review_standard_hours * 60).group_by(DecisionWeek.week)).all())
    rows = [[week, n, round(median / 60, 1), round(p90 / 60, 1), scope.review_standard_hours,
             share(int(within.get(week, 0)), n)] for week, (n, median, p90) in sorted(rows_by_week.items())]
    return [Table("latency", _l("Moderation latency per week"),
                  [_l("Week of"), _l("Decisions"), _l("Median (hours)"), _l("p90 (hours)"), _l("Standard (hours)"),
                   _l("Within standard (%)")], rows, chart=(0, (2, 3)),
                  note=_l("Hours from a product's submission to the moderator's decision, by the week of the decision "
                          "(Monday, Asia/Jakarta); counted in buckets (to the minute under an hour, to 15 minutes "
                          "under a day, to the hour under 60 days), the median and the 90th percentile are the upper "
                          "bound of the bucket that holds the value of their nearest rank."))]
