"""The seller's area: purchases naming their businesses (confirm or dispute) and quote requests (answer)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.belabeli import purchases, queries, quotes
from marketplace.belabeli.forms import AnswerForm, DisputeForm
from marketplace.belabeli.views import bp, links
from marketplace.errors import form_refusal
from marketplace.media.documents import send_document


def _page(status: int = 200, **forms):
    user = current_user.user
    return render_template("belabeli/seller.html", purchases=queries.seller_purchases(user),
                           offers=queries.seller_offers(user), dispute_form=forms.get("dispute_form") or DisputeForm(),
                           answer_form=forms.get("answer_form") or AnswerForm(), failed=forms.get("failed")), status


@bp.route("/my/bela-beli")
@role_required(Role.OWNER)
def mine():
    return _page()


@bp.route("/my/bela-beli/purchases/<int:purchase_id>/confirm", methods=["POST"])
@role_required(Role.OWNER)
def confirm(purchase_id: int):
    purchase = queries.seller_purchase_or_404(current_user.user, purchase_id)
    purchases.confirm_purchase(current_user.user, purchase)
    flash(_("Purchase confirmed. It now counts for the office."), "success")
    return redirect(url_for("belabeli.mine"))


@bp.route("/my/bela-beli/purchases/<int:purchase_id>/dispute", methods=["POST"])
@role_required(Role.OWNER)
def dispute(purchase_id: int):
    purchase = queries.seller_purchase_or_404(current_user.user, purchase_id)
    form = DisputeForm()
    if not form.validate_on_submit():
        return _page(422, dispute_form=form, failed=purchase.id)
    purchases.dispute_purchase(current_user.user, purchase, form.reason.data,
                               links("belabeli.office", office_id=purchase.office_id))
    flash(_("Purchase disputed. It does not count; the office has been told."), "success")
    return redirect(url_for("belabeli.mine"))


@bp.route("/my/bela-beli/purchases/<int:purchase_id>/receipt")
@role_required(Role.OWNER)
def seller_receipt(purchase_id: int):
    return send_document(queries.seller_purchase_or_404(current_user.user, purchase_id).receipt)


@bp.route("/my/bela-beli/offers/<int:offer_id>", methods=["POST"])
@role_required(Role.OWNER)
def answer(offer_id: int):
    offer = queries.seller_offer_or_404(current_user.user, offer_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            quotes.answer_quote(current_user.user, offer, price=form.price.data, note=form.note.data or "",
                                links=links("belabeli.quote", quote_id=offer.quote_id))
        except purchases.BelaBeliRefused as refusal:
            form_refusal(form.price, refusal)
        else:
            flash(_("Your answer has been sent."), "success")
            return redirect(url_for("belabeli.mine"))
    return _page(422, answer_form=form, failed=f"offer-{offer.id}")
