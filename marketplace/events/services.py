"""Event changes by the host's staff (create, edit, booth types) and by owners (apply, report sales); reach counts.
Staff changes write one audit entry each in the same unit of work; nothing here commits."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from marketplace import counting
from marketplace.accounts.models import Role, User
from marketplace.audit import diff, record
from marketplace.businesses.models import Business, Verification
from marketplace.catalog.models import Category, Product
from marketplace.domain import DomainError, OutsideRegion
from marketplace.events.models import Application, ApplicationStatus, BoothType, Event, EventReach, ReachKind
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry
from marketplace.regions.models import Scope
from marketplace.slugs import unique_slug
from marketplace.timeutil import JAKARTA

FIELDS = ("title", "kind", "agreement_id", "partners_only", "venue_name", "venue_address", "map_url", "starts_at",
          "ends_at", "description", "cover", "occasion", "destination", "season", "apply_by", "confirm_days", "published")
MAX_PRODUCTS = 8


@dataclass(frozen=True)
class Links:
    """What a notification about a booth points to (services build no URLs): the owner's events page, and the absolute
    address of their notifications for the mail."""

    my_events: str
    inbox_url: str


class EventRefused(DomainError):
    """A change the event rules refuse; .message says why, for the person who tried."""

    status = 422


def check_host(actor: User, event: Event) -> None:
    """Only the host region's moderators and admins run an event; anyone else gets OutsideRegion (a 404)."""
    if not event.hosted_by(actor):
        raise OutsideRegion


def _state(event: Event) -> dict:
    values = {name: getattr(event, name) for name in FIELDS}
    return {name: value.isoformat() if isinstance(value, date | datetime) else
            (value.value if hasattr(value, "value") else value) for name, value in values.items()}


def _audit(actor: User | None, action: str, event: Event, changes: dict, reason: str = "") -> None:
    record(actor, action, event, region_code=event.host_region_code, label=event.title, changes=changes, reason=reason)


def _check_fields(actor: User, host_region_code: str, fields: dict) -> None:
    if actor.role is Role.MODERATOR and actor.region_code != host_region_code:
        raise EventRefused(_l("Moderators host events in their own region only."))
    if fields.get("ends_at") and fields.get("starts_at") and fields["ends_at"] < fields["starts_at"]:
        raise EventRefused(_l("The event ends before it starts."))
    if fields.get("apply_by") and fields.get("ends_at") and fields["apply_by"] > fields["ends_at"]:
        raise EventRefused(_l("The application deadline is after the event."))
    agreement = fields.get("agreement")
    if agreement is not None and host_region_code not in agreement.region_codes:
        raise EventRefused(_l("The host region is not a party to this agreement."))
    # the form's agreement list is not checked against its choices: a posted id of a staples-only agreement would
    # otherwise open the event to that agreement's regions (review of wave 2)
    if agreement is not None and Scope.PROMOTION not in agreement.scope_values:
        raise EventRefused(_l("This agreement is not active for UMKM promotion."))


def create_event(actor: User, *, host_region_code: str, title: str, **fields) -> Event:
    """A new event hosted by host_region_code (a moderator: their own region only)."""
    _check_fields(actor, host_region_code, fields)
    event = Event(host_region_code=host_region_code, title=title.strip(), slug=unique_slug(title, Event.slug), **fields)
    db.session.add(event)
    db.session.flush()
    _audit(actor, "event.create", event, diff({}, _state(event)))
    return event


def update_event(actor: User, event: Event, **fields) -> None:
    """Change the event's settings (FIELDS)."""
    check_host(actor, event)
    _check_fields(actor, event.host_region_code, {"starts_at": event.starts_at, "ends_at": event.ends_at,
                                                  "apply_by": event.apply_by, **fields})
    before = _state(event)
    for name, value in fields.items():
        setattr(event, name, value)
    db.session.flush()
    _audit(actor, "event.update", event, diff(before, _state(event)))


