"""Events: capacity, deadlines and the waiting list (fixed clock); decisions released together; QR reach; calendar."""

import threading
from datetime import timedelta

import pytest
from icalendar import Calendar

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.domain import ReasonRequired
from marketplace.events import booths, clock, services
from marketplace.events.booths import BoothsFull
from marketplace.events.models import Application, ApplicationStatus, BoothType, Decision, Event
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry
from marketplace.notifications.models import Notification
from marketplace.unit_of_work import unit_of_work
from tests.conftest import PASSWORD
from tests.events_helpers import LINKS, NOW, apply_for, decide_and_release, make_event


@pytest.fixture
def fixed_now(monkeypatch):
    """The views' and the job's clock, fixed (tests move it with fixed_now.at = ...)."""
    class Clock:
        at = NOW
    monkeypatch.setattr(clock, "now", lambda: Clock.at)
    return Clock


def status(application) -> ApplicationStatus:
    return db.session.scalar(db.select(Application.status).where(Application.id == application.id))


def test_decisions_reach_the_owner_only_when_released(app, make_user, make_business, make_product, outbox):
    event = make_event(make_user)
    first = apply_for(event, make_business, make_product)
    with unit_of_work():
        booths.prepare_decision(event.staff, first, Decision.ACCEPT, "")
    assert status(first) is ApplicationStatus.SUBMITTED
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0 and not outbox()
    with unit_of_work():
        assert booths.release_decisions(event.staff, event, NOW, LINKS) == 1
    assert status(first) is ApplicationStatus.ACCEPTED
    note = db.session.scalar(db.select(Notification))
    assert note.kind == "booth.accept" and note.user_id == first.owner_id
    assert "04-06-2026 10:00 WIB" in outbox()[-1].get_content()  # confirm within 3 days, in Jakarta time
    actions = set(db.session.scalars(db.select(AuditEntry.action)))
    assert {"booth_application.prepare", "booth_application.accept", "event.release"} <= actions


def test_waitlist_and_rejection_need_a_reason(app, make_user, make_business, make_product):
    event = make_event(make_user)
    application = apply_for(event, make_business, make_product)
    with pytest.raises(ReasonRequired), unit_of_work():
        booths.prepare_decision(event.staff, application, Decision.REJECT, " ")


def test_an_unconfirmed_offer_lapses_and_the_first_on_the_waitlist_gets_the_booth(app, make_user, make_business,
                                                                                  make_product, fixed_now):
    event = make_event(make_user, count=1)
    accepted = apply_for(event, make_business, make_product, name="Keripik A")
    first_waiting = apply_for(event, make_business, make_product, name="Keripik B")
    second_waiting = apply_for(event, make_business, make_product, name="Keripik C")
    decide_and_release(event, {accepted: Decision.ACCEPT})
    decide_and_release(event, {first_waiting: Decision.WAITLIST}, at=NOW + timedelta(minutes=1))
    decide_and_release(event, {second_waiting: Decision.WAITLIST}, at=NOW + timedelta(minutes=2))

    with unit_of_work():  # the deadline has not passed: nothing moves
        assert booths.settle(NOW + timedelta(days=3), LINKS) == 0
    assert status(accepted) is ApplicationStatus.ACCEPTED

    with unit_of_work():
        assert booths.settle(NOW + timedelta(days=3, seconds=1), LINKS) == 1
    assert status(accepted) is ApplicationStatus.EXPIRED
    assert status(first_waiting) is ApplicationStatus.ACCEPTED
    assert status(second_waiting) is ApplicationStatus.WAITLISTED
    promoted = db.session.get(Application, first_waiting.id, populate_existing=True)
    assert promoted.confirm_by == NOW + timedelta(days=6, seconds=1)
    kinds = {(n.user_id, n.kind) for n in db.session.scalars(db.select(Notification))}
    assert (accepted.owner_id, "booth.expire") in kinds and (first_waiting.owner_id, "booth.promote") in kinds

    # the lapsed owner can no longer confirm; the promoted one can
    with pytest.raises(services.EventRefused), unit_of_work():
        booths.confirm(accepted.owner, db.session.get(Application, accepted.id), NOW + timedelta(days=4))
    with unit_of_work():
        booths.confirm(first_waiting.owner, promoted, NOW + timedelta(days=4))
    assert status(first_waiting) is ApplicationStatus.CONFIRMED


