"""A user's saved products and businesses, with what the list shows loaded in a fixed number of queries."""

from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.businesses.models import Business
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.favourites.models import SavedBusiness, SavedProduct


def saved_products(user: User) -> list[SavedProduct]:
    return list(db.session.scalars(
        db.select(SavedProduct).where(SavedProduct.user_id == user.id)
        .options(selectinload(SavedProduct.product).selectinload(Product.photos),
                 selectinload(SavedProduct.product).selectinload(Product.business).selectinload(Business.region))
        .order_by(SavedProduct.saved_at.desc(), SavedProduct.product_id.desc())
    ))


def saved_businesses(user: User) -> list[SavedBusiness]:
    return list(db.session.scalars(
        db.select(SavedBusiness).where(SavedBusiness.user_id == user.id)
        .options(selectinload(SavedBusiness.business).selectinload(Business.region))
        .order_by(SavedBusiness.saved_at.desc(), SavedBusiness.business_id.desc())
    ))


def has_saved_product(user_id: int, product_id: int) -> bool:
    return db.session.get(SavedProduct, (user_id, product_id)) is not None


def has_saved_business(user_id: int, business_id: int) -> bool:
    return db.session.get(SavedBusiness, (user_id, business_id)) is not None
