"""Training cohorts (issue 18): capacity kept by the database, the waiting list moving up, attendance, certificates
of attendance as private PDFs with a public verification code, and the training on the business page."""

import threading
from datetime import date, timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy.exc import OperationalError

from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.institutions import training
from marketplace.institutions.training_models import Cohort, Eligibility, Enrolment, EnrolmentState
from marketplace.notifications.models import Notification
from marketplace.unit_of_work import unit_of_work
from tests.institutions_helpers import institution

TODAY = date.today()
LINKS = {"link": "/my/services", "inbox_url": "http://localhost/my/notifications"}


@pytest.fixture
def staff(make_user):
    return make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id,
                     email="staf.bbspjikb@example.id", name="Staf BBSPJIKB")


def make_cohort(staff, capacity=1, **fields):
    fields = {"topic": "Batik tulis dengan pewarna alam", "starts_on": TODAY + timedelta(days=20),
              "ends_on": TODAY + timedelta(days=21), "venue": "Gedung BBSPJIKB", "region_code": "35.13",
              "capacity": capacity, "enrol_by": TODAY + timedelta(days=10), **fields}
    with unit_of_work():
        return training.create_cohort(staff, institution("bbspjikb"), **fields)


def enrol(owner, business, cohort, **kwargs):
    with unit_of_work():
        return training.enrol(owner, db.session.get(Cohort, cohort.id), business, on=TODAY, **kwargs)


def test_beyond_capacity_owners_join_the_waiting_list_which_moves_up(staff, make_business):
    cohort = make_cohort(staff, capacity=1)
    first, second, third = (make_business(region="35.13", name=f"Batik {n}") for n in ("Satu", "Dua", "Tiga"))
    assert enrol(first.owner, first, cohort).state is EnrolmentState.ENROLLED
    assert enrol(second.owner, second, cohort).state is EnrolmentState.WAITLISTED
    assert enrol(third.owner, third, cohort).state is EnrolmentState.WAITLISTED
    seat = db.session.scalar(db.select(Enrolment).where(Enrolment.user_id == first.owner_id))
    with unit_of_work():
        promoted = training.withdraw(first.owner, seat, **LINKS)
    assert promoted.user_id == second.owner_id  # the first on the waiting list, not the later one
    db.session.expire_all()
    states = {e.user_id: e.state for e in db.session.scalars(db.select(Enrolment))}
    assert states == {first.owner_id: EnrolmentState.WITHDRAWN, second.owner_id: EnrolmentState.ENROLLED,
                      third.owner_id: EnrolmentState.WAITLISTED}
    assert db.session.get(Cohort, cohort.id).seats_taken == 1
    assert db.session.scalar(db.select(Notification).where(Notification.kind == "enrolment.promoted",
                                                           Notification.user_id == second.owner_id)) is not None


