"""The owner's side, reached through the links the officer sent: confirm consent (a GET shows what is asked, only a
POST records it: link previewers must not consent for anyone) and claim the account by choosing a password."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.forms import ResetPasswordForm
from marketplace.accounts.models import Role
from marketplace.accounts.sessions import log_out, start_session
from marketplace.extensions import limiter
from marketplace.fieldofficers import services
from marketplace.fieldofficers.forms import ConfirmForm
from marketplace.fieldofficers.links import assisted_for_claim_token, assisted_for_consent_token
from marketplace.fieldofficers.views.blueprint import bp


def _not_for_officers() -> None:
    """The links are the owner's: a field officer (or other staff) logged in in this browser cannot use them."""
    if current_user.is_authenticated and current_user.role is not Role.OWNER:
        abort(403)


@bp.route("/assisted/consent/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def confirm_consent(token: str):
    _not_for_officers()
    assisted = assisted_for_consent_token(token)
    if assisted is None:
        return render_template("fieldofficers/link_invalid.html"), 404
    form = ConfirmForm()
    if form.validate_on_submit():
        services.confirm_consent(assisted)
        return render_template("fieldofficers/consent_given.html", assisted=assisted)
    return render_template("fieldofficers/confirm_consent.html", assisted=assisted, form=form)


@bp.route("/assisted/claim/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def claim(token: str):
    _not_for_officers()
    assisted = assisted_for_claim_token(token)
    if assisted is None:
        return render_template("fieldofficers/link_invalid.html"), 404
    owner = assisted.owner
    form = ResetPasswordForm(account=owner)
    if form.validate_on_submit():
        services.claim_account(assisted, form.password.data)
        log_out()  # whoever was logged in in this browser
        start_session(owner)
        flash(_("Welcome, %(name)s! The account is yours now; the field officer no longer has access to it.",
                name=owner.name), "success")
        return redirect(url_for("businesses.mine"))
    return render_template("fieldofficers/claim.html", assisted=assisted, form=form)
