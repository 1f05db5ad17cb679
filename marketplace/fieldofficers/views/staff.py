"""The region's moderators: their field officers' outcomes (owners onboarded and claimed, businesses onboarded,
products published, first inquiries) and inviting a new field officer of their region. Admins invite field officers
of any region from the admin's staff form."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts import invitations
from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.domain import DomainError
from marketplace.errors import form_refusal
from marketplace.fieldofficers import queries
from marketplace.fieldofficers.forms import InviteOfficerForm
from marketplace.fieldofficers.views.blueprint import bp


@bp.route("/moderation/field-officers")
@role_required(Role.MODERATOR)
def outcomes():
    return render_template("fieldofficers/outcomes.html", region=current_user.region,
                           outcomes=queries.outcomes(current_user.region_code))


@bp.route("/moderation/field-officers/new", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def invite():
    form = InviteOfficerForm()
    if form.validate_on_submit():
        try:
            user = invitations.invite_staff(
                email=form.email.data, name=form.name.data, role=Role.FIELD_OFFICER, locale=form.locale.data,
                region_code=current_user.region_code, actor=current_user.user,
                invite_url=lambda token: url_for("accounts.accept_invitation", token=token, _external=True))
        except DomainError as error:
            form_refusal(form.email, error)
        else:
            flash(_("Field officer account created; %(email)s has been sent a link to choose a password.",
                    email=user.email), "success")
            return redirect(url_for("fieldofficers.outcomes"))
    return render_template("fieldofficers/invite.html", form=form, region=current_user.region,
                           hours=current_app.config["STAFF_INVITATION_MAX_AGE"] // 3600)