def test_two_enrolments_at_the_same_moment_take_one_seat(app, staff, make_business):
    """Two connections enrol for the last seat at once: the database lets one have it (PostgreSQL: the second UPDATE
    waits for the first and sees its count; SQLite: one writer at a time, the loser's retry sees it)."""
    cohort = make_cohort(staff, capacity=1)
    owners = [make_business(region="35.13", name=f"Bordir {n}") for n in ("Satu", "Dua")]
    db.session.commit()
    barrier, results, errors = threading.Barrier(2), [], []

    def run(business_id):
        with app.app_context():
            for _attempt in range(5):
                try:
                    with unit_of_work():
                        from marketplace.businesses.models import Business
                        business = db.session.get(Business, business_id)
                        loaded = db.session.get(Cohort, cohort.id)
                        owner = business.owner
                        if _attempt == 0:
                            barrier.wait(timeout=10)
                        results.append(training.enrol(owner, loaded, business, on=TODAY).state)
                    return
                except OperationalError as error:  # SQLite: "database is locked" for the loser; try again
                    errors.append(error)
                    db.session.rollback()
    threads = [threading.Thread(target=run, args=(b.id,)) for b in owners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == sorted([EnrolmentState.ENROLLED, EnrolmentState.WAITLISTED])
    db.session.expire_all()
    assert db.session.get(Cohort, cohort.id).seats_taken == 1
    seated = db.session.scalar(db.select(db.func.count(Enrolment.id)).where(Enrolment.state == EnrolmentState.ENROLLED))
    assert seated == 1


def test_the_database_refuses_more_seats_than_the_capacity(staff):
    cohort = make_cohort(staff, capacity=2)
    from sqlalchemy.exc import IntegrityError
    with pytest.raises(IntegrityError):
        db.session.execute(db.update(Cohort).where(Cohort.id == cohort.id).values(seats_taken=3))
        db.session.flush()
    db.session.rollback()


def test_who_may_enrol_and_the_deadline(staff, make_business, make_product):
    from marketplace.catalog.models import Category
    region_only = make_cohort(staff, capacity=5, eligibility=Eligibility.REGION, eligible_region_code="35.13")
    kota = make_business(region="35.74", name="Batik Kota")
    with pytest.raises(training.NotEligible):
        enrol(kota.owner, kota, region_only)
    batik = db.session.scalar(db.select(Category).where(Category.slug == "batik"))
    sector = make_cohort(staff, capacity=5, eligibility=Eligibility.SECTOR, eligible_category_id=batik.id)
    kab = make_business(region="35.13", name="Keripik Kab")
    make_product(business=kab, category="keripik")
    with pytest.raises(training.NotEligible):
        enrol(kab.owner, kab, sector)
    make_product(business=kab, category="batik-tulis", name="Batik Tulis Kab")
    assert enrol(kab.owner, kab, sector).state is EnrolmentState.ENROLLED
    youth = make_cohort(staff, capacity=5, eligibility=Eligibility.YOUTH)
    with pytest.raises(training.NotEligible):
        enrol(kota.owner, kota, youth)
    assert enrol(kota.owner, kota, youth, young=True).state is EnrolmentState.ENROLLED
    closed = make_cohort(staff, capacity=5, enrol_by=TODAY - timedelta(days=1), starts_on=TODAY)
    with pytest.raises(training.EnrolmentClosed):
        enrol(kota.owner, kota, closed)


def test_attendance_certificate_pdf_download_and_public_verification(client, auth, staff, make_business):
    cohort = make_cohort(staff, capacity=3)
    business = make_business(region="35.13", name="Batik Tegalsiwalan")
    business.owner.name = "Siti Aminah"
    db.session.commit()
    auth.login(business.owner.email)
    assert "3 seats left" in client.get(f"/services/training/{cohort.id}?lang=en").get_data(as_text=True)
    client.submit(f"/services/training/{cohort.id}/enrol", {"business": str(business.id)}, page=f"/services/training/{cohort.id}")
    enrolment = db.session.scalar(db.select(Enrolment))
    assert enrolment.state is EnrolmentState.ENROLLED
    assert client.get(f"/my/services/enrolments/{enrolment.id}/certificate").status_code == 404  # nothing yet
    auth.logout()
    auth.login(staff.email)
    client.submit(f"/institution/cohorts/{cohort.id}/enrolments/{enrolment.id}/confirm", page=f"/institution/cohorts/{cohort.id}")
    client.submit(f"/institution/cohorts/{cohort.id}/attendance", {"attended": [str(enrolment.id)]},
                  page=f"/institution/cohorts/{cohort.id}")
    client.submit(f"/institution/cohorts/{cohort.id}/certificates", page=f"/institution/cohorts/{cohort.id}")
    db.session.expire_all()
    enrolment = db.session.get(Enrolment, enrolment.id)
    assert enrolment.state is EnrolmentState.CONFIRMED and enrolment.attended and enrolment.certificate_code
    auth.logout()
    auth.login(business.owner.email)
    response = client.get(f"/my/services/enrolments/{enrolment.id}/certificate")
    assert response.status_code == 200 and response.data[:5] == b"%PDF-"
    assert "private" in response.headers["Cache-Control"]
    text = PdfReader(BytesIO(response.data)).pages[0].extract_text()
    assert "Siti Aminah" in text and enrolment.certificate_code in text
    auth.logout()
    page = client.get(f"/verify/{enrolment.certificate_code}?lang=en").get_data(as_text=True)
    assert "This certificate is genuine" in page and cohort.topic in page and "Siti Aminah" not in page
    with unit_of_work():
        training.set_choices(business.owner, db.session.get(Enrolment, enrolment.id), show_name=True, show_on_business=True)
    assert "Siti Aminah" in client.get(f"/verify/{enrolment.certificate_code}").get_data(as_text=True)
    assert client.get("/verify/AAAA-BBBB-CCCC").status_code == 404
    assert cohort.topic in client.get(f"/businesses/{business.slug}").get_data(as_text=True)


def test_another_owner_cannot_download_the_certificate(client, auth, staff, make_business):
    cohort = make_cohort(staff, capacity=3)
    business = make_business(region="35.13")
    enrolment = enrol(business.owner, business, cohort)
    other = make_business(region="35.13", name="Orang Lain")
    auth.login(other.owner.email)
    assert client.get(f"/my/services/enrolments/{enrolment.id}/certificate").status_code == 404
    assert client.post(f"/my/services/enrolments/{enrolment.id}/withdraw",
                       data={"csrf_token": client.csrf_token("/my/services")}).status_code == 404


def test_a_refused_cohort_form_keeps_what_was_typed(client, auth, staff):
    auth.login(staff.email)
    response = client.submit("/institution/cohorts/new?lang=en", {
        "topic": "Persiapan SNI batik", "starts_on": "2027-02-10", "ends_on": "2027-02-09", "region": "35.13",
        "capacity": "20", "eligibility": "any", "enrol_by": "2027-02-01", "eligible_region": "", "eligible_category": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "The last day is before the first day." in page
    assert 'value="Persiapan SNI batik"' in page and 'value="20"' in page
    assert db.session.scalar(db.select(db.func.count(Cohort.id))) == 0
