"""The host's staff: events of their region, booth types, decisions prepared and released together, reach, sales."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.catalog.queries import top_categories
from marketplace.errors import form_refusal
from marketplace.events import booths, clock, queries, services
from marketplace.events.forms import BoothTypeForm, DecisionForm, EventForm, WithdrawForm
from marketplace.events.models import Decision, Event, EventKind
from marketplace.events.views import bp, links
from marketplace.events.views.owners import booth_qr
from marketplace.media.limits import upload_rate_limit
from marketplace.media.pipeline import ImageRejected, process_image
from marketplace.media.services import store_renditions
from marketplace.media.storage import StorageError
from marketplace.regions.queries import get_agreement
from marketplace.timeutil import JAKARTA

STAFF = (Role.MODERATOR, Role.ADMIN)


def _fill_choices(form: EventForm, event: Event | None) -> None:
    user = current_user.user
    host = event.host_region_code if event else None
    form.host_region.choices = ([(host, event.host_region.full_name)] if event else
                                [(r.code, r.full_name) for r in queries.host_regions(user)])
    form.agreement.choices = [("", _("— none —"))] + [(str(a.id), a.title) for a in queries.host_agreements(user, host)]


def _fields(form: EventForm) -> dict:
    """The event's settings from the form, with a new cover stored (raises ImageRejected or StorageError)."""
    agreement = get_agreement(int(form.agreement.data)) if (form.agreement.data or "").isdigit() else None
    fields = {"kind": EventKind(form.kind.data), "venue_name": form.venue_name.data,
              "venue_address": form.venue_address.data or "", "map_url": form.map_url.data or None,
              "description": form.description.data or "", "occasion": form.occasion.data or "",
              "destination": form.destination.data or "", "season": form.season.data or "",
              "agreement": agreement, "partners_only": form.partners_only.data and agreement is not None,
              "confirm_days": form.confirm_days.data, "published": form.published.data, **form.moments()}
    upload = form.cover.data
    if upload and getattr(upload, "filename", ""):
        processed = process_image(upload.read(current_app.config["MAX_PHOTO_BYTES"] + 1),
                                  max_bytes=current_app.config["MAX_PHOTO_BYTES"])
        store_renditions(processed)  # deleted again if the request rolls back
        fields["cover"] = f"{processed.content_hash}-{max(r.width for r in processed.renditions)}"
    return fields


@bp.route("/moderation/events")
@role_required(*STAFF)
def staff_index():
    return render_template("events/staff_index.html", events=queries.staff_events(current_user.user), now=clock.now())


@bp.route("/moderation/events/new", methods=["GET", "POST"])
@upload_rate_limit
@role_required(*STAFF)
def new():
    form = EventForm(host_region=current_user.region_code)
    _fill_choices(form, None)
    if form.validate_on_submit():
        host = form.host_region.data if current_user.role is Role.ADMIN else current_user.region_code
        try:
            event = services.create_event(current_user.user, host_region_code=host, title=form.title.data, **_fields(form))
        except (ImageRejected, StorageError) as error:
            form_refusal(form.cover, error)
        except services.EventRefused as refusal:
            form_refusal(form.title, refusal)
        else:
            flash(_("Event saved. Add its booth types."), "success")
            return redirect(url_for("events.edit", event_id=event.id))
    return render_template("events/form.html", form=form, event=None)


def _event_form(event: Event, *, posted: bool = True) -> EventForm:
    """The form filled with the event's settings (times shown in Asia/Jakarta); what was posted wins if posted."""
    local = {name: getattr(event, name).astimezone(JAKARTA) for name in ("starts_at", "ends_at", "apply_by")}
    form = EventForm(**({} if posted else {"formdata": None}), data={
        "title": event.title, "kind": event.kind.value, "host_region": event.host_region_code,
        "venue_name": event.venue_name, "venue_address": event.venue_address, "map_url": event.map_url,
        "starts_on": local["starts_at"].date(), "opens_at": local["starts_at"].time(), "ends_on": local["ends_at"].date(),
        "closes_at": local["ends_at"].time(), "description": event.description, "occasion": event.occasion,
        "destination": event.destination, "season": event.season, "agreement": str(event.agreement_id or ""),
        "partners_only": event.partners_only, "apply_by": local["apply_by"].date(), "confirm_days": event.confirm_days,
        "published": event.published})
    _fill_choices(form, event)
    return form


def _booth_form() -> BoothTypeForm:
    form = BoothTypeForm()
    locale = str(get_locale() or "id")
    form.categories.choices = [(c.slug, c.name(locale)) for c in top_categories()]
    return form


