"""A deal's page for its two businesses: confirm, log deliveries with their delivery note, confirm or dispute them,
close early. Deal and delivery ids of other businesses are 404."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.domain import DomainError
from marketplace.errors import form_refusal
from marketplace.media.documents import send_document
from marketplace.media.limits import upload_rate_limit
from marketplace.media.pipeline import ImageRejected
from marketplace.media.storage import StorageError
from marketplace.staples import deals as services
from marketplace.staples.forms import DeliveryForm, ReasonForm
from marketplace.staples.models import DealStatus
from marketplace.staples.queries import business_ids, owned_deal_or_404, owned_delivery_or_404
from marketplace.staples.views.blueprint import bp
from marketplace.timeutil import today
from marketplace.unit_of_work import rollback


def _links(deal_id: int) -> dict:
    return {"link": url_for("staples.deal", deal_id=deal_id), "inbox_url": url_for("notifications.index", _external=True)}


def _page(deal, ids, delivery_form=None, close_form=None, dispute_form=None, status=200):
    return render_template(
        "staples/deal.html", deal=deal, side=deal.side_of(ids), staff=False,
        delivery_form=delivery_form or DeliveryForm(data={"delivered_on": today()}), close_form=close_form or ReasonForm(prefix="close"),
        dispute_form=dispute_form or ReasonForm(prefix="dispute"), statuses=DealStatus), status


@bp.route("/my/staples/deals/<int:deal_id>")
@role_required(Role.OWNER)
def deal(deal_id: int):
    user = current_user.user
    return _page(owned_deal_or_404(user, deal_id), business_ids(user))


@bp.route("/my/staples/deals/<int:deal_id>/confirm", methods=["POST"])
@role_required(Role.OWNER)
def confirm(deal_id: int):
    user = current_user.user
    deal = owned_deal_or_404(user, deal_id)
    services.confirm_deal(user, business_ids(user), deal, **_links(deal.id))
    flash(_("Deal confirmed. Deliveries can be logged against it now."), "success")
    return redirect(url_for("staples.deal", deal_id=deal.id))


@bp.route("/my/staples/deals/<int:deal_id>/close", methods=["POST"])
@role_required(Role.OWNER)
def close(deal_id: int):
    user = current_user.user
    ids = business_ids(user)
    deal = owned_deal_or_404(user, deal_id)
    form = ReasonForm(prefix="close")
    if not form.validate_on_submit():
        return _page(deal, ids, close_form=form, status=422)
    services.close_deal(user, ids, deal, form.reason.data)
    flash(_("Deal closed."), "success")
    return redirect(url_for("staples.deal", deal_id=deal.id))


@bp.route("/my/staples/deals/<int:deal_id>/deliveries", methods=["POST"])
@upload_rate_limit
@role_required(Role.OWNER)
def log_delivery(deal_id: int):
    user = current_user.user
    ids = business_ids(user)
    deal = owned_deal_or_404(user, deal_id)
    form = DeliveryForm()
    if form.validate_on_submit():
        upload = form.note_photo.data
        data = upload.read(current_app.config["MAX_PHOTO_BYTES"] + 1) if upload and getattr(upload, "filename", "") else None
        try:
            services.log_delivery(user, ids, deal, delivered_on=form.delivered_on.data, quantity=form.quantity.data,
                                  quality=form.quality.data or "", received_by=form.received_by.data, note_photo=data,
                                  **_links(deal.id))
        except (ImageRejected, StorageError) as error:
            rollback()
            form.note_photo.errors = [f"{upload.filename}: {error.message}"]
        except DomainError as error:
            form_refusal(form.quantity, error)
        else:
            flash(_("Delivery logged. The other side confirms it."), "success")
            return redirect(url_for("staples.deal", deal_id=deal.id))
    return _page(deal, ids, delivery_form=form, status=422)


@bp.route("/my/staples/deliveries/<int:delivery_id>/confirm", methods=["POST"])
@role_required(Role.OWNER)
def confirm_delivery(delivery_id: int):
    user = current_user.user
    delivery = owned_delivery_or_404(user, delivery_id)
    services.confirm_delivery(user, business_ids(user), delivery)
    flash(_("Delivery confirmed."), "success")
    return redirect(url_for("staples.deal", deal_id=delivery.deal_id))


@bp.route("/my/staples/deliveries/<int:delivery_id>/dispute", methods=["POST"])
@role_required(Role.OWNER)
def dispute_delivery(delivery_id: int):
    user = current_user.user
    ids = business_ids(user)
    delivery = owned_delivery_or_404(user, delivery_id)
    form = ReasonForm(prefix="dispute")
    if not form.validate_on_submit():
        return _page(delivery.deal, ids, dispute_form=form, status=422)
    services.dispute_delivery(user, ids, delivery, form.reason.data)
    flash(_("Delivery disputed: its quantity is back on the deal."), "success")
    return redirect(url_for("staples.deal", deal_id=delivery.deal_id))


@bp.route("/my/staples/deliveries/<int:delivery_id>/note")
@role_required(Role.OWNER)
def delivery_note(delivery_id: int):
    delivery = owned_delivery_or_404(current_user.user, delivery_id)
    if not delivery.note_photo:
        abort(404)
    return send_document(delivery.note_photo)
