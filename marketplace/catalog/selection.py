"""Which public products a catalogue filter selects: the search match, region, category with its subcategories,
certificate badge, price range and attribute options, as one statement that browse.py pages, orders and counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import union_all
from sqlalchemy.orm import aliased

from marketplace.catalog.attributes.models import CategoryAttribute, ProductAttributeValue
from marketplace.catalog.filters import Filters
from marketplace.catalog.models import Category, Product
from marketplace.catalog.queries import public_products
from marketplace.certifications.models import Certification, CertType
from marketplace.certifications.queries import badge_worthy
from marketplace.extensions import db


def badged_products(on: date, cert_type: str | CertType | None = None):
    """(cert_type, product_id) of every product showing a badge (certifications.queries.badge_worthy): of the
    product itself or of its business. Read from the few certificates outward, never by testing every product."""
    valid = [badge_worthy(on)]
    if cert_type:
        valid.append(Certification.cert_type == CertType(cert_type))
    own = db.select(Certification.cert_type, Certification.product_id.label("product_id")).where(
        Certification.product_id.is_not(None), *valid)
    of_business = (
        db.select(Certification.cert_type, Product.id.label("product_id"))
        .join(Product, Product.business_id == Certification.business_id)
        .where(Certification.product_id.is_(None), *valid)
    )
    return union_all(own, of_business).subquery()


def category_ids(slug: str) -> list[int]:
    """The category with this slug and its subcategories (empty when there is no such category)."""
    category = db.session.scalar(db.select(Category).where(Category.slug == slug))
    if category is None:
        return []
    return [category.id] + list(db.session.scalars(db.select(Category.id).where(Category.parent_id == category.id)))


def has_option(attribute_id: int, option_id: int):
    """The product has this option: read from the values' index (a list of ids), not tested product by product."""
    value = aliased(ProductAttributeValue)  # the facets' grid joins the table itself
    return Product.id.in_(db.select(value.product_id).where(value.attribute_id == attribute_id,
                                                             value.option_id == option_id))


def resolve_attrs(filters: Filters, attributes: list[CategoryAttribute]) -> Filters:
    """Keep the attribute facets that name a choice attribute of the category and one of its options, with their ids."""
    by_code = {a.code: a for a in attributes}
    kept, ids = [], []
    for code, value in filters.attrs:
        option = next((o for o in by_code[code].options if o.code == value), None) if code in by_code else None
        if option is not None:
            kept.append((code, value))
            ids.append((by_code[code].id, option.id))
    return replace(filters, attrs=tuple(kept), attr_ids=tuple(ids))

def search_match(q: str, ranked: bool = True):
    """The search index's matches of q (ranked or not) as a subquery, or None without a query."""
    if not q:
        return None
    from marketplace.catalog import search

    return search.match(q, ranked=ranked)


def filtered(filters: Filters, on: date, match, skip: str = "", categories: list[int] | None = None):
    """The public products the filters select (skip: one filter left out, for its own facet's counts)."""
    stmt = public_products()
    if match is not None:
        stmt = stmt.join(match, match.c.product_id == Product.id)
    if filters.region and skip != "region":
        stmt = stmt.where(Product.region_code == filters.region)
    if filters.category and skip != "category":
        stmt = stmt.where(Product.category_id.in_(categories or [-1]))
    if filters.cert and skip != "cert":
        stmt = stmt.where(Product.id.in_(db.select(badged_products(on, filters.cert).c.product_id)))
    if filters.min_price is not None:
        stmt = stmt.where(Product.price_min >= filters.min_price)
    if filters.max_price is not None:
        stmt = stmt.where(Product.price_min <= filters.max_price)
    if skip != "attrs":
        for attribute_id, option_id in filters.attr_ids:
            stmt = stmt.where(has_option(attribute_id, option_id))
    return stmt
