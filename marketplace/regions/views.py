"""Region pages: a kabupaten or kota, its cooperative and trade office, its agreements and partners, its showcases,
businesses and newest products."""

from functools import partial

from flask import Blueprint, get_template_attribute, render_template
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from marketplace.belabeli.queries import programme_of
from marketplace.businesses.models import Business, Verification
from marketplace.catalog.browse import region_total
from marketplace.catalog.models import Product
from marketplace.catalog.page_cache import cached_part
from marketplace.catalog.queries import public_products
from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.regions.queries import active_agreements_of, partner_regions, partners_in
from marketplace.showcases.models import Phase
from marketplace.showcases.queries import by_phase, live_showcases_with
from marketplace.timeutil import today

bp = Blueprint("regions", __name__)


@bp.route("/regions/<code>")
def show(code: str):
    """Everything but the office's edit link comes from the catalogue page cache as one part (everything in it is
    under the catalogue generation; the day decides the agreements in force and the showcases' phases): a repeated
    view is the region and the generation."""
    region = db.get_or_404(Region, code)
    on = today()
    locale = str(get_locale() or "id")
    part = cached_part(("region", region.code, on.isoformat(), locale), lambda: _region_part(region, on))
    return render_template("regions/show.html", region=region,
                           part={name: Markup(html) for name, html in part.items()})  # noqa: S704 (our templates)


def _region_part(region: Region, on) -> dict:
    agreements = active_agreements_of(region.code, on)
    macro = partial(get_template_attribute, "regions/_show_parts.html")
    phases = by_phase(on)
    hosted = [s for s in phases[Phase.LIVE] + phases[Phase.UPCOMING] if s.host_region_code == region.code]
    showing = [s for s in live_showcases_with(on, region_code=region.code) if s not in hosted]
    return {
        "status": str(macro("status")(region, region in partner_regions(on))),
        "office": str(macro("office")(region)),
        "agreements": str(macro("agreements_section")(region, agreements, partners_in(agreements, region.code))),
        "showcases": str(macro("showcases")(region, hosted, showing, on, programme_of(region.code) is not None)),
        "products": _products_html(region, on), "businesses": _businesses_html(region),
    }


def _products_html(region: Region, on) -> str:
    products = db.session.scalars(
        public_products().where(Product.region_code == region.code)
        .options(selectinload(Product.photos), selectinload(Product.business).selectinload(Business.region))
        .order_by(Product.published_at.desc(), Product.id.desc()).limit(12)
    ).all()
    return render_template("regions/_products.html", region=region, products=products, total=region_total(region.code, on))


def _businesses_html(region: Region) -> str:
    businesses = db.session.scalars(
        db.select(Business).where(Business.region_code == region.code, Business.verification == Verification.VERIFIED,
                                  Business.archived_at.is_(None))  # archived: no longer trading (coach/)
        .order_by(Business.name).limit(100)
    ).all()
    return render_template("regions/_businesses.html", businesses=businesses)
