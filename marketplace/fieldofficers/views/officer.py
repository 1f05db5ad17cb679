"""The field officer's own area: the owners they onboarded and have not claimed yet, with their businesses and
products; a new owner; the owner's consent; the claim link; the officer's own outcomes. Anything else is a 404."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.domain import DomainError
from marketplace.errors import form_refusal
from marketplace.fieldofficers import queries, services
from marketplace.fieldofficers.forms import ClaimLinkForm, ConsentForm, OwnerForm
from marketplace.fieldofficers.models import ConsentMethod
from marketplace.fieldofficers.views.blueprint import bp
from marketplace.media.documents import send_document
from marketplace.media.limits import upload_rate_limit
from marketplace.media.pipeline import ImageRejected
from marketplace.media.storage import StorageError
from marketplace.unit_of_work import rollback


@bp.route("/field/")
@role_required(Role.FIELD_OFFICER)
def index():
    officer = current_user.user
    owners = queries.open_owners(officer)
    outcome = next(iter(queries.outcomes(officer.region_code, officer_id=officer.id)), None)
    return render_template("fieldofficers/index.html", owners=owners, outcome=outcome,
                           businesses=queries.businesses_of(a.owner_id for a in owners), region=officer.region)


@bp.route("/field/owners/new", methods=["GET", "POST"])
@role_required(Role.FIELD_OFFICER)
def new_owner():
    form = OwnerForm()
    if form.validate_on_submit():
        try:
            assisted = services.register_owner(current_user.user, name=form.name.data, email=form.email.data,
                                               phone=getattr(form.phone, "normalised", None), locale=form.locale.data)
        except DomainError as error:
            form_refusal(form.email, error)
        else:
            flash(_("Account created for %(name)s. Now record their consent.", name=assisted.owner.name), "success")
            return redirect(url_for("fieldofficers.owner", assisted_id=assisted.id))
    return render_template("fieldofficers/new_owner.html", form=form)


def _owner_page(assisted, consent_form=None, claim_form=None, share_link=None, share_what=None):
    return render_template(
        "fieldofficers/owner.html", assisted=assisted, businesses=queries.businesses_of([assisted.owner_id])[assisted.owner_id],
        consent_form=consent_form or ConsentForm(consent_name=assisted.owner.name), claim_form=claim_form or ClaimLinkForm(),
        share_link=share_link, share_what=share_what, products_of=queries.products_of,
        days=current_app.config["ASSISTED_LINK_MAX_AGE"] // 86400)


@bp.route("/field/owners/<int:assisted_id>")
@role_required(Role.FIELD_OFFICER)
def owner(assisted_id: int):
    return _owner_page(queries.assisted_owner_or_404(current_user.user, assisted_id))


def _confirm_url(token: str) -> str:
    return url_for("fieldofficers.confirm_consent", token=token, _external=True)


def _claim_url(token: str) -> str:
    return url_for("fieldofficers.claim", token=token, _external=True)


@bp.route("/field/owners/<int:assisted_id>/consent", methods=["POST"])
@upload_rate_limit
@role_required(Role.FIELD_OFFICER)
def consent(assisted_id: int):
    assisted = queries.assisted_owner_or_404(current_user.user, assisted_id)
    form = ConsentForm()
    if not form.validate_on_submit():
        return _owner_page(assisted, consent_form=form), 422
    method = ConsentMethod(form.method.data)
    try:
        if method is ConsentMethod.SIGNED_FORM:
            upload = form.document.data
            services.record_signed_form(current_user.user, assisted, consent_name=form.consent_name.data,
                                        document=upload.read(current_app.config["MAX_PHOTO_BYTES"] + 1))
            flash(_("Consent recorded with the photo of the signed form."), "success")
            return redirect(url_for("fieldofficers.owner", assisted_id=assisted.id))
        share = services.request_consent(current_user.user, assisted, method=method,
                                         consent_name=form.consent_name.data, confirm_url=_confirm_url)
    except (ImageRejected, StorageError) as error:
        rollback()
        form.document.errors = [f"{form.document.data.filename}: {error.message}"]
        return _owner_page(assisted, consent_form=form), 422
    except services.NoPhone as error:
        form_refusal(form.method, error)
        return _owner_page(assisted, consent_form=form), 422
    if share is None:
        flash(_("The owner has been sent an email with a link to confirm their consent."), "success")
        return redirect(url_for("fieldofficers.owner", assisted_id=assisted.id))
    return _owner_page(assisted, consent_form=form, share_link=share, share_what="consent")


@bp.route("/field/owners/<int:assisted_id>/consent-form")
@role_required(Role.FIELD_OFFICER)
def consent_document(assisted_id: int):
    assisted = queries.assisted_owner_or_404(current_user.user, assisted_id)
    if not assisted.consent_document:
        return redirect(url_for("fieldofficers.owner", assisted_id=assisted.id))
    return send_document(assisted.consent_document)


@bp.route("/field/owners/<int:assisted_id>/claim-link", methods=["POST"])
@role_required(Role.FIELD_OFFICER)
def claim_link(assisted_id: int):
    assisted = queries.assisted_owner_or_404(current_user.user, assisted_id)
    form = ClaimLinkForm()
    if not form.validate_on_submit():
        return _owner_page(assisted, claim_form=form), 422
    try:
        share = services.send_claim_link(current_user.user, assisted, by=ConsentMethod(form.by.data),
                                         claim_url=_claim_url)
    except services.NoPhone as error:
        form_refusal(form.by, error)
        return _owner_page(assisted, claim_form=form), 422
    if share is None:
        flash(_("The owner has been sent an email with a link to take over the account; earlier links no longer work."),
              "success")
        return redirect(url_for("fieldofficers.owner", assisted_id=assisted.id))
    return _owner_page(assisted, claim_form=form, share_link=share, share_what="claim")
