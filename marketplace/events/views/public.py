"""Public pages of events: the list, an event with its participants and oleh-oleh, a booth's page (where its QR code
leads), calendar files."""

from urllib.parse import quote

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from marketplace.catalog.page_cache import cached_part
from marketplace.events import booths, clock, files, queries, services
from marketplace.events.forms import BoothInquiryForm
from marketplace.events.models import ReachKind
from marketplace.events.views import bp, links
from marketplace.extensions import limiter
from marketplace.inquiries import services as inquiries
from marketplace.timeutil import JAKARTA


def _day():
    return clock.now().astimezone(JAKARTA).date()


@bp.route("/events")
def index():
    coming, past = queries.public_events(clock.now())
    return render_template("events/index.html", coming=coming, past=past, now=clock.now())


@bp.route("/events.ics")
def calendar_feed():
    coming, _past = queries.public_events(clock.now())
    return _calendar(coming, "events.ics")


@bp.route("/events/<slug>.ics")
def calendar_file(slug: str):
    event = queries.public_event_or_404(slug)
    return _calendar([event], f"{event.slug}.ics")


def _calendar(events, filename: str) -> Response:
    # the UID's domain is the site's (BASE_URL), not the Host the request named: an allowed alias would otherwise give
    # calendar apps a second copy of every event (review of wave 2)
    host = current_app.config.get("SERVER_NAME") or request.host
    body = files.calendar(events, lambda event: url_for("events.show", slug=event.slug, _external=True), host)
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": f'inline; filename="{filename}"'})


@bp.route("/events/<slug>")
def show(slug: str):
    event = queries.public_event_or_404(slug)
    now = clock.now()
    booths.settle(now, links(), event.id)  # lapsed offers go to the waiting list before anyone reads the page
    day, locale = _day(), str(get_locale() or "id")
    part = cached_part(("event", event.id, day.isoformat(), locale), lambda: {"body": _event_part(event, day, locale)})
    services.count_reach(event.id, 0, ReachKind.VIEW, day)
    return render_template("events/show.html", event=event, phase=event.phase(now), now=now,
                           part={"body": Markup(part["body"])})  # noqa: S704 (our template)


def _event_part(event, day, locale: str) -> str:
    participants = queries.participants(event)
    showcases = queries.showcases_sharing(event.agreement_id, day) if event.agreement_id else []
    return render_template("events/_show_part.html", event=event, participants=participants,
                           souvenirs=queries.souvenirs(participants), showcases=showcases,
                           free={bt.id: bt.count - bt.confirmed for bt in event.booth_types}, locale=locale)


@bp.route("/events/<slug>/booths/<int:application_id>")
def booth(slug: str, application_id: int):
    """A participant's page for this event, where the booth's QR code leads (?via=qr counts a scan)."""
    event = queries.public_event_or_404(slug)
    application = queries.public_booth_or_404(event, application_id)
    kind = ReachKind.SCAN if request.args.get("via") == "qr" else ReachKind.VIEW
    services.count_reach(event.id, application.id, kind, _day())
    form = BoothInquiryForm(data=BoothInquiryForm.defaults_for(current_user))
    form.product.choices = _product_choices(application)
    return _booth_page(event, application, form)


def _product_choices(application) -> list[tuple[str, str]]:
    return [("", _("— choose —"))] + [(str(p.id), p.name) for p in application.products if p.public]


def _booth_page(event, application, form, status: int = 200):
    products = [product for product in application.products if product.public]
    return render_template("events/booth.html", event=event, application=application, business=application.business,
                           products=products, form=form), status


def _inquiry_limit() -> str:
    return current_app.config["INQUIRY_RATE_LIMIT"]


@bp.route("/events/<slug>/booths/<int:application_id>/inquiry", methods=["POST"])
@limiter.shared_limit(_inquiry_limit, scope="inquiry")  # the product pages' budget: one per client, not one per form
def inquire(slug: str, application_id: int):
    """An inquiry about one of the booth's products, tagged with the event (it counts in the event's reach)."""
    event = queries.public_event_or_404(slug)
    application = queries.public_booth_or_404(event, application_id)
    form = BoothInquiryForm()
    form.product.choices = _product_choices(application)
    product = next((p for p in application.products if p.public and str(p.id) == form.product.data), None)
    if not form.validate_on_submit() or product is None:
        if product is None and not form.product.errors:
            form.product.errors = [_("Choose a product.")]
        return _booth_page(event, application, form, 422)
    if form.website.data:  # the honeypot: look like success, store nothing
        return redirect(url_for("events.booth", slug=event.slug, application_id=application.id))
    inquiry = inquiries.send_inquiry(
        product, buyer=current_user.user if current_user.is_authenticated else None, name=form.name.data,
        contact=form.contact.normalised, quantity=form.quantity.data, message=form.message.data or "",
        buyer_region_code=form.region.data, link_for=lambda inquiry_id: url_for("inquiries.show", inquiry_id=inquiry_id),
        inbox_url=url_for("notifications.index", _external=True))
    services.tag_inquiry(inquiry, event)
    flash(_("Your inquiry has been sent to %(business)s. They will answer you, or chat with them on WhatsApp now.",
            business=application.business.name), "success")
    return redirect(url_for("events.booth", slug=event.slug, application_id=application.id))


@bp.route("/events/<slug>/booths/<int:application_id>/whatsapp")
def whatsapp(slug: str, application_id: int):
    """Count a WhatsApp click from the booth's page, then hand over to wa.me with a message in the seller's language."""
    event = queries.public_event_or_404(slug)
    application = queries.public_booth_or_404(event, application_id)
    business = application.business
    if not business.whatsapp:
        abort(404)
    services.count_reach(event.id, application.id, ReachKind.WHATSAPP, _day())
    page = url_for("events.booth", slug=event.slug, application_id=application.id, _external=True)
    with force_locale(business.owner.locale):
        text = _("Hello %(business)s, I saw your booth at %(event)s (%(url)s).", business=business.name,
                 event=event.title, url=page)
    return redirect(f"https://wa.me/{business.whatsapp}?text={quote(text, safe='')}")
