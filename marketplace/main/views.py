"""Home page and health check."""

from flask import Blueprint, Response, render_template, url_for
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import text

from marketplace.businesses.models import Business, Verification
from marketplace.catalog.models import Product
from marketplace.catalog.page_cache import cached_part
from marketplace.catalog.queries import newest_products, public_products, top_categories
from marketplace.events.queries import public_event_slugs
from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.regions.queries import partner_regions
from marketplace.showcases.models import Phase, Showcase
from marketplace.showcases.queries import by_phase, live_showcases
from marketplace.timeutil import today
from marketplace.unit_of_work import rollback

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """The newest products, partner regions, categories and live showcases come rendered from the catalogue page
    cache (everything they show is under the catalogue generation; the day decides the partner regions and the
    showcases' phases): a repeated view reads the generation only."""
    on = today()
    locale = str(get_locale() or "id")
    part = cached_part(("home", on.isoformat(), locale), lambda: {
        "html": render_template("main/_home_catalogue.html", categories=top_categories(),
                                partner_regions=partner_regions(on), products=newest_products()),
        "showcases": render_template("main/_home_showcases.html", showcases=by_phase(on)[Phase.LIVE])})
    return render_template("main/home.html", catalogue_html=Markup(part["html"]),  # noqa: S704 (our templates)
                           showcases_html=Markup(part["showcases"]))  # noqa: S704


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy; the reason goes to the log
        rollback()
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.route("/robots.txt")
def robots():
    lines = ["User-agent: *", "Disallow: /my/", "Disallow: /moderation/", "Disallow: /admin/", "Disallow: /auth/",
             "Disallow: /inquiries/", f"Sitemap: {url_for('main.sitemap', _external=True)}"]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@bp.route("/sitemap.xml")
def sitemap():
    """Every public product, business and region page and every live showcase (a sitemap holds up to 50,000
    addresses)."""
    products = db.session.execute(
        public_products().with_only_columns(Product.id, Product.slug, Product.updated_at).order_by(Product.id).limit(45_000)
    ).all()
    businesses = db.session.execute(
        db.select(Business.slug, Business.updated_at).where(Business.verification == Verification.VERIFIED).order_by(Business.id)
    ).all()
    regions = db.session.scalars(db.select(Region.code).order_by(Region.code)).all()
    showcases = db.session.scalars(live_showcases(today()).with_only_columns(Showcase.slug)).all()
    xml = render_template("main/sitemap.xml", products=products, businesses=businesses, regions=regions,
                          showcases=showcases, events=public_event_slugs())
    return Response(xml, mimetype="application/xml")
