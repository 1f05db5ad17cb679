"""The owner's products: list, create, edit, photos, submit for review, archive, restore, delete.

A refusal of a service (TransitionRefused, PhotoLimitReached...) carries its message: the error handler shows it on
the page the form was sent from, and the unit of work undoes the whole request."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.businesses.models import Verification
from marketplace.businesses.queries import owned_business_or_404
from marketplace.catalog import services
from marketplace.catalog.attributes.forms import form_data, help_text
from marketplace.catalog.forms import PhotosForm, ProductForm
from marketplace.catalog.models import Availability, Category, Product, ProductStatus, RevisionStatus
from marketplace.catalog.queries import owned_product_or_404, owned_products
from marketplace.catalog.views.blueprint import bp
from marketplace.coach.quality import score_product, score_products
from marketplace.cooperatives.models import CooperativeMember
from marketplace.cooperatives.queries import members_of
from marketplace.extensions import db
from marketplace.media.limits import upload_rate_limit
from marketplace.media.pipeline import ImageRejected
from marketplace.media.services import MAX_PHOTOS, PhotoLimitReached, UploadQuotaReached, stage_photo, staged_photos
from marketplace.media.storage import StorageError
from marketplace.offline import services as offline
from marketplace.timeutil import today


def next_step(product: Product) -> str:
    """What the owner should do next with this product, in one sentence."""
    if product.revision is not None:
        if product.revision.status is RevisionStatus.PENDING:
            return _("Your edit waits for review; buyers see the approved version.")
        return _("Change your edit as the DKUPP asked; buyers still see the approved version.")
    steps = {
        ProductStatus.DRAFT: _("Send it for review when it is complete.") if product.photos
        else _("Add at least one photo, then send it for review."),
        ProductStatus.PENDING: _("Waiting for the DKUPP's review."),
        ProductStatus.CHANGES_REQUESTED: _("Make the changes the DKUPP asked for, then send it again."),
        ProductStatus.REJECTED: _("You can fix it and send it again, or archive it."),
        ProductStatus.PUBLISHED: _("Public. Keep the price and availability up to date.")
        if product.business.verification is Verification.VERIFIED
        else _("Approved. Buyers will see it once the DKUPP has verified your business."),
        ProductStatus.ARCHIVED: _("Hidden from buyers. Restore it to publish it again."),
    }
    return steps[product.status]


def stage_uploads(files, room: int) -> tuple[list, list[str]]:
    """Process every uploaded file on its own: good ones are kept, each bad one gets its own message. Only the first
    `room` files are looked at (a product has at most MAX_PHOTOS): the others are refused unread, and so is every
    file after the owner's upload quota is reached (one message names them)."""
    kept, errors, over_quota = [], [], []
    limit = current_app.config["MAX_PHOTO_BYTES"]
    quota, quota_at = None, 0
    uploads = [upload for upload in files or [] if getattr(upload, "filename", "")]
    for index, upload in enumerate(uploads):
        if index >= room:
            errors.append(f"{upload.filename}: {PhotoLimitReached.message}")
        elif quota is not None:
            over_quota.append(upload.filename)
        else:
            try:
                kept.append(stage_photo(current_user.user, upload.read(limit + 1)))
            except UploadQuotaReached as error:
                quota, quota_at = error, len(errors)
                over_quota.append(upload.filename)
            except (ImageRejected, StorageError) as error:
                errors.append(f"{upload.filename}: {error.message}")
    if quota is not None:
        errors.insert(quota_at, f"{', '.join(over_quota)}: {quota.message}")
    return kept, errors


def _collect_photos(form: ProductForm, already: int = 0) -> tuple[list, bool]:
    """Staged photos from earlier attempts plus this request's uploads; False if any file was refused."""
    photos = staged_photos(current_user.user, form.staged_ids)
    new, errors = stage_uploads(form.photos.data, room=MAX_PHOTOS - already - len(photos))
    photos += new
    if already + len(photos) > MAX_PHOTOS:
        errors.append(str(PhotoLimitReached.message))
    form.staged.data = ",".join(str(p.id) for p in photos)
    form.photos.errors = errors
    return photos, not errors


