"""The host's staff withdraw an accepted or confirmed booth before the event (with a reason): the owner is told,
the booth count goes down and the first on the waiting list is offered the booth, as after a cancellation."""

from datetime import timedelta

import pytest

from marketplace.domain import OutsideRegion, ReasonRequired
from marketplace.events import booths, clock
from marketplace.events.models import Application, ApplicationStatus, BoothType, Decision
from marketplace.events.services import EventRefused
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.unit_of_work import unit_of_work
from tests.events_helpers import LINKS, NOW, apply_for, decide_and_release, make_event


def status(application) -> ApplicationStatus:
    return db.session.scalar(db.select(Application.status).where(Application.id == application.id))


@pytest.fixture
def seated(app, make_user, make_business, make_product):
    event = make_event(make_user, count=1)
    holder = apply_for(event, make_business, make_product, name="Keripik A")
    waiting = apply_for(event, make_business, make_product, name="Keripik B")
    decide_and_release(event, {holder: Decision.ACCEPT})
    decide_and_release(event, {waiting: Decision.WAITLIST}, at=NOW + timedelta(minutes=1))
    with unit_of_work():
        booths.confirm(holder.owner, db.session.get(Application, holder.id), NOW)
    return event, holder, waiting


def test_withdrawing_a_confirmed_booth_moves_the_waiting_list_up(seated, outbox):
    event, holder, waiting = seated
    assert db.session.get(BoothType, event.booth_types[0].id).confirmed == 1
    with unit_of_work():
        booths.withdraw(event.staff, db.session.get(Application, holder.id), "Produk tidak sesuai kategori",
                        NOW + timedelta(hours=1), LINKS)
    assert status(holder) is ApplicationStatus.WITHDRAWN
    assert db.session.get(Application, holder.id).reason == "Produk tidak sesuai kategori"
    assert db.session.get(BoothType, event.booth_types[0].id, populate_existing=True).confirmed == 0
    assert status(waiting) is ApplicationStatus.ACCEPTED
    kinds = {n.kind: n.user_id for n in db.session.scalars(db.select(Notification))}
    assert kinds["booth.withdraw"] == holder.owner_id and kinds["booth.promote"] == waiting.owner_id


def test_withdrawing_needs_a_reason_the_host_and_a_date_before_the_event(seated, make_user):
    event, holder, _waiting = seated
    application = db.session.get(Application, holder.id)
    with pytest.raises(ReasonRequired), unit_of_work():
        booths.withdraw(event.staff, application, "  ", NOW, LINKS)
    other = make_user(role=event.staff.role, region="35.74")
    with pytest.raises(OutsideRegion), unit_of_work():
        booths.withdraw(other, application, "alasan", NOW, LINKS)
    with pytest.raises(EventRefused), unit_of_work():
        booths.withdraw(event.staff, application, "alasan", event.starts_at, LINKS)
    assert status(holder) is ApplicationStatus.CONFIRMED


def test_staff_withdraw_through_the_page(seated, client, auth, monkeypatch):
    event, holder, waiting = seated
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(hours=2))
    auth.login(event.staff.email)
    page = f"/moderation/events/{event.id}/applications"
    assert "Tarik stan" in client.get(page).get_data(as_text=True) or "Withdraw booth" in client.get(
        page + "?lang=en").get_data(as_text=True)
    url = f"/moderation/events/{event.id}/applications/{holder.id}/withdraw"
    assert client.submit(url, {"reason": ""}, page=page).status_code == 302
    assert status(holder) is ApplicationStatus.CONFIRMED  # no reason: nothing changed
    assert client.submit(url, {"reason": "Stan dipindah untuk UMKM lokal"}, page=page).status_code == 302
    assert status(holder) is ApplicationStatus.WITHDRAWN
    assert status(waiting) is ApplicationStatus.ACCEPTED
