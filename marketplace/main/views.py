"""Home page and health check."""

from flask import Blueprint, render_template
from sqlalchemy import text

from marketplace.catalog.queries import newest_products, top_categories
from marketplace.extensions import db
from marketplace.regions.queries import partner_regions
from marketplace.timeutil import today

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    return render_template(
        "main/home.html", categories=top_categories(), partner_regions=partner_regions(today()),
        products=newest_products(),
    )


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy; the reason goes to the log
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
