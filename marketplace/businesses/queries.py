"""Read-side selects for businesses, scoped to the user given (views pass current_user.user)."""

from flask import abort
from sqlalchemy import func, or_
from sqlalchemy.orm import joinedload, selectinload

from marketplace.accounts.models import User
from marketplace.businesses.models import Business, Verification
from marketplace.extensions import db
from marketplace.paging import PER_PAGE, Page, clamp_page, total_column


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


def business_page(*, q: str = "", region_code: str | None = None, verification: Verification | None = None,
                  page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Every business (the admin's list), newest first, matching q (in the name, any case, or the NIB), region and
    verification state; with owner and region. One query."""
    page = clamp_page(page)
    stmt = db.select(Business, total_column()).options(joinedload(Business.owner), joinedload(Business.region))
    if q := " ".join(q.split()):
        stmt = stmt.where(or_(func.lower(Business.name).contains(q.lower(), autoescape=True),
                              Business.nib.contains(q.replace(" ", ""), autoescape=True)))
    if region_code:
        stmt = stmt.where(Business.region_code == region_code)
    if verification is not None:
        stmt = stmt.where(Business.verification == verification)
    stmt = stmt.order_by(Business.created_at.desc(), Business.id.desc()).limit(per_page).offset((page - 1) * per_page)
    rows = db.session.execute(stmt).all()
    return Page(number=page, per_page=per_page, items=[business for business, _ in rows],
                total=rows[0].total if rows else 0)
