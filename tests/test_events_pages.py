"""Events through the web: the host's staff create an event and its booth types, owners apply and confirm, the
public pages (list, event with participants and oleh-oleh, Open Graph), sitemap, showcases under the same agreement."""

from datetime import timedelta

import pytest

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.events import booths, clock, services
from marketplace.events.models import Application, ApplicationStatus, BoothType, Decision, Event
from marketplace.extensions import db
from marketplace.regions.models import Agreement
from marketplace.showcases import services as showcases
from marketplace.unit_of_work import unit_of_work
from tests.events_helpers import NOW, apply_for, decide_and_release, make_event

EVENT_FORM = {
    "title": "Pameran UMKM Kasada", "kind": "expo", "host_region": "35.13", "venue_name": "Pendopo Agung Ngadisari",
    "venue_address": "Ngadisari, Sukapura", "map_url": "https://www.openstreetmap.org/?mlat=-7.93",
    "starts_on": "2026-06-21", "opens_at": "08:00", "ends_on": "2026-06-22", "closes_at": "21:00",
    "occasion": "Yadnya Kasada", "destination": "Bromo", "season": "bulan Kasada", "agreement": "",
    "apply_by": "2026-06-10", "confirm_days": "3", "published": "y", "description": "Pameran oleh-oleh."}


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def test_a_host_moderator_creates_an_event_with_booth_types(client, auth, make_user):
    staff = make_user(role=Role.MODERATOR, region="35.13")
    auth.login(staff.email)
    response = client.submit("/moderation/events/new", EVENT_FORM)
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event))
    assert event.host_region_code == "35.13" and event.destination == "Bromo"
    assert event.starts_at.hour == 1 and event.starts_at.utcoffset() == timedelta(0)  # 08:00 WIB is 01:00 UTC
    url = f"/moderation/events/{event.id}/booth-types"
    assert client.submit(url, {"name": "Stan kuliner", "count": "5", "fee": "0", "size": "3 x 3 m",
                               "categories": ["makanan-olahan"]}, page=f"/moderation/events/{event.id}").status_code == 302
    booth_type = db.session.scalar(db.select(BoothType))
    assert (booth_type.count, booth_type.fee, booth_type.categories) == (5, 0, ["makanan-olahan"])
    actions = set(db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.region_code == "35.13")))
    assert {"event.create", "booth_type.add"} <= actions


