"""Civil servants with their own account: their purchases and monthly progress against their band's minimum; their
office's coordinator invites them. The seller's products for the purchase form (its small script asks for them)."""

from flask import flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.belabeli import purchases, queries, services
from marketplace.belabeli.forms import ServantForm
from marketplace.belabeli.models import RankBand
from marketplace.belabeli.views import bp
from marketplace.belabeli.views.office import KEEPERS, _office_page, month_arg, purchase_page, seller_products
from marketplace.belabeli.views.staff import _invite_url
from marketplace.businesses.models import Business
from marketplace.domain import DomainError
from marketplace.errors import form_refusal
from marketplace.extensions import db
from marketplace.media.limits import upload_rate_limit


@bp.route("/bela-beli/me")
@role_required(Role.CIVIL_SERVANT)
def my_purchases():
    office = queries.logging_office_or_404(current_user.user, current_user.office_id)
    month = month_arg()
    confirmed, minimum = queries.servant_progress(current_user.user, office, month)
    return render_template("belabeli/servant.html", office=office, month=month, confirmed=confirmed, minimum=minimum,
                           band=RankBand(current_user.rank_band),
                           purchases=queries.servant_purchases(current_user.user, month))


@bp.route("/bela-beli/me/purchases/new", methods=["GET", "POST"])
@upload_rate_limit
@role_required(Role.CIVIL_SERVANT)
def my_new_purchase():
    office = queries.logging_office_or_404(current_user.user, current_user.office_id)
    return purchase_page(office, own_band=True, done=url_for("belabeli.my_purchases"))


@bp.route("/bela-beli/offices/<int:office_id>/servants", methods=["POST"])
@role_required(*KEEPERS)
def invite_servant(office_id: int):
    office = queries.office_or_404(current_user.user, office_id)
    form = ServantForm()
    if form.validate_on_submit():
        try:
            user = services.invite_civil_servant(current_user.user, office, email=form.email.data, name=form.name.data,
                                                 band=RankBand(form.band.data), locale=form.locale.data,
                                                 invite_url=_invite_url)
        except DomainError as error:
            form_refusal(form.email, error)
        else:
            flash(_("%(email)s has been sent a link to choose a password.", email=user.email), "success")
            return redirect(url_for("belabeli.office", office_id=office.id))
    return _office_page(office, 422, servant_form=form)


@bp.route("/bela-beli/offices/<int:office_id>/sellers/<int:business_id>/products")
@role_required(*KEEPERS, Role.CIVIL_SERVANT)
def seller_products_json(office_id: int, business_id: int):
    """The public products of a seller that counts in the office's programme, for the purchase form's script."""
    office = queries.logging_office_or_404(current_user.user, office_id)
    seller = db.session.scalar(purchases.counting_sellers(office.programme.region_code).where(Business.id == business_id))
    if seller is None:
        return jsonify(products=[]), 404
    return jsonify(products=[{"id": p.id, "name": p.name} for p in seller_products(seller.id)])
