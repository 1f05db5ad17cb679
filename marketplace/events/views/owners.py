"""An owner's events: applying for a booth, confirming or cancelling it, its QR code, the sales report."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.errors import form_refusal
from marketplace.events import booths, clock, files, queries, services
from marketplace.events.forms import ApplyForm, SalesForm
from marketplace.events.models import ApplicationStatus
from marketplace.events.views import bp, links


@bp.route("/my/events")
@role_required(Role.OWNER)
def mine():
    now = clock.now()
    owner = current_user.user
    for event_id in {application.event_id for application in queries.owner_applications(owner)}:
        booths.settle(now, links(), event_id)  # a lapsed offer shows as lapsed, never as still open
    applications = queries.owner_applications(owner)
    applied = {application.event_id for application in applications}
    return render_template("events/mine.html", applications=applications, now=now, sales_form=SalesForm(),
                           reach=queries.booth_reach([a for a in applications if a.status is ApplicationStatus.CONFIRMED]),
                           open_events=[e for e in queries.open_events(now) if e.id not in applied])


@bp.route("/my/events/<slug>/apply", methods=["GET", "POST"])
@role_required(Role.OWNER)
def apply(slug: str):
    event = queries.public_event_or_404(slug)
    now = clock.now()
    owner = current_user.user
    businesses = queries.verified_businesses(owner)
    products = queries.public_products_of(businesses)
    form = ApplyForm()
    form.booth_type.choices = [(str(bt.id), bt.name) for bt in event.booth_types]
    form.business.choices = [("", _("— choose —"))] + [(str(b.id), b.name) for b in businesses]
    form.products.choices = [(str(p.id), p.name) for p in products]
    if len(businesses) == 1 and not form.business.data:
        form.business.data = str(businesses[0].id)
    if form.validate_on_submit():
        booth_type = next((bt for bt in event.booth_types if str(bt.id) == form.booth_type.data), None)
        business = next((b for b in businesses if str(b.id) == form.business.data), None)
        chosen = [p for p in products if str(p.id) in set(form.products.data)]
        if booth_type is None:
            form.booth_type.errors = [_("Choose a booth type.")]
        elif business is None:
            form.business.errors = [_("Choose the business.")]
        else:
            try:
                services.apply(owner, event, booth_type, business, chosen, form.note.data or "", now)
            except services.EventRefused as refusal:
                form_refusal(form.products, refusal)
            else:
                flash(_("Application sent. The organiser will decide and tell you."), "success")
                return redirect(url_for("events.mine"))
    return render_template("events/apply.html", event=event, form=form, businesses=businesses, products=products,
                           open=event.open_for_applications(now))


@bp.route("/my/events/applications/<int:application_id>/confirm", methods=["POST"])
@role_required(Role.OWNER)
def confirm(application_id: int):
    application = queries.owned_application_or_404(current_user.user, application_id)
    now = clock.now()
    booths.settle(now, links(), application.event_id)
    booths.confirm(current_user.user, application, now)
    flash(_("Booth confirmed. See you at the event!"), "success")
    return redirect(url_for("events.mine"))


@bp.route("/my/events/applications/<int:application_id>/cancel", methods=["POST"])
@role_required(Role.OWNER)
def cancel(application_id: int):
    application = queries.owned_application_or_404(current_user.user, application_id)
    booths.cancel(current_user.user, application, clock.now(), links())
    flash(_("Cancelled."), "success")
    return redirect(url_for("events.mine"))


@bp.route("/my/events/applications/<int:application_id>/sales", methods=["POST"])
@role_required(Role.OWNER)
def report_sales(application_id: int):
    application = queries.owned_application_or_404(current_user.user, application_id)
    form = SalesForm()
    if form.validate_on_submit():
        services.report_sales(current_user.user, application, form.amount.data, clock.now())
        flash(_("Thank you: your sales report has been saved."), "success")
    else:
        flash(" ".join(str(error) for error in form.amount.errors) or _("Check the amount."), "error")
    return redirect(url_for("events.mine"))


def booth_qr(application, kind: str) -> Response:
    """The QR code of a confirmed booth, leading to its page at the event (counted as a scan)."""
    if kind not in files.QR_KINDS or application.status is not ApplicationStatus.CONFIRMED:
        abort(404)
    url = url_for("events.booth", slug=application.event.slug, application_id=application.id, via="qr", _external=True)
    return Response(files.qr_code(url, kind), mimetype=files.QR_KINDS[kind], headers={
        "Content-Disposition": f'inline; filename="booth-{application.id}.{kind}"'})


@bp.route("/my/events/applications/<int:application_id>/qr.<kind>")
@role_required(Role.OWNER)
def my_qr(application_id: int, kind: str):
    return booth_qr(queries.owned_application_or_404(current_user.user, application_id), kind)
