"""The owner's products: list, create, edit, submit for review, archive, delete."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.businesses.queries import owned_business_or_404
from marketplace.catalog import services
from marketplace.catalog.forms import PhotosForm, ProductForm
from marketplace.catalog.models import Availability, Category, Product, ProductStatus, RevisionStatus
from marketplace.catalog.queries import owned_product_or_404, owned_products, public_products
from marketplace.catalog.status import TransitionRefused
from marketplace.extensions import db, limiter
from marketplace.media import services as media
from marketplace.media.pipeline import ImageRejected
from marketplace.media.services import MAX_PHOTOS, stage_photo, staged_photos
from marketplace.media.storage import StorageError
from marketplace.moderation.forms import ReportForm
from marketplace.moderation.models import ReportReason
from marketplace.moderation.services import file_report

bp = Blueprint("catalog", __name__)

STATUS_LABELS = {
    ProductStatus.DRAFT.value: _l("draft"),
    ProductStatus.PENDING.value: _l("in review"),
    ProductStatus.PUBLISHED.value: _l("published"),
    ProductStatus.CHANGES_REQUESTED.value: _l("changes requested"),
    ProductStatus.REJECTED.value: _l("rejected"),
    ProductStatus.ARCHIVED.value: _l("archived"),
}


def next_step(product) -> str:
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
        ProductStatus.PUBLISHED: _("Public. Keep the price and availability up to date."),
        ProductStatus.ARCHIVED: _("Hidden from buyers. Restore it to publish it again."),
    }
    return steps[product.status]


@bp.app_context_processor
def inject_product_helpers():
    return {"status_labels": STATUS_LABELS, "next_step": next_step}


def stage_uploads(files) -> tuple[list, list[str]]:
    """Process every uploaded file on its own: good ones are kept, each bad one gets its own message."""
    kept, errors = [], []
    limit = current_app.config["MAX_PHOTO_BYTES"]
    for upload in files or []:
        if not getattr(upload, "filename", ""):
            continue
        try:
            kept.append(stage_photo(current_user.user, upload.read(limit + 1)))
        except (ImageRejected, StorageError) as error:
            errors.append(f"{upload.filename}: {error.message}")
    return kept, errors


def _collect_photos(form: ProductForm, already: int = 0) -> tuple[list, bool]:
    """Staged photos from earlier attempts plus this request's uploads; False if any file was refused."""
    photos = staged_photos(current_user.user, form.staged_ids)
    new, errors = stage_uploads(form.photos.data)
    photos += new
    if already + len(photos) > MAX_PHOTOS:
        errors.append(_("A product can have at most %(n)d photos.", n=MAX_PHOTOS))
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


def _content(form: ProductForm, category: Category) -> dict:
    return {
        "name": form.name.data, "description": form.description.data or "", "category_id": category.id,
        "unit": form.unit.data, "min_order": form.min_order.data, "attributes": form.attributes_for(category),
    }


@bp.route("/my/products")
@role_required(Role.OWNER)
def mine():
    products = owned_products()
    counts = {status: sum(p.status is status for p in products) for status in ProductStatus}
    return render_template("catalog/mine.html", products=products, counts=counts)


@bp.route("/my/businesses/<int:business_id>/products/new", methods=["GET", "POST"])
@role_required(Role.OWNER)
def new_product(business_id: int):
    business = owned_business_or_404(business_id)
    form = ProductForm()
    photos, ok = _check_submission(form) if form.is_submitted() else ([], False)
    if ok:
        category = db.session.get(Category, int(form.category.data))
        price_min, price_max = form.prices()
        product = services.create_product(
            business, category=category, price_min=price_min, price_max=price_max,
            availability=Availability(form.availability.data), new_photos=photos,
            **{k: v for k, v in _content(form, category).items() if k != "category_id"},
        )
        flash(_("Product saved as a draft. Check it, then send it for review."), "success")
        return redirect(url_for("catalog.edit_product", product_id=product.id))
    return render_template("catalog/form.html", form=form, business=business, product=None, staged=photos)


@bp.route("/my/products/<int:product_id>/edit", methods=["GET", "POST"])
@role_required(Role.OWNER)
def edit_product(product_id: int):
    product = owned_product_or_404(product_id)
    content = services.content_of(product)
    mode = "request" if product.price_min is None else "range" if product.price_max else "fixed"
    form = ProductForm(data={
        **{k: v for k, v in content.items() if k in ("name", "description", "unit", "min_order")},
        **content.get("attributes", {}), "category": str(content["category_id"]), "price_mode": mode,
        "price": product.price_min, "price_max": product.price_max, "availability": product.availability.value,
    })
    photos, ok = _check_submission(form, already=len(product.photos)) if form.is_submitted() else ([], False)
    if ok:
        category = db.session.get(Category, int(form.category.data))
        price_min, price_max = form.prices()
        try:
            in_review = services.update_product(
                product, content=_content(form, category), price_min=price_min, price_max=price_max,
                availability=Availability(form.availability.data),
            )
            in_review = services.add_photos(product, photos) or in_review
        except TransitionRefused:
            flash(_("Restore the product before editing it."), "error")
            return redirect(url_for("catalog.mine"))
        if in_review:
            flash(_("Saved. The changes wait for the DKUPP's review; buyers see the approved version until then."), "info")
        else:
            flash(_("Product saved."), "success")
        return redirect(url_for("catalog.edit_product", product_id=product.id))
    return render_template("catalog/form.html", form=form, business=product.business, product=product, staged=photos)