def _check_submission(form: ProductForm, already: int = 0) -> tuple[list, bool]:
    """Stage this request's photos and validate the whole form; True when the product can be saved."""
    photos, photos_ok = _collect_photos(form, already)
    upload_errors = list(form.photos.errors)
    valid = form.validate()
    form.photos.errors = upload_errors  # validate() resets them
    return photos, valid and photos_ok


def _content(form: ProductForm, category: Category, current: dict | None = None) -> dict:
    return {
        "name": form.name.data, "description": form.description.data or "", "category_id": category.id,
        "unit": form.unit.data, "min_order": form.min_order.data, "attributes": form.attributes_for(category, current),
        "member_id": form.member_id,
    }


def _offer_members(form: ProductForm, business, current_id: int | None = None) -> None:
    """A cooperative's product form offers its members (and keeps the product's current one)."""
    if business.is_cooperative:
        current = db.session.get(CooperativeMember, current_id) if current_id else None
        form.offer_members(members_of(business), current if current and current.business_id == business.id else None)


def _submission_key() -> str | None:
    """The idempotency key a queued submission of the offline form carries (static/js/offline-form.js), or None."""
    return offline.parse_key(request.form.get("idempotency_key")) if request.method == "POST" else None


def _already_received(row):
    """The answer to a replay of a submission already saved: where the first one went, nothing saved twice."""
    flash(_("This was already received; it has not been saved twice."), "info")
    if row.product_id is not None:
        return redirect(url_for("catalog.edit_product", product_id=row.product_id))
    return redirect(url_for("catalog.mine"))


@bp.route("/my/products")
@role_required(Role.OWNER)
def mine():
    products = owned_products(current_user.user)
    counts = {status: sum(p.status is status for p in products) for status in ProductStatus}
    return render_template("catalog/mine.html", products=products, counts=counts, next_step=next_step,
                           qualities=score_products(products, today()))


@bp.route("/my/businesses/<int:business_id>/products/new", methods=["GET", "POST"])
@upload_rate_limit
@role_required(Role.OWNER)
def new_product(business_id: int):
    business = owned_business_or_404(current_user.user, business_id)
    key = _submission_key()
    if key and (earlier := offline.earlier(current_user.user, key)):
        return _already_received(earlier)
    form = ProductForm.build()
    _offer_members(form, business)
    photos, ok = _check_submission(form) if form.is_submitted() else ([], False)
    if ok:
        claimed = offline.claim(current_user.user, key) if key else None
        if key and claimed is None:  # a concurrent replay of the same submission saved it first
            return _already_received(offline.earlier(current_user.user, key))
        category = db.session.get(Category, int(form.category.data))
        price_min, price_max = form.prices()
        product = services.create_product(
            business, category=category, price_min=price_min, price_max=price_max,
            availability=Availability(form.availability.data), new_photos=photos,
            **{k: v for k, v in _content(form, category).items() if k != "category_id"},
        )
        if claimed is not None:
            offline.made(claimed, product_id=product.id)
        flash(_("Product saved as a draft. Check it, then send it for review."), "success")
        return redirect(url_for("catalog.edit_product", product_id=product.id))
    return render_template("catalog/form.html", form=form, business=business, product=None, staged=photos,
                           attribute_help=help_text)


