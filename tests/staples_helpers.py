"""Factories shared by the staples tests: commodities by code, posts published by their region's moderator."""

from datetime import timedelta

from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.staples import posts
from marketplace.staples.models import Commodity, DeliveryTerms, Period, PostKind, Transport
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work


def commodity(code: str) -> Commodity:
    return db.session.scalar(db.select(Commodity).where(Commodity.code == code))


def content(code="jagung-pipilan-kering", *, quantity=20, unit="ton", period=Period.MONTH, min_lot=None, grade=None,
            starts=0, days=180, price_min=None, price_max=None, negotiable=False) -> dict:
    c = commodity(code)
    return {
        "commodity_id": c.id, "grade_id": next((g.id for g in c.grades if g.code == grade), None) if grade else None,
        "unit_code": unit, "quantity": quantity, "period": period, "min_lot": min_lot,
        "starts_on": today() + timedelta(days=starts), "ends_on": today() + timedelta(days=starts + days),
        "price_min": price_min, "price_max": price_max, "negotiable": negotiable,
        "delivery_terms": DeliveryTerms.FRANCO, "transport_by": Transport.SELLER, "notes": "",
    }


def published(make_user, business, kind: PostKind, **fields):
    """A post of business, approved by a moderator of its region."""
    moderator = db.session.scalar(db.select(type(business.owner)).where(
        type(business.owner).role == Role.MODERATOR, type(business.owner).region_code == business.region_code))
    moderator = moderator or make_user(role=Role.MODERATOR, region=business.region_code)
    with unit_of_work():
        post = posts.create_post(business, kind, content(**fields))
        posts.review_post(moderator, post, "approve")
    return post
