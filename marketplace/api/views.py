"""/api/v1: the same public products, businesses, regions and categories as the pages, as JSON."""

from flask import Blueprint, abort, jsonify, request, url_for
from sqlalchemy.orm import selectinload

from marketplace.businesses.models import Business, Verification
from marketplace.catalog.browse import PAGE_SIZE, Filters, browse
from marketplace.catalog.models import Category, Product
from marketplace.catalog.queries import public_products
from marketplace.cooperatives.queries import member_attribution
from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.regions.queries import partner_regions
from marketplace.timeutil import today

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def product_json(product: Product) -> dict:
    cover = product.cover
    return {
        "id": product.id, "name": product.name, "slug": product.slug,
        "url": url_for("catalog.product", product_id=product.id, slug=product.slug, _external=True),
        "price_min": product.price_min, "price_max": product.price_max, "currency": "IDR", "unit": product.unit,
        "min_order": product.min_order, "availability": product.availability.value, "category_id": product.category_id,
        "region_code": product.region_code, "business": {"name": product.business.name, "slug": product.business.slug},
        "image": url_for("media.file", name=cover.filename(cover.rendition_widths[0], "jpg"), _external=True) if cover else None,
        "published_at": product.published_at.isoformat() if product.published_at else None,
    }


@bp.route("/products")
def products():
    """The catalogue as JSON: the same query arguments and facets as /products."""
    result = browse(Filters.from_args(request.args), today())
    return jsonify({
        "items": [product_json(p) for p in result.items], "total": result.total, "page": result.filters.page,
        "pages": result.pages, "page_size": PAGE_SIZE, "facets": result.facets,
    })


@bp.route("/products/<int:product_id>")
def product(product_id: int):
    item = db.session.scalar(public_products().where(Product.id == product_id).options(
        selectinload(Product.photos), selectinload(Product.business)))
    if item is None:
        abort(404)
    return jsonify({**product_json(item), "description": item.description, "attributes": item.attributes,
                    "produced_by": _produced_by(item)})


def _produced_by(item: Product) -> dict | None:
    """The cooperative's member who produced it, as far as their consent allows (no name unless it covers it)."""
    who = member_attribution(item.member) if item.business.is_cooperative else None
    return None if who is None else {"name": who.name, "desa": who.desa, "kecamatan": who.kecamatan}


@bp.route("/businesses/<slug>")
def business(slug: str):
    item = db.first_or_404(db.select(Business).where(Business.slug == slug, Business.verification == Verification.VERIFIED))
    return jsonify({"name": item.name, "slug": item.slug, "region_code": item.region_code, "size_class": item.size_class.value,
                    "description": item.description, "kind": item.kind.value,
                    "cooperative_kind": item.cooperative_kind.value if item.cooperative_kind else None,
                    "url": url_for("businesses.public", slug=item.slug, _external=True)})


@bp.route("/regions")
def regions():
    partners = {r.code for r in partner_regions(today())}
    return jsonify([{"code": r.code, "name": r.full_name, "kind": r.kind.value, "partner": r.code in partners}
                    for r in db.session.scalars(db.select(Region).order_by(Region.code))])


@bp.route("/categories")
def categories():
    return jsonify([{"id": c.id, "slug": c.slug, "name_id": c.name_id, "name_en": c.name_en, "parent_id": c.parent_id}
                    for c in db.session.scalars(db.select(Category).order_by(Category.parent_id, Category.position))])


@bp.route("/openapi.json")
def openapi():
    return jsonify(OPENAPI)


def _get(summary: str, parameters: list | None = None) -> dict:
    return {"get": {"summary": summary, "parameters": parameters or [],
                    "responses": {"200": {"description": "OK", "content": {"application/json": {}}},
                                  "404": {"description": "Not found (or not public)"}}}}


def _query(name: str, kind: str = "string", description: str = "") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": {"type": kind}, "description": description}


def _path(name: str, kind: str = "string") -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "Etalase UMKM public API", "version": "1.0.0",
             "description": "Read-only: only published products of verified businesses are ever returned."},
    "paths": {
        "/api/v1/products": _get("Public products, filtered and paged like /products", [
            _query("q", description="search words (Indonesian stemming, typo-tolerant)"),
            _query("region", description="Kemendagri code, e.g. 35.74"),
            _query("category", description="category slug; includes its subcategories"),
            _query("cert", description="sni, halal, industri_hijau, pirt, bpom or merek"),
            _query("min_price", "integer"), _query("max_price", "integer"),
            _query("sort", description="relevance, newest, price_asc or price_desc"), _query("page", "integer")]),
        "/api/v1/products/{product_id}": _get("One public product", [_path("product_id", "integer")]),
        "/api/v1/businesses/{slug}": _get("One verified business", [_path("slug")]),
        "/api/v1/regions": _get("The 38 regions of Jawa Timur and whether each is a partner today"),
        "/api/v1/categories": _get("The category tree"),
    },
}
