"""The buyer's side of the catalogue: the product list with search and filters, and the product page."""

from flask import redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from marketplace.catalog.browse import Filters, browse, loosen
from marketplace.catalog.models import Category
from marketplace.catalog.page_cache import cached_part
from marketplace.catalog.queries import public_product_only_or_404, top_categories
from marketplace.catalog.views.blueprint import bp
from marketplace.certifications.models import CertType
from marketplace.extensions import db
from marketplace.i18n import rupiah
from marketplace.inquiries.product_page import product_page_context, reader_form
from marketplace.regions.models import Region
from marketplace.security import with_query
from marketplace.timeutil import today

# The catalogue's active filters, as the empty result offers to drop them ("Try without: the region").
FILTER_LABELS = {
    "q": _l("the search words"), "region": _l("the region"), "category": _l("the category"),
    "cert": _l("the certificate"), "min_price": _l("the lowest price"), "max_price": _l("the highest price"),
}


def active_filters(filters: Filters, regions: dict[str, Region], category: Category | None,
                   attribute_facets: list | None = None) -> list[tuple[str, dict]]:
    """Each active filter as (what it shows, the query arguments without it): the catalogue's removable chips."""
    labels = {
        "q": f"“{filters.q}”",
        "region": regions[filters.region].full_name if filters.region in regions else filters.region,
        "category": category.name(str(get_locale())) if category else filters.category,
        "cert": CertType(filters.cert).label if filters.cert else "",
        "min_price": _("from %(price)s", price=rupiah(filters.min_price)) if filters.min_price is not None else "",
        "max_price": _("up to %(price)s", price=rupiah(filters.max_price)) if filters.max_price is not None else "",
    }
    without = {name: {name: None, "page": 1} for name in labels}
    without["q"]["sort"] = None if filters.sort == "relevance" else filters.sort  # no best match without words
    chips = [(str(labels[name]), filters.args(**without[name])) for name in labels if getattr(filters, name) not in (None, "")]
    locale = str(get_locale())
    chosen = dict(filters.attrs)
    for attribute, options in attribute_facets or []:
        option = next((o for o, _count in options if o.code == chosen.get(attribute.code)), None)
        if option is not None:
            chips.append((f"{attribute.name(locale)}: {option.label(locale)}", filters.with_attr(attribute.code, None)))
    return chips


@bp.route("/products")
def catalogue():
    on = today()
    filters = Filters.from_args(request.args)
    locale = str(get_locale())
    # the body is the same for every reader of a language: rendered once per catalogue generation, day and query
    part = cached_part(("catalogue", on.isoformat(), locale, filters), lambda: _catalogue_body(filters, on))
    return render_template("catalog/list.html", filters=filters, body=Markup(part["body"]),  # noqa: S704 (our template)
                           canonical_args=part["canonical_args"], noindex=part["noindex"])


def _catalogue_body(filters: Filters, on) -> dict:
    result = browse(filters, on)
    filters = result.filters  # with only the attribute facets the category has
    regions = {r.code: r for r in db.session.scalars(db.select(Region))}
    category = db.session.scalar(db.select(Category).where(Category.slug == filters.category)) if filters.category else None
    body = render_template(
        "catalog/_list_body.html", result=result, filters=filters, regions=regions, categories=top_categories(),
        filter_labels=FILTER_LABELS, loosen=loosen(filters) if not result.total else [], selected_category=category,
        chips=active_filters(filters, regions, category, result.attribute_facets),
    )
    return {"body": body, "canonical_args": filters.args(), "noindex": result.total == 0 or filters.page > 1}


@bp.route("/products/<int:product_id>")
def product_short(product_id: int):
    product = public_product_only_or_404(product_id)
    return redirect(url_for("catalog.product", product_id=product.id, slug=product.slug), 301)


@bp.route("/products/<int:product_id>-<slug>")
def product(product_id: int, slug: str):
    product = public_product_only_or_404(product_id)
    if slug != product.slug:
        return redirect(with_query(url_for("catalog.product", product_id=product.id, slug=product.slug)), 301)
    # a new reader's page is cached parts and a CSRF token (inquiries/product_page.py)
    return render_template("catalog/product.html",
                           **product_page_context(product, today(), reader_form(current_user, product)))
