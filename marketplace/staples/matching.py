"""Matching offers and needs in the database: one SQL query joins open offers to open needs; every rule is one SQL
condition, written once in `rules`. The same conditions, selected as columns for one pair, tell a moderator which
rule held and which failed, so the explanation can never disagree with the matching.

The rules: both published, not expired and of a verified business; same commodity; the offer's grade at least what
the need asks for (a need without a grade takes any); windows overlap; the need's quantity per month reaches the
offer's minimum lot; prices meet (the seller's lowest asking price is not above the buyer's highest, or either side
is negotiable or gives no price); the regions are the same, or both are parties to an agreement with scope
`staples` whose validity overlaps the two windows; and the two posts are of different businesses.

How the query stays fast at 5,000 x 5,000: the open offers and open needs are selected first (each post's own rules
once, not once per pair), and a pair is only formed between regions that can trade: the same region, or two regions
that share a staples agreement (a handful of rows). Every rule is then checked on those candidates only.

The pages that list matches read them from the stored table that staples/match_store.py keeps with this very query;
what decides for one pair (a deal, the match page, the "why not") calls `matches`/`explain` here, live."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, func, literal, or_, select, union
from sqlalchemy.orm import aliased

from marketplace.businesses.models import Business, Verification
from marketplace.extensions import db
from marketplace.regions.models import Agreement, AgreementParty, AgreementScope, Region, Scope
from marketplace.staples.models import CommodityGrade, PostKind, PostStatus, StaplesPost

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
OPEN_RULES = ("offer_open", "need_open")


def _earlier(a, b):
    return case((a < b, a), else_=b)


def _later(a, b):
    return case((a > b, a), else_=b)


def is_open(post, kind: PostKind, on: date):
    """SQL: the post is of that kind, published, its window not over, its business verified."""
    return and_(post.kind == kind, post.status == PostStatus.PUBLISHED, post.ends_on >= on,
                post.business.has(Business.verification == Verification.VERIFIED))


def agreement_pair(offer, need):
    """SQL: the two posts' regions are both parties to an agreement with scope staples, valid at some time within
    the overlap of their windows."""
    first, second = aliased(AgreementParty), aliased(AgreementParty)
    return exists(
        select(literal(1))
        .select_from(Agreement)
        .join(AgreementScope, and_(AgreementScope.agreement_id == Agreement.id, AgreementScope.scope == Scope.STAPLES))
        .join(first, and_(first.agreement_id == Agreement.id, first.region_code == offer.region_code))
        .join(second, and_(second.agreement_id == Agreement.id, second.region_code == need.region_code))
        .where(Agreement.valid_from <= _earlier(offer.ends_on, need.ends_on),
               or_(Agreement.valid_until.is_(None), Agreement.valid_until >= _later(offer.starts_on, need.starts_on)))
    )


def rules(on: date, offer, need, offer_grade, need_grade) -> dict:
    """Each matching rule as one SQL condition over an offer, a need and their grades (aliases)."""
    return {
        "offer_open": is_open(offer, PostKind.OFFER, on),
        "need_open": is_open(need, PostKind.NEED, on),
        "commodity": offer.commodity_id == need.commodity_id,
        "grade": or_(need.grade_id.is_(None), and_(offer_grade.id.is_not(None), offer_grade.rank >= need_grade.rank)),
        "window": and_(offer.starts_on <= need.ends_on, need.starts_on <= offer.ends_on),
        "lot": or_(offer.min_lot_base.is_(None), need.monthly_base >= offer.min_lot_base),
        "price": or_(offer.negotiable, need.negotiable, offer.price_min_base.is_(None), need.price_max_base.is_(None),
                     offer.price_min_base <= need.price_max_base),
        "regions": or_(offer.region_code == need.region_code, agreement_pair(offer, need)),
        "businesses": offer.business_id != need.business_id,
    }


def trading_regions():
    """(from, to) region pairs that may trade: each region with itself, and both directions of every two regions
    party to a staples agreement (whatever its dates: the exact rule checks them on each pair). UNION: no pair twice."""
    first, second = aliased(AgreementParty), aliased(AgreementParty)
    agreed = (select(first.region_code.label("source"), second.region_code.label("target"))
              .join(second, and_(second.agreement_id == first.agreement_id, second.region_code != first.region_code))
              .join(AgreementScope, and_(AgreementScope.agreement_id == first.agreement_id,
                                         AgreementScope.scope == Scope.STAPLES)))
    same = select(Region.code.label("source"), Region.code.label("target"))
    return union(agreed, same).subquery("trading")


def _score(offer, need):
    """Rank: share of the need covered (up to 0.6), how well prices meet (up to 0.25), an agreement pair (0.15)."""
    share = case((offer.monthly_base >= need.monthly_base, 1.0), else_=offer.monthly_base / need.monthly_base)
    no_prices = or_(offer.negotiable, need.negotiable, offer.price_min_base.is_(None), need.price_max_base.is_(None))
    need_low = func.coalesce(need.price_min_base, 0.0)
    spread = case((need.price_max_base > need_low, need.price_max_base - need_low), else_=1.0)
    price_fit = case(
        (no_prices, 1.0),
        (offer.price_min_base <= need_low, 1.0),
        else_=(need.price_max_base - offer.price_min_base) / spread,
    )
    pair = case((offer.region_code != need.region_code, 0.15), else_=0.0)
    return (share * 0.6 + price_fit * 0.25 + pair).label("score"), share.label("share")


@dataclass
class Match:
    offer: StaplesPost
    need: StaplesPost
    score: float
    share: float


def _candidates(on: date, columns, offer_filter=(), need_filter=()):
    """select(columns) over open offers x open needs of trading regions and one commodity, with every pair rule."""
    offers = select(StaplesPost).where(is_open(StaplesPost, PostKind.OFFER, on), *offer_filter).subquery("offer")
    needs = select(StaplesPost).where(is_open(StaplesPost, PostKind.NEED, on), *need_filter).subquery("need")
    offer, need = aliased(StaplesPost, offers, name="offer"), aliased(StaplesPost, needs, name="need")
    offer_grade, need_grade = aliased(CommodityGrade, name="offer_grade"), aliased(CommodityGrade, name="need_grade")
    trading = trading_regions()
    pair_rules = {k: v for k, v in rules(on, offer, need, offer_grade, need_grade).items() if k not in OPEN_RULES}
    stmt = (select(*columns(offer, need)).select_from(offer)
            .join(trading, trading.c.source == offer.region_code)
            .join(need, and_(need.region_code == trading.c.target, need.commodity_id == offer.commodity_id))
            .outerjoin(offer_grade, offer_grade.id == offer.grade_id)
            .outerjoin(need_grade, need_grade.id == need.grade_id)
            .where(*pair_rules.values()))
    return stmt, offer, need


def matches(on: date, *, business_ids: set[int] | None = None, region_code: str | None = None,
            offer_id: int | None = None, need_id: int | None = None, limit: int | None = 200) -> list[Match]:
    """The matching pairs, best first: of the given businesses (either side), of a region (either side), or of
    one post. One query (its posts' commodities, businesses and regions are loaded as the pages use them)."""
    offer_filter, need_filter = [], []
    if offer_id is not None:
        offer_filter.append(StaplesPost.id == offer_id)
    if need_id is not None:
        need_filter.append(StaplesPost.id == need_id)
    stmt, offer, need = _candidates(on, lambda o, n: (o, n, *_score(o, n)), offer_filter=offer_filter,
                                    need_filter=need_filter)
    if business_ids is not None:
        stmt = stmt.where(or_(offer.business_id.in_(business_ids), need.business_id.in_(business_ids)))
    if region_code is not None:
        stmt = stmt.where(or_(offer.region_code == region_code, need.region_code == region_code))
    score = stmt.selected_columns.score
    stmt = stmt.order_by(score.desc(), offer.id, need.id)
    if limit:
        stmt = stmt.limit(limit)
    return [Match(o, n, float(s), float(sh)) for o, n, s, sh in db.session.execute(stmt).all()]


def count_matches(on: date) -> int:
    """How many pairs match across the whole site (the benchmark's query: every offer against every need)."""
    stmt, _offer, _need = _candidates(on, lambda o, n: (func.count(),))
    return db.session.scalar(stmt)


def explain(offer_id: int, need_id: int, on: date) -> list[tuple[str, object, bool]]:
    """(rule, label, held) for one pair, from the very conditions `matches` uses."""
    offer, need = aliased(StaplesPost, name="offer"), aliased(StaplesPost, name="need")
    offer_grade, need_grade = aliased(CommodityGrade, name="offer_grade"), aliased(CommodityGrade, name="need_grade")
    conditions = rules(on, offer, need, offer_grade, need_grade)
    columns = [case((condition, True), else_=False).label(name) for name, condition in conditions.items()]
    stmt = (select(*columns).select_from(offer).join(need, literal(True))
            .outerjoin(offer_grade, offer_grade.id == offer.grade_id)
            .outerjoin(need_grade, need_grade.id == need.grade_id)
            .where(offer.id == offer_id, need.id == need_id))
    row = db.session.execute(stmt).one()
    return [(name, RULE_LABELS[name], bool(getattr(row, name))) for name in conditions]
