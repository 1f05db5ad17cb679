"""Read-side selects for categories and products, and what the product page shows beside the product."""

from datetime import date

from flask import abort, render_template
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from marketplace.businesses.models import Business
from marketplace.catalog.attributes.definitions import product_rows
from marketplace.catalog.fields import FIELD_LABELS
from marketplace.catalog.models import Category, Product
from marketplace.catalog.page_cache import cached_part
from marketplace.certifications.queries import badges
from marketplace.extensions import db
from marketplace.regions.queries import partner_regions


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


def public_product_or_404(product_id: int) -> Product:
    """The public product with this id, with what its page shows; a 404 for any other."""
    product = db.session.scalar(
        public_products().where(Product.id == product_id).options(
            selectinload(Product.photos), selectinload(Product.business).selectinload(Business.region),
            selectinload(Product.category).selectinload(Category.parent),
        )
    )
    if product is None:
        abort(404)
    return product


def owned_product_or_404(user, product_id: int) -> Product:
    """user's product with this id; anyone else's (or none) is a 404, never a 403 that confirms it exists."""
    product = db.session.scalar(
        db.select(Product)
        .join(Product.business)
        .where(Product.id == product_id, Business.owner_id == user.id)
        .options(selectinload(Product.photos), selectinload(Product.revision))
    )
    if product is None:
        abort(404)
    return product


def owned_products(user) -> list[Product]:
    """All products of user's businesses, newest first, with what the list shows."""
    stmt = (
        db.select(Product)
        .join(Product.business)
        .where(Business.owner_id == user.id)
        .options(selectinload(Product.photos), selectinload(Product.revision), selectinload(Product.business))
        .order_by(Product.updated_at.desc(), Product.id.desc())
    )
    return list(db.session.scalars(stmt))


def related_products(product: Product, on: date, limit: int = 4) -> list[Product]:
    """Public products of the same category from partner regions, newest first."""
    partners = [r.code for r in partner_regions(on)]
    stmt = (
        public_products()
        .where(Product.category_id == product.category_id, Product.id != product.id, Product.region_code.in_(partners))
        .options(selectinload(Product.photos), selectinload(Product.business).selectinload(Business.region))
        .order_by(Product.published_at.desc(), Product.id.desc()).limit(limit)
    )
    return list(db.session.scalars(stmt))


def product_page(product: Product, on: date) -> dict:
    """The product page's context beside the product: its badges, related products and the field labels (its
    structured data comes from the `json_ld` template global, catalog/views/structured_data.py).

    The views add the live showcases showing it (showcases sit above catalog in the layers) and the inquiry form.
    The related products' section is the same for every reader of a language: rendered once per catalogue generation
    (which agreements bump too, since they make the partner regions), day and language (catalog/page_cache.py)."""
    locale = str(get_locale() or "id")

    def related_section() -> dict:
        return {"html": render_template("catalog/_related.html", product=product, related=related_products(product, on))}

    return {
        "badges": badges(on, business_id=product.business_id, product_id=product.id),
        "related_html": Markup(cached_part(("related", product.id, on.isoformat(), locale),  # noqa: S704 (our template)
                                           related_section)["html"]),
        "field_labels": FIELD_LABELS, "attribute_rows": product_rows(product, locale),
    }
