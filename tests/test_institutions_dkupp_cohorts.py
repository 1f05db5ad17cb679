"""Training cohorts a region's DKUPP organises (issue 18: "an institution (or DKUPP) publishes training cohorts"): its
moderators (and admins) publish and run them through the same pages as institution staff, under
/moderation/cohorts; another region's moderator and every institution's staff get a 404 on them, the public list
names the organiser "DKUPP <region>", and the certificate of attendance verifies."""

from datetime import date, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import Role
from marketplace.domain import OutsideRegion
from marketplace.extensions import db
from marketplace.institutions import cohort_changes, training
from marketplace.institutions.training_models import Cohort, Enrolment, EnrolmentState
from marketplace.unit_of_work import unit_of_work
from tests.institutions_helpers import institution

TODAY = date.today()
ROLES = ["visitor", "buyer", "owner", "moderator", "other_moderator", "admin", "staff"]
LINKS = {"link": "/my/services", "inbox_url": "http://localhost/my/notifications"}


def _fields(**extra):
    return {"topic": "Foto produk UMKM", "starts_on": TODAY + timedelta(days=5), "ends_on": TODAY + timedelta(days=5),
            "venue": "Aula DKUPP", "region_code": "35.13", "capacity": 10, "enrol_by": TODAY + timedelta(days=5),
            **extra}


@pytest.fixture
def site(make_user, make_business):
    """A DKUPP cohort of Kabupaten Probolinggo (35.13) with the owner enrolled, a BBSPJIKB cohort, one user per role."""
    business = make_business(region="35.13", name="Batik Tegalsiwalan")
    users = {
        "buyer": make_user(role=Role.BUYER), "owner": business.owner,
        "moderator": make_user(role=Role.MODERATOR, region="35.13", email="mod.kab@example.id"),
        "other_moderator": make_user(role=Role.MODERATOR, region="35.74", email="mod.kota@example.id"),
        "admin": make_user(role=Role.ADMIN),
        "staff": make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id),
    }
    with unit_of_work():
        cohort = training.create_cohort(users["moderator"], None, organiser_region_code="35.13", **_fields())
        enrolment = training.enrol(business.owner, cohort, business, on=TODAY)
        other = training.create_cohort(users["staff"], institution("bbspjikb"), **_fields(topic="Batik pewarna alam"))
    return users, {"cohort": cohort.id, "enrolment": enrolment.id, "institution_cohort": other.id}


def as_role(auth, users, role) -> str:
    if role != "visitor":
        auth.login(users[role].email)
        return "/my/"
    return "/auth/login"


DKUPP = {"moderator": 200, "other_moderator": 404, "admin": 200}
DKUPP_PAGES = {"moderator": 200, "other_moderator": 200, "admin": 200}

GETS = [
    ("/moderation/cohorts", DKUPP_PAGES),
    ("/moderation/cohorts/new", DKUPP_PAGES),
    ("/moderation/cohorts/{cohort}", DKUPP),
    ("/moderation/cohorts/{cohort}/edit", DKUPP),
    # an institution's cohort is not the DKUPP's, and the DKUPP's is not an institution's
    ("/moderation/cohorts/{institution_cohort}", {"moderator": 404, "other_moderator": 404, "admin": 404}),
    ("/institution/cohorts/{cohort}", {"staff": 404}),
    ("/institution/cohorts/{cohort}/edit", {"staff": 404}),
    ("/services/training/{cohort}", dict.fromkeys(ROLES, 200)),
]

POSTS = [
    ("/moderation/cohorts/{cohort}/enrolments/{enrolment}/confirm", {"moderator": 302, "other_moderator": 404,
                                                                     "admin": 302}),
    ("/moderation/cohorts/{cohort}/attendance", {"moderator": 302, "other_moderator": 404, "admin": 302}),
    ("/moderation/cohorts/{cohort}/certificates", {"moderator": 302, "other_moderator": 404, "admin": 302}),
    ("/moderation/cohorts/{cohort}/edit", {"moderator": 200, "other_moderator": 404, "admin": 200}),  # form errors
    ("/moderation/cohorts/new", DKUPP_PAGES),  # the form shows what is missing
    ("/institution/cohorts/{cohort}/attendance", {"staff": 404}),
    ("/institution/cohorts/{cohort}/certificates", {"staff": 404}),
    ("/institution/cohorts/{cohort}/enrolments/{enrolment}/confirm", {"staff": 404}),
]


