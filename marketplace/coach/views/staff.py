"""DKUPP's dormant sellers of its own region: the list by kecamatan with quality hints and the region's totals, and
each seller's follow-up page (log, reminder, archive, restore). Another region's business is a 404."""

from collections import defaultdict

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.coach import queries, services
from marketplace.coach.forms import EmptyForm, FollowUpForm, RestoreForm, StaffArchiveForm
from marketplace.coach.models import FollowUpKind
from marketplace.coach.quality import score_products
from marketplace.coach.views.blueprint import bp
from marketplace.models_base import utcnow
from marketplace.moderation.queries import business_in_region_or_404
from marketplace.timeutil import today


def _hints_by_business(business_ids) -> dict[int, dict]:
    """Business id -> its public products' count, average score and distinct hints (a fixed number of queries)."""
    products = queries.products_of(business_ids)
    qualities = score_products(products, today())
    summary = defaultdict(lambda: {"products": 0, "total": 0, "hints": {}})
    for product in products:
        entry, quality = summary[product.business_id], qualities[product.id]
        entry["products"] += 1
        entry["total"] += quality.score
        for hint in quality.hints:
            entry["hints"].setdefault(hint.code, hint)
    return {bid: {**entry, "score": round(entry["total"] / entry["products"]), "hints": list(entry["hints"].values())}
            for bid, entry in summary.items()}


@bp.route("/moderation/dormant")
@role_required(Role.MODERATOR)
def dormant():
    signal = request.args.get("signal", "inquiry")
    signal = signal if signal in queries.SIGNALS else "inquiry"
    now, region_code = utcnow(), current_user.region_code
    sellers = queries.dormant_sellers(region_code, now, signal)
    groups = defaultdict(list)
    for seller in sellers:
        groups[seller.business.kecamatan].append(seller)
    active, dormant_total = queries.totals_by_region(now, region_code).get(region_code, (0, 0))
    return render_template(
        "coach/dormant.html", region=current_user.region, signal=signal, signals=queries.SIGNALS, groups=groups,
        counts=queries.dormant_by_kecamatan(region_code, now, signal), sellers=sellers,
        hints=_hints_by_business([seller.business.id for seller in sellers]), active=active,
        dormant_total=dormant_total, snapshots=queries.snapshots(region_code), days=queries.DORMANT_DAYS,
        today=today(),
    )


def _seller_page(business, follow_form=None, archive_form=None):
    return render_template(
        "coach/seller.html", business=business, log=queries.follow_ups(business.id),
        summary=_hints_by_business([business.id]).get(business.id),
        responsiveness=queries.responsiveness(business.id, utcnow()), days=queries.RESPONSIVENESS_DAYS,
        follow_form=follow_form or FollowUpForm(), nudge_form=EmptyForm(), archive_form=archive_form or StaffArchiveForm(),
        restore_form=RestoreForm(), today=today(),
    )


@bp.route("/moderation/dormant/<int:business_id>", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def seller(business_id: int):
    business = business_in_region_or_404(current_user.user, business_id)
    form = FollowUpForm()
    if form.validate_on_submit():
        services.log_follow_up(current_user.user, business, FollowUpKind(form.kind.data), form.note.data or "")
        flash(_("Logged."), "success")
        return redirect(url_for("coach.seller", business_id=business.id))
    return _seller_page(business, follow_form=form)


@bp.route("/moderation/dormant/<int:business_id>/nudge", methods=["POST"])
@role_required(Role.MODERATOR)
def nudge(business_id: int):
    business = business_in_region_or_404(current_user.user, business_id)
    if EmptyForm().validate_on_submit():
        services.nudge(current_user.user, business, link=url_for("catalog.mine"),
                       inbox_url=url_for("notifications.index", _external=True), now=utcnow())
        flash(_("Reminder sent to the owner, in the app and by email."), "success")
    return redirect(url_for("coach.seller", business_id=business.id))


@bp.route("/moderation/dormant/<int:business_id>/archive", methods=["POST"])
@role_required(Role.MODERATOR)
def archive_seller(business_id: int):
    business = business_in_region_or_404(current_user.user, business_id)
    form = StaffArchiveForm()
    if not form.validate_on_submit():
        return _seller_page(business, archive_form=form)
    services.archive_business(current_user.user, business, form.reason.data, utcnow())
    flash(_("Archived: its products have left the public catalogue. You can restore it here."), "success")
    return redirect(url_for("coach.seller", business_id=business.id))


@bp.route("/moderation/dormant/<int:business_id>/restore", methods=["POST"])
@role_required(Role.MODERATOR)
def restore(business_id: int):
    business = business_in_region_or_404(current_user.user, business_id)
    form = RestoreForm()
    if form.validate_on_submit():
        services.restore_business(current_user.user, business, form.note.data or "")
        flash(_("Restored: its published products are public again."), "success")
    return redirect(url_for("coach.seller", business_id=business.id))
