"""/api/v1/staples: the commodities (reference data with the current government reference prices) and the open
posts of the board, with the fields the public board shows: never a contact, a member producer only as consented."""

from flask import url_for
from sqlalchemy.orm import joinedload, selectinload

from marketplace.api.schemas.common import PageArgs
from marketplace.api.schemas.staples import CommodityPageSchema, PostArgs, PostPageSchema
from marketplace.api.views.base import bp, endpoint, page_of
from marketplace.businesses.models import Business
from marketplace.cooperatives.models import CooperativeMember
from marketplace.cooperatives.queries import member_attribution
from marketplace.extensions import db
from marketplace.staples.models import Commodity, PostKind, StaplesPost
from marketplace.staples.queries import open_posts_clause, reference_bands
from marketplace.timeutil import today


@endpoint("/staples/commodities", CommodityPageSchema)
@bp.arguments(PageArgs, location="query")
def commodities(args: dict):
    """The commodities of the staples board with their units, grades and current reference prices (HAP)."""
    stmt = db.select(Commodity).options(selectinload(Commodity.units), selectinload(Commodity.grades)) \
        .order_by(Commodity.name_id, Commodity.id)
    page = page_of(stmt, args)
    bands = reference_bands([c.id for c in page["items"]])
    page["items"] = [_commodity_json(c, bands) for c in page["items"]]
    return page


def _commodity_json(commodity: Commodity, bands: dict) -> dict:
    prices = [{"level": level.value, "price_min": price.price_min, "price_max": price.price_max,
               "grade": price.grade.code if price.grade else None, "valid_on": price.valid_on, "source": price.source}
              for (commodity_id, level), price in sorted(bands.items(), key=lambda kv: kv[0][1].value)
              if commodity_id == commodity.id]
    return {"code": commodity.code, "name_id": commodity.name_id, "name_en": commodity.name_en,
            "base_unit": commodity.base_unit, "units": [{"code": u.code, "factor": u.factor} for u in commodity.units],
            "grades": [{"code": g.code, "name_id": g.name_id, "name_en": g.name_en, "rank": g.rank} for g in commodity.grades],
            "reference_prices": prices,
            "url": url_for("staples.commodity", commodity_code=commodity.code, _external=True)}


@endpoint("/staples/posts", PostPageSchema)
@bp.arguments(PostArgs, location="query")
def posts(args: dict):
    """Open offers and needs (published, not expired, the business verified), newest first."""
    stmt = db.select(StaplesPost).where(open_posts_clause(today())).options(
        joinedload(StaplesPost.commodity), joinedload(StaplesPost.grade), joinedload(StaplesPost.business)) \
        .order_by(StaplesPost.published_at.desc(), StaplesPost.id.desc())
    if args.get("commodity"):
        stmt = stmt.where(StaplesPost.commodity.has(Commodity.code == args["commodity"]))
    if args.get("kind"):
        stmt = stmt.where(StaplesPost.kind == PostKind(args["kind"]))
    if args.get("region"):
        stmt = stmt.where(StaplesPost.region_code == args["region"])
    page = page_of(stmt, args)
    member_ids = {post.member_id for post in page["items"] if post.member_id}
    members = {m.id: m for m in db.session.scalars(db.select(CooperativeMember).where(
        CooperativeMember.id.in_(member_ids)))} if member_ids else {}
    page["items"] = [_post_json(post, members) for post in page["items"]]
    return page


def _produced_by(post: StaplesPost, members: dict) -> dict | None:
    member = members.get(post.member_id)
    if member is None or member.business_id != post.business_id or not post.business.is_cooperative:
        return None
    who = member_attribution(member)
    return None if who is None else {"name": who.name, "desa": who.desa, "kecamatan": who.kecamatan}


def _post_json(post: StaplesPost, members: dict) -> dict:
    business: Business = post.business
    return {"id": post.id, "kind": post.kind.value, "commodity": post.commodity.code,
            "grade": post.grade.code if post.grade else None, "quantity": post.quantity, "unit": post.unit_code,
            "period": post.period.value, "min_lot": post.min_lot, "monthly_base": post.monthly_base,
            "starts_on": post.starts_on, "ends_on": post.ends_on, "price_min": post.price_min,
            "price_max": post.price_max, "negotiable": post.negotiable, "delivery_terms": post.delivery_terms.value,
            "transport_by": post.transport_by.value, "region_code": post.region_code,
            "business": {"name": business.name, "slug": business.slug}, "produced_by": _produced_by(post, members),
            "published_at": post.published_at}