def _expected(table: dict, role: str) -> int:
    return table.get(role, 302 if role == "visitor" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_who_gets_each_page(client, auth, site, role):
    users, ids = site
    as_role(auth, users, role)
    got = {url: client.get(url.format(**ids)).status_code for url, _table in GETS}
    assert got == {url: _expected(table, role) for url, table in GETS}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_send_each_form(client, auth, site, role):
    users, ids = site
    page = as_role(auth, users, role)
    got, expected = {}, {}
    for url, table in POSTS:
        got[url] = client.post(url.format(**ids), data={"csrf_token": client.csrf_token(page)}).status_code
        expected[url] = _expected(table, role) if role != "visitor" else 302
    assert got == expected
    enrolment = db.session.get(Enrolment, ids["enrolment"])
    db.session.refresh(enrolment)
    assert (enrolment.state is EnrolmentState.CONFIRMED) == (role in ("moderator", "admin"))


def test_a_moderator_publishes_an_owner_enrols_attendance_and_the_certificate_verifies(
        client, auth, make_user, make_business):
    moderator = make_user(role=Role.MODERATOR, region="35.13", email="mod.kab@example.id")
    other = make_user(role=Role.MODERATOR, region="35.74", email="mod.kota@example.id")
    staff = make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id)
    business = make_business(region="35.13", name="Batik Tegalsiwalan")
    auth.login(moderator.email)
    day = (TODAY + timedelta(days=7)).isoformat()
    response = client.submit("/moderation/cohorts/new", {
        "topic": "Foto produk dengan ponsel", "description": "", "starts_on": day, "ends_on": day, "venue": "Aula DKUPP",
        "region": "35.13", "capacity": "20", "eligibility": "region", "eligible_region": "35.13",
        "eligible_category": "", "enrol_by": day})
    assert response.status_code == 302
    cohort = db.session.scalar(db.select(Cohort).where(Cohort.topic == "Foto produk dengan ponsel"))
    assert (cohort.institution_id, cohort.organiser_region_code) == (None, "35.13")
    assert response.headers["Location"].endswith(f"/moderation/cohorts/{cohort.id}")
    assert "Foto produk dengan ponsel" in client.get("/moderation/cohorts").get_data(as_text=True)
    auth.logout()

    listing = client.get("/services").get_data(as_text=True)
    assert "Foto produk dengan ponsel" in listing and "DKUPP Kabupaten Probolinggo" in listing
    assert "DKUPP Kabupaten Probolinggo" in client.get(f"/services/training/{cohort.id}").get_data(as_text=True)

    auth.login(business.owner.email)
    response = client.submit(f"/services/training/{cohort.id}/enrol", {"business": str(business.id), "member": ""},
                             page=f"/services/training/{cohort.id}")
    assert response.status_code == 302
    enrolment = db.session.scalar(db.select(Enrolment).where(Enrolment.cohort_id == cohort.id))
    assert enrolment.state is EnrolmentState.ENROLLED
    auth.logout()

    # another region's moderator and an institution's staff cannot see or touch it
    for user, base in ((other, "/moderation/cohorts"), (staff, "/institution/cohorts")):
        auth.login(user.email)
        assert client.get(f"{base}/{cohort.id}").status_code == 404
        assert client.submit(f"{base}/{cohort.id}/attendance", {"attended": str(enrolment.id)},
                             page="/my/").status_code == 404
        assert "Foto produk dengan ponsel" not in client.get(base).get_data(as_text=True)
        auth.logout()
    db.session.refresh(enrolment)
    assert not enrolment.attended

    auth.login(moderator.email)
    page = f"/moderation/cohorts/{cohort.id}"
    assert client.submit(f"{page}/attendance", {"attended": str(enrolment.id)}, page=page).status_code == 302
    assert client.submit(f"{page}/certificates", {}, page=page).status_code == 302
    db.session.refresh(enrolment)
    assert enrolment.attended and enrolment.certificate_code
    auth.logout()

    verified = client.get(f"/verify/{enrolment.certificate_code}")
    assert verified.status_code == 200
    body = verified.get_data(as_text=True)
    assert "Foto produk dengan ponsel" in body and "DKUPP Kabupaten Probolinggo" in body


