"""Read side of assisted onboarding, scoped to the acting officer: an officer reaches only the owners they onboarded,
in their region, that have not claimed their account (anything else is a 404); outcomes per officer for the region's
moderators; the "assisted by" marks moderators see."""

from dataclasses import dataclass

from flask import abort
from sqlalchemy import and_, func
from sqlalchemy.orm import joinedload, selectinload

from marketplace.accounts.models import Role, User
from marketplace.businesses.models import Business
from marketplace.catalog.models import Product, ProductStatus
from marketplace.extensions import db
from marketplace.fieldofficers.models import AssistedOwner
from marketplace.inquiries.models import Inquiry


def _open_for(officer: User):
    """The officer's onboardings that are still theirs to act on: their own, in their region, not claimed, and the
    account still without a password of the owner's choosing (a password set another way ends it too)."""
    return (AssistedOwner.officer_id == officer.id, AssistedOwner.region_code == officer.region_code,
            AssistedOwner.claimed_at.is_(None), User.password_hash.startswith("!"))


def open_owners(officer: User) -> list[AssistedOwner]:
    """The owners the officer onboarded and who have not claimed their account, newest first."""
    stmt = (db.select(AssistedOwner).join(User, User.id == AssistedOwner.owner_id).where(*_open_for(officer))
            .options(joinedload(AssistedOwner.owner)).order_by(AssistedOwner.created_at.desc(), AssistedOwner.id.desc()))
    return list(db.session.scalars(stmt))


def assisted_owner_or_404(officer: User, assisted_id: int) -> AssistedOwner:
    assisted = db.session.scalar(db.select(AssistedOwner).join(User, User.id == AssistedOwner.owner_id)
                                 .where(AssistedOwner.id == assisted_id, *_open_for(officer)))
    if assisted is None:
        abort(404)
    return assisted


def assisted_business_or_404(officer: User, business_id: int) -> tuple[Business, AssistedOwner]:
    """A business of an owner the officer onboarded, in the officer's region, not claimed; else 404."""
    row = db.session.execute(
        db.select(Business, AssistedOwner).join(AssistedOwner, AssistedOwner.owner_id == Business.owner_id)
        .join(User, User.id == AssistedOwner.owner_id)
        .where(Business.id == business_id, Business.region_code == officer.region_code, *_open_for(officer))
    ).first()
    if row is None:
        abort(404)
    return row[0], row[1]


def assisted_product_or_404(officer: User, product_id: int) -> tuple[Product, AssistedOwner]:
    """A product of such a business; else 404."""
    product = db.session.get(Product, product_id)
    if product is None:
        abort(404)
    business, assisted = assisted_business_or_404(officer, product.business_id)
    return product, assisted


def businesses_of(owner_ids) -> dict[int, list[Business]]:
    """owner id -> their businesses with their products (oldest first)."""
    ids = list(owner_ids)
    result: dict[int, list[Business]] = {owner_id: [] for owner_id in ids}
    if ids:
        stmt = (db.select(Business).where(Business.owner_id.in_(ids)).order_by(Business.created_at, Business.id)
                .options(selectinload(Business.region)))
        for business in db.session.scalars(stmt):
            result[business.owner_id].append(business)
    return result


def products_of(business_id: int) -> list[Product]:
    return list(db.session.scalars(db.select(Product).where(Product.business_id == business_id)
                                   .options(selectinload(Product.photos)).order_by(Product.created_at, Product.id)))


@dataclass(frozen=True)
class Outcome:
    officer_id: int
    name: str
    email: str
    owners: int
    claimed: int
    businesses: int
    published: int
    first_inquiries: int  # businesses that have received at least one inquiry


def outcomes(region_code: str, officer_id: int | None = None) -> list[Outcome]:
    """Per field officer of the region (every one, even with nothing yet): owners onboarded and claimed, businesses
    onboarded, products published, businesses that received a first inquiry. One grouped query per figure, joined."""
    def per_officer(*columns):
        return db.select(AssistedOwner.officer_id.label("officer_id"), *columns) \
            .where(AssistedOwner.region_code == region_code).group_by(AssistedOwner.officer_id)

    owners = per_officer(func.count(AssistedOwner.id).label("owners"),
                         func.count(AssistedOwner.claimed_at).label("claimed")).subquery()
    onboarded = per_officer(func.count(Business.id).label("businesses")) \
        .join(Business, Business.owner_id == AssistedOwner.owner_id).subquery()
    published = per_officer(func.count(Product.id).label("published")) \
        .join(Business, Business.owner_id == AssistedOwner.owner_id) \
        .join(Product, and_(Product.business_id == Business.id, Product.status == ProductStatus.PUBLISHED)).subquery()
    inquired = per_officer(func.count(func.distinct(Inquiry.business_id)).label("first_inquiries")) \
        .join(Business, Business.owner_id == AssistedOwner.owner_id) \
        .join(Inquiry, Inquiry.business_id == Business.id).subquery()
    stmt = (db.select(User.id, User.name, User.email, func.coalesce(owners.c.owners, 0), func.coalesce(owners.c.claimed, 0),
                      func.coalesce(onboarded.c.businesses, 0), func.coalesce(published.c.published, 0),
                      func.coalesce(inquired.c.first_inquiries, 0))
            .outerjoin(owners, owners.c.officer_id == User.id).outerjoin(onboarded, onboarded.c.officer_id == User.id)
            .outerjoin(published, published.c.officer_id == User.id).outerjoin(inquired, inquired.c.officer_id == User.id)
            .where(User.role == Role.FIELD_OFFICER, User.region_code == region_code)
            .order_by(User.name, User.id))
    if officer_id is not None:
        stmt = stmt.where(User.id == officer_id)
    return [Outcome(*row) for row in db.session.execute(stmt)]


def assisted_marks(owner_ids) -> dict[int, str]:
    """owner id -> the name of the field officer who onboarded that owner, for the owners among owner_ids."""
    ids = {owner_id for owner_id in owner_ids if owner_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(db.select(AssistedOwner.owner_id, AssistedOwner.officer_name)
                                   .where(AssistedOwner.owner_id.in_(ids))).all())
