"""The buyer's side of the catalogue: the product list with search and filters, and the product page."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from marketplace.businesses.models import Business
from marketplace.catalog.browse import Filters, browse, loosen
from marketplace.catalog.models import Availability, Category, Product
from marketplace.catalog.queries import public_products, top_categories
from marketplace.catalog.views import bp
from marketplace.certifications.forms import TYPE_LABELS
from marketplace.certifications.models import Certification, CertStatus
from marketplace.extensions import db
from marketplace.inquiries.forms import InquiryForm
from marketplace.regions.models import Region
from marketplace.regions.queries import partner_regions
from marketplace.showcases.queries import live_showcases_with
from marketplace.timeutil import today

FILTER_LABELS = {
    "q": _l("the search words"), "region": _l("the region"), "category": _l("the category"),
    "cert": _l("the certificate"), "min_price": _l("the lowest price"), "max_price": _l("the highest price"),
}
AVAILABILITY_LABELS = {
    Availability.READY.value: _l("Ready stock"), Availability.PRE_ORDER.value: _l("Made to order (pre-order)"),
    Availability.OUT_OF_STOCK.value: _l("Out of stock"),
}


@bp.app_context_processor
def inject_public_labels():
    return {"availability_labels": AVAILABILITY_LABELS, "filter_labels": FILTER_LABELS}


def json_ld(product: Product, url: str, cover) -> dict:
    """schema.org Product with an Offer in IDR, for search engines (rendered with |tojson, so it is escaped)."""
    data = {
        "@context": "https://schema.org", "@type": "Product", "name": product.name, "url": url,
        "description": product.description[:500], "category": product.category.name_id,
        "brand": {"@type": "Brand", "name": product.business.name},
    }
    if cover is not None:
        data["image"] = [url_for("media.file", name=cover.filename(w, "jpg"), _external=True) for w in cover.rendition_widths]
    availability = "https://schema.org/" + ("OutOfStock" if product.availability is Availability.OUT_OF_STOCK else "InStock")
    seller = {"@type": "Organization", "name": product.business.name}
    if product.price_max:
        data["offers"] = {"@type": "AggregateOffer", "priceCurrency": "IDR", "lowPrice": product.price_min,
                          "highPrice": product.price_max, "availability": availability, "seller": seller}
    elif product.price_min is not None:
        data["offers"] = {"@type": "Offer", "priceCurrency": "IDR", "price": product.price_min, "url": url,
                          "availability": availability, "seller": seller}
    return data


@bp.route("/products")
def catalogue():
    on = today()
    filters = Filters.from_args(request.args)
    result = browse(filters, on)
    regions = {r.code: r for r in db.session.scalars(db.select(Region))}
    return render_template(
        "catalog/list.html", result=result, filters=filters, regions=regions, categories=top_categories(),
        cert_labels=TYPE_LABELS, loosen=loosen(filters) if not result.total else [],
        selected_category=db.session.scalar(db.select(Category).where(Category.slug == filters.category))
        if filters.category else None,
    )


def public_product_or_404(product_id: int) -> Product:
    product = db.session.scalar(
        public_products().where(Product.id == product_id).options(
            selectinload(Product.photos), selectinload(Product.business).selectinload(Business.region),
            selectinload(Product.category).selectinload(Category.parent),
        )
    )
    if product is None:
        abort(404)
    return product


@bp.route("/products/<int:product_id>")
def product_short(product_id: int):
    product = public_product_or_404(product_id)
    return redirect(url_for("catalog.product", product_id=product.id, slug=product.slug), 301)


@bp.route("/products/<int:product_id>-<slug>")
def product(product_id: int, slug: str):
    product = public_product_or_404(product_id)
    if slug != product.slug:
        return redirect(url_for("catalog.product", product_id=product.id, slug=product.slug, **request.args), 301)
    return render_product_page(product)


def render_product_page(product: Product, form=None) -> str:
    """The product page; an inquiry form that did not validate is shown again with its errors and values."""
    on = today()
    badges = db.session.scalars(
        db.select(Certification).where(
            Certification.status == CertStatus.VERIFIED,
            (Certification.product_id == product.id)
            | ((Certification.product_id.is_(None)) & (Certification.business_id == product.business_id)),
        ).order_by(Certification.cert_type)
    ).all()
    form = form or InquiryForm(data=InquiryForm.defaults_for(current_user, product))
    return render_template(
        "catalog/product.html", product=product, json_ld=json_ld, badges=[b for b in badges if b.shows_badge(on)],
        related=related_products(product, on), form=form, locale=str(get_locale() or "id"),
        showcases=live_showcases_with(on, product_id=product.id),
    )


def related_products(product: Product, on, limit: int = 4) -> list[Product]:
    """Public products of the same category from partner regions, newest first."""
    partners = [r.code for r in partner_regions(on)]
    stmt = (
        public_products()
        .where(Product.category_id == product.category_id, Product.id != product.id, Product.region_code.in_(partners))
        .options(selectinload(Product.photos), selectinload(Product.business).selectinload(Business.region))
        .order_by(Product.published_at.desc(), Product.id.desc()).limit(limit)
    )
    return list(db.session.scalars(stmt))
