"""Staff pages of a region's DKUPP: the review queue of posts, the matches and deals of the region, why a pair does not
match, and the CSV export of deals and deliveries. A moderator sees a deal when either side is of their region; any
other id is a 404."""

import csv
import io

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.cooperatives.queries import member_attribution
from marketplace.domain import ReasonRequired
from marketplace.errors import form_refusal
from marketplace.extensions import db
from marketplace.forms_common import as_integer
from marketplace.media.documents import send_document
from marketplace.regions.models import Region
from marketplace.staples import posts as post_services
from marketplace.staples.forms import DecisionForm
from marketplace.staples.match_store import stored_matches
from marketplace.staples.matching import explain
from marketplace.staples.models import DealStatus, StaplesPost
from marketplace.staples.queries import (
    deal_in_region_or_404,
    delivery_in_region_or_404,
    post_in_region_or_404,
    reference_bands,
    region_deals,
    region_deliveries,
    review_queue,
)
from marketplace.staples.views.blueprint import bp
from marketplace.timeutil import today


@bp.route("/moderation/staples")
@role_required(Role.MODERATOR)
def staff_index():
    code = current_user.region_code
    return render_template("staples/staff.html", region=db.session.get(Region, code), queue=review_queue(code),
                           matches=stored_matches(today(), region_code=code), deals=region_deals(code))


@bp.route("/moderation/staples/posts/<int:post_id>", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def review(post_id: int):
    user = current_user.user
    post = post_in_region_or_404(user, post_id)
    form = DecisionForm(data={"version": post.version})
    if form.validate_on_submit():
        try:
            post_services.review_post(user, post, form.action.data, form.reason.data or "",
                                      as_integer(str(form.version.data or "")),
                                      link=url_for("staples.mine"), inbox_url=url_for("notifications.index", _external=True))
        except ReasonRequired as error:
            form_refusal(form.reason, error)
        else:
            flash(_("Decision saved."), "success")
            return redirect(url_for("staples.staff_index"))
    return render_template("staples/review.html", post=post, form=form, subject=post_services.under_review(post),
                           proposed=post_services.proposed_content(post), bands=reference_bands())


@bp.route("/moderation/staples/pairs")
@role_required(Role.MODERATOR)
def pair():
    """Why two posts do (or do not) match: each rule and whether it held. One of them must be of the region."""
    offer_id, need_id = as_integer(request.args.get("offer", "")), as_integer(request.args.get("need", ""))
    rules = offer = need = None
    if offer_id is not None and need_id is not None:
        offer, need = db.session.get(StaplesPost, offer_id), db.session.get(StaplesPost, need_id)
        if offer is None or need is None or current_user.region_code not in {offer.region_code, need.region_code}:
            abort(404)
        # the other region's post only if it has been public: its drafts, refusals and pending posts are its own
        # region's business (review of wave 2: the tool showed them, and its rules told their prices apart)
        if any(post.region_code != current_user.region_code and post.published_at is None for post in (offer, need)):
            abort(404)
        rules = explain(offer.id, need.id, today())
    return render_template("staples/pair.html", offer=offer, need=need, rules=rules,
                           offer_id=request.args.get("offer", "")[:12], need_id=request.args.get("need", "")[:12])


@bp.route("/moderation/staples/deals/<int:deal_id>")
@role_required(Role.MODERATOR)
def staff_deal(deal_id: int):
    deal = deal_in_region_or_404(current_user.user, deal_id)
    return render_template("staples/deal.html", deal=deal, side=None, staff=True, statuses=DealStatus)


@bp.route("/moderation/staples/deliveries/<int:delivery_id>/note")
@role_required(Role.MODERATOR)
def staff_delivery_note(delivery_id: int):
    delivery = delivery_in_region_or_404(current_user.user, delivery_id)
    if not delivery.note_photo:
        abort(404)
    return send_document(delivery.note_photo)


def _cell(value) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: prefix them so they stay text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(name: str, header: list[str], rows) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return Response(buffer.getvalue(), mimetype="text/csv", headers={"Content-Disposition": f"attachment; filename={name}"})


def _producer(deal) -> list[str]:
    """The member producer's name, desa and kecamatan as far as their consent allows now (blank where it does not)."""
    who = member_attribution(deal.member)
    return [who.name or "", who.desa, who.kecamatan] if who else ["", "", ""]


@bp.route("/moderation/staples/deals.csv")
@role_required(Role.MODERATOR)
def deals_csv():
    rows = ([d.id, d.commodity.code, d.seller.name, d.seller_region_code, *_producer(d), d.buyer.name,
             d.buyer_region_code, d.volume, d.remaining, d.commodity.base_unit, d.unit_price, d.starts_on, d.ends_on,
             d.delivery_terms.value, d.transport_by.value, d.status.value, d.close_reason]
            for d in region_deals(current_user.region_code))
    return _csv("staples-deals.csv", ["deal", "commodity", "seller", "seller_region", "producer", "producer_desa",
                                      "producer_kecamatan", "buyer", "buyer_region", "volume", "remaining", "unit",
                                      "unit_price_rp", "from", "until", "delivery", "transport", "status",
                                      "close_reason"], rows)


@bp.route("/moderation/staples/deliveries.csv")
@role_required(Role.MODERATOR)
def deliveries_csv():
    rows = ([d.deal_id, d.id, d.deal.commodity.code, d.delivered_on, d.quantity, d.deal.commodity.base_unit, d.quality,
             d.received_by, d.status.value, d.seller_confirmed, d.buyer_confirmed]
            for d in region_deliveries(current_user.region_code))
    return _csv("staples-deliveries.csv", ["deal", "delivery", "commodity", "delivered_on", "quantity", "unit", "quality",
                                           "received_by", "status", "seller_confirmed", "buyer_confirmed"], rows)


