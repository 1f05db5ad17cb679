"""A booth application's life after it is sent: decisions prepared by the host's staff and released together,
confirmation by the deadline, the waiting list moving up when an offer lapses or a booth is cancelled.

Capacity is the database's job: confirming raises `booth_type.confirmed` with one conditional UPDATE
(`WHERE confirmed < count`, and a CHECK behind it), so two owners confirming the last booth at the same moment
cannot both get it. Lapsed offers are settled with conditional UPDATEs too, so two requests settling at once
(it happens on read as well as in the periodic job) change each row once and never collide."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import User
from marketplace.audit import record
from marketplace.domain import AlreadyDecided, DomainError, OutsideRegion, ReasonRequired
from marketplace.events.models import Application, ApplicationStatus, BoothType, Decision, Event
from marketplace.events.services import EventRefused, Links, check_host
from marketplace.extensions import db
from marketplace.notifications.services import notify
from marketplace.timeutil import JAKARTA

OUTCOME = {Decision.ACCEPT: ApplicationStatus.ACCEPTED, Decision.WAITLIST: ApplicationStatus.WAITLISTED,
           Decision.REJECT: ApplicationStatus.REJECTED}


class BoothsFull(DomainError):
    """Every booth of this type is confirmed already."""

    status = 409
    message = _l("All booths of this type have been confirmed by other owners.")


def _deadline_text(moment: datetime) -> str:
    """The same in every language: 10-06-2026 17:00 WIB."""
    return moment.astimezone(JAKARTA).strftime("%d-%m-%Y %H:%M") + " WIB"


def _audit(actor: User | None, action: str, application: Application, **changes) -> None:
    event = application.event
    record(actor, action, application, region_code=event.host_region_code, reason=application.reason,
           label=f"{event.title}: {application.business.name}"[:200], changes=changes)


def _tell(application: Application, kind: str, links: Links) -> None:
    params = {"event": application.event.title, "booth": application.booth_type.name,
              "business": application.business.name}
    if kind in ("booth.accept", "booth.promote"):
        params["deadline"] = _deadline_text(application.confirm_by)
    if kind in ("booth.waitlist", "booth.reject", "booth.withdraw"):
        params["reason"] = application.reason
    notify(application.owner, kind, link=links.my_events, inbox_url=links.inbox_url, **params)


def prepare_decision(actor: User, application: Application, decision: Decision, reason: str) -> None:
    """Note a decision on an application; nothing changes for the owner until the decisions are released."""
    check_host(actor, application.event)
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED):
        raise AlreadyDecided(_l("This application has already been decided."))
    if application.status is ApplicationStatus.WAITLISTED and decision is Decision.WAITLIST:
        raise AlreadyDecided(_l("This application is on the waiting list already."))
    if decision is not Decision.ACCEPT and not reason.strip():
        raise ReasonRequired
    application.prepared, application.reason = decision, reason.strip()
    _audit(actor, "booth_application.prepare", application, decision=[None, decision.value])


def release_decisions(actor: User, event: Event, now: datetime, links: Links) -> int:
    """Apply every prepared decision of the event at once and tell each owner (in the app and by mail, in their
    language); an accepted owner confirms by now + the event's confirmation window. Returns how many."""
    check_host(actor, event)
    prepared = db.session.scalars(db.select(Application).where(Application.event_id == event.id,
                                                               Application.prepared.is_not(None))
                                  .order_by(Application.created_at, Application.id)).all()
    for application in prepared:
        decision, before = application.prepared, application.status
        application.status, application.prepared, application.released_at = OUTCOME[decision], None, now
        if decision is Decision.ACCEPT:
            application.confirm_by = event.confirm_deadline(now)
        if decision is Decision.WAITLIST:
            application.waitlisted_at = now
        _audit(actor, f"booth_application.{decision.value}", application, status=[before.value, application.status.value])
        _tell(application, f"booth.{decision.value}", links)
    if prepared:
        record(actor, "event.release", event, region_code=event.host_region_code, label=event.title,
               changes={"released": [None, len(prepared)]})
    db.session.flush()
    return len(prepared)