def test_a_moderator_edits_their_dkupp_cohort_and_the_waiting_list_moves_up(site, make_business):
    users, ids = site
    cohort = db.session.get(Cohort, ids["cohort"])
    with unit_of_work():
        cohort.capacity = 1  # the owner's seat is the last one
    second = make_business(region="35.13", name="Bordir Dua")
    with unit_of_work():
        waiting = training.enrol(second.owner, db.session.get(Cohort, cohort.id), second, on=TODAY)
    assert waiting.state is EnrolmentState.WAITLISTED
    with pytest.raises(OutsideRegion), unit_of_work():
        cohort_changes.update_cohort(users["other_moderator"], db.session.get(Cohort, cohort.id), capacity=2, **LINKS)
    with unit_of_work():
        promoted = cohort_changes.update_cohort(users["moderator"], db.session.get(Cohort, cohort.id), capacity=2,
                                                **LINKS)
    assert [e.id for e in promoted] == [waiting.id]


def test_only_the_regions_moderators_and_admins_may_publish_for_a_dkupp(site):
    users, _ids = site
    for user, region in ((users["other_moderator"], "35.13"), (users["staff"], "35.13"), (users["owner"], "35.13"),
                         (users["admin"], "99.99")):
        with pytest.raises(OutsideRegion), unit_of_work():
            training.create_cohort(user, None, organiser_region_code=region, **_fields())
    with pytest.raises(OutsideRegion), unit_of_work():  # a moderator cannot publish for an institution
        training.create_cohort(users["moderator"], institution("bbspjikb"), **_fields())
    with unit_of_work():
        cohort = training.create_cohort(users["admin"], None, organiser_region_code="35.74", **_fields())
    assert cohort.organiser_name == "DKUPP Kota Probolinggo"


def test_a_cohort_has_exactly_one_organiser(app, site):
    for institution_id, region in ((None, None), (institution("bbspjikb").id, "35.13")):
        db.session.add(Cohort(institution_id=institution_id, organiser_region_code=region, seats_taken=0,
                              **_fields()))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_an_admin_must_name_the_dkupp_region_of_an_online_cohort(client, auth, make_user):
    admin = make_user(role=Role.ADMIN)
    auth.login(admin.email)
    day = (TODAY + timedelta(days=7)).isoformat()
    response = client.submit("/moderation/cohorts/new", {
        "topic": "Persiapan halal self-declare", "starts_on": day, "ends_on": day, "online": "y", "region": "",
        "capacity": "20", "eligibility": "any", "enrol_by": day})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Persiapan halal self-declare" in body  # nothing entered is lost
    assert "Pilih daerah yang DKUPP-nya menyelenggarakan pelatihan." in body  # beside the region field
    assert db.session.scalar(db.select(Cohort).where(Cohort.topic == "Persiapan halal self-declare")) is None


def test_the_demo_has_a_dkupp_cohort_of_kabupaten_probolinggo(client, auth):
    from marketplace.demo.institutions import DKUPP_MODERATOR, DKUPP_TOPIC
    from marketplace.seeding import DEMO_PASSWORD, seed_demo

    with unit_of_work():
        seed_demo()
    with unit_of_work():
        seed_demo()  # again: nothing added
    cohorts = db.session.scalars(db.select(Cohort).where(Cohort.topic == DKUPP_TOPIC)).all()
    assert [(c.organiser_region_code, c.institution_id, len(c.enrolments)) for c in cohorts] == [("35.13", None, 1)]
    assert DKUPP_TOPIC in client.get("/services").get_data(as_text=True)
    auth.login(DKUPP_MODERATOR, DEMO_PASSWORD)
    assert client.get(f"/moderation/cohorts/{cohorts[0].id}").status_code == 200
