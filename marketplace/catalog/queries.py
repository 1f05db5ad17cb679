"""Read-side selects for categories and public products."""

from flask import abort
from flask_login import current_user
from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from marketplace.businesses.models import Business
from marketplace.catalog.models import Category, Product
from marketplace.extensions import db


def top_categories() -> list[Category]:
    """Top-level categories with their children loaded in one extra query."""
    stmt = (
        db.select(Category)
        .where(Category.parent_id.is_(None))
        .options(selectinload(Category.children))
        .order_by(Category.position, Category.slug)
    )
    return list(db.session.scalars(stmt))


def public_products() -> Select:
    """Products buyers may see: published, of a verified (not suspended) business (kept by catalog/visibility.py)."""
    return db.select(Product).where(Product.public.is_(True))


def newest_products(limit: int = 8) -> list[Product]:
    """The newest public products with what a product card shows, in a fixed number of queries."""
    stmt = (
        public_products()
        .options(selectinload(Product.photos), selectinload(Product.business).selectinload(Business.region))
        .order_by(Product.published_at.desc(), Product.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def owned_product_or_404(product_id: int) -> Product:
    """The current owner's product with this id; anyone else's (or none) is a 404, never a 403 that confirms it exists."""
    product = db.session.scalar(
        db.select(Product)
        .join(Product.business)
        .where(Product.id == product_id, Business.owner_id == current_user.id)
        .options(selectinload(Product.photos), selectinload(Product.revision))
    )
    if product is None:
        abort(404)
    return product


def owned_products() -> list[Product]:
    """All products of the current owner's businesses, newest first, with what the list shows."""
    stmt = (
        db.select(Product)
        .join(Product.business)
        .where(Business.owner_id == current_user.id)
        .options(selectinload(Product.photos), selectinload(Product.revision), selectinload(Product.business))
        .order_by(Product.updated_at.desc(), Product.id.desc())
    )
    return list(db.session.scalars(stmt))
