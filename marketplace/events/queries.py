"""Read-side selects for events, each scoped to who asks: the public (published events, confirmed booths), an owner
(their own applications), the host's staff (their region's events; 404 elsewhere)."""

from datetime import date, datetime

from flask import abort
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Role, User
from marketplace.businesses.models import Business, Verification
from marketplace.catalog.models import Category, Product
from marketplace.domain import OutsideRegion
from marketplace.events.models import Application, ApplicationStatus, BoothType, Event, EventReach, ReachKind
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry
from marketplace.regions.queries import all_regions, promotion_agreements
from marketplace.showcases.models import Phase, Showcase

# Top categories whose products make oleh-oleh (souvenirs a visitor takes home): food and crafts.
SOUVENIR_CATEGORIES = ("makanan-olahan", "minuman", "batik", "bordir", "kerajinan-tangan")


def public_event_or_404(slug: str) -> Event:
    event = db.session.scalar(db.select(Event).where(Event.slug == slug, Event.published.is_(True))
                              .options(selectinload(Event.booth_types), selectinload(Event.host_region)))
    if event is None:
        abort(404)
    return event


def public_events(now: datetime) -> tuple[list[Event], list[Event]]:
    """Published events: upcoming and ongoing (soonest first), and past ones (latest first)."""
    events = db.session.scalars(db.select(Event).where(Event.published.is_(True))
                                .options(selectinload(Event.host_region)).order_by(Event.starts_at)).all()
    coming = [event for event in events if event.ends_at >= now]
    past = sorted((event for event in events if event.ends_at < now), key=lambda event: event.starts_at, reverse=True)
    return coming, past


def public_event_slugs() -> list[str]:
    """Every published event's slug (the sitemap lists their pages)."""
    return list(db.session.scalars(db.select(Event.slug).where(Event.published.is_(True)).order_by(Event.id)))


def participants(event: Event) -> list[Application]:
    """The confirmed booths of an event with their businesses and public products, by business name."""
    applications = db.session.scalars(
        db.select(Application).join(Application.business)
        .where(Application.event_id == event.id, Application.status == ApplicationStatus.CONFIRMED,
               Business.verification == Verification.VERIFIED)
        .options(selectinload(Application.business).selectinload(Business.region),
                 selectinload(Application.booth_type),
                 selectinload(Application.products).selectinload(Product.photos))
        .order_by(Business.name)).all()
    return list(applications)


def souvenirs(applications: list[Application]) -> list[Product]:
    """Oleh-oleh: the participants' public products in food and craft categories."""
    souvenir_ids = set(db.session.scalars(db.select(Category.id).where(Category.slug.in_(SOUVENIR_CATEGORIES))))
    souvenir_ids |= set(db.session.scalars(db.select(Category.id).where(Category.parent_id.in_(souvenir_ids))))
    return [product for application in applications for product in application.products
            if product.public and product.category_id in souvenir_ids]


def public_booth_or_404(event: Event, application_id: int) -> Application:
    """A confirmed booth of this event (any other id is a 404)."""
    application = db.session.scalar(db.select(Application).where(
        Application.id == application_id, Application.event_id == event.id,
        Application.status == ApplicationStatus.CONFIRMED))
    if application is None or application.business.verification is not Verification.VERIFIED:
        abort(404)
    return application


def events_with_agreement(agreement_id: int) -> list[Event]:
    """Published events under this agreement (a showcase under it shows them), soonest first."""
    return list(db.session.scalars(db.select(Event).where(Event.agreement_id == agreement_id,
                                                          Event.published.is_(True)).order_by(Event.starts_at)))


def showcases_sharing(agreement_id: int, on: date) -> list[Showcase]:
    """Published showcases under the same agreement that have not ended (an event's page shows them)."""
    showcases = db.session.scalars(db.select(Showcase).where(Showcase.agreement_id == agreement_id,
                                                             Showcase.published.is_(True)).order_by(Showcase.id)).all()
    return [showcase for showcase in showcases if showcase.phase(on) is not Phase.PAST]


# --- owners ---------------------------------------------------------------------------------------------

def owner_applications(owner: User) -> list[Application]:
    return list(db.session.scalars(
        db.select(Application).where(Application.owner_id == owner.id)
        .options(selectinload(Application.event), selectinload(Application.booth_type),
                 selectinload(Application.business), selectinload(Application.products))
        .order_by(Application.created_at.desc(), Application.id.desc())))


def owned_application_or_404(owner: User, application_id: int) -> Application:
    """owner's application with this id; anyone else's (or none) is a 404."""
    application = db.session.scalar(db.select(Application).where(Application.id == application_id,
                                                                 Application.owner_id == owner.id))
    if application is None:
        abort(404)
    return application


def open_events(now: datetime) -> list[Event]:
    """Published events still taking applications, soonest first."""
    return list(db.session.scalars(db.select(Event).where(Event.published.is_(True), Event.apply_by >= now,
                                                          Event.ends_at > now).order_by(Event.starts_at)))


