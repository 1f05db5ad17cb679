"""The region's DKUPP (moderators): its region's businesses' requests and outcomes, read only, and a recommendation
note the institution sees."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.institutions import queries
from marketplace.institutions import service_requests as services
from marketplace.institutions.forms import RecommendationForm
from marketplace.institutions.views.blueprint import bp
from marketplace.institutions.views.common import waited


@bp.route("/moderation/service-requests")
@role_required(Role.MODERATOR)
def region_requests():
    return render_template("institutions/dkupp/index.html", requests=queries.region_requests(current_user.user),
                           region=current_user.region, waited=waited)


@bp.route("/moderation/service-requests/<int:request_id>", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def region_request(request_id: int):
    item = queries.region_request_or_404(current_user.user, request_id)
    form = RecommendationForm(data={"recommendation": item.recommendation})
    if form.validate_on_submit():
        services.recommend(current_user.user, item, form.recommendation.data)
        flash(_("Recommendation saved; the institution sees it with the request."), "success")
        return redirect(url_for("institutions.region_request", request_id=request_id))
    return render_template("institutions/dkupp/request.html", item=item, form=form, waited=waited(item))
