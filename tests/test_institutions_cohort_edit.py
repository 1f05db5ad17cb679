"""Changing a published cohort (issue 18): schedule and venue may change and everyone enrolled or waiting is told in
their own language; the capacity never goes below the seats taken (the database decides, also against an enrolment
at the same moment); a larger capacity moves the waiting list up; the topic stays; every change is audited."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db
from marketplace.institutions import cohort_changes, training
from marketplace.institutions.training_models import Cohort, Enrolment, EnrolmentState
from marketplace.notifications.messages import render
from marketplace.notifications.models import Notification
from marketplace.unit_of_work import unit_of_work
from tests.institutions_helpers import institution
from tests.test_institutions_training import LINKS, TODAY, enrol, make_cohort


@pytest.fixture
def staff(make_user):
    return make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id,
                     email="staf.ubah@example.id", name="Staf BBSPJIKB")


def _fields(cohort, **changes):
    fields = {name: getattr(cohort, name) for name in cohort_changes.EDITABLE}
    return {**fields, **changes}


def test_a_new_schedule_is_told_to_everyone_enrolled_in_their_language(app, staff, make_business, make_user):
    cohort = make_cohort(staff, capacity=1)
    seated, waiting = make_business(region="35.13", name="Batik Satu"), make_business(region="35.13", name="Batik Dua")
    seated.owner.locale, waiting.owner.locale = "id", "en"
    enrol(seated.owner, seated, cohort)
    enrol(waiting.owner, waiting, cohort)
    new_start = TODAY + timedelta(days=30)
    with unit_of_work():
        loaded = db.session.get(Cohort, cohort.id)
        cohort_changes.update_cohort(staff, loaded, capacity=1, **_fields(
            loaded, starts_on=new_start, ends_on=new_start + timedelta(days=1), venue="Pendopo Kabupaten"), **LINKS)
    notes = {n.user_id: n for n in db.session.scalars(db.select(Notification).where(Notification.kind == "cohort.changed"))}
    assert set(notes) == {seated.owner_id, waiting.owner_id}
    assert notes[seated.owner_id].params["starts_on"] == new_start.isoformat()
    with app.test_request_context("/?lang=id"):
        from flask_babel import force_locale
        with force_locale("id"):
            text = render("cohort.changed", notes[seated.owner_id].params)
        with force_locale("en"):
            english = render("cohort.changed", notes[waiting.owner_id].params)
    months_id = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
                 "November", "Desember"]
    assert months_id[new_start.month - 1] in text and "Pendopo Kabupaten" in text and "Pelatihan" in text
    assert "has changed" in english and new_start.isoformat() not in english
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "cohort.update"))
    assert entry.changes["venue"] == ["Gedung BBSPJIKB", "Pendopo Kabupaten"]
    assert entry.changes["starts_on"][1] == new_start.isoformat()


def test_a_description_or_deadline_change_is_not_sent_to_participants(staff, make_business):
    cohort = make_cohort(staff, capacity=2)
    business = make_business(region="35.13", name="Batik Tiga")
    enrol(business.owner, business, cohort)
    with unit_of_work():
        loaded = db.session.get(Cohort, cohort.id)
        cohort_changes.update_cohort(staff, loaded, capacity=2, **_fields(loaded, description="Bawa kain sendiri"),
                                     **LINKS)
    assert db.session.scalar(db.select(db.func.count(Notification.id)).where(
        Notification.kind.like("cohort.changed%"))) == 0


def test_capacity_not_below_seats_taken_and_larger_moves_the_waiting_list_up(staff, make_business):
    cohort = make_cohort(staff, capacity=2)
    businesses = [make_business(region="35.13", name=f"Bordir {n}") for n in ("A", "B", "C", "D")]
    for business in businesses:
        enrol(business.owner, business, cohort)
    with pytest.raises(cohort_changes.CapacityBelowSeatsTaken), unit_of_work():
        loaded = db.session.get(Cohort, cohort.id)
        cohort_changes.update_cohort(staff, loaded, capacity=1, **_fields(loaded), **LINKS)
    db.session.expire_all()
    assert db.session.get(Cohort, cohort.id).capacity == 2
    with unit_of_work():
        loaded = db.session.get(Cohort, cohort.id)
        promoted = cohort_changes.update_cohort(staff, loaded, capacity=3, **_fields(loaded), **LINKS)
    assert [e.user_id for e in promoted] == [businesses[2].owner_id]  # the first waiting, not the later one
    db.session.expire_all()
    loaded = db.session.get(Cohort, cohort.id)
    assert (loaded.capacity, loaded.seats_taken) == (3, 3)
    assert db.session.get(Enrolment, promoted[0].id).state is EnrolmentState.ENROLLED
    assert db.session.scalar(db.select(Enrolment.state).where(Enrolment.user_id == businesses[3].owner_id)) \
        is EnrolmentState.WAITLISTED


def test_lowering_the_capacity_while_someone_enrols_keeps_the_seats_within_it(app, staff, make_business):
    """The staff lower the capacity to the seats taken while an owner takes a seat: one of them loses, the seats never
    exceed the capacity (PostgreSQL: the second UPDATE waits for the first and re-reads the row)."""
    cohort = make_cohort(staff, capacity=2)
    first, second = make_business(region="35.13", name="Tenun Satu"), make_business(region="35.13", name="Tenun Dua")
    enrol(first.owner, first, cohort)
    db.session.commit()
    # ids read here: the threads must not touch this session's objects
    cohort_id, staff_id, second_id = cohort.id, staff.id, second.id
    barrier, outcomes = threading.Barrier(2), []

    def attempt(action):
        with app.app_context():
            for tries in range(5):
                try:
                    with unit_of_work():
                        loaded = db.session.get(Cohort, cohort_id)
                        if tries == 0:
                            barrier.wait(timeout=10)
                        outcomes.append(action(loaded))
                    return
                except OperationalError:  # SQLite: the database is locked for the loser; try again
                    db.session.rollback()
                except cohort_changes.CapacityBelowSeatsTaken:
                    outcomes.append("refused")
                    return

    def lower(loaded):
        from marketplace.accounts.models import User
        cohort_changes.update_cohort(db.session.get(User, staff_id), loaded, capacity=1, **_fields(loaded), **LINKS)
        return "lowered"

    def take(loaded):
        from marketplace.businesses.models import Business
        business = db.session.get(Business, second_id)
        return training.enrol(business.owner, loaded, business, on=TODAY).state

    threads = [threading.Thread(target=attempt, args=(action,)) for action in (lower, take)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    db.session.expire_all()
    loaded = db.session.get(Cohort, cohort_id)
    assert loaded.seats_taken <= loaded.capacity
    assert sorted(map(str, outcomes)) in (sorted(["lowered", str(EnrolmentState.WAITLISTED)]),
                                          sorted(["refused", str(EnrolmentState.ENROLLED)]))


def test_the_edit_page_keeps_what_was_typed_and_says_why(client, auth, staff, make_business):
    cohort = make_cohort(staff, capacity=2)
    for name in ("Satu", "Dua"):
        business = make_business(region="35.13", name=f"Batik {name}")
        enrol(business.owner, business, cohort)
    auth.login(staff.email)
    page = f"/institution/cohorts/{cohort.id}/edit"
    assert client.get(page).status_code == 200
    data = {"description": "Tempat berubah", "starts_on": cohort.starts_on.isoformat(),
            "ends_on": cohort.ends_on.isoformat(), "venue": "Balai Desa Tegalsiwalan", "region": "35.13",
            "capacity": "1", "enrol_by": cohort.enrol_by.isoformat()}
    response = client.submit(page + "?lang=en", data, page=page)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "lower than the 2 seats already taken" in body
    assert "Balai Desa Tegalsiwalan" in body
    db.session.expire_all()
    assert db.session.get(Cohort, cohort.id).venue == "Gedung BBSPJIKB"
    response = client.submit(page, {**data, "capacity": "4", "topic": "Topik lain"}, page=page)
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Cohort, cohort.id)
    assert (changed.venue, changed.capacity, changed.topic) == ("Balai Desa Tegalsiwalan", 4, cohort.topic)
