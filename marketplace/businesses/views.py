"""The owner's businesses: list, register, edit."""

from functools import partial

from flask import Blueprint, current_app, flash, get_template_attribute, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from jinja2.filters import do_truncate
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.businesses import services
from marketplace.businesses.forms import BusinessForm
from marketplace.businesses.models import Business, Verification
from marketplace.businesses.queries import owned_business_or_404, owned_businesses
from marketplace.catalog.models import Product
from marketplace.catalog.page_cache import cached_part
from marketplace.catalog.queries import public_products
from marketplace.certifications.queries import badges
from marketplace.cooperatives.queries import members_of, public_members_of
from marketplace.extensions import db
from marketplace.institutions.queries import completed_training
from marketplace.media.limits import upload_rate_limit
from marketplace.media.pipeline import ImageRejected
from marketplace.media.storage import StorageError
from marketplace.timeutil import today
from marketplace.unit_of_work import rollback

bp = Blueprint("businesses", __name__)


@bp.route("/businesses/<slug>")
def public(slug: str):
    """A verified business's public page with its public products and badges.

    Its parts that every reader sees alike (businesses/_public_parts.html: everything but the favourites button and
    the completed training) come from the catalogue page cache under the catalogue generation, day and language."""
    business = db.first_or_404(db.select(Business).where(Business.slug == slug, Business.verification == Verification.VERIFIED))
    on = today()
    parts = cached_part(("business", business.id, on.isoformat(), str(get_locale() or "id")),
                        lambda: _public_parts(business, on))
    markup = {name: Markup(html) for name, html in parts.items() if name not in ("title", "description")}  # noqa: S704 (our templates)
    return render_template("businesses/public.html", business=business, training=completed_training(business.id),
                           parts={**markup, "title": parts["title"], "description": parts["description"]})


def _public_parts(business: Business, on) -> dict:
    products = db.session.scalars(
        public_products().where(Product.business_id == business.id)
        .options(selectinload(Product.photos), selectinload(Product.business).selectinload(Business.region),
                 selectinload(Product.member))
        .order_by(Product.published_at.desc(), Product.id.desc())
    ).all()
    members = {"public_members": public_members_of(business), "member_count": len(members_of(business))} \
        if business.is_cooperative else {"public_members": [], "member_count": 0}
    macro = partial(get_template_attribute, "businesses/_public_parts.html")
    return {
        "title": business.name, "description": do_truncate(current_app.jinja_env, business.description or "", 155),
        "head": str(macro("head")(business)), "top": str(macro("top")(business)),
        "badges": str(macro("badge_list")(badges(on, business_id=business.id))),
        "rest": str(macro("rest")(business, products, **members)),
    }


@bp.route("/my/businesses")
@role_required(Role.OWNER)
def mine():
    return render_template("businesses/mine.html", businesses=owned_businesses(current_user.user))


def _fields(form: BusinessForm) -> dict:
    return form.service_fields()


def _logo(form: BusinessForm) -> bytes | None:
    return form.logo_bytes(current_app.config["MAX_PHOTO_BYTES"])


def _refuse_logo(form: BusinessForm, error: ImageRejected | StorageError) -> None:
    rollback()  # a refused request changes nothing (the logo is checked before anything else, so this is a safeguard)
    form.logo.errors = [f"{form.logo.data.filename}: {error.message}"]


@bp.route("/my/businesses/new", methods=["GET", "POST"])
@upload_rate_limit
@role_required(Role.OWNER)
def new():
    # What the owner gave at sign-up comes first: the region, and the WhatsApp number as people write it (0812…).
    phone = current_user.phone
    form = BusinessForm(region=current_user.region_code, whatsapp="0" + phone[2:] if phone else None)
    if form.validate_on_submit():
        try:
            services.create_business(current_user.user, logo=_logo(form), **_fields(form))
        except (ImageRejected, StorageError) as error:
            _refuse_logo(form, error)
        else:
            flash(_("Business registered. The DKUPP of its region will check it before it appears to buyers."), "success")
            return redirect(url_for("businesses.mine"))
    return render_template("businesses/form.html", form=form, business=None)


@bp.route("/my/businesses/<int:business_id>/edit", methods=["GET", "POST"])
@upload_rate_limit
@role_required(Role.OWNER)
def edit(business_id: int):
    business = owned_business_or_404(current_user.user, business_id)
    form = BusinessForm(data=BusinessForm.data_of(business))
    if form.validate_on_submit():
        try:
            in_review = services.update_business(business, logo=_logo(form), **_fields(form))
        except (ImageRejected, StorageError) as error:
            _refuse_logo(form, error)
        else:
            if in_review:
                flash(_("Saved. The changes wait for the DKUPP's review; buyers see the approved version until then."), "info")
            else:
                flash(_("The business profile has been saved."), "success")
            return redirect(url_for("businesses.mine"))
    return render_template("businesses/form.html", form=form, business=business)