def test_a_map_link_must_be_https_and_nothing_typed_is_lost(client, auth, make_user):
    auth.login(make_user(role=Role.MODERATOR, region="35.13").email)
    response = client.submit("/moderation/events/new", {**EVENT_FORM, "map_url": "javascript:alert(1)"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "https://" in html and 'value="Pendopo Agung Ngadisari"' in html
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0


def test_a_moderator_cannot_host_in_another_region(client, auth, make_user):
    auth.login(make_user(role=Role.MODERATOR, region="35.74").email)
    client.submit("/moderation/events/new", {**EVENT_FORM, "host_region": "35.13"})
    assert db.session.scalar(db.select(Event.host_region_code)) == "35.74"  # the form's region is ignored


def test_an_owner_applies_and_confirms_through_the_pages(client, auth, make_user, make_business, make_product):
    event = make_event(make_user)
    business = make_business(region="35.13", name="Keripik Bromo")
    product = make_product(status="published", business=business, category="keripik", name="Keripik Kentang Bromo")
    auth.login(business.owner.email)
    apply_url = f"/my/events/{event.slug}/apply"
    refused = client.submit(apply_url, {"booth_type": str(event.booth_types[0].id), "business": str(business.id),
                                        "note": "Kami bawa keripik kentang."})
    assert refused.status_code == 200 and "Kami bawa keripik kentang." in refused.get_data(as_text=True)
    assert client.submit(apply_url, {"booth_type": str(event.booth_types[0].id), "business": str(business.id),
                                     "products": [str(product.id)]}).status_code == 302
    application = db.session.scalar(db.select(Application))
    decide_and_release(event, {application: Decision.ACCEPT})
    page = client.get("/my/events").get_data(as_text=True)
    assert "Konfirmasi stan saya" in page
    assert client.submit(f"/my/events/applications/{application.id}/confirm", {}, page="/my/events").status_code == 302
    assert db.session.scalar(db.select(Application.status)) is ApplicationStatus.CONFIRMED
    assert f"/my/events/applications/{application.id}/qr.svg" in client.get("/my/events").get_data(as_text=True)


def test_the_event_page_lists_participants_souvenirs_and_the_destination(client, make_user, make_business, make_product):
    event = make_event(make_user)
    application = apply_for(event, make_business, make_product, name="Keripik Bromo")
    decide_and_release(event, {application: Decision.ACCEPT})
    with unit_of_work():
        booths.confirm(application.owner, db.session.get(Application, application.id), NOW)
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Keripik Bromo" in html and "Oleh-oleh" in html and "Yadnya Kasada" in html and "Bromo" in html
    assert f'<meta property="og:title" content="{event.title}">' in html
    assert f'/events/{event.slug}/booths/{application.id}' in html


def test_the_list_shows_upcoming_first_and_keeps_past_events(client, make_user):
    make_event(make_user, slug_title="Bazar Mendatang")
    past = make_event(make_user, slug_title="Bazar Lalu")
    with unit_of_work():
        past = db.session.get(Event, past.id)
        past.starts_at, past.ends_at = NOW - timedelta(days=30), NOW - timedelta(days=29)
        past.apply_by = NOW - timedelta(days=40)
    html = client.get("/events").get_data(as_text=True)
    assert html.index("Bazar Mendatang") < html.index("Acara yang telah lewat") < html.index("Bazar Lalu")


def test_a_draft_event_is_not_public(client, make_user):
    event = make_event(make_user, published=False)
    assert client.get(f"/events/{event.slug}").status_code == 404
    assert client.get(f"/events/{event.slug}.ics").status_code == 404
    assert event.slug not in client.get("/sitemap.xml").get_data(as_text=True)


def test_published_events_are_in_the_sitemap(client, make_user):
    event = make_event(make_user)
    assert f"/events/{event.slug}</loc>" in client.get("/sitemap.xml").get_data(as_text=True)


def test_showcases_and_events_under_one_agreement_point_to_each_other(client, make_user):
    from marketplace.timeutil import today

    agreement = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-pasuruan-2025"))
    event = make_event(make_user, host="35.74", slug_title="Bazar Mitra")
    host = make_user(role=Role.MODERATOR, region="35.74")
    on = today()
    with unit_of_work():
        services.update_event(host, db.session.get(Event, event.id), agreement=agreement, partners_only=True)
        showcase = showcases.create_showcase(host, agreement=agreement, host_region_code="35.74", title="Etalase Mitra",
                                             on=on, published=True, starts_on=on - timedelta(days=1),
                                             ends_on=on + timedelta(days=30))
    assert "Etalase Mitra" in client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Bazar Mitra" in client.get(f"/showcases/{showcase.slug}").get_data(as_text=True)


def test_partners_only_admits_the_agreement_s_regions(make_user, make_business, make_product):
    agreement = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-pasuruan-2025"))
    event = make_event(make_user, host="35.74")
    with unit_of_work():
        services.update_event(event.staff, db.session.get(Event, event.id), agreement=agreement, partners_only=True)
    assert apply_for(event, make_business, make_product, region="35.14", name="Bordir Bangil").id
    with pytest.raises(services.EventRefused), unit_of_work():
        apply_for(event, make_business, make_product, region="35.05", name="Telur Blitar")


def test_seed_demo_makes_the_kasada_exhibition_and_the_partner_bazaar(app):
    from marketplace.seeding import seed_demo

    with unit_of_work():
        seed_demo()
    events = {e.host_region_code: e for e in db.session.scalars(db.select(Event))}
    assert set(events) == {"35.13", "35.74"}
    assert events["35.13"].venue_name == "Pendopo Agung Ngadisari" and events["35.13"].occasion == "Yadnya Kasada"
    states = set(db.session.scalars(db.select(Application.status)))
    assert {ApplicationStatus.CONFIRMED, ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED,
            ApplicationStatus.SUBMITTED} <= states
    assert events["35.74"].partners_only and events["35.74"].agreement is not None


def test_the_cover_goes_through_the_photo_pipeline_and_a_bad_one_keeps_the_form(client, auth, make_user):
    from io import BytesIO

    from tests.conftest import jpeg_bytes

    auth.login(make_user(role=Role.MODERATOR, region="35.13").email)
    refused = client.submit("/moderation/events/new", {**EVENT_FORM, "cover": (BytesIO(b"not an image"), "sampul.jpg")},
                            content_type="multipart/form-data")
    assert refused.status_code == 200 and 'value="Pameran UMKM Kasada"' in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0
    response = client.submit("/moderation/events/new", {**EVENT_FORM, "cover": (BytesIO(jpeg_bytes((1800, 600))), "s.jpg")},
                             content_type="multipart/form-data")
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event))
    assert event.cover and event.cover_widths[-1] == 1600  # re-encoded renditions, never the upload itself
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert event.cover_file(1600, "webp") in page and "og:image" in page
    assert client.get(f"/media/{event.cover_file(320, 'jpg')}").status_code == 200
