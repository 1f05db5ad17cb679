"""A cooperative's member producers, for its owner: list, record with consent, edit, withdraw, the consent form."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.businesses.queries import owned_business_or_404
from marketplace.cooperatives import services
from marketplace.cooperatives.forms import MemberForm, WithdrawForm
from marketplace.cooperatives.models import ConsentMethod, ConsentScope, CooperativeMember
from marketplace.cooperatives.queries import members_of, owned_cooperative_or_404, owned_member_or_404
from marketplace.errors import form_refusal
from marketplace.media.documents import send_document
from marketplace.media.limits import upload_rate_limit
from marketplace.media.pipeline import ImageRejected
from marketplace.media.storage import StorageError

bp = Blueprint("cooperatives", __name__)


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="consent-document")


def _document(form: MemberForm) -> tuple[str | None, bool]:
    """The consent form's stored name: this request's upload (stored at once, so a form refused for another field
    keeps it), else the one carried from an earlier attempt; and False when the upload was refused."""
    upload = form.consent_document.data
    if upload and getattr(upload, "filename", ""):
        try:
            name = services.store_consent_document(upload.read(current_app.config["MAX_PHOTO_BYTES"] + 1))
        except (ImageRejected, StorageError) as error:
            form.consent_document.errors = [f"{upload.filename}: {error.message}"]
            return None, False
        form.document_token.data = _signer().dumps([current_user.user.id, name])
        return name, True
    try:
        user_id, name = _signer().loads(form.document_token.data or "")
    except (BadSignature, ValueError, TypeError):
        return None, True
    return (name, True) if user_id == current_user.user.id else (None, True)


def _fields(form: MemberForm) -> dict:
    return {
        "name": form.name.data, "desa": form.desa.data, "kecamatan": form.kecamatan.data,
        "commodities": form.commodities.data or "", "nib": form.nib.data or None,
        "consent_scope": ConsentScope(form.consent_scope.data), "consent_method": ConsentMethod(form.consent_method.data),
        "consent_note": form.consent_note.data or "",
    }


def _save(form: MemberForm, save) -> bool:
    """Validate the form with its consent form photo and run save(fields, document); False shows the form again with
    the messages beside the fields and everything typed (and a photo already sent) kept."""
    if not form.is_submitted():
        return False
    document, document_ok = _document(form)
    upload_errors = list(form.consent_document.errors)
    valid = form.validate()
    form.consent_document.errors = upload_errors  # validate() resets them
    if not (valid and document_ok):
        return False
    try:
        save(_fields(form), document)
    except services.ConsentIncomplete as error:
        method = form.consent_method.data
        form_refusal(form.consent_document if method == ConsentMethod.SIGNED_FORM.value else form.consent_note, error)
        return False
    return True


@bp.route("/my/businesses/<int:business_id>/members")
@role_required(Role.OWNER)
def index(business_id: int):
    business = owned_business_or_404(current_user.user, business_id)
    members = members_of(business, include_withdrawn=True) if business.is_cooperative else []
    return render_template("cooperatives/members.html", business=business, members=members)


@bp.route("/my/businesses/<int:business_id>/members/new", methods=["GET", "POST"])
@upload_rate_limit
@role_required(Role.OWNER)
def new(business_id: int):
    business = owned_cooperative_or_404(current_user.user, business_id)
    form = MemberForm()
    if _save(form, lambda fields, document: services.add_member(current_user.user, business, consent_document=document,
                                                                **fields)):
        flash(_("Member recorded with their consent."), "success")
        return redirect(url_for("cooperatives.index", business_id=business.id))
    return render_template("cooperatives/member_form.html", form=form, business=business, member=None)


@bp.route("/my/businesses/<int:business_id>/members/<int:member_id>/edit", methods=["GET", "POST"])
@upload_rate_limit
@role_required(Role.OWNER)
def edit(business_id: int, member_id: int):
    member = owned_member_or_404(current_user.user, business_id, member_id)
    if not member.active:
        flash(str(services.MemberWithdrawn.message), "error")
        return redirect(url_for("cooperatives.index", business_id=business_id))
    form = MemberForm(data={
        "name": member.name, "desa": member.desa, "kecamatan": member.kecamatan, "commodities": member.commodities,
        "nib": member.nib, "consent_scope": member.consent_scope.value, "consent_method": member.consent_method.value,
        "consent_note": member.consent_note,
    })
    if _save(form, lambda fields, document: services.update_member(current_user.user, member, consent_document=document,
                                                                   **fields)):
        flash(_("Member saved."), "success")
        return redirect(url_for("cooperatives.index", business_id=business_id))
    return render_template("cooperatives/member_form.html", form=form, business=member.business, member=member)


@bp.route("/my/businesses/<int:business_id>/members/<int:member_id>/withdraw", methods=["GET", "POST"])
@role_required(Role.OWNER)
def withdraw(business_id: int, member_id: int):
    """GET asks to confirm (a withdrawal cannot be undone); POST records it."""
    member = owned_member_or_404(current_user.user, business_id, member_id)
    form = WithdrawForm()
    if request.method == "POST" and form.validate_on_submit():
        services.withdraw_member(current_user.user, member, form.reason.data or "")
        flash(_("Consent withdrawn: nothing of this member is shown publicly any more."), "success")
        return redirect(url_for("cooperatives.index", business_id=business_id))
    return render_template("cooperatives/withdraw.html", form=form, member=member, business=member.business)


@bp.route("/my/businesses/<int:business_id>/members/<int:member_id>/consent-form")
@role_required(Role.OWNER)
def consent_document(business_id: int, member_id: int):
    member: CooperativeMember = owned_member_or_404(current_user.user, business_id, member_id)
    if not member.consent_document:
        abort(404)
    return send_document(member.consent_document)
