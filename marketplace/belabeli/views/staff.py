"""The region's DKUPP (and admins): the programme's settings, its offices and their coordinators, fulfilment per
office and month with the sellers to spread purchases to, purchases waiting too long, and the CSV report."""

import csv
import io

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.belabeli import fulfilment, queries, quotes, services
from marketplace.belabeli.forms import CoordinatorForm, OfficeForm, ProgrammeForm, QuoteForm
from marketplace.belabeli.models import OfficeKind
from marketplace.belabeli.views import bp, links
from marketplace.belabeli.views.office import month_arg
from marketplace.domain import DomainError
from marketplace.errors import form_refusal
from marketplace.extensions import db
from marketplace.models_base import utcnow
from marketplace.regions.models import Region
from marketplace.timeutil import today

STAFF = (Role.MODERATOR, Role.ADMIN)


def _invite_url(token: str) -> str:
    return url_for("accounts.accept_invitation", token=token, _external=True)


@bp.route("/moderation/bela-beli")
@role_required(*STAFF)
def staff_index():
    if current_user.role is Role.MODERATOR:
        return redirect(url_for("belabeli.programme", code=current_user.region_code))
    code = request.args.get("code", "").strip()
    if code and db.session.get(Region, code) is not None:
        return redirect(url_for("belabeli.programme", code=code))
    return render_template("belabeli/staff_index.html", programmes=queries.programmes())


def _programme_page(code: str, status: int = 200, **forms):
    if db.session.get(Region, code) is None:
        abort(404)
    programme = queries.programme_of(code)
    month = month_arg()
    data = {}
    if programme is not None:
        data = {"rows": fulfilment.by_office(programme, month), "sellers": fulfilment.sellers(programme, month),
                "flagged": queries.flagged_purchases(programme, utcnow()), "months": fulfilment.months(programme),
                "quotes": queries.programme_quotes(programme)}
    if "programme_form" not in forms:
        values = ({"legal_basis": programme.legal_basis, "starts_on": programme.starts_on, "ends_on": programme.ends_on,
                   "purchase_points": programme.purchase_points, "flag_after_days": programme.flag_after_days,
                   **{row.band.value: row.minimum for row in programme.bands}} if programme else {})
        forms["programme_form"] = ProgrammeForm(formdata=None, data=values) if programme else ProgrammeForm(formdata=None)
    forms.setdefault("office_form", OfficeForm(formdata=None))
    forms.setdefault("coordinator_form", CoordinatorForm(formdata=None))
    return render_template("belabeli/programme.html", code=code, programme=programme, month=month, **data,
                           **forms), status


@bp.route("/moderation/bela-beli/<code>", methods=["GET", "POST"])
@role_required(*STAFF)
def programme(code: str):
    code = queries.staff_region_or_404(current_user.user, code)
    if request.method == "GET":
        return _programme_page(code)
    form = ProgrammeForm()
    if form.validate_on_submit():
        try:
            services.save_programme(current_user.user, code, legal_basis=form.legal_basis.data,
                                    starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                                    purchase_points=form.purchase_points.data or "",
                                    flag_after_days=form.flag_after_days.data, minimums=form.minimums())
        except services.BelaBeliRefused as refusal:
            form_refusal(form.ends_on, refusal)
        else:
            flash(_("Programme saved."), "success")
            return redirect(url_for("belabeli.programme", code=code))
    return _programme_page(code, 422, programme_form=form)


@bp.route("/moderation/bela-beli/<code>/offices", methods=["POST"])
@role_required(*STAFF)
def add_office(code: str):
    code = queries.staff_region_or_404(current_user.user, code)
    programme = queries.programme_of(code)
    if programme is None:
        return redirect(url_for("belabeli.programme", code=code))
    form = OfficeForm()
    if form.validate_on_submit():
        try:
            services.add_office(current_user.user, programme, name=form.name.data, kind=OfficeKind(form.kind.data))
        except services.BelaBeliRefused as refusal:
            form_refusal(form.name, refusal)
        else:
            flash(_("Office added."), "success")
            return redirect(url_for("belabeli.programme", code=code))
    return _programme_page(code, 422, office_form=form)


@bp.route("/moderation/bela-beli/offices/<int:office_id>/coordinator", methods=["POST"])
@role_required(*STAFF)
def invite_coordinator(office_id: int):
    office = queries.office_or_404(current_user.user, office_id)
    form = CoordinatorForm()
    if form.validate_on_submit():
        try:
            user = services.invite_coordinator(current_user.user, office, email=form.email.data, name=form.name.data,
                                               locale=form.locale.data, invite_url=_invite_url)
        except DomainError as error:
            form_refusal(form.email, error)
        else:
            flash(_("%(email)s has been sent a link to choose a password.", email=user.email), "success")
            return redirect(url_for("belabeli.programme", code=office.programme.region_code))
    return _programme_page(office.programme.region_code, 422, coordinator_form=form)


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@bp.route("/moderation/bela-beli/<code>/fulfilment.csv")
@role_required(*STAFF)
def fulfilment_csv(code: str):
    code = queries.staff_region_or_404(current_user.user, code)
    programme = queries.programme_of(code)
    if programme is None:
        return redirect(url_for("belabeli.programme", code=code))
    month = month_arg()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["month", "office", "band", "headcount", "target", "confirmed_amount", "share"])
    for row in fulfilment.by_office_and_band(programme, month):
        writer.writerow([month, _cell(row.office), row.band.value, row.headcount, row.target, row.confirmed,
                         f"{row.share:.4f}"])
    return Response(buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=bela-beli-{code}-{month}.csv"})




@bp.route("/moderation/bela-beli/<code>/quotes/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_programme_quote(code: str):
    """DKUPP asks food sellers of the region for a quote for its own meeting or event, for no office."""
    code = queries.staff_region_or_404(current_user.user, code)
    programme = queries.programme_of(code)
    if programme is None:
        return redirect(url_for("belabeli.programme", code=code))
    form = QuoteForm()
    form.sellers.choices = [(str(b.id), b.name) for b in quotes.food_sellers(code)]
    if form.validate_on_submit():
        try:
            quote = quotes.request_quote(current_user.user, programme, None, what=form.what.data,
                                         quantity=form.quantity.data, needed_on=form.needed_on.data,
                                         budget=form.budget.data, occasion=form.occasion.data or "",
                                         business_ids=form.seller_ids(), today=today(), links=links("belabeli.mine"))
        except services.BelaBeliRefused as refusal:
            form_refusal(form.sellers, refusal)
        else:
            flash(_("Quote request sent to %(n)d sellers.", n=len(quote.offers)), "success")
            return redirect(url_for("belabeli.quote", quote_id=quote.id))
    return render_template("belabeli/quote_form.html", form=form, back_url=url_for("belabeli.programme", code=code),
                           back_label=_("Bela beli programme")), 422 if form.is_submitted() else 200
