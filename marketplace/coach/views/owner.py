"""The owner's coach page for one business: how quickly buyers are answered, holiday mode, archiving."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.businesses.queries import owned_business_or_404
from marketplace.coach import queries, services
from marketplace.coach.forms import AwayForm, EmptyForm, OwnerArchiveForm
from marketplace.coach.views.blueprint import bp
from marketplace.errors import form_refusal
from marketplace.i18n import long_date
from marketplace.models_base import utcnow
from marketplace.timeutil import today


def _page(business, away_form=None, archive_form=None, status=200):
    now = utcnow()
    return render_template(
        "coach/business.html", business=business, today=today(), days=queries.RESPONSIVENESS_DAYS,
        responsiveness=queries.responsiveness(business.id, now), away_form=away_form or AwayForm(),
        end_form=EmptyForm(), archive_form=archive_form or OwnerArchiveForm(),
    ), status


@bp.route("/my/businesses/<int:business_id>/coach")
@role_required(Role.OWNER)
def business(business_id: int):
    return _page(owned_business_or_404(current_user.user, business_id))


@bp.route("/my/businesses/<int:business_id>/away", methods=["POST"])
@role_required(Role.OWNER)
def set_away(business_id: int):
    business = owned_business_or_404(current_user.user, business_id)
    form = AwayForm()
    if not form.validate_on_submit():
        return _page(business, away_form=form)
    try:
        services.set_away(business, form.until.data, utcnow())
    except services.AwayDateRefused as error:
        form_refusal(form.until, error)
        return _page(business, away_form=form)
    flash(_("Holiday mode is on until %(date)s. Your pages say so to buyers.", date=long_date(form.until.data)),
          "success")
    return redirect(url_for("coach.business", business_id=business.id))


@bp.route("/my/businesses/<int:business_id>/away/end", methods=["POST"])
@role_required(Role.OWNER)
def end_away(business_id: int):
    business = owned_business_or_404(current_user.user, business_id)
    if EmptyForm().validate_on_submit():
        services.end_away(business, utcnow())
        flash(_("Welcome back: holiday mode is off."), "success")
    return redirect(url_for("coach.business", business_id=business.id))


@bp.route("/my/businesses/<int:business_id>/archive", methods=["POST"])
@role_required(Role.OWNER)
def archive(business_id: int):
    business = owned_business_or_404(current_user.user, business_id)
    form = OwnerArchiveForm()
    if not form.validate_on_submit():
        return _page(business, archive_form=form)
    services.archive_business(current_user.user, business, form.reason.data or "", utcnow())
    flash(_("The business is archived: buyers no longer see its products. Ask the DKUPP of your region to restore "
            "it if you trade again."), "success")
    return redirect(url_for("coach.business", business_id=business.id))