def _status_action(product_id: int, action, done_message: str, refused_message: str):
    product = owned_product_or_404(product_id)
    try:
        action(product)
    except TransitionRefused:
        flash(refused_message, "error")
    else:
        flash(done_message, "success")
    return redirect(url_for("catalog.mine"))


@bp.route("/my/products/<int:product_id>/submit", methods=["POST"])
@role_required(Role.OWNER)
def submit_product(product_id: int):
    return _status_action(
        product_id, services.submit_product,
        _("Sent for review. The DKUPP of your region will check it."),
        _("This product cannot be sent for review now. It needs at least one photo and must not be already in review."),
    )


@bp.route("/my/products/<int:product_id>/archive", methods=["POST"])
@role_required(Role.OWNER)
def archive_product(product_id: int):
    return _status_action(
        product_id, lambda p: services.change_status(p, ProductStatus.ARCHIVED, Role.OWNER),
        _("Product archived: buyers no longer see it."), _("This product cannot be archived now."),
    )


@bp.route("/my/products/<int:product_id>/restore", methods=["POST"])
@role_required(Role.OWNER)
def restore_product(product_id: int):
    return _status_action(
        product_id, lambda p: services.change_status(p, ProductStatus.DRAFT, Role.OWNER),
        _("Product restored as a draft. Send it for review to publish it again."), _("This product cannot be restored."),
    )


@bp.route("/my/products/<int:product_id>/delete", methods=["GET", "POST"])
@role_required(Role.OWNER)
def delete_product(product_id: int):
    """GET asks to confirm (a mistaken tap on a phone must not lose a product); POST deletes."""
    product = owned_product_or_404(product_id)
    if request.method == "GET":
        return render_template("catalog/delete.html", product=product)
    services.delete_product(product)
    flash(_("Product deleted with its photos."), "success")
    return redirect(url_for("catalog.mine"))


@bp.route("/my/products/<int:product_id>/photos", methods=["GET", "POST"])
@role_required(Role.OWNER)
def photos(product_id: int):
    product = owned_product_or_404(product_id)
    form = PhotosForm()
    if form.validate_on_submit():
        ids = [photo.id for photo in product.photos]
        alt, order, delete = form.photo_changes(request.form, ids)
        media.set_alt_texts(product, alt)
        media.reorder_photos(product, order)
        media.delete_photos([photo for photo in product.photos if photo.id in delete])
        room = MAX_PHOTOS - len(product.photos)
        new, errors = stage_uploads(form.photos.data)
        if len(new) > room:
            media.delete_photos(new[room:])
            new = new[:room]
            errors.append(_("A product can have at most %(n)d photos.", n=MAX_PHOTOS))
        in_review = services.add_photos(product, new)
        if errors:
            form.photos.errors = errors
            flash(_("Some files were not accepted; the others have been saved."), "error")
            return render_template("catalog/photos.html", form=form, product=product)
        flash(_("New photos wait for the DKUPP's review.") if in_review else _("Photos saved."), "success")
        return redirect(url_for("catalog.photos", product_id=product.id))
    return render_template("catalog/photos.html", form=form, product=product)


def _report_limit() -> str:
    return current_app.config["REPORT_RATE_LIMIT"]


@bp.route("/products/<int:product_id>/report", methods=["GET", "POST"])
@limiter.limit(_report_limit, methods=["POST"])
def report_product(product_id: int):
    """Anyone may report a public product; the report goes to the queue of the product's region."""
    product = db.first_or_404(public_products().where(Product.id == product_id))
    form = ReportForm()
    if form.validate_on_submit():
        if not form.website.data:  # the honeypot stays empty for people; bots fill every field
            file_report(product, current_user.user if current_user.is_authenticated else None,
                        ReportReason(form.reason.data), form.note.data or "")
        flash(_("Thank you. The DKUPP of the seller's region will look at your report."), "success")
        return redirect(url_for("main.home"))
    return render_template("catalog/report.html", form=form, product=product)
from marketplace.catalog import public_views  # noqa: E402, F401  (registers the buyer-facing routes on bp)