def test_the_lapse_is_also_checked_when_the_event_page_is_read(app, client, make_user, make_business, make_product,
                                                                fixed_now):
    event = make_event(make_user, count=1)
    accepted = apply_for(event, make_business, make_product, name="Keripik A")
    waiting = apply_for(event, make_business, make_product, name="Keripik B")
    decide_and_release(event, {accepted: Decision.ACCEPT, waiting: Decision.WAITLIST})
    fixed_now.at = NOW + timedelta(days=3, hours=1)  # no job has run
    assert client.get(f"/events/{event.slug}").status_code == 200
    assert status(accepted) is ApplicationStatus.EXPIRED and status(waiting) is ApplicationStatus.ACCEPTED


def test_the_periodic_job_settles_lapsed_offers(app, make_user, make_business, make_product, fixed_now):
    from marketplace.events.tasks import settle_booth_offers

    event = make_event(make_user, count=1)
    accepted = apply_for(event, make_business, make_product, name="Keripik A")
    waiting = apply_for(event, make_business, make_product, name="Keripik B")
    decide_and_release(event, {accepted: Decision.ACCEPT, waiting: Decision.WAITLIST})
    fixed_now.at = NOW + timedelta(days=4)
    with app.app_context():
        app.extensions["jobs"].settle_booth_offers()  # immediate mode in tests: runs now, in its own unit of work
    assert settle_booth_offers.__name__ in app.extensions["jobs"].tasks
    assert status(accepted) is ApplicationStatus.EXPIRED and status(waiting) is ApplicationStatus.ACCEPTED


def test_a_cancelled_booth_moves_the_waitlist_up(app, make_user, make_business, make_product):
    event = make_event(make_user, count=1)
    accepted = apply_for(event, make_business, make_product, name="Keripik A")
    waiting = apply_for(event, make_business, make_product, name="Keripik B")
    decide_and_release(event, {accepted: Decision.ACCEPT, waiting: Decision.WAITLIST})
    with unit_of_work():
        booths.confirm(accepted.owner, accepted, NOW + timedelta(hours=1))
    assert db.session.scalar(db.select(BoothType.confirmed)) == 1
    with unit_of_work():
        booths.cancel(accepted.owner, db.session.get(Application, accepted.id), NOW + timedelta(hours=2), LINKS)
    assert db.session.scalar(db.select(BoothType.confirmed)) == 0
    assert status(accepted) is ApplicationStatus.CANCELLED and status(waiting) is ApplicationStatus.ACCEPTED


def test_confirmations_never_exceed_the_booth_count(app, make_user, make_business, make_product):
    event = make_event(make_user, count=1)
    first = apply_for(event, make_business, make_product, name="Keripik A")
    second = apply_for(event, make_business, make_product, name="Keripik B")
    decide_and_release(event, {first: Decision.ACCEPT, second: Decision.ACCEPT})  # the host accepted two for one booth
    with unit_of_work():
        booths.confirm(first.owner, first, NOW + timedelta(hours=1))
    with pytest.raises(BoothsFull), unit_of_work():
        booths.confirm(second.owner, db.session.get(Application, second.id), NOW + timedelta(hours=1))
    assert status(second) is ApplicationStatus.ACCEPTED  # the refused confirmation changed nothing
    assert db.session.scalar(db.select(BoothType.confirmed)) == 1