def confirm(owner: User, application: Application, now: datetime) -> None:
    """The accepted owner takes the booth, if the deadline has not passed and a booth of the type is still free."""
    if application.owner_id != owner.id:
        raise OutsideRegion
    if application.status is ApplicationStatus.CONFIRMED:
        raise AlreadyDecided(_l("You have confirmed this booth already."))
    if application.status is not ApplicationStatus.ACCEPTED or application.confirm_by < now:
        raise EventRefused(_l("This booth can no longer be confirmed."))
    moved = db.session.execute(
        db.update(Application).where(Application.id == application.id, Application.status == ApplicationStatus.ACCEPTED,
                                     Application.confirm_by >= now)
        .values(status=ApplicationStatus.CONFIRMED, confirmed_at=now, version=Application.version + 1)
        .execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise AlreadyDecided
    taken = db.session.execute(
        db.update(BoothType).where(BoothType.id == application.booth_type_id, BoothType.confirmed < BoothType.count)
        .values(confirmed=BoothType.confirmed + 1).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise BoothsFull  # the unit of work rolls the status back too
    db.session.expire(application)
    db.session.expire(application.booth_type)


def cancel(owner: User, application: Application, now: datetime, links: Links) -> None:
    """The owner withdraws an application or gives up a booth; a booth given up goes to the waiting list."""
    if application.owner_id != owner.id:
        raise OutsideRegion
    status = application.status
    if status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED, ApplicationStatus.ACCEPTED,
                      ApplicationStatus.CONFIRMED) or now > application.event.ends_at:
        raise EventRefused(_l("This application can no longer be cancelled."))
    moved = db.session.execute(
        db.update(Application).where(Application.id == application.id, Application.status == status)
        .values(status=ApplicationStatus.CANCELLED, prepared=None, version=Application.version + 1)
        .execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise AlreadyDecided
    if status is ApplicationStatus.CONFIRMED:
        db.session.execute(db.update(BoothType).where(BoothType.id == application.booth_type_id)
                           .values(confirmed=BoothType.confirmed - 1).execution_options(synchronize_session=False))
    db.session.expire(application)
    if status in (ApplicationStatus.ACCEPTED, ApplicationStatus.CONFIRMED):
        _audit(None, "booth_application.cancel", application, status=[status.value, "cancelled"])
        _move_up(application.booth_type_id, now, links)


def withdraw(actor: User, application: Application, reason: str, now: datetime, links: Links) -> None:
    """The host's staff take back an accepted or confirmed booth before the event starts, with a reason the owner is
    told; the booth goes to the waiting list as if the owner had cancelled it."""
    check_host(actor, application.event)
    if not reason.strip():
        raise ReasonRequired
    status = application.status
    if status not in (ApplicationStatus.ACCEPTED, ApplicationStatus.CONFIRMED) or now >= application.event.starts_at:
        raise EventRefused(_l("Only an accepted or confirmed booth can be withdrawn, and only before the event starts."))
    moved = db.session.execute(
        db.update(Application).where(Application.id == application.id, Application.status == status)
        .values(status=ApplicationStatus.WITHDRAWN, reason=reason.strip(), prepared=None,
                version=Application.version + 1).execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise AlreadyDecided
    if status is ApplicationStatus.CONFIRMED:
        db.session.execute(db.update(BoothType).where(BoothType.id == application.booth_type_id)
                           .values(confirmed=BoothType.confirmed - 1).execution_options(synchronize_session=False))
    db.session.expire(application)
    _audit(actor, "booth_application.withdraw", application, status=[status.value, "withdrawn"])
    _tell(application, "booth.withdraw", links)
    _move_up(application.booth_type_id, now, links)


def settle(now: datetime, links: Links, event_id: int | None = None) -> int:
    """Offers not confirmed by their deadline lapse, and the first on the waiting list of that booth type is offered
    the booth in their place (run by the periodic job, and on reading an event's or an owner's pages).
    Returns how many offers lapsed."""
    stmt = db.select(Application.id, Application.booth_type_id).where(
        Application.status == ApplicationStatus.ACCEPTED, Application.confirm_by < now)
    if event_id is not None:
        stmt = stmt.where(Application.event_id == event_id)
    lapsed = 0
    for application_id, booth_type_id in db.session.execute(stmt.order_by(Application.confirm_by)).all():
        moved = db.session.execute(
            db.update(Application).where(Application.id == application_id,
                                         Application.status == ApplicationStatus.ACCEPTED, Application.confirm_by < now)
            .values(status=ApplicationStatus.EXPIRED, version=Application.version + 1)
            .execution_options(synchronize_session=False))
        if moved.rowcount != 1:
            continue  # settled by someone else at the same moment
        lapsed += 1
        application = db.session.get(Application, application_id, populate_existing=True)
        _audit(None, "booth_application.expire", application, status=["accepted", "expired"])
        notify(application.owner, "booth.expire", link=links.my_events, inbox_url=links.inbox_url,
               event=application.event.title, booth=application.booth_type.name, business=application.business.name)
        _move_up(booth_type_id, now, links)
    return lapsed


def _move_up(booth_type_id: int, now: datetime, links: Links) -> None:
    """Offer a free booth of this type to the first on its waiting list (if the event has not ended)."""
    booth_type = db.session.get(BoothType, booth_type_id, populate_existing=True)
    if now > booth_type.event.ends_at:
        return
    offered = db.session.scalar(db.select(db.func.count(Application.id)).where(
        Application.booth_type_id == booth_type_id, Application.status == ApplicationStatus.ACCEPTED,
        Application.confirm_by >= now))
    if booth_type.count - booth_type.confirmed - offered <= 0:
        return
    first = db.session.scalar(db.select(Application.id).where(
        Application.booth_type_id == booth_type_id, Application.status == ApplicationStatus.WAITLISTED)
        .order_by(Application.waitlisted_at, Application.id).limit(1))
    if first is None:
        return
    deadline = booth_type.event.confirm_deadline(now)
    moved = db.session.execute(
        db.update(Application).where(Application.id == first, Application.status == ApplicationStatus.WAITLISTED)
        .values(status=ApplicationStatus.ACCEPTED, confirm_by=deadline, released_at=now, prepared=None,
                version=Application.version + 1).execution_options(synchronize_session=False))
    if moved.rowcount == 1:
        application = db.session.get(Application, first, populate_existing=True)
        _audit(None, "booth_application.promote", application, status=["waitlisted", "accepted"])
        _tell(application, "booth.promote", links)
