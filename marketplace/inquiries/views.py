"""Sending an inquiry (then the WhatsApp hand-off), the owner's inbox, the buyer's sent inquiries, and the thread
between them."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeTimedSerializer

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.catalog.queries import public_product_or_404
from marketplace.domain import DomainError
from marketplace.errors import form_refusal
from marketplace.extensions import db, limiter
from marketplace.inquiries import queries, services
from marketplace.inquiries.forms import InquiryForm, InquiryStatusForm, MessageForm
from marketplace.inquiries.models import Inquiry, InquiryStatus
from marketplace.inquiries.product_page import product_page_context
from marketplace.timeutil import today

bp = Blueprint("inquiries", __name__)

SENT_MAX_AGE = 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="inquiry-sent")


def _inquiry_limit() -> str:
    return current_app.config["INQUIRY_RATE_LIMIT"]


def _message_limit() -> str:
    return current_app.config["MESSAGE_RATE_LIMIT"]


@bp.route("/products/<int:product_id>/inquiry", methods=["POST"])
@limiter.shared_limit(_inquiry_limit, scope="inquiry")  # one budget with the booth pages' form (events)
def send(product_id: int):
    product = public_product_or_404(product_id)
    form = InquiryForm()
    if not form.validate_on_submit():
        # the product page again, with the form's errors and what was typed
        return render_template("catalog/product.html", **product_page_context(product, today(), form))
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


@bp.route("/my/inquiries")
@role_required(Role.OWNER, Role.BUYER)
def inbox():
    """An owner's inbox (the inquiries received); a buyer's inquiries sent."""
    user = current_user.user
    if user.role is not Role.OWNER:
        return _sent_list(user)
    status = request.args.get("status")
    status = InquiryStatus(status) if status in {s.value for s in InquiryStatus} else None
    inquiries = queries.received(user, status)
    return render_template("inquiries/inbox.html", inquiries=inquiries, unread=queries.unread_by_inquiry(user, inquiries),
                           status=status.value if status else None, statuses=list(InquiryStatus),
                           has_sent=queries.has_sent(user))


@bp.route("/my/inquiries/sent")
@role_required(Role.OWNER, Role.BUYER)
def sent_list():
    """The inquiries the user sent (an owner buys from other owners too)."""
    return _sent_list(current_user.user)


def _sent_list(user):
    inquiries = queries.sent(user)
    return render_template("inquiries/sent_list.html", inquiries=inquiries,
                           unread=queries.unread_by_inquiry(user, inquiries))


def _thread(inquiry: Inquiry, message_form: MessageForm, status_form: InquiryStatusForm | None = None):
    user = current_user.user
    owner_side = user.id == inquiry.business.owner_id
    if owner_side and status_form is None:
        status_form = InquiryStatusForm(status=inquiry.status.value)
    product_url = url_for("catalog.product", product_id=inquiry.product.id, slug=inquiry.product.slug, _external=True)
    return render_template(
        "inquiries/show.html", inquiry=inquiry, owner_side=owner_side, form=status_form, message_form=message_form,
        whatsapp=None if owner_side else services.whatsapp_link(inquiry, product_url),
        # a refused message is shown in its form with the reason, what was typed kept
        can_write=(not inquiry.conversation.closed and inquiry.buyer_id is not None) or bool(message_form.body.errors),
    )


@bp.route("/my/inquiries/<int:inquiry_id>", methods=["GET", "POST"])
@login_required
def show(inquiry_id: int):
    """The thread: the inquiry as its first message, then the messages; the owner also keeps its status."""
    user = current_user.user
    inquiry = queries.inquiry_of_party_or_404(user, inquiry_id)
    if request.method == "POST":
        if user.id != inquiry.business.owner_id:
            abort(403)  # the buyer sees the thread but does not keep the owner's books
        form = InquiryStatusForm()
        if form.validate_on_submit():
            services.set_status(inquiry, InquiryStatus(form.status.data))
            flash(_("Status saved."), "success")
            return redirect(url_for("inquiries.inbox"))
        return _thread(inquiry, MessageForm(), form)
    services.mark_read(inquiry, user)
    return _thread(inquiry, MessageForm())


@bp.route("/my/inquiries/<int:inquiry_id>/messages", methods=["POST"])
@login_required
@limiter.limit(_message_limit, key_func=lambda: f"message:{getattr(current_user, 'id', None)}")
def post_message(inquiry_id: int):
    """A message in the thread by the buyer or the owner."""
    user = current_user.user
    inquiry = queries.inquiry_of_party_or_404(user, inquiry_id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            services.reply(inquiry, user, form.body.data,
                           link=url_for("inquiries.show", inquiry_id=inquiry.id),
                           inbox_url=url_for("notifications.index", _external=True))
        except DomainError as error:
            form_refusal(form.body, error)
            inquiry = queries.inquiry_of_party_or_404(user, inquiry_id)
        else:
            flash(_("Message sent."), "success")
            return redirect(url_for("inquiries.show", inquiry_id=inquiry.id, _anchor="reply"))
    return _thread(inquiry, form), 422