def verified_businesses(owner: User) -> list[Business]:
    return list(db.session.scalars(db.select(Business).where(Business.owner_id == owner.id,
                                                             Business.verification == Verification.VERIFIED)
                                   .order_by(Business.name)))


def public_products_of(businesses: list[Business]) -> list[Product]:
    if not businesses:
        return []
    return list(db.session.scalars(db.select(Product).where(Product.business_id.in_([b.id for b in businesses]),
                                                            Product.public.is_(True)).order_by(Product.name)))


# --- the host's staff -----------------------------------------------------------------------------------

def staff_events(user: User) -> list[Event]:
    """The events user runs: their region's (admins: all), newest first."""
    stmt = db.select(Event).options(selectinload(Event.host_region)).order_by(Event.starts_at.desc())
    if user.role is not Role.ADMIN:
        stmt = stmt.where(Event.host_region_code == user.region_code)
    return list(db.session.scalars(stmt))


def hosted_event_or_404(user: User, event_id: int) -> Event:
    """An event user runs: hosted by their region (admins: any). Another region's raises OutsideRegion (404)."""
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    if not event.hosted_by(user):
        raise OutsideRegion
    return event


def booth_type_or_404(event: Event, booth_type_id: int) -> BoothType:
    return db.first_or_404(db.select(BoothType).where(BoothType.id == booth_type_id, BoothType.event_id == event.id))


def event_application_or_404(event: Event, application_id: int) -> Application:
    return db.first_or_404(db.select(Application).where(Application.id == application_id,
                                                        Application.event_id == event.id))


def event_applications(event: Event) -> list[Application]:
    """Every application of the event, by booth type, then waiting-list order, then arrival."""
    return list(db.session.scalars(
        db.select(Application).where(Application.event_id == event.id)
        .options(selectinload(Application.business).selectinload(Business.region), selectinload(Application.products),
                 selectinload(Application.booth_type))
        .order_by(Application.booth_type_id, Application.waitlisted_at.nulls_last(), Application.created_at,
                  Application.id)))


def host_agreements(user: User, host_region_code: str | None = None):
    """Promotion agreements an event may be tied to: the host region must be a party."""
    return promotion_agreements(host_region_code or (None if user.role is Role.ADMIN else user.region_code))


def host_regions(user: User):
    return [region for region in all_regions() if user.role is Role.ADMIN or region.code == user.region_code]


def reach(event_id: int) -> dict[str, int]:
    """The event's reach: page views (event and booth pages), QR scans, WhatsApp clicks, inquiries."""
    rows = db.session.execute(db.select(EventReach.kind, func.sum(EventReach.count))
                              .where(EventReach.event_id == event_id).group_by(EventReach.kind)).all()
    figures = {kind.value: 0 for kind in ReachKind} | {kind.value if hasattr(kind, "value") else kind: int(total)
                                                       for kind, total in rows}
    figures["inquiries"] = db.session.scalar(db.select(func.count(Inquiry.id)).where(Inquiry.event_id == event_id))
    return figures


def booth_reach(applications: list[Application]) -> dict[int, dict[str, int]]:
    """Per booth: its page's views, QR scans, WhatsApp clicks and the inquiries through it (an owner's figures)."""
    figures = {a.id: {kind.value: 0 for kind in ReachKind} | {"inquiries": 0} for a in applications}
    if not applications:
        return figures
    rows = db.session.execute(db.select(EventReach.application_id, EventReach.kind, func.sum(EventReach.count))
                              .where(EventReach.application_id.in_(figures))
                              .group_by(EventReach.application_id, EventReach.kind))
    for application_id, kind, total in rows:
        figures[application_id][kind.value if hasattr(kind, "value") else kind] = int(total)
    booth_of = {(a.event_id, a.business_id): a.id for a in applications}
    inquiries = db.session.execute(
        db.select(Inquiry.event_id, Inquiry.business_id, func.count(Inquiry.id))
        .where(Inquiry.event_id.in_({a.event_id for a in applications}),
               Inquiry.business_id.in_({a.business_id for a in applications}))
        .group_by(Inquiry.event_id, Inquiry.business_id))
    for event_id, business_id, total in inquiries:
        if (event_id, business_id) in booth_of:
            figures[booth_of[(event_id, business_id)]]["inquiries"] = total
    return figures


def sales_totals(event_id: int) -> dict[str, int]:
    """What the participants reported: how many reported, how many gave an amount, and its sum."""
    reported, with_amount, total = db.session.execute(
        db.select(func.count(Application.sales_reported_at), func.count(Application.sales_amount),
                  func.coalesce(func.sum(Application.sales_amount), 0))
        .where(Application.event_id == event_id, Application.status == ApplicationStatus.CONFIRMED)).one()
    return {"reported": reported, "with_amount": with_amount, "total": int(total)}
