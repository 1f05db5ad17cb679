"""The field officer acting for an owner they onboarded: the owners' own business and product forms and templates
(businesses/forms.py, catalog/forms.py), saved through acting.py's scoped services. Only an unclaimed owner's
businesses of the officer's region are reached (404 otherwise); photos are staged under the officer's upload quota
and become the owner's when attached."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.businesses.forms import BusinessForm
from marketplace.catalog.attributes.forms import form_data, help_text
from marketplace.catalog.forms import ProductForm
from marketplace.catalog.models import Availability, Category, ProductStatus
from marketplace.catalog.services import content_of
from marketplace.cooperatives.queries import members_of
from marketplace.domain import DomainError
from marketplace.errors import form_refusal
from marketplace.extensions import db
from marketplace.fieldofficers import acting, queries
from marketplace.fieldofficers.views.blueprint import bp
from marketplace.media.limits import upload_rate_limit
from marketplace.media.pipeline import ImageRejected
from marketplace.media.services import MAX_PHOTOS, PhotoLimitReached, UploadQuotaReached, stage_photo, staged_photos
from marketplace.media.storage import StorageError
from marketplace.unit_of_work import rollback


def _business_page(form, business, assisted):
    return render_template("fieldofficers/business_form.html", form=form, business=business, acting_for=assisted)


@bp.route("/field/owners/<int:assisted_id>/businesses/new", methods=["GET", "POST"])
@upload_rate_limit
@role_required(Role.FIELD_OFFICER)
def new_business(assisted_id: int):
    officer = current_user.user
    assisted = queries.assisted_owner_or_404(officer, assisted_id)
    phone = assisted.owner.phone
    form = BusinessForm(region=officer.region_code, whatsapp="0" + phone[2:] if phone else None)
    if form.validate_on_submit():
        try:
            business = acting.create_business_for(
                officer, assisted, logo=form.logo_bytes(current_app.config["MAX_PHOTO_BYTES"]), **form.service_fields())
        except acting.OutsideOfficerRegion as error:
            form_refusal(form.region, error)
        except (ImageRejected, StorageError) as error:
            rollback()
            form.logo.errors = [f"{form.logo.data.filename}: {error.message}"]
        except DomainError as error:  # ConsentMissing: shown at the top of the form, which keeps what was typed
            form_refusal(form.name, error)
        else:
            flash(_("Business registered for %(owner)s. The DKUPP will check it before it appears to buyers.",
                    owner=assisted.owner.name), "success")
            return redirect(url_for("fieldofficers.business", business_id=business.id))
    return _business_page(form, None, assisted)


@bp.route("/field/businesses/<int:business_id>")
@role_required(Role.FIELD_OFFICER)
def business(business_id: int):
    business, assisted = queries.assisted_business_or_404(current_user.user, business_id)
    return render_template("fieldofficers/business.html", business=business, assisted=assisted,
                           products=queries.products_of(business.id))


@bp.route("/field/businesses/<int:business_id>/edit", methods=["GET", "POST"])
@upload_rate_limit
@role_required(Role.FIELD_OFFICER)
def edit_business(business_id: int):
    officer = current_user.user
    business, assisted = queries.assisted_business_or_404(officer, business_id)
    form = BusinessForm(data=BusinessForm.data_of(business))
    if form.validate_on_submit():
        try:
            acting.update_business_for(officer, assisted, business,
                                       logo=form.logo_bytes(current_app.config["MAX_PHOTO_BYTES"]), **form.service_fields())
        except acting.OutsideOfficerRegion as error:
            form_refusal(form.region, error)
        except (ImageRejected, StorageError) as error:
            rollback()
            form.logo.errors = [f"{form.logo.data.filename}: {error.message}"]
        except DomainError as error:
            form_refusal(form.name, error)
        else:
            flash(_("The business profile has been saved."), "success")
            return redirect(url_for("fieldofficers.business", business_id=business.id))
    return _business_page(form, business, assisted)


def _stage(form: ProductForm, already: int = 0) -> tuple[list, bool]:
    """The photos staged with earlier, refused attempts plus this request's uploads (each file on its own: a bad one
    gets its own message); then the whole form is validated. True when the product can be saved."""
    officer = current_user.user
    photos, errors = staged_photos(officer, form.staged_ids), []
    limit = current_app.config["MAX_PHOTO_BYTES"]
    for upload in [u for u in form.photos.data or [] if getattr(u, "filename", "")]:
        if already + len(photos) >= MAX_PHOTOS:
            errors.append(f"{upload.filename}: {PhotoLimitReached.message}")
            continue
        try:
            photos.append(stage_photo(officer, upload.read(limit + 1)))
        except (ImageRejected, StorageError, UploadQuotaReached) as error:
            errors.append(f"{upload.filename}: {error.message}")
    form.staged.data = ",".join(str(p.id) for p in photos)
    valid = form.validate()
    form.photos.errors = errors
    return photos, valid and not errors


def _product_fields(form: ProductForm, current: dict | None = None) -> dict:
    category = db.session.get(Category, int(form.category.data))
    price_min, price_max = form.prices()
    return {"category": category, "price_min": price_min, "price_max": price_max,
            "availability": Availability(form.availability.data), "name": form.name.data,
            "description": form.description.data or "", "unit": form.unit.data, "min_order": form.min_order.data,
            "attributes": form.attributes_for(category, current), "member_id": form.member_id}


def _product_page(form, business, product, assisted, staged):
    return render_template("fieldofficers/product_form.html", form=form, business=business, product=product,
                           staged=staged, attribute_help=help_text, acting_for=assisted)


@bp.route("/field/businesses/<int:business_id>/products/new", methods=["GET", "POST"])
@upload_rate_limit
@role_required(Role.FIELD_OFFICER)
def new_product(business_id: int):
    officer = current_user.user
    business, assisted = queries.assisted_business_or_404(officer, business_id)
    form = ProductForm.build()
    if business.is_cooperative:
        form.offer_members(members_of(business))
    photos, ok = _stage(form) if form.is_submitted() else ([], False)
    if ok:
        product = acting.create_product_for(officer, assisted, business, new_photos=photos, **_product_fields(form))
        flash(_("Product saved as a draft. Check it with the owner, then send it for review."), "success")
        return redirect(url_for("fieldofficers.business", business_id=business.id, _anchor=f"product-{product.id}"))
    return _product_page(form, business, None, assisted, photos)


@bp.route("/field/products/<int:product_id>/edit", methods=["GET", "POST"])
@upload_rate_limit
@role_required(Role.FIELD_OFFICER)
def edit_product(product_id: int):
    officer = current_user.user
    product, assisted = queries.assisted_product_or_404(officer, product_id)
    content = content_of(product)
    current = content.get("attributes") or {}
    mode = "request" if product.price_min is None else "range" if product.price_max else "fixed"
    form = ProductForm.build(strict=product.status is ProductStatus.PUBLISHED, current=current, data={
        **{k: v for k, v in content.items() if k in ("name", "description", "unit", "min_order")},
        **form_data(content["category_id"], current), "category": str(content["category_id"]), "price_mode": mode,
        "price": product.price_min, "price_max": product.price_max, "availability": product.availability.value,
        "member": str(content.get("member_id") or ""),
    })
    if product.business.is_cooperative:
        form.offer_members(members_of(product.business))
    photos, ok = _stage(form, already=len(product.photos)) if form.is_submitted() else ([], False)
    if ok:
        fields = _product_fields(form, current)
        category = fields.pop("category")
        content = {key: fields.pop(key) for key in ("name", "description", "unit", "min_order", "attributes", "member_id")}
        try:
            acting.update_product_for(officer, assisted, product, content={**content, "category_id": category.id},
                                      new_photos=photos, **fields)
        except DomainError as error:
            form_refusal(form.name, error)
            return _product_page(form, product.business, product, assisted, []), error.status
        flash(_("Product saved."), "success")
        return redirect(url_for("fieldofficers.business", business_id=product.business_id))
    return _product_page(form, product.business, product, assisted, photos)


@bp.route("/field/products/<int:product_id>/submit", methods=["POST"])
@role_required(Role.FIELD_OFFICER)
def submit_product(product_id: int):
    product, assisted = queries.assisted_product_or_404(current_user.user, product_id)
    acting.submit_product_for(current_user.user, assisted, product)  # a refusal is the error handler's
    flash(_("Sent for review. The DKUPP of the region will check it."), "success")
    return redirect(url_for("fieldofficers.business", business_id=product.business_id))
