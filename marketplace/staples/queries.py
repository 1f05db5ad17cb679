"""Read-side selects for staples: scoped helpers (an owner's own posts and deals, a moderator's region: 404 outside
it) and the public board's aggregates, a fixed number of grouped queries whatever the number of posts."""

from __future__ import annotations

from datetime import date

from flask import abort
from sqlalchemy import func, or_
from sqlalchemy.orm import joinedload, selectinload

from marketplace.businesses.models import Business, Verification
from marketplace.caching import cached_or_computed
from marketplace.extensions import db
from marketplace.staples.generation import generation
from marketplace.staples.models import (
    Commodity,
    Deal,
    Delivery,
    Level,
    PostKind,
    PostStatus,
    ReferencePrice,
    StaplesPost,
)

BOARD_POSTS = 12


def commodities() -> list[Commodity]:
    return list(db.session.scalars(db.select(Commodity).options(selectinload(Commodity.units), selectinload(
        Commodity.grades)).order_by(Commodity.name_id)))


def commodity_or_404(code: str) -> Commodity:
    commodity = db.session.scalar(db.select(Commodity).where(Commodity.code == code))
    if commodity is None:
        abort(404)
    return commodity


def open_posts_clause(on: date):
    """Public and matchable: published, the window not over, the business still verified."""
    return (StaplesPost.status == PostStatus.PUBLISHED) & (StaplesPost.ends_on >= on) & StaplesPost.business.has(
        Business.verification == Verification.VERIFIED)


# --- owners ----------------------------------------------------------------------------------------------------------

def business_ids(owner) -> set[int]:
    return set(db.session.scalars(db.select(Business.id).where(Business.owner_id == owner.id)))


def verified_businesses(owner) -> list[Business]:
    return list(db.session.scalars(db.select(Business).where(
        Business.owner_id == owner.id, Business.verification == Verification.VERIFIED).order_by(Business.name)))


def owned_post_or_404(owner, post_id: int) -> StaplesPost:
    post = db.session.scalar(db.select(StaplesPost).join(StaplesPost.business).where(
        StaplesPost.id == post_id, Business.owner_id == owner.id))
    if post is None:
        abort(404)
    return post


def owned_posts(owner) -> list[StaplesPost]:
    return list(db.session.scalars(
        db.select(StaplesPost).join(StaplesPost.business).where(Business.owner_id == owner.id)
        .options(joinedload(StaplesPost.commodity).selectinload(Commodity.units), joinedload(StaplesPost.grade),
                 joinedload(StaplesPost.business)).order_by(StaplesPost.created_at.desc())))


def _deal_options():
    return (joinedload(Deal.commodity), joinedload(Deal.seller), joinedload(Deal.buyer), joinedload(Deal.member))


def deals_of(ids: set[int]) -> list[Deal]:
    return list(db.session.scalars(db.select(Deal).where(or_(Deal.seller_id.in_(ids), Deal.buyer_id.in_(ids)))
                                   .options(*_deal_options()).order_by(Deal.created_at.desc())))


def owned_deal_or_404(owner, deal_id: int) -> Deal:
    ids = business_ids(owner)
    deal = db.session.scalar(db.select(Deal).where(Deal.id == deal_id, or_(Deal.seller_id.in_(ids), Deal.buyer_id.in_(ids))))
    if deal is None:
        abort(404)
    return deal


def owned_delivery_or_404(owner, delivery_id: int) -> Delivery:
    ids = business_ids(owner)
    delivery = db.session.scalar(db.select(Delivery).join(Delivery.deal).where(
        Delivery.id == delivery_id, or_(Deal.seller_id.in_(ids), Deal.buyer_id.in_(ids))))
    if delivery is None:
        abort(404)
    return delivery


def post_of_pair_or_404(post_id: int, allowed) -> StaplesPost:
    post = db.session.get(StaplesPost, post_id)
    if post is None or not allowed(post):
        abort(404)
    return post


# --- moderators ------------------------------------------------------------------------------------------------------