def add_booth_type(actor: User, event: Event, *, name: str, count: int, fee: int, size: str,
                   categories: list[str]) -> BoothType:
    """A kind of booth: how many, the fee in Rupiah (0: free), the size, the categories wanted (empty: any)."""
    check_host(actor, event)
    booth_type = BoothType(name=name.strip(), count=count, fee=fee, size=size.strip(), categories=list(categories))
    event.booth_types.append(booth_type)
    db.session.flush()
    _audit(actor, "booth_type.add", event, {"booth_type": [None, f"{booth_type.name} × {count}"]})
    return booth_type


def remove_booth_type(actor: User, event: Event, booth_type: BoothType) -> None:
    """Take away a booth type nobody has applied for."""
    check_host(actor, event)
    if db.session.scalar(db.select(Application.id).where(Application.booth_type_id == booth_type.id).limit(1)):
        raise EventRefused(_l("Owners have applied for this booth type: it cannot be removed."))
    event.booth_types.remove(booth_type)
    _audit(actor, "booth_type.remove", event, {"booth_type": [booth_type.name, None]})


def allowed_regions(event: Event, on: date) -> set[str] | None:
    """The regions whose businesses may apply (None: any): the host and, under an active promotion agreement, its
    partners in it."""
    if not event.partners_only:
        return None
    regions = {event.host_region_code}
    agreement = event.agreement
    if agreement is not None and agreement.is_active(on) and Scope.PROMOTION in agreement.scope_values:
        regions |= agreement.region_codes
    return regions


def _wanted_category_ids(booth_type: BoothType) -> set[int] | None:
    if not booth_type.categories:
        return None
    tops = db.session.scalars(db.select(Category.id).where(Category.slug.in_(booth_type.categories))).all()
    children = db.session.scalars(db.select(Category.id).where(Category.parent_id.in_(tops))).all() if tops else []
    return set(tops) | set(children)


def apply(owner: User, event: Event, booth_type: BoothType, business: Business, products: list[Product], note: str,
          now: datetime) -> Application:
    """An owner applies for a booth with chosen public products of one of their verified businesses."""
    if business.owner_id != owner.id or booth_type.event_id != event.id:
        raise OutsideRegion
    if not event.open_for_applications(now):
        raise EventRefused(_l("Applications for this event are closed."))
    if business.verification is not Verification.VERIFIED:
        raise EventRefused(_l("Only businesses verified by their region's DKUPP can apply."))
    regions = allowed_regions(event, now.astimezone(JAKARTA).date())
    if regions is not None and business.region_code not in regions:
        raise EventRefused(_l("This event is open only to businesses of the host region and its partner regions."))
    if not products or len(products) > MAX_PRODUCTS:
        raise EventRefused(_l("Choose between 1 and %(n)d products.", n=MAX_PRODUCTS))
    if any(product.business_id != business.id or not product.public for product in products):
        raise EventRefused(_l("Choose published products of the business that applies."))
    wanted = _wanted_category_ids(booth_type)
    if wanted is not None and not any(product.category_id in wanted for product in products):
        raise EventRefused(_l("This booth type wants products of other categories."))
    if db.session.scalar(db.select(Application.id).where(Application.event_id == event.id,
                                                         Application.business_id == business.id)):
        raise EventRefused(_l("This business has already applied for this event."))
    application = Application(event=event, booth_type=booth_type, business=business, owner=owner,
                              note=note.strip()[:500], products=list(products))
    db.session.add(application)
    db.session.flush()
    return application


def report_sales(owner: User, application: Application, amount: int | None, now: datetime) -> None:
    """After the event a participant tells what they sold (the amount is optional)."""
    if application.owner_id != owner.id:
        raise OutsideRegion
    if application.status is not ApplicationStatus.CONFIRMED or now <= application.event.ends_at:
        raise EventRefused(_l("Sales can be reported after the event, for a confirmed booth."))
    application.sales_amount = amount
    application.sales_reported_at = now


def tag_inquiry(inquiry: Inquiry, event: Event) -> None:
    """The inquiry came through a booth's page: it counts in the event's reach."""
    inquiry.event_id = event.id


def count_reach(event_id: int, application_id: int, kind: ReachKind, day: date) -> None:
    """Add one to a day's counter; no personal data. One upsert, as showcases count (safe when two count at once)."""
    counting.add_at_commit(EventReach, {"event_id": event_id, "application_id": application_id, "kind": kind.value,
                                        "day": day}, count=1)