def test_two_confirmations_at_the_same_moment_take_one_booth(app, make_user, make_business, make_product):
    """Two owners confirm the last booth at once, each in its own connection and transaction (on PostgreSQL the
    second UPDATE waits for the first and then finds the booth taken)."""
    event = make_event(make_user, count=1)
    ids = [apply_for(event, make_business, make_product, name=f"Keripik {n}").id for n in "AB"]
    decide_and_release(event, {db.session.get(Application, i): Decision.ACCEPT for i in ids})
    db.session.commit()
    barrier, outcomes = threading.Barrier(2), []

    def confirm(application_id):
        with app.app_context():
            try:
                with unit_of_work():
                    application = db.session.get(Application, application_id)
                    owner = application.owner
                    barrier.wait(timeout=10)
                    booths.confirm(owner, application, NOW + timedelta(hours=1))
                outcomes.append("confirmed")
            except BoothsFull:
                outcomes.append("full")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    db.session.expire_all()
    assert sorted(outcomes) == ["confirmed", "full"]
    assert db.session.scalar(db.select(BoothType.confirmed)) == 1
    confirmed = db.session.scalars(db.select(Application).where(Application.status == ApplicationStatus.CONFIRMED)).all()
    assert len(confirmed) == 1


def test_the_database_refuses_more_confirmed_booths_than_the_count(app, make_user):
    from sqlalchemy.exc import IntegrityError

    make_event(make_user, count=1)
    with pytest.raises(IntegrityError):
        db.session.execute(db.update(BoothType).values(confirmed=2))
        db.session.flush()
    db.session.rollback()


def test_only_verified_businesses_of_allowed_regions_apply(app, make_user, make_business, make_product):
    event = make_event(make_user)
    with unit_of_work():  # partners only, and no agreement: the host region alone
        services.update_event(event.staff, event, partners_only=True, agreement=None)
    outsider = make_business(region="35.05", name="Telur Blitar")
    product = make_product(status="published", business=outsider, category="keripik")
    with pytest.raises(services.EventRefused), unit_of_work():
        services.apply(outsider.owner, event, event.booth_types[0], outsider, [product], "", NOW)
    unverified = make_business(region="35.13", verified=False, name="Belum Verifikasi")
    with pytest.raises(services.EventRefused), unit_of_work():
        services.apply(unverified.owner, event, event.booth_types[0], unverified, [], "", NOW)
    assert db.session.scalar(db.select(db.func.count(Application.id))) == 0


def test_an_inquiry_through_a_booth_qr_code_is_tagged_and_counted(app, client, make_user, make_business, make_product,
                                                                   fixed_now):
    event = make_event(make_user)
    application = apply_for(event, make_business, make_product)
    decide_and_release(event, {application: Decision.ACCEPT})
    with unit_of_work():
        booths.confirm(application.owner, db.session.get(Application, application.id), NOW)
    product = application.products[0]
    booth_url = f"/events/{event.slug}/booths/{application.id}"

    assert client.get(booth_url + "?via=qr").status_code == 200  # what the printed QR code opens
    response = client.submit(booth_url + "/inquiry", {
        "product": str(product.id), "name": "Pembeli Bromo", "contact": "081234567890", "quantity": "3",
        "region": "35.13", "message": "Untuk oleh-oleh"}, page=booth_url)
    assert response.status_code == 302
    inquiry = db.session.scalar(db.select(Inquiry))
    assert inquiry.event_id == event.id and inquiry.product_id == product.id
    whatsapp = client.get(booth_url + "/whatsapp")
    assert whatsapp.status_code == 302 and whatsapp.location.startswith("https://wa.me/62")

    from marketplace.events.queries import reach
    figures = reach(event.id)
    assert figures["scan"] == 1 and figures["inquiries"] == 1 and figures["whatsapp"] == 1
    assert figures["view"] >= 1  # the form page fetched for its CSRF token counts as a view
    from marketplace.events.queries import booth_reach
    mine = booth_reach([db.session.get(Application, application.id)])[application.id]
    assert (mine["scan"], mine["inquiries"], mine["whatsapp"]) == (1, 1, 1)


