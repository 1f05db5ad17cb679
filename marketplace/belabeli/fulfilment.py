"""Fulfilment figures, all grouped SQL: an office's monthly target is the sum over rank bands of headcount × the
band's minimum; what counts against it is the sum of its CONFIRMED purchases of the month. Also the sellers that
received the most, the least and nothing (to promote), and the public aggregates (no person, no office named)."""

from dataclasses import dataclass

from sqlalchemy import func

from marketplace.belabeli.models import BandMinimum, Headcount, Office, Programme, Purchase, PurchaseStatus, RankBand
from marketplace.belabeli.purchases import seller_filter
from marketplace.businesses.models import Business
from marketplace.catalog.models import Category
from marketplace.extensions import db

CONFIRMED = Purchase.status == PurchaseStatus.CONFIRMED


@dataclass(frozen=True)
class Row:
    """One office (or one office and band) in one month."""

    office_id: int
    office: str
    headcount: int
    target: int
    confirmed: int
    band: RankBand | None = None

    @property
    def share(self) -> float:
        """Confirmed purchases as a part of the target (0 when there is no target)."""
        return self.confirmed / self.target if self.target else 0.0

    @property
    def met(self) -> bool:
        return self.target > 0 and self.confirmed >= self.target


def _bands(programme_id: int):
    """Every office of the programme × every band of it, with its headcount (0 if none kept) and that band's target."""
    count = func.coalesce(Headcount.count, 0)
    return (db.select(Office.id.label("office_id"), Office.name.label("office"), BandMinimum.band.label("band"),
                      count.label("headcount"), (count * BandMinimum.minimum).label("target"))
            .join(BandMinimum, BandMinimum.programme_id == Office.programme_id)
            .outerjoin(Headcount, (Headcount.office_id == Office.id) & (Headcount.band == BandMinimum.band))
            .where(Office.programme_id == programme_id))


def _confirmed(month: str, *group):
    return (db.select(*group, func.sum(Purchase.amount).label("amount"))
            .where(CONFIRMED, Purchase.month == month).group_by(*group))


def by_office(programme: Programme, month: str, office_id: int | None = None) -> list[Row]:
    """Each office's headcount, target and confirmed purchases in the month, by office name."""
    bands = _bands(programme.id).subquery()
    targets = (db.select(bands.c.office_id, bands.c.office, func.sum(bands.c.headcount).label("headcount"),
                         func.sum(bands.c.target).label("target"))
               .group_by(bands.c.office_id, bands.c.office).subquery())
    confirmed = _confirmed(month, Purchase.office_id).subquery()
    stmt = (db.select(targets.c.office_id, targets.c.office, targets.c.headcount, targets.c.target,
                      func.coalesce(confirmed.c.amount, 0))
            .outerjoin(confirmed, confirmed.c.office_id == targets.c.office_id).order_by(targets.c.office))
    if office_id is not None:
        stmt = stmt.where(targets.c.office_id == office_id)
    return [Row(o, name, int(h or 0), int(t or 0), int(c or 0)) for o, name, h, t, c in db.session.execute(stmt)]


def by_office_and_band(programme: Programme, month: str) -> list[Row]:
    """The report's rows: office × band with headcount, target and confirmed purchases of that band."""
    bands = _bands(programme.id).subquery()
    confirmed = _confirmed(month, Purchase.office_id, Purchase.band).subquery()
    minimum = db.select(BandMinimum.minimum).where(BandMinimum.programme_id == programme.id,
                                                   BandMinimum.band == bands.c.band).scalar_subquery()
    stmt = (db.select(bands.c.office_id, bands.c.office, bands.c.headcount, bands.c.target,
                      func.coalesce(confirmed.c.amount, 0), bands.c.band)
            .outerjoin(confirmed, (confirmed.c.office_id == bands.c.office_id) & (confirmed.c.band == bands.c.band))
            .order_by(bands.c.office, minimum))
    return [Row(o, name, int(h or 0), int(t or 0), int(c or 0), RankBand(b))
            for o, name, h, t, c, b in db.session.execute(stmt)]


def sellers(programme: Programme, month: str, limit: int = 5) -> dict:
    """Verified sellers of the region: those that received the most and the least confirmed purchases in the month,
    and those that received none (to promote)."""
    received = _confirmed(month, Purchase.business_id).subquery()
    base = (db.select(Business.id, Business.name, Business.slug, received.c.amount).select_from(Business)
            .where(*seller_filter(programme.region_code)))
    with_purchases = base.join(received, received.c.business_id == Business.id)
    none = (base.outerjoin(received, received.c.business_id == Business.id).where(received.c.amount.is_(None))
            .order_by(Business.name).limit(50))
    return {"most": db.session.execute(with_purchases.order_by(received.c.amount.desc(), Business.name).limit(limit)).all(),
            "least": db.session.execute(with_purchases.order_by(received.c.amount, Business.name).limit(limit)).all(),
            "none": db.session.execute(none).all()}


def months(programme: Programme) -> list[str]:
    """The months with any purchase logged, newest first."""
    return list(db.session.scalars(db.select(Purchase.month).join(Purchase.office)
                                   .where(Office.programme_id == programme.id).distinct()
                                   .order_by(Purchase.month.desc())))


def public_months(programme: Programme) -> list[dict]:
    """Per month: the total of confirmed purchases, the number of sellers bought from, and the number of offices
    whose confirmed purchases met their target. Nothing names a person or an office."""
    in_programme = Purchase.office_id.in_(db.select(Office.id).where(Office.programme_id == programme.id))
    totals = db.session.execute(
        db.select(Purchase.month, func.sum(Purchase.amount), func.count(func.distinct(Purchase.business_id)))
        .where(CONFIRMED, in_programme).group_by(Purchase.month).order_by(Purchase.month.desc()).limit(12)).all()
    bands = _bands(programme.id).subquery()
    targets = db.select(bands.c.office_id, func.sum(bands.c.target).label("target")).group_by(bands.c.office_id).subquery()
    per_office = (db.select(Purchase.month.label("month"), Purchase.office_id.label("office_id"),
                            func.sum(Purchase.amount).label("amount"))
                  .where(CONFIRMED, in_programme).group_by(Purchase.month, Purchase.office_id).subquery())
    met = dict(db.session.execute(
        db.select(per_office.c.month, func.count()).join(targets, targets.c.office_id == per_office.c.office_id)
        .where(targets.c.target > 0, per_office.c.amount >= targets.c.target).group_by(per_office.c.month)).all())
    return [{"month": month, "total": int(total), "sellers": sellers_count, "offices_met": met.get(month, 0)}
            for month, total, sellers_count in totals]


def public_categories(programme: Programme, locale: str) -> list[dict]:
    """Confirmed purchases by the top category of what was bought: total and number of sellers."""
    in_programme = Purchase.office_id.in_(db.select(Office.id).where(Office.programme_id == programme.id))
    rows = db.session.execute(
        db.select(Category.name_id, Category.name_en, func.sum(Purchase.amount),
                  func.count(func.distinct(Purchase.business_id)))
        .select_from(Purchase).outerjoin(Category, Category.id == Purchase.category_id)
        .where(CONFIRMED, in_programme).group_by(Category.id, Category.name_id, Category.name_en)
        .order_by(func.sum(Purchase.amount).desc())).all()
    return [{"category": (name_en if locale == "en" else name_id) if name_id else None, "total": int(total),
             "sellers": count} for name_id, name_en, total, count in rows]


def office_count(programme: Programme) -> int:
    return db.session.scalar(db.select(func.count(Office.id)).where(Office.programme_id == programme.id))