def post_in_region_or_404(moderator, post_id: int) -> StaplesPost:
    post = db.session.scalar(db.select(StaplesPost).where(StaplesPost.id == post_id,
                                                          StaplesPost.region_code == moderator.region_code))
    if post is None:
        abort(404)
    return post


def review_queue(region_code: str) -> list[StaplesPost]:
    """Posts and edits of published posts waiting for the region's review, oldest first."""
    return list(db.session.scalars(
        db.select(StaplesPost).where(StaplesPost.region_code == region_code, or_(
            StaplesPost.status == PostStatus.PENDING,
            (StaplesPost.status == PostStatus.PUBLISHED) & (StaplesPost.edit_status == PostStatus.PENDING)))
        .options(joinedload(StaplesPost.commodity), joinedload(StaplesPost.business)).order_by(StaplesPost.submitted_at)))


def region_deals_clause(region_code: str):
    return or_(Deal.seller_region_code == region_code, Deal.buyer_region_code == region_code)


def region_deals(region_code: str) -> list[Deal]:
    return list(db.session.scalars(db.select(Deal).where(region_deals_clause(region_code))
                                   .options(*_deal_options()).order_by(Deal.created_at.desc())))


def deal_in_region_or_404(moderator, deal_id: int) -> Deal:
    """A deal either of whose sides is in the moderator's region; a third region's moderator gets 404."""
    deal = db.session.scalar(db.select(Deal).where(Deal.id == deal_id, region_deals_clause(moderator.region_code)))
    if deal is None:
        abort(404)
    return deal


def delivery_in_region_or_404(moderator, delivery_id: int) -> Delivery:
    delivery = db.session.scalar(db.select(Delivery).join(Delivery.deal).where(
        Delivery.id == delivery_id, region_deals_clause(moderator.region_code)))
    if delivery is None:
        abort(404)
    return delivery


def region_deliveries(region_code: str) -> list[Delivery]:
    return list(db.session.scalars(db.select(Delivery).join(Delivery.deal).where(region_deals_clause(region_code))
                                   .options(joinedload(Delivery.deal).joinedload(Deal.commodity))
                                   .order_by(Delivery.delivered_on, Delivery.id)))


# --- reference prices ------------------------------------------------------------------------------------------------

def reference_bands(commodity_ids=None) -> dict[tuple[int, Level], ReferencePrice]:
    """The newest government reference (HAP) per commodity and level: (commodity, level) -> price. On one date, a
    band for any grade wins, otherwise the best grade's (jagung: moisture <= 15 %)."""
    stmt = db.select(ReferencePrice).where(ReferencePrice.is_reference).options(joinedload(ReferencePrice.grade))
    if commodity_ids is not None:
        stmt = stmt.where(ReferencePrice.commodity_id.in_(commodity_ids))

    def preference(price: ReferencePrice):
        return price.valid_on, price.grade is None, price.grade.rank if price.grade else 0

    bands: dict = {}
    for price in db.session.scalars(stmt):
        key = (price.commodity_id, price.level)
        if key not in bands or preference(price) > preference(bands[key]):
            bands[key] = price
    return bands


def prices_of(commodity_id: int, limit: int = 200) -> list[ReferencePrice]:
    return list(db.session.scalars(db.select(ReferencePrice).where(ReferencePrice.commodity_id == commodity_id)
                                   .options(joinedload(ReferencePrice.grade), joinedload(ReferencePrice.region))
                                   .order_by(ReferencePrice.valid_on.desc(), ReferencePrice.id.desc()).limit(limit)))


# --- the public board ------------------------------------------------------------------------------------------------

def cached(key: tuple, compute):
    """compute() from the cache under the board's generation, or computed and stored (see staples/generation.py).
    Only for what depends on posts, businesses, commodities and reference prices, which bump the generation."""
    return cached_or_computed(repr(("staples", generation(db.session), *key)), compute, "staples")


def board(on: date) -> dict:
    """Per commodity: volumes per month by kind and region, asking-price bands per base unit, and the newest open
    posts (public fields only). The figures come from the cache while nothing changed (one query for the generation),
    the posts shown in one query per relation."""
    figures = cached(("board", on.isoformat()), lambda: _board_figures(on))
    return {"volumes": figures["volumes"], "bands": figures["bands"], "newest": _posts_shown(figures["newest"])}