def test_the_qr_code_leads_to_the_booth_page(app, client, auth, make_user, make_business, make_product):
    event = make_event(make_user)
    application = apply_for(event, make_business, make_product)
    decide_and_release(event, {application: Decision.ACCEPT})
    with unit_of_work():
        booths.confirm(application.owner, db.session.get(Application, application.id), NOW)
    auth.login(application.owner.email, PASSWORD)
    svg = client.get(f"/my/events/applications/{application.id}/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    png = client.get(f"/my/events/applications/{application.id}/qr.png")
    assert png.data.startswith(b"\x89PNG")
    from io import BytesIO

    from PIL import Image
    assert Image.open(BytesIO(png.data)).size[0] > 200  # printable


def test_event_calendar_file_is_valid_icalendar_in_jakarta_time(app, client, make_user):
    event = make_event(make_user)
    response = client.get(f"/events/{event.slug}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    entries = calendar.walk("VEVENT")
    assert len(entries) == 1 and str(entries[0]["summary"]) == event.title
    start = entries[0].decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Jakarta" and start.hour == 10 and start.utcoffset() == timedelta(hours=7)
    assert entries[0]["dtstart"].params["TZID"] == "Asia/Jakarta"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Jakarta"]


def test_the_feed_lists_upcoming_published_events(app, client, make_user, fixed_now):
    make_event(make_user, slug_title="Bazar UMKM Kota")
    make_event(make_user, published=False, slug_title="Draf Rahasia")
    calendar = Calendar.from_ical(client.get("/events.ics").data)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Bazar UMKM Kota"]


def test_sales_reports_add_up_for_the_host(app, make_user, make_business, make_product):
    from marketplace.events.queries import sales_totals

    event = make_event(make_user, count=2)
    a = apply_for(event, make_business, make_product, name="Keripik A")
    b = apply_for(event, make_business, make_product, name="Keripik B")
    decide_and_release(event, {a: Decision.ACCEPT, b: Decision.ACCEPT})
    with unit_of_work():
        booths.confirm(a.owner, a, NOW)
        booths.confirm(b.owner, b, NOW)
    with pytest.raises(services.EventRefused), unit_of_work():
        services.report_sales(a.owner, a, 100_000, NOW)  # not before the event
    after = db.session.get(Event, event.id).ends_at + timedelta(hours=1)
    with unit_of_work():
        services.report_sales(a.owner, db.session.get(Application, a.id), 1_250_000, after)
        services.report_sales(b.owner, db.session.get(Application, b.id), None, after)
    assert sales_totals(event.id) == {"reported": 2, "with_amount": 1, "total": 1_250_000}


def test_staff_of_another_region_cannot_touch_the_event(app, make_user):
    from marketplace.domain import OutsideRegion

    event = make_event(make_user)
    other = make_user(role=Role.MODERATOR, region="35.74")
    with pytest.raises(OutsideRegion), unit_of_work():
        services.update_event(other, event, title="Diambil alih")


def test_each_owner_is_told_in_their_own_language(app, make_user, make_business, make_product, outbox):
    event = make_event(make_user, count=1)
    english = make_business(owner=make_user(role=Role.OWNER, region="35.13", locale="en"), region="35.13",
                            name="Bromo Chips")
    product = make_product(status="published", business=english, category="keripik")
    with unit_of_work():
        applied = services.apply(english.owner, event, event.booth_types[0], english, [product], "", NOW)
    indonesian = apply_for(event, make_business, make_product, name="Keripik Tengger")
    decide_and_release(event, {applied: Decision.WAITLIST, indonesian: Decision.REJECT})
    subjects = {message["To"]: message["Subject"] for message in outbox()}
    assert subjects[english.owner.email] == "Etalase UMKM: you are on the waiting list for a booth"
    assert subjects[indonesian.owner.email] == "Etalase UMKM: pendaftaran stan Anda tidak diterima"
