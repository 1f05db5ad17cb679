"""The product page's schema.org data for search engines, a template global (the page is rendered by the catalog
and, with a refused inquiry, by inquiries)."""

from flask import url_for

from marketplace.catalog.models import Availability, Product
from marketplace.catalog.views.blueprint import bp


@bp.app_template_global()
def json_ld(product: Product, url: str, cover) -> dict:
    """schema.org Product with an Offer in IDR, for search engines (the page renders it with |tojson, so it is
    escaped; called while rendering, so it may build the photos' addresses)."""
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
