"""The favourites page, and the save and remove buttons of product and business pages (plain POST forms with the
CSRF token that CSRFProtect checks on every POST: they work without JavaScript)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.businesses.models import Business, Verification
from marketplace.catalog.models import Product
from marketplace.catalog.queries import public_product_or_404
from marketplace.extensions import db
from marketplace.favourites import queries, services

bp = Blueprint("favourites", __name__)

SAVERS = (Role.BUYER, Role.OWNER)


@bp.app_template_global()
def saved_state(kind: str, object_id: int) -> bool | None:
    """For a page's save button: True (saved), False (not yet), None (the user cannot save: a visitor or staff)."""
    if not current_user.is_authenticated or current_user.role not in SAVERS:
        return None
    check = queries.has_saved_product if kind == "product" else queries.has_saved_business
    return check(current_user.id, object_id)


def _back(default: str):
    """Back to the favourites list when the button was there, else to the page it was on."""
    return redirect(url_for("favourites.index") if request.form.get("back") == "list" else default)


@bp.route("/my/favourites")
@role_required(*SAVERS)
def index():
    user = current_user.user
    return render_template("favourites/index.html", products=queries.saved_products(user),
                           businesses=queries.saved_businesses(user))


@bp.route("/my/favourites/products/<int:product_id>", methods=["POST"])
@role_required(*SAVERS)
def save_product(product_id: int):
    product = public_product_or_404(product_id)
    services.save_product(current_user.user, product)
    flash(_("Saved to your favourites. We will tell you when it gets cheaper or is available again."), "success")
    return _back(url_for("catalog.product", product_id=product.id, slug=product.slug))


@bp.route("/my/favourites/products/<int:product_id>/remove", methods=["POST"])
@role_required(*SAVERS)
def remove_product(product_id: int):
    services.unsave_product(current_user.user, product_id)
    flash(_("Removed from your favourites."), "success")
    product = db.session.get(Product, product_id)
    if product is None or not product.public or request.form.get("back") == "list":
        return redirect(url_for("favourites.index"))
    return redirect(url_for("catalog.product", product_id=product.id, slug=product.slug))


def _public_business_or_404(business_id: int) -> Business:
    return db.first_or_404(db.select(Business).where(Business.id == business_id,
                                                     Business.verification == Verification.VERIFIED))


@bp.route("/my/favourites/businesses/<int:business_id>", methods=["POST"])
@role_required(*SAVERS)
def save_business(business_id: int):
    business = _public_business_or_404(business_id)
    services.save_business(current_user.user, business)
    flash(_("Saved to your favourites."), "success")
    return _back(url_for("businesses.public", slug=business.slug))


@bp.route("/my/favourites/businesses/<int:business_id>/remove", methods=["POST"])
@role_required(*SAVERS)
def remove_business(business_id: int):
    services.unsave_business(current_user.user, business_id)
    flash(_("Removed from your favourites."), "success")
    business = db.session.get(Business, business_id)
    if business is None or business.verification is not Verification.VERIFIED or request.form.get("back") == "list":
        return redirect(url_for("favourites.index"))
    return redirect(url_for("businesses.public", slug=business.slug))
