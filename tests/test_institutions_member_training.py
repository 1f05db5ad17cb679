"""A cooperative enrols its member producers in a training (issue 18: "owners, and cooperatives for their members,
enrol"): one place per member per cohort besides the owner's own, the same seats and waiting list, the certificate in
the member's name, shown on the public check only as the member's consent allows."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from marketplace.accounts.models import Role
from marketplace.businesses.models import BusinessKind, CooperativeKind
from marketplace.cooperatives import services as cooperatives
from marketplace.cooperatives.models import ConsentMethod, ConsentScope
from marketplace.extensions import db
from marketplace.institutions import training
from marketplace.institutions.training_models import Cohort, Enrolment, EnrolmentState
from marketplace.unit_of_work import unit_of_work
from tests.institutions_helpers import institution
from tests.test_institutions_training import LINKS, TODAY, make_cohort


@pytest.fixture
def staff(make_user):
    return make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id,
                     email="staf.anggota@example.id", name="Staf BBSPJIKB")


@pytest.fixture
def coop(make_business):
    return make_business(region="35.13", name="Koperasi Batik Uji", kind=BusinessKind.COOPERATIVE,
                         cooperative_kind=CooperativeKind.PRODUCER, legal_entity_number="AHU-0000004.AH.01.26.TAHUN 2024")


def add(coop, name, scope):
    with unit_of_work():
        return cooperatives.add_member(coop.owner, coop, name=name, desa="Tegalsiwalan", kecamatan="Tegalsiwalan",
                                       consent_scope=scope, consent_method=ConsentMethod.MEMBER_CONFIRMATION,
                                       consent_note="Rapat anggota.")


def enrol(coop, cohort, member=None, **kwargs):
    with unit_of_work():
        return training.enrol(coop.owner, db.session.get(Cohort, cohort.id), coop, on=TODAY, member=member, **kwargs)


def test_a_cooperative_enrols_its_members_each_once_beside_the_owner(staff, coop, make_business):
    cohort = make_cohort(staff, capacity=2)
    siti, darto = add(coop, "Bu Siti", ConsentScope.NAME_AND_DESA), add(coop, "Pak Darto", ConsentScope.DESA_ONLY)
    assert enrol(coop, cohort, siti).state is EnrolmentState.ENROLLED
    assert enrol(coop, cohort).state is EnrolmentState.ENROLLED  # the owner themselves
    assert enrol(coop, cohort, darto).state is EnrolmentState.WAITLISTED  # the same seats and waiting list
    with pytest.raises(training.AlreadyEnrolled) as refused:
        enrol(coop, cohort, siti)
    from flask_babel import force_locale
    with force_locale("en"):
        assert str(refused.value.message) == "This member is already enrolled in this training."
    other = make_business(region="35.13", name="Koperasi Lain", kind=BusinessKind.COOPERATIVE,
                          cooperative_kind=CooperativeKind.PRODUCER, legal_entity_number="AHU-0000009.AH.01.26.TAHUN 2024")
    with pytest.raises(training.NotAMemberOfThisCooperative), unit_of_work():
        training.enrol(other.owner, db.session.get(Cohort, cohort.id), other, on=TODAY, member=siti)
    with unit_of_work():
        cooperatives.withdraw_member(coop.owner, db.session.get(type(darto), darto.id), reason="Keluar")
    with pytest.raises(training.NotAMemberOfThisCooperative):
        enrol(coop, make_cohort(staff, capacity=5, topic="Lain"), db.session.get(type(darto), darto.id))


def test_the_database_keeps_one_place_per_member_per_cohort(staff, coop):
    from sqlalchemy.exc import IntegrityError
    cohort = make_cohort(staff, capacity=5)
    siti = add(coop, "Bu Siti", ConsentScope.NAME_AND_DESA)
    enrol(coop, cohort, siti)
    with pytest.raises(IntegrityError):
        db.session.add(Enrolment(cohort_id=cohort.id, user_id=coop.owner_id, member_id=siti.id,
                                 state=EnrolmentState.WAITLISTED))
        db.session.flush()
    db.session.rollback()
    with pytest.raises(IntegrityError):  # the owner's own place stays one too
        enrol(coop, cohort)
        db.session.add(Enrolment(cohort_id=cohort.id, user_id=coop.owner_id, state=EnrolmentState.WAITLISTED))
        db.session.flush()
    db.session.rollback()


def test_the_certificate_is_in_the_members_name_and_the_public_check_follows_consent(client, auth, staff, coop):
    cohort = make_cohort(staff, capacity=5, starts_on=TODAY, ends_on=TODAY, enrol_by=TODAY)
    siti, ningsih = add(coop, "Bu Siti", ConsentScope.NAME_AND_DESA), add(coop, "Bu Ningsih", ConsentScope.NOTHING)
    for member in (siti, ningsih):
        enrol(coop, cohort, member, show_name=True)
    with unit_of_work():
        loaded = db.session.get(Cohort, cohort.id)
        for enrolment in loaded.enrolments:
            enrolment.attended = True
        assert training.issue_certificates(staff, loaded, verify_url_for=lambda c: f"/verify/{c}", **LINKS) == 2
    by_member = {e.member_id: e for e in db.session.scalars(db.select(Enrolment))}
    auth.login(coop.owner.email)
    response = client.get(f"/my/services/enrolments/{by_member[siti.id].id}/certificate")
    text = PdfReader(BytesIO(response.data)).pages[0].extract_text()
    assert "Bu Siti" in text and coop.owner.name not in text
    auth.logout()
    assert "Bu Siti" in client.get(f"/verify/{by_member[siti.id].certificate_code}?lang=en").get_data(as_text=True)
    page = client.get(f"/verify/{by_member[ningsih.id].certificate_code}?lang=en").get_data(as_text=True)
    assert "Bu Ningsih" not in page and cohort.topic in page  # her consent shows nothing, whatever was ticked


def test_the_cohort_page_offers_the_members_and_checks_the_business(client, auth, staff, coop, make_business):
    cohort = make_cohort(staff, capacity=5)
    siti = add(coop, "Bu Siti", ConsentScope.NAME_AND_DESA)
    own = make_business(owner=coop.owner, region="35.13", name="Usaha Pribadi")
    auth.login(coop.owner.email)
    page = f"/services/training/{cohort.id}"
    assert "Bu Siti" in client.get(page).get_data(as_text=True)
    response = client.submit(f"{page}/enrol?lang=en", {"business": str(own.id), "member": str(siti.id)}, page=page)
    assert response.status_code == 422 and "the cooperative this member belongs to" in response.get_data(as_text=True)
    response = client.submit(f"{page}/enrol", {"business": str(coop.id), "member": str(siti.id)}, page=page)
    assert response.status_code == 302
    assert db.session.scalar(db.select(Enrolment.member_id)) == siti.id
    # enrolled a member, the owner may still enrol themselves or another member
    assert 'name="member"' in client.get(page).get_data(as_text=True)
    assert "for Bu Siti" in client.get("/my/services?lang=en").get_data(as_text=True)
