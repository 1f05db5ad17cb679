"""The coach's reads: an owner's responsiveness, the region's dormant sellers (grouped in the database), the
region's active and dormant totals, and a business's follow-up log. Callers give the clock (`now`), so tests and the
nightly job ask about any day; region-scoped reads take the moderator's region code from the caller."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import selectinload

from marketplace.audit.models import AuditEntry
from marketplace.businesses.models import Business, Verification
from marketplace.catalog.models import Product
from marketplace.coach.models import AwayPeriod, DormancySnapshot, FollowUp
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry, InquiryStatus

RESPONSIVENESS_DAYS = 90
DORMANT_DAYS = 60
# What "no sign of life" is measured by; the list defaults to the first: sellers who get no buyers.
SIGNALS = ("inquiry", "login", "update")


@dataclass(frozen=True)
class Responsiveness:
    counted: int  # inquiries of the last RESPONSIVENESS_DAYS days, those received while away left out
    answered: int
    median_reply: timedelta | None  # to the first reply, over the answered ones that have a reply time
    away_excluded: int

    @property
    def share(self) -> int | None:
        """Percentage answered (None without inquiries)."""
        return round(100 * self.answered / self.counted) if self.counted else None


def _while_away():
    """True for an inquiry received during one of its business's away periods."""
    return exists().where(AwayPeriod.business_id == Inquiry.business_id, AwayPeriod.starts_at <= Inquiry.created_at,
                          AwayPeriod.ends_at > Inquiry.created_at)


def responsiveness(business_id: int, now: datetime) -> Responsiveness:
    """How the business answered its inquiries over the last RESPONSIVENESS_DAYS days; inquiries received while the
    owner was away (holiday mode) are not counted against it."""
    recent = and_(Inquiry.business_id == business_id,
                  Inquiry.created_at >= now - timedelta(days=RESPONSIVENESS_DAYS), Inquiry.created_at <= now)
    answered = or_(Inquiry.status == InquiryStatus.REPLIED, Inquiry.replied_at.is_not(None))
    away = _while_away()
    counted, answered_count, excluded = db.session.execute(select(
        func.count().filter(~away), func.count().filter(~away, answered), func.count().filter(away),
    ).select_from(Inquiry).where(recent)).one()
    delays = [replied - created for created, replied in db.session.execute(
        select(Inquiry.created_at, Inquiry.replied_at).where(recent, ~away, Inquiry.replied_at.is_not(None)))]
    return Responsiveness(counted=counted, answered=answered_count, away_excluded=excluded,
                          median_reply=statistics.median(delays) if delays else None)


def _last_inquiry():
    return select(func.max(Inquiry.created_at)).where(Inquiry.business_id == Business.id).scalar_subquery()


def _last_login():
    return (select(func.max(AuditEntry.created_at))
            .where(AuditEntry.actor_id == Business.owner_id, AuditEntry.action == "user.login").scalar_subquery())


def _last_update():
    return select(func.max(Product.updated_at)).where(Product.business_id == Business.id).scalar_subquery()


def _listed():
    """Verified businesses (not archived) with at least one product buyers can see: the sellers the list is about."""
    return and_(Business.verification == Verification.VERIFIED, Business.archived_at.is_(None),
                exists().where(Product.business_id == Business.id, Product.public))


def _dormant(signal: str, now: datetime):
    """No sign of this kind in DORMANT_DAYS days; a business younger than that is measured from its creation."""
    last = {"inquiry": _last_inquiry, "login": _last_login, "update": _last_update}[signal]()
    return func.coalesce(last, Business.created_at) < now - timedelta(days=DORMANT_DAYS)


@dataclass(frozen=True)
class DormantSeller:
    business: Business
    last_inquiry: datetime | None
    last_login: datetime | None
    last_update: datetime | None


def dormant_sellers(region_code: str, now: datetime, signal: str = "inquiry", limit: int = 200) -> list[DormantSeller]:
    """The region's dormant sellers by kecamatan (those without one last), then name; at most `limit`."""
    stmt = (
        select(Business, _last_inquiry(), _last_login(), _last_update())
        .where(Business.region_code == region_code, _listed(), _dormant(signal, now))
        .order_by(Business.kecamatan.is_(None), Business.kecamatan, Business.name, Business.id)
        .limit(limit)
    )
    return [DormantSeller(*row) for row in db.session.execute(stmt)]


def dormant_by_kecamatan(region_code: str, now: datetime, signal: str = "inquiry") -> list[tuple[str | None, int]]:
    """(kecamatan, number of dormant sellers) for the region, one grouped query."""
    stmt = (select(Business.kecamatan, func.count()).where(Business.region_code == region_code, _listed(),
                                                          _dormant(signal, now))
            .group_by(Business.kecamatan).order_by(Business.kecamatan.is_(None), Business.kecamatan))
    return [tuple(row) for row in db.session.execute(stmt)]


def totals_by_region(now: datetime, region_code: str | None = None) -> dict[str, tuple[int, int]]:
    """Region code -> (active, dormant) sellers by the inquiry signal, one grouped query (every region, or one)."""
    dormant = case((_dormant("inquiry", now), literal(1)), else_=literal(0))
    stmt = select(Business.region_code, func.count(), func.sum(dormant)).where(_listed()).group_by(Business.region_code)
    if region_code is not None:
        stmt = stmt.where(Business.region_code == region_code)
    return {code: (count - int(dormant or 0), int(dormant or 0)) for code, count, dormant in db.session.execute(stmt)}


def snapshots(region_code: str, limit: int = 30) -> list[DormancySnapshot]:
    """The region's daily totals, newest first."""
    return list(db.session.scalars(select(DormancySnapshot).where(DormancySnapshot.region_code == region_code)
                                   .order_by(DormancySnapshot.day.desc()).limit(limit)))


def follow_ups(business_id: int) -> list[FollowUp]:
    """The business's follow-up log, newest first."""
    return list(db.session.scalars(select(FollowUp).where(FollowUp.business_id == business_id)
                                   .order_by(FollowUp.created_at.desc(), FollowUp.id.desc())))


def products_of(business_ids) -> list[Product]:
    """The public products of these businesses (what their quality hints are about), by business."""
    ids = list(business_ids)
    if not ids:
        return []
    return list(db.session.scalars(select(Product).where(Product.business_id.in_(ids), Product.public)
                                   .options(selectinload(Product.business)).order_by(Product.business_id, Product.id)))


def owned_business_ids(owner) -> list[int]:
    return list(db.session.scalars(select(Business.id).where(Business.owner_id == owner.id)))