@bp.route("/moderation/events/<int:event_id>", methods=["GET", "POST"])
@upload_rate_limit
@role_required(*STAFF)
def edit(event_id: int):
    event = queries.hosted_event_or_404(current_user.user, event_id)
    form = _event_form(event)
    if form.validate_on_submit():
        try:
            services.update_event(current_user.user, event, title=form.title.data, **_fields(form))
        except (ImageRejected, StorageError) as error:
            form_refusal(form.cover, error)
        except services.EventRefused as refusal:
            form_refusal(form.title, refusal)
        else:
            flash(_("Event saved."), "success")
            return redirect(url_for("events.edit", event_id=event.id))
    return render_template("events/form.html", form=form, event=event, booth_form=_booth_form())


@bp.route("/moderation/events/<int:event_id>/booth-types", methods=["POST"])
@role_required(*STAFF)
def add_booth_type(event_id: int):
    event = queries.hosted_event_or_404(current_user.user, event_id)
    form = _booth_form()
    if form.validate_on_submit():
        services.add_booth_type(current_user.user, event, name=form.name.data, count=form.count.data, fee=form.fee.data,
                                size=form.size.data or "", categories=form.categories.data or [])
        flash(_("Booth type added."), "success")
        return redirect(url_for("events.edit", event_id=event.id))
    return render_template("events/form.html", form=_event_form(event, posted=False), event=event, booth_form=form), 422


@bp.route("/moderation/events/<int:event_id>/booth-types/<int:booth_type_id>/remove", methods=["POST"])
@role_required(*STAFF)
def remove_booth_type(event_id: int, booth_type_id: int):
    event = queries.hosted_event_or_404(current_user.user, event_id)
    services.remove_booth_type(current_user.user, event, queries.booth_type_or_404(event, booth_type_id))
    flash(_("Booth type removed."), "success")
    return redirect(url_for("events.edit", event_id=event.id))


@bp.route("/moderation/events/<int:event_id>/applications")
@role_required(*STAFF)
def applications(event_id: int):
    event = queries.hosted_event_or_404(current_user.user, event_id)
    now = clock.now()
    booths.settle(now, links(), event.id)
    rows = queries.event_applications(event)
    return render_template("events/applications.html", event=event, applications=rows, now=now,
                           prepared=sum(1 for a in rows if a.prepared), decision_form=DecisionForm(),
                           reach=queries.reach(event.id), sales=queries.sales_totals(event.id))


@bp.route("/moderation/events/<int:event_id>/applications/<int:application_id>/decision", methods=["POST"])
@role_required(*STAFF)
def decide(event_id: int, application_id: int):
    event = queries.hosted_event_or_404(current_user.user, event_id)
    application = queries.event_application_or_404(event, application_id)
    form = DecisionForm()
    if form.validate_on_submit():
        booths.prepare_decision(current_user.user, application, Decision(form.decision.data), form.reason.data or "")
        flash(_("Decision noted. Owners are told when you release the decisions."), "success")
    else:
        flash(_("Choose a decision."), "error")
    return redirect(url_for("events.applications", event_id=event.id))


@bp.route("/moderation/events/<int:event_id>/applications/<int:application_id>/withdraw", methods=["POST"])
@role_required(*STAFF)
def withdraw(event_id: int, application_id: int):
    event = queries.hosted_event_or_404(current_user.user, event_id)
    application = queries.event_application_or_404(event, application_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        booths.withdraw(current_user.user, application, form.reason.data, clock.now(), links())
        flash(_("Booth withdrawn; the owner has been told and the next on the waiting list is offered it."), "success")
    else:
        flash(_("Give a reason the owner can act on."), "error")
    return redirect(url_for("events.applications", event_id=event.id))


@bp.route("/moderation/events/<int:event_id>/release", methods=["POST"])
@role_required(*STAFF)
def release(event_id: int):
    event = queries.hosted_event_or_404(current_user.user, event_id)
    count = booths.release_decisions(current_user.user, event, clock.now(), links())
    flash(_("%(n)d decisions released; the owners have been told.", n=count), "success")
    return redirect(url_for("events.applications", event_id=event.id))


@bp.route("/moderation/events/<int:event_id>/booths/<int:application_id>/qr.<kind>")
@role_required(*STAFF)
def staff_qr(event_id: int, application_id: int, kind: str):
    event = queries.hosted_event_or_404(current_user.user, event_id)
    return booth_qr(queries.event_application_or_404(event, application_id), kind)
