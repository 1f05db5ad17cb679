"""Read-side selects for businesses, scoped to the user given (views pass current_user.user)."""

from flask import abort
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.businesses.models import Business
from marketplace.extensions import db


def owned_business_or_404(owner: User, business_id: int) -> Business:
    """owner's business with this id; anyone else's (or none) is a 404."""
    business = db.session.scalar(
        db.select(Business).where(Business.id == business_id, Business.owner_id == owner.id)
    )
    if business is None:
        abort(404)
    return business


def owned_businesses(owner: User) -> list[Business]:
    """owner's businesses, oldest first, with their regions."""
    stmt = (
        db.select(Business)
        .where(Business.owner_id == owner.id)
        .options(selectinload(Business.region), selectinload(Business.revision))
        .order_by(Business.created_at)
    )
    return list(db.session.scalars(stmt))
