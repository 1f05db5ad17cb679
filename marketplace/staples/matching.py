"""Matching offers and needs in the database: one SQL query joins open offers to open needs; every rule is one SQL
condition, written once in `rules`. The same conditions, selected as columns for one pair, tell a moderator which
rule held and which failed, so the explanation can never disagree with the matching.

The rules: both published and not expired; same commodity; the offer's grade at least what the need asks for (a need
without a grade takes any); windows overlap; the need's quantity per month reaches the offer's minimum lot; prices
meet (the seller's lowest asking price is not above the buyer's highest, or either side is negotiable or gives no
price); the regions are the same, or both are parties to an agreement with scope `staples` whose validity overlaps
the two windows; and the two posts are of different businesses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from marketplace.businesses.models import Business, Verification
from marketplace.extensions import db
from marketplace.regions.models import Agreement, AgreementParty, AgreementScope, Scope
from marketplace.staples.models import CommodityGrade, PostKind, PostStatus, StaplesPost

Offer = aliased(StaplesPost, name="offer")
Need = aliased(StaplesPost, name="need")
OfferGrade = aliased(CommodityGrade, name="offer_grade")
NeedGrade = aliased(CommodityGrade, name="need_grade")

RULE_LABELS = {
    "offer_open": _l("The offer is published, its window has not ended and its business is verified"),
    "need_open": _l("The need is published, its window has not ended and its business is verified"),
    "commodity": _l("Same commodity"),
    "grade": _l("The offer's grade is at least the grade the need asks for"),
    "window": _l("The windows overlap"),
    "lot": _l("The need's quantity per month reaches the offer's minimum lot"),
    "price": _l("Prices meet (or one side is negotiable)"),
    "regions": _l("Same region, or both regions are parties to an active staples agreement"),
    "businesses": _l("Two different businesses"),
}


def _earlier(a, b):
    return case((a < b, a), else_=b)


def _later(a, b):
    return case((a > b, a), else_=b)


def agreement_pair():
    """SQL: the two posts' regions are both parties to an agreement with scope staples, valid at some time within
    the overlap of their windows."""
    first, second = aliased(AgreementParty), aliased(AgreementParty)
    return exists(
        select(literal(1))
        .select_from(Agreement)
        .join(AgreementScope, and_(AgreementScope.agreement_id == Agreement.id, AgreementScope.scope == Scope.STAPLES))
        .join(first, and_(first.agreement_id == Agreement.id, first.region_code == Offer.region_code))
        .join(second, and_(second.agreement_id == Agreement.id, second.region_code == Need.region_code))
        .where(Agreement.valid_from <= _earlier(Offer.ends_on, Need.ends_on),
               or_(Agreement.valid_until.is_(None), Agreement.valid_until >= _later(Offer.starts_on, Need.starts_on)))
    )


def rules(on: date) -> dict:
    """Each matching rule as one SQL condition over Offer, Need and their grades."""
    return {
        "offer_open": and_(Offer.kind == PostKind.OFFER, Offer.status == PostStatus.PUBLISHED, Offer.ends_on >= on,
                           Offer.business.has(Business.verification == Verification.VERIFIED)),
        "need_open": and_(Need.kind == PostKind.NEED, Need.status == PostStatus.PUBLISHED, Need.ends_on >= on,
                          Need.business.has(Business.verification == Verification.VERIFIED)),
        "commodity": Offer.commodity_id == Need.commodity_id,
        "grade": or_(Need.grade_id.is_(None), and_(OfferGrade.id.is_not(None), OfferGrade.rank >= NeedGrade.rank)),
        "window": and_(Offer.starts_on <= Need.ends_on, Need.starts_on <= Offer.ends_on),
        "lot": or_(Offer.min_lot_base.is_(None), Need.monthly_base >= Offer.min_lot_base),
        "price": or_(Offer.negotiable, Need.negotiable, Offer.price_min_base.is_(None), Need.price_max_base.is_(None),
                     Offer.price_min_base <= Need.price_max_base),
        "regions": or_(Offer.region_code == Need.region_code, agreement_pair()),
        "businesses": Offer.business_id != Need.business_id,
    }


def _score():
    """Rank: share of the need covered (up to 0.6), how well prices meet (up to 0.25), an agreement pair (0.15)."""
    share = case((Offer.monthly_base >= Need.monthly_base, 1.0), else_=Offer.monthly_base / Need.monthly_base)
    no_prices = or_(Offer.negotiable, Need.negotiable, Offer.price_min_base.is_(None), Need.price_max_base.is_(None))
    need_low = func.coalesce(Need.price_min_base, 0.0)
    spread = case((Need.price_max_base > need_low, Need.price_max_base - need_low), else_=1.0)
    price_fit = case(
        (no_prices, 1.0),
        (Offer.price_min_base <= need_low, 1.0),
        else_=(Need.price_max_base - Offer.price_min_base) / spread,
    )
    pair = case((Offer.region_code != Need.region_code, 0.15), else_=0.0)
    return (share * 0.6 + price_fit * 0.25 + pair).label("score"), share.label("share")


@dataclass
class Match:
    offer: StaplesPost
    need: StaplesPost
    score: float
    share: float


def _joined(stmt):
    return (stmt.outerjoin(OfferGrade, OfferGrade.id == Offer.grade_id)
            .outerjoin(NeedGrade, NeedGrade.id == Need.grade_id))


def matches(on: date, *, business_ids: set[int] | None = None, region_code: str | None = None,
            offer_id: int | None = None, need_id: int | None = None, limit: int | None = 200) -> list[Match]:
    """The matching pairs, best first: of the given businesses (either side), of a region (either side), or of
    one post. One query, plus one to load the posts' commodities and businesses."""
    score, share = _score()
    stmt = _joined(select(Offer, Need, score, share).select_from(Offer).join(Need, Offer.commodity_id == Need.commodity_id))
    stmt = stmt.where(*rules(on).values())
    if business_ids is not None:
        stmt = stmt.where(or_(Offer.business_id.in_(business_ids), Need.business_id.in_(business_ids)))
    if region_code is not None:
        stmt = stmt.where(or_(Offer.region_code == region_code, Need.region_code == region_code))
    if offer_id is not None:
        stmt = stmt.where(Offer.id == offer_id)
    if need_id is not None:
        stmt = stmt.where(Need.id == need_id)
    stmt = stmt.order_by(score.desc(), Offer.id, Need.id)
    if limit:
        stmt = stmt.limit(limit)
    return [Match(o, n, float(s), float(sh)) for o, n, s, sh in db.session.execute(stmt).all()]


def count_matches(on: date) -> int:
    """How many pairs match across the whole site (the benchmark's query: every offer against every need)."""
    stmt = _joined(select(func.count()).select_from(Offer).join(Need, Offer.commodity_id == Need.commodity_id))
    return db.session.scalar(stmt.where(*rules(on).values()))


def explain(offer_id: int, need_id: int, on: date) -> list[tuple[str, object, bool]]:
    """(rule, label, held) for one pair, from the very conditions `matches` uses."""
    conditions = rules(on)
    columns = [case((condition, True), else_=False).label(name) for name, condition in conditions.items()]
    stmt = _joined(select(*columns).select_from(Offer).join(Need, literal(True)))
    row = db.session.execute(stmt.where(Offer.id == offer_id, Need.id == need_id)).one()
    return [(name, RULE_LABELS[name], bool(getattr(row, name))) for name in conditions]
