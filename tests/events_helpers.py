"""Shared set-up of the events tests: an event of Kabupaten Probolinggo with one booth type, and owners applying."""

from datetime import UTC, datetime, timedelta

from marketplace.accounts.models import Role
from marketplace.events import booths, services
from marketplace.events.models import Decision, Event
from marketplace.events.services import Links
from marketplace.extensions import db
from marketplace.unit_of_work import unit_of_work

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)  # 1 June 2026, 10:00 in Jakarta
LINKS = Links(my_events="/my/events", inbox_url="http://localhost/my/notifications")


def make_event(make_user, *, count=1, host="35.13", published=True, slug_title="Pameran UMKM Kasada") -> Event:
    staff = make_user(role=Role.MODERATOR, region=host)
    with unit_of_work():
        event = services.create_event(
            staff, host_region_code=host, title=slug_title, venue_name="Pendopo Agung Ngadisari",
            venue_address="Ngadisari, Sukapura", starts_at=NOW + timedelta(days=20),
            ends_at=NOW + timedelta(days=21, hours=8), apply_by=NOW + timedelta(days=10), confirm_days=3,
            published=published, occasion="Yadnya Kasada", destination="Bromo", season="Juni")
        services.add_booth_type(staff, event, name="Stan makanan", count=count, fee=0, size="3 x 3 m", categories=[])
    event.staff = staff
    return event


def apply_for(event, make_business, make_product, region="35.13", name="Keripik Bromo"):
    business = make_business(region=region, name=name)
    product = make_product(status="published", business=business, category="keripik")
    with unit_of_work():
        return services.apply(business.owner, event, event.booth_types[0], business, [product], "", NOW)


def decide_and_release(event, decisions: dict, at=NOW):
    """decisions: application -> Decision; prepared, then released together."""
    with unit_of_work():
        for application, decision in decisions.items():
            booths.prepare_decision(event.staff, db.session.merge(application), decision,
                                    "" if decision is Decision.ACCEPT else "Stan penuh")
        booths.release_decisions(event.staff, db.session.merge(event), at, LINKS)
