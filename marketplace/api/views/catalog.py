"""/api/v1: the same public products, businesses, regions and categories as the pages."""

from dataclasses import replace

from flask import abort, url_for
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from marketplace.api.schemas.catalog import (
    BusinessSchema,
    CategorySchema,
    ProductArgs,
    ProductDetailSchema,
    ProductPageSchema,
    RegionSchema,
)
from marketplace.api.schemas.common import page_count
from marketplace.api.views.base import bp, endpoint
from marketplace.businesses.models import Business, Verification
from marketplace.catalog.browse import Filters, browse
from marketplace.catalog.models import Category, Product
from marketplace.catalog.queries import public_products
from marketplace.cooperatives.queries import member_attribution
from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.regions.queries import partner_regions
from marketplace.timeutil import today


def product_json(product: Product) -> dict:
    """A product as ProductSchema reads it (links built here: the schema only serialises)."""
    cover = product.cover
    return {
        "id": product.id, "name": product.name, "slug": product.slug,
        "url": url_for("catalog.product", product_id=product.id, slug=product.slug, _external=True),
        "price_min": product.price_min, "price_max": product.price_max, "currency": "IDR", "unit": product.unit,
        "min_order": product.min_order, "availability": product.availability.value, "category_id": product.category_id,
        "region_code": product.region_code, "business": product.business,
        "image": url_for("media.file", name=cover.filename(cover.rendition_widths[0], "jpg"), _external=True) if cover else None,
        "published_at": product.published_at,
    }


@endpoint("/products", ProductPageSchema)
@bp.arguments(ProductArgs, location="query", as_kwargs=True)
def products(page: int, per_page: int, **args):
    """Public products, filtered and paged like /products, with the catalogue's facets."""
    filters = Filters.from_args(MultiDict({name: str(value) for name, value in args.items()}))
    result = browse(replace(filters, page=page), today(), per_page=per_page)
    return {"items": [product_json(p) for p in result.items], "total": result.total, "page": page,
            "pages": page_count(result.total, per_page), "page_size": per_page,
            "facets": {"region": {}, "category": {}, "cert": {}, **result.facets}}  # none when q has no searchable word


@endpoint("/products/<int:product_id>", ProductDetailSchema, not_found=True)
def product(product_id: int):
    """One public product."""
    item = db.session.scalar(public_products().where(Product.id == product_id).options(
        selectinload(Product.photos), selectinload(Product.business)))
    if item is None:
        abort(404)
    return {**product_json(item), "description": item.description, "attributes": item.attributes,
            "produced_by": _produced_by(item)}


def _produced_by(item: Product) -> dict | None:
    """The cooperative's member who produced it, as far as their consent allows (no name unless it covers it)."""
    who = member_attribution(item.member) if item.business.is_cooperative else None
    return None if who is None else {"name": who.name, "desa": who.desa, "kecamatan": who.kecamatan}


@endpoint("/businesses/<slug>", BusinessSchema, not_found=True)
def business(slug: str):
    """One verified business."""
    item = db.first_or_404(db.select(Business).where(Business.slug == slug, Business.verification == Verification.VERIFIED))
    return {"name": item.name, "slug": item.slug, "region_code": item.region_code, "size_class": item.size_class.value,
            "description": item.description, "kind": item.kind.value,
            "cooperative_kind": item.cooperative_kind.value if item.cooperative_kind else None,
            "url": url_for("businesses.public", slug=item.slug, _external=True)}


@endpoint("/regions", RegionSchema(many=True))
def regions():
    """The 38 regions of Jawa Timur and whether each is a partner today."""
    partners = {r.code for r in partner_regions(today())}
    return [{"code": r.code, "name": r.full_name, "kind": r.kind.value, "partner": r.code in partners}
            for r in db.session.scalars(db.select(Region).order_by(Region.code))]


@endpoint("/categories", CategorySchema(many=True))
def categories():
    """The category tree, parents first."""
    return db.session.scalars(db.select(Category).order_by(Category.parent_id, Category.position)).all()
