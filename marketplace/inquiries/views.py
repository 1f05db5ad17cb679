"""Sending an inquiry (then the WhatsApp hand-off), and the owner's inbox."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.businesses.models import Business
from marketplace.catalog.queries import product_page, public_product_or_404
from marketplace.extensions import db, limiter
from marketplace.inquiries import services
from marketplace.inquiries.forms import InquiryForm, InquiryStatusForm
from marketplace.inquiries.models import Inquiry, InquiryStatus
from marketplace.showcases.queries import live_showcases_with
from marketplace.timeutil import today

bp = Blueprint("inquiries", __name__)

SENT_MAX_AGE = 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="inquiry-sent")


def _inquiry_limit() -> str:
    return current_app.config["INQUIRY_RATE_LIMIT"]


@bp.route("/products/<int:product_id>/inquiry", methods=["POST"])
@limiter.limit(_inquiry_limit)
def send(product_id: int):
    product = public_product_or_404(product_id)
    form = InquiryForm()
    if not form.validate_on_submit():
        # the product page again, with the form's errors and what was typed
        on = today()
        return render_template("catalog/product.html", product=product, form=form,
                               showcases=live_showcases_with(on, product_id=product.id), **product_page(product, on))
    if form.website.data:  # the honeypot: look like success, store nothing
        return redirect(url_for("catalog.product", product_id=product.id, slug=product.slug))
    inquiry = services.send_inquiry(
        product, buyer=current_user.user if current_user.is_authenticated else None, name=form.name.data,
        contact=form.contact.normalised, quantity=form.quantity.data, message=form.message.data or "",
        buyer_region_code=form.region.data, link_for=lambda inquiry_id: url_for("inquiries.show", inquiry_id=inquiry_id),
        inbox_url=url_for("notifications.index", _external=True),
    )
    return redirect(url_for("inquiries.sent", token=_serializer().dumps(inquiry.id)))


@bp.route("/inquiries/sent/<token>")
def sent(token: str):
    """The confirmation with the WhatsApp hand-off; the signed token keeps other people's inquiries private."""
    try:
        inquiry_id = _serializer().loads(token, max_age=SENT_MAX_AGE)
    except BadSignature:
        abort(404)
    inquiry = db.get_or_404(Inquiry, inquiry_id)
    product_url = url_for("catalog.product", product_id=inquiry.product.id, slug=inquiry.product.slug, _external=True)
    return render_template("inquiries/sent.html", inquiry=inquiry, whatsapp=services.whatsapp_link(inquiry, product_url))


def _owned_inquiries(owner):
    return (db.select(Inquiry).join(Inquiry.business).where(Business.owner_id == owner.id)
            .options(selectinload(Inquiry.product), selectinload(Inquiry.buyer_region), selectinload(Inquiry.member)))


@bp.route("/my/inquiries")
@role_required(Role.OWNER)
def inbox():
    status = request.args.get("status")
    stmt = _owned_inquiries(current_user.user).order_by(Inquiry.created_at.desc(), Inquiry.id.desc()).limit(200)
    if status in {s.value for s in InquiryStatus}:
        stmt = stmt.where(Inquiry.status == InquiryStatus(status))
    return render_template("inquiries/inbox.html", inquiries=db.session.scalars(stmt).all(), status=status,
                           statuses=list(InquiryStatus))


@bp.route("/my/inquiries/<int:inquiry_id>", methods=["GET", "POST"])
@role_required(Role.OWNER)
def show(inquiry_id: int):
    inquiry = db.session.scalar(_owned_inquiries(current_user.user).where(Inquiry.id == inquiry_id))
    if inquiry is None:
        abort(404)
    services.mark_read(inquiry)
    form = InquiryStatusForm(status=inquiry.status.value)
    if form.validate_on_submit():
        services.set_status(inquiry, InquiryStatus(form.status.data))
        flash(_("Status saved."), "success")
        return redirect(url_for("inquiries.inbox"))
    return render_template("inquiries/show.html", inquiry=inquiry, form=form)