def _board_figures(on: date) -> dict:
    totals = db.session.execute(
        db.select(StaplesPost.commodity_id, StaplesPost.kind, StaplesPost.region_code,
                  func.sum(StaplesPost.monthly_base), func.count(), func.min(StaplesPost.price_min_base),
                  func.max(StaplesPost.price_max_base))
        .where(open_posts_clause(on))
        .group_by(StaplesPost.commodity_id, StaplesPost.kind, StaplesPost.region_code)).all()
    volumes: dict = {}
    bands: dict = {}
    for commodity_id, kind, region_code, monthly, count, low, high in totals:
        volumes.setdefault(commodity_id, {PostKind.OFFER: [], PostKind.NEED: []})[kind].append((region_code, monthly, count))
        if low is not None:
            old = bands.get((commodity_id, kind))
            bands[(commodity_id, kind)] = (min(low, old[0]), max(high, old[1])) if old else (low, high)
    # the newest ids first (walking the (status, published_at) index), then only those rows with what they show
    ids = list(db.session.scalars(db.select(StaplesPost.id).where(open_posts_clause(on))
                                  .order_by(StaplesPost.published_at.desc(), StaplesPost.id.desc()).limit(BOARD_POSTS)))
    return {"volumes": volumes, "bands": bands, "newest": ids}


def _posts_shown(ids: list[int]) -> list[StaplesPost]:
    """The posts with these ids, in this order, with what a public line shows (one query)."""
    loaded = {p.id: p for p in db.session.scalars(
        db.select(StaplesPost).where(StaplesPost.id.in_(ids))
        .options(joinedload(StaplesPost.commodity), joinedload(StaplesPost.grade),
                 joinedload(StaplesPost.business), joinedload(StaplesPost.region), joinedload(StaplesPost.member)))}
    return [loaded[i] for i in ids if i in loaded]


def commodity_posts(commodity_id: int, on: date, limit: int = BOARD_POSTS) -> tuple[list[StaplesPost], int]:
    """The newest open posts of a commodity (at most limit), and how many are open in all (cached like the board)."""
    def compute():
        clause = open_posts_clause(on) & (StaplesPost.commodity_id == commodity_id)
        ids = list(db.session.scalars(db.select(StaplesPost.id).where(clause)
                                      .order_by(StaplesPost.published_at.desc(), StaplesPost.id.desc()).limit(limit)))
        return ids, db.session.scalar(db.select(func.count()).select_from(StaplesPost).where(clause))

    ids, total = cached(("commodity posts", commodity_id, on.isoformat(), limit), compute)
    return _posts_shown(ids), total


def monthly_series(commodity_id: int, on: date) -> list[dict]:
    """monthly_series_uncached, from the cache while nothing changed."""
    return cached(("series", commodity_id), lambda: monthly_series_uncached(commodity_id, on))


def monthly_series_uncached(commodity_id: int, on: date) -> list[dict]:
    """Per month (of the posts' first day): mean asking price per base unit of offers and needs, volumes per month
    of published posts (expired ones included: it is history), and the reference band of that month. A month
    without figures is a gap (None), never filled in."""
    month = func.substr(func.cast(StaplesPost.starts_on, db.String), 1, 7)
    rows = db.session.execute(
        db.select(month, StaplesPost.kind, func.avg(StaplesPost.price_min_base), func.sum(StaplesPost.monthly_base))
        .where(StaplesPost.commodity_id == commodity_id, StaplesPost.status == PostStatus.PUBLISHED)
        .group_by(month, StaplesPost.kind).order_by(month)).all()
    series: dict = {}
    for key, kind, price, volume in rows:
        entry = series.setdefault(key, {"month": key, "offer_price": None, "need_price": None, "offer_volume": None,
                                        "need_volume": None})
        entry[f"{kind.value}_price"] = float(price) if price is not None else None
        entry[f"{kind.value}_volume"] = float(volume) if volume is not None else None
    return [series[key] for key in sorted(series)]