@bp.route("/my/products/<int:product_id>/edit", methods=["GET", "POST"])
@upload_rate_limit
@role_required(Role.OWNER)
def edit_product(product_id: int):
    product = owned_product_or_404(current_user.user, product_id)
    key = _submission_key()
    if key and (earlier := offline.earlier(current_user.user, key)):
        return _already_received(earlier)  # an older queued edit replayed again must not undo a newer one
    content = services.content_of(product)
    mode = "request" if product.price_min is None else "range" if product.price_max else "fixed"
    current = content.get("attributes") or {}
    form = ProductForm.build(strict=product.status is ProductStatus.PUBLISHED, current=current, data={
        **{k: v for k, v in content.items() if k in ("name", "description", "unit", "min_order")},
        **form_data(content["category_id"], current), "category": str(content["category_id"]), "price_mode": mode,
        "price": product.price_min, "price_max": product.price_max, "availability": product.availability.value,
        "member": str(content.get("member_id") or ""),
    })
    _offer_members(form, product.business, content.get("member_id"))
    photos, ok = _check_submission(form, already=len(product.photos)) if form.is_submitted() else ([], False)
    if ok:
        claimed = offline.claim(current_user.user, key) if key else None
        if key and claimed is None:
            return _already_received(offline.earlier(current_user.user, key))
        if claimed is not None:
            offline.made(claimed, product_id=product.id)
        category = db.session.get(Category, int(form.category.data))
        price_min, price_max = form.prices()
        in_review = services.update_product(
            product, content=_content(form, category, current), price_min=price_min, price_max=price_max,
            availability=Availability(form.availability.data), new_photos=photos,
        )
        if in_review:
            flash(_("Saved. The changes wait for the DKUPP's review; buyers see the approved version until then."), "info")
        else:
            flash(_("Product saved."), "success")
        return redirect(url_for("catalog.edit_product", product_id=product.id))
    return render_template("catalog/form.html", form=form, business=product.business, product=product, staged=photos,
                           quality=score_product(product, today()), attribute_help=help_text)


def _status_action(product_id: int, action, done_message: str):
    """Apply action to the owner's product; a refusal is the error handler's (TransitionRefused says why)."""
    action(owned_product_or_404(current_user.user, product_id))
    flash(done_message, "success")
    return redirect(url_for("catalog.mine"))


@bp.route("/my/products/<int:product_id>/submit", methods=["POST"])
@role_required(Role.OWNER)
def submit_product(product_id: int):
    return _status_action(product_id, services.submit_product,
                          _("Sent for review. The DKUPP of your region will check it."))


@bp.route("/my/products/<int:product_id>/archive", methods=["POST"])
@role_required(Role.OWNER)
def archive_product(product_id: int):
    return _status_action(product_id, lambda p: services.change_status(p, ProductStatus.ARCHIVED, Role.OWNER),
                          _("Product archived: buyers no longer see it."))


@bp.route("/my/products/<int:product_id>/restore", methods=["POST"])
@role_required(Role.OWNER)
def restore_product(product_id: int):
    return _status_action(product_id, lambda p: services.change_status(p, ProductStatus.DRAFT, Role.OWNER),
                          _("Product restored as a draft. Send it for review to publish it again."))


@bp.route("/my/products/<int:product_id>/delete", methods=["GET", "POST"])
@role_required(Role.OWNER)
def delete_product(product_id: int):
    """GET asks to confirm (a mistaken tap on a phone must not lose a product); POST deletes."""
    product = owned_product_or_404(current_user.user, product_id)
    if request.method == "GET":
        return render_template("catalog/delete.html", product=product)
    services.delete_product(product)
    flash(_("Product deleted with its photos."), "success")
    return redirect(url_for("catalog.mine"))


@bp.route("/my/products/<int:product_id>/photos", methods=["GET", "POST"])
@upload_rate_limit
@role_required(Role.OWNER)
def photos(product_id: int):
    product = owned_product_or_404(current_user.user, product_id)
    form = PhotosForm()
    if form.validate_on_submit():
        alt_texts, order, delete = form.photo_changes(request.form, [photo.id for photo in product.photos])
        new, errors = stage_uploads(form.photos.data, room=MAX_PHOTOS - len(product.photos) + len(delete))
        in_review, refused = services.update_photos(product, alt_texts=alt_texts, order=order, delete=delete, new=new)
        if refused:
            errors.append(str(PhotoLimitReached.message))
        if errors:
            form.photos.errors = errors
            flash(_("Some files were not accepted; the others have been saved."), "error")
            return render_template("catalog/photos.html", form=form, product=product)
        flash(_("Saved. The changes wait for the DKUPP's review; buyers see the approved version until then.") if in_review
              else _("Photos saved."), "success")
        return redirect(url_for("catalog.photos", product_id=product.id))
    return render_template("catalog/photos.html", form=form, product=product)
