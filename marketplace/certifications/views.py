"""The owner's certifications: claim with a document, list with status, view the document, delete."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.businesses.queries import owned_business_or_404
from marketplace.catalog.models import Product
from marketplace.certifications import services
from marketplace.certifications.forms import CertificationForm, normalise_number
from marketplace.certifications.models import CertType
from marketplace.certifications.queries import owned_certification_or_404, owned_certifications
from marketplace.extensions import db
from marketplace.i18n import long_date
from marketplace.media.documents import send_document
from marketplace.media.limits import upload_rate_limit
from marketplace.media.pipeline import ImageRejected
from marketplace.media.storage import StorageError
from marketplace.timeutil import today
from marketplace.unit_of_work import rollback

bp = Blueprint("certifications", __name__)


@bp.route("/my/certifications")
@role_required(Role.OWNER)
def mine():
    return render_template("certifications/mine.html", certifications=owned_certifications(current_user.user), today=today())


@bp.route("/my/businesses/<int:business_id>/certifications/new", methods=["GET", "POST"])
@upload_rate_limit
@role_required(Role.OWNER)
def new(business_id: int):
    business = owned_business_or_404(current_user.user, business_id)
    products = db.session.scalars(db.select(Product).where(Product.business_id == business.id).order_by(Product.name)).all()
    form = CertificationForm(products=products)
    if form.validate_on_submit():
        product = next((p for p in products if str(p.id) == form.product.data), None)
        upload = form.document.data
        try:
            certification = services.claim_certification(
                business, product=product, cert_type=CertType(form.cert_type.data),
                number=normalise_number(form.cert_type.data, form.number.data), issuer=form.issuer.data,
                valid_until=form.valid_until.data, document=upload.read(current_app.config["MAX_PHOTO_BYTES"] + 1),
            )
        except (ImageRejected, StorageError) as error:
            rollback()  # a refused request changes nothing (the document is checked before anything is saved)
            form.document.errors = [f"{upload.filename}: {error.message}"]
        else:
            flash(_("Certificate recorded. The DKUPP of your region will verify it; the badge shows after that."), "success")
            _warn_about_expiry(certification)
            return redirect(url_for("certifications.mine"))
    return render_template("certifications/form.html", form=form, business=business)


def _warn_about_expiry(certification) -> None:
    """A claimed certificate that has expired, or expires within 30 days, gets a word when it is recorded."""
    expiry = certification.expiry(today())
    if expiry == "expired":
        flash(_("This certificate expired on %(date)s. No badge shows for an expired certificate: add the renewed one.",
                date=long_date(certification.valid_until)), "warning")
    elif expiry == "soon":
        flash(_("This certificate expires on %(date)s. The badge disappears after that day: add the renewed one when "
                "you get it.", date=long_date(certification.valid_until)), "warning")


@bp.route("/my/certifications/<int:certification_id>/document")
@role_required(Role.OWNER)
def document(certification_id: int):
    certification = owned_certification_or_404(current_user.user, certification_id)
    return send_document(certification.document)


@bp.route("/my/certifications/<int:certification_id>/delete", methods=["POST"])
@role_required(Role.OWNER)
def delete(certification_id: int):
    services.delete_certification(owned_certification_or_404(current_user.user, certification_id))
    flash(_("Certificate deleted."), "success")
    return redirect(url_for("certifications.mine"))
