"""An office's pages, for its coordinator (and the region's DKUPP, admins): fulfilment of the month, headcount,
purchases logged with a receipt photo, quote requests for meeting catering."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.belabeli import fulfilment, purchases, queries, quotes, services
from marketplace.belabeli.forms import HeadcountForm, PurchaseForm, QuoteForm, ServantForm
from marketplace.belabeli.models import Office, RankBand
from marketplace.belabeli.views import bp, links
from marketplace.businesses.models import Business
from marketplace.catalog.models import Product
from marketplace.errors import form_refusal
from marketplace.extensions import db
from marketplace.media.documents import send_document
from marketplace.media.limits import upload_rate_limit
from marketplace.media.pipeline import ImageRejected
from marketplace.media.storage import StorageError
from marketplace.timeutil import today
from marketplace.unit_of_work import rollback

KEEPERS = (Role.OFFICE_COORDINATOR, Role.MODERATOR, Role.ADMIN)


def month_arg() -> str:
    """?month=YYYY-MM, or this month in Jakarta."""
    value = request.args.get("month", "")
    if len(value) == 7 and value[:4].isdigit() and value[4] == "-" and value[5:].isdigit() and 1 <= int(value[5:]) <= 12:
        return value
    return queries.month_of(today())


@bp.route("/office")
@role_required(Role.OFFICE_COORDINATOR)
def office_home():
    return redirect(url_for("belabeli.office", office_id=queries.office_or_404(current_user.user, current_user.office_id).id))


def _office_page(office: Office, status: int = 200, headcount_form: HeadcountForm | None = None,
                 servant_form: ServantForm | None = None):
    month = month_arg()
    return render_template(
        "belabeli/office.html", office=office, month=month, row=next(iter(fulfilment.by_office(office.programme, month,
                                                                                               office.id)), None),
        purchases=queries.office_purchases(office, month), quotes=queries.office_quotes(office), bands=list(RankBand),
        headcount_form=headcount_form or HeadcountForm(formdata=None, data={b.value: office.headcount(b) for b in RankBand}),
        servants=queries.office_servants(office), servant_form=servant_form or ServantForm(formdata=None),
    ), status


@bp.route("/bela-beli/offices/<int:office_id>")
@role_required(*KEEPERS)
def office(office_id: int):
    return _office_page(queries.office_or_404(current_user.user, office_id))


@bp.route("/bela-beli/offices/<int:office_id>/headcount", methods=["POST"])
@role_required(*KEEPERS)
def headcount(office_id: int):
    office = queries.office_or_404(current_user.user, office_id)
    form = HeadcountForm()
    if not form.validate_on_submit():
        return _office_page(office, 422, form)
    services.set_headcount(current_user.user, office, form.counts())
    flash(_("Headcount saved."), "success")
    return redirect(url_for("belabeli.office", office_id=office.id))


def _purchase_form(office: Office, *, own_band: bool = False) -> PurchaseForm:
    form = PurchaseForm()
    if own_band:  # a civil servant's band comes from their account
        del form.band
    sellers = db.session.scalars(purchases.counting_sellers(office.programme.region_code).order_by(Business.name))
    form.business.choices = [("", _("— choose the seller —"))] + [(str(b.id), b.name) for b in sellers]
    chosen = form.business.data if (form.business.data or "").isdigit() else None
    form.products.choices = [(str(p.id), p.name) for p in seller_products(int(chosen))] if chosen else []
    return form


def seller_products(business_id: int) -> list[Product]:
    return list(db.session.scalars(db.select(Product).where(Product.business_id == business_id,
                                                            Product.public.is_(True)).order_by(Product.name)))


def purchase_page(office: Office, *, own_band: bool, done: str):
    """The purchase form for an office: "show the seller's products" (the step without JavaScript) re-renders it
    with what was typed; a valid post logs the purchase and goes to done."""
    form = _purchase_form(office, own_band=own_band)
    if request.method == "POST" and request.form.get("choose"):
        return render_template("belabeli/purchase_form.html", form=form, office=office, own_band=own_band), 200
    if form.validate_on_submit():
        upload = form.receipt.data
        if not upload or not getattr(upload, "filename", ""):
            form.receipt.errors = [_("Add a photo of the receipt.")]
        else:
            try:
                purchases.log_purchase(
                    current_user.user, office, business_id=int(form.business.data), product_ids=form.product_ids(),
                    amount=form.amount.data, bought_on=form.bought_on.data,
                    band=RankBand(current_user.rank_band if own_band else form.band.data),
                    receipt=upload.read(current_app.config["MAX_PHOTO_BYTES"] + 1), note=form.note.data or "",
                    today=today(), links=links("belabeli.mine"))
            except (ImageRejected, StorageError) as error:
                rollback()
                form.receipt.errors = [str(error.message) if hasattr(error, "message") else _("The photo could not be stored.")]
            except purchases.ReceiptRefused as refusal:
                form_refusal(form.receipt, refusal)
            except services.BelaBeliRefused as refusal:
                form_refusal(form.business, refusal)
            else:
                flash(_("Purchase logged. It counts once the seller confirms it."), "success")
                return redirect(done)
    return render_template("belabeli/purchase_form.html", form=form, office=office, own_band=own_band), \
        422 if form.is_submitted() else 200


@bp.route("/bela-beli/offices/<int:office_id>/purchases/new", methods=["GET", "POST"])
@upload_rate_limit
@role_required(*KEEPERS)
def new_purchase(office_id: int):
    office = queries.office_or_404(current_user.user, office_id)
    return purchase_page(office, own_band=False, done=url_for("belabeli.office", office_id=office.id))


@bp.route("/bela-beli/purchases/<int:purchase_id>/receipt")
@role_required(*KEEPERS, Role.CIVIL_SERVANT)
def receipt(purchase_id: int):
    return send_document(queries.office_purchase_or_404(current_user.user, purchase_id).receipt)


def _quote_form(office: Office) -> QuoteForm:
    form = QuoteForm()
    form.sellers.choices = [(str(b.id), b.name) for b in quotes.food_sellers(office.programme.region_code)]
    return form


@bp.route("/bela-beli/offices/<int:office_id>/quotes/new", methods=["GET", "POST"])
@role_required(*KEEPERS)
def new_quote(office_id: int):
    office = queries.office_or_404(current_user.user, office_id)
    form = _quote_form(office)
    if form.validate_on_submit():
        try:
            quote = quotes.request_quote(current_user.user, office.programme, office, what=form.what.data,
                                         quantity=form.quantity.data, needed_on=form.needed_on.data,
                                         budget=form.budget.data, occasion=form.occasion.data or "",
                                         business_ids=form.seller_ids(), today=today(), links=links("belabeli.mine"))
        except services.BelaBeliRefused as refusal:
            form_refusal(form.sellers, refusal)
        else:
            flash(_("Quote request sent to %(n)d sellers.", n=len(quote.offers)), "success")
            return redirect(url_for("belabeli.quote", quote_id=quote.id))
    return render_template("belabeli/quote_form.html", form=form, back_url=url_for("belabeli.office", office_id=office.id),
                           back_label=office.name), 422 if form.is_submitted() else 200


@bp.route("/bela-beli/quotes/<int:quote_id>")
@role_required(*KEEPERS)
def quote(quote_id: int):
    quote = queries.quote_or_404(current_user.user, quote_id)
    offers = sorted(quote.offers, key=lambda o: (o.price is None, o.price or 0))
    return render_template("belabeli/quote.html", quote=quote, offers=offers)


@bp.route("/bela-beli/quotes/<int:quote_id>/offers/<int:offer_id>/accept", methods=["POST"])
@role_required(*KEEPERS)
def accept_offer(quote_id: int, offer_id: int):
    quote = queries.quote_or_404(current_user.user, quote_id)
    offer = next((o for o in quote.offers if o.id == offer_id), None)
    if offer is None:
        abort(404)
    quotes.accept_offer(current_user.user, quote, offer, links=links("belabeli.quote", quote_id=quote.id),
                        seller_links=links("belabeli.mine"))
    flash(_("Offer accepted; the sellers have been told."), "success")
    return redirect(url_for("belabeli.quote", quote_id=quote.id))
