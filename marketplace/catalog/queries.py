"""Read-side selects for categories and products, and what the product page shows beside the product."""

from collections.abc import Callable
from datetime import date
from functools import partial

from flask import abort, current_app, get_template_attribute, render_template
from flask_babel import get_locale
from jinja2.filters import do_truncate
from markupsafe import Markup
from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from marketplace.businesses.models import Business
from marketplace.catalog.attributes.definitions import product_rows
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


def public_product_only_or_404(product_id: int) -> Product:
    """The public product with this id alone (its page's parts, cached, load the rest when they are rendered); a 404
    for any other."""
    product = db.session.scalar(public_products().where(Product.id == product_id))
    if product is None:
        abort(404)
    return product


def product_page(product: Product, on: date, more: Callable[[], dict[str, str]] | None = None) -> dict:
    """The product page's parts that every reader of a language sees alike (`parts`: its title, description, head
    with the structured data, crumbs, gallery, first lines with the badges, facts and seller card, and the related
    products from partner regions), rendered from catalog/_product_parts.html and catalog/_related.html.

    They are rendered once per catalogue generation, day and language (catalog/page_cache.py): everything they show
    is under the generation (products, businesses with their holiday mode, categories, photos, certificates,
    attributes, regions, agreements (the partner regions) and cooperative members (the consent to be named)), and
    the day decides the badges still valid, the holiday notice and the partner regions. A repeated view costs two
    queries here (the product, the generation) whatever the catalogue holds. The views add what is the reader's
    own: the favourites button and the inquiry form's CSRF token (and a signed-in reader's form, prefilled). `more`
    renders parts of features above the catalogue into the same entry (inquiries/product_page.py: the live
    showcases showing the product, the inquiry form's fields as a new reader gets them); whatever they show must be
    under the generation too (catalog/visibility.py `watch`)."""
    locale = str(get_locale() or "id")

    def render_parts() -> dict:
        macro = partial(get_template_attribute, "catalog/_product_parts.html")
        loaded = db.session.scalar(public_products().where(Product.id == product.id).options(
            selectinload(Product.photos), selectinload(Product.member),
            selectinload(Product.business).selectinload(Business.region),
            selectinload(Product.category).selectinload(Category.parent)))
        assert loaded is product  # the same row, now with what the parts show
        return {
            "title": f"{product.name} · {product.business.name}",
            "description": do_truncate(current_app.jinja_env, product.description, 155),
            "head": str(macro("head")(product)), "crumbs": str(macro("crumbs")(product)),
            "gallery": str(macro("gallery")(product)),
            "top": str(macro("top")(product, badges(on, business_id=product.business_id, product_id=product.id))),
            "details": str(macro("details")(product, product_rows(product, locale))),
            "related": render_template("catalog/_related.html", product=product, related=related_products(product, on)),
            **(more() if more else {}),
        }

    part = cached_part(("product", product.id, on.isoformat(), locale), render_parts)
    markup = {name: Markup(html) for name, html in part.items() if name not in ("title", "description")}  # noqa: S704 (our templates)
    return {"parts": {**markup, "title": part["title"], "description": part["description"]}}
