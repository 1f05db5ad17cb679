"""Read-side selects for businesses, scoped to who may see them."""

from flask import abort
from flask_login import current_user
from sqlalchemy.orm import selectinload

from marketplace.businesses.models import Business
from marketplace.extensions import db


def owned_business_or_404(business_id: int) -> Business:
    """The current owner's business with this id; anyone else's (or none) is a 404."""
    business = db.session.scalar(
        db.select(Business).where(Business.id == business_id, Business.owner_id == current_user.id)
    )
    if business is None:
        abort(404)
    return business


def owned_businesses() -> list[Business]:
    stmt = (
        db.select(Business)
        .where(Business.owner_id == current_user.id)
        .options(selectinload(Business.region))
        .order_by(Business.created_at)
    )
    return list(db.session.scalars(stmt))
