"""Admins keep institutions and their services (audited) and invite institution staff, who are bound to one
institution (also in the database) and follow the staff rules for passwords and sessions."""

import re

import pytest
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import STAFF_ROLES, Role, User
from marketplace.accounts.passwords import MIN_LENGTH_STAFF, min_length
from marketplace.accounts.sessions import session_limits
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db
from marketplace.institutions.models import Institution, InstitutionKind, ServiceKind
from tests.institutions_helpers import institution

STRONG = "kopi tubruk di teras rumah nenek"


@pytest.fixture
def admin(auth, make_user):
    user = make_user(role=Role.ADMIN, email="admin@example.id", name="Admin Utama")
    auth.login(user.email)
    return user


def test_the_reference_institutions_are_seeded():
    bbspjikb = institution("bbspjikb")
    assert bbspjikb.short_name == "BBSPJIKB" and bbspjikb.accreditation == "LSPr-025-IDN"
    assert bbspjikb.kind is InstitutionKind.CERTIFICATION and bbspjikb.region_code == "35.13"
    assert {s.kind for s in bbspjikb.services} >= {ServiceKind.SNI, ServiceKind.INDUSTRI_HIJAU}
    halal = institution("pendamping-pph-kab-probolinggo")
    assert halal.offers(ServiceKind.HALAL_SELF_DECLARE).standard_days == 21
    assert institution("apbba-kab-probolinggo").kind is InstitutionKind.ASSOCIATION


def test_admin_creates_and_edits_an_institution_and_its_services_audited(client, admin):
    data = {"name": "Lembaga Pemeriksa Halal Uji", "short_name": "LPH Uji", "kind": "halal", "region": "35.74",
            "accreditation": "", "description": "", "address": "", "phone": "(0335) 421234", "email": "",
            "website": "", "active": "y"}
    assert client.submit("/admin/institutions/new", data).status_code == 302
    made = db.session.scalar(db.select(Institution).where(Institution.short_name == "LPH Uji"))
    assert made.kind is InstitutionKind.HALAL and made.slug == "lph-uji"
    client.submit(f"/admin/institutions/{made.id}", {**data, "region": "35.13"})
    response = client.submit(f"/admin/institutions/{made.id}/services",
                             {"service-kind": "halal_self_declare", "service-standard_days": "21",
                              "service-description": "Self-declare", "service-active": "y"},
                             page=f"/admin/institutions/{made.id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert made.region_code == "35.13" and made.offers(ServiceKind.HALAL_SELF_DECLARE).standard_days == 21
    actions = [e.action for e in db.session.scalars(db.select(AuditEntry).where(AuditEntry.object_type == "institution")
                                                     .order_by(AuditEntry.id))]
    assert actions == ["institution.create", "institution.update", "institution.service"]
    update = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "institution.update"))
    assert update.changes == {"region_code": ["35.74", "35.13"]} and update.actor_email == "admin@example.id"


def test_a_bad_institution_form_keeps_what_was_typed(client, admin):
    response = client.submit("/admin/institutions/new?lang=en", {"name": "", "short_name": "Tanpa Nama", "kind": "training",
                                                                 "region": "", "website": "bukan-alamat"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Enter the name." in page and 'value="Tanpa Nama"' in page


def test_admin_invites_institution_staff_bound_to_one_institution(app, client, admin, outbox):
    bbspjikb = institution("bbspjikb")
    data = {"email": "staf@bbspjikb.example.id", "name": "Staf BBSPJIKB", "role": "institution_staff", "region": "",
            "institution": "", "locale": "id"}
    page = client.submit("/admin/staff/new?lang=en", data).get_data(as_text=True)
    assert "Institution staff must be bound to an institution." in page
    assert client.submit("/admin/staff/new", {**data, "institution": str(bbspjikb.id)}).status_code == 302
    staff = db.session.scalar(db.select(User).where(User.email == "staf@bbspjikb.example.id"))
    assert staff.role is Role.INSTITUTION_STAFF and staff.institution_id == bbspjikb.id and staff.invitation_pending
    link = re.search(r"http://localhost(/auth/invite/\S+)", outbox()[0].get_content()).group(1)
    person = app.test_client()
    short = "batik tulis"  # 11 characters: enough for an owner, not for staff
    assert len(short) < MIN_LENGTH_STAFF and person.submit(link, {"password": short, "confirm_password": short}).status_code == 200
    response = person.submit(link, {"password": STRONG, "confirm_password": STRONG})
    assert response.status_code == 302 and response.headers["Location"] == "/institution/"
    assert person.get("/institution/").status_code == 200
    assert {e.action for e in db.session.scalars(db.select(AuditEntry).where(AuditEntry.object_id == staff.id,
                                                                              AuditEntry.object_type == "user"))} >= {
        "user.create", "user.invite", "user.invitation_accept"}


def test_institution_staff_follow_the_staff_rules(app):
    assert Role.INSTITUTION_STAFF in STAFF_ROLES and min_length(Role.INSTITUTION_STAFF) == MIN_LENGTH_STAFF
    with app.test_request_context():
        assert session_limits(Role.INSTITUTION_STAFF) == session_limits(Role.MODERATOR)


def test_the_database_binds_institution_staff_to_an_institution():
    db.session.add(User(email="lepas@example.id", name="Tanpa Lembaga", password_hash="!x", role=Role.INSTITUTION_STAFF))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_an_idle_institution_staff_session_ends_like_a_moderators(client, auth, make_user):
    from datetime import timedelta

    from marketplace.models_base import utcnow
    from tests.test_security_accounts import the_session

    staff = make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id)
    auth.login(staff.email)
    assert client.get("/institution/").status_code == 200
    the_session(staff.email).last_seen_at = utcnow() - timedelta(hours=2)  # an owner would still be logged in
    assert client.get("/institution/").status_code == 302


def test_the_renewal_job_runs_in_the_app(app, make_business, make_product):
    """The daily job builds its links itself (no request) and reminds only once."""
    from datetime import date, timedelta

    from marketplace.institutions import reminders, service_requests
    from marketplace.institutions.request_models import DocumentKind
    from marketplace.notifications.models import Notification
    from marketplace.timeutil import today
    from marketplace.unit_of_work import unit_of_work
    from tests.institutions_helpers import pdf_bytes, service

    business = make_business(region="35.13")
    product = make_product(business=business, status="published")
    staff = User(email="staf.job@example.id", name="Staf", password_hash="!x", role=Role.INSTITUTION_STAFF,
                 institution_id=institution("bbspjikb").id)
    db.session.add(staff)
    links = {"link": "/x", "inbox_url": "http://localhost/my/notifications"}
    with unit_of_work():
        request = service_requests.start_request(business.owner, business, service("bbspjikb", ServiceKind.SNI),
                                                 products=[product])
        for kind in (DocumentKind.PROCESS, DocumentKind.SITE_PHOTO):
            service_requests.add_document(business.owner, request, kind, pdf_bytes(), "d.pdf")
        service_requests.submit_request(business.owner, request, **links)
        service_requests.decide(staff, request, "accept", visit_on=date(2026, 1, 5), **links)
        service_requests.decide(staff, request, "issue", number="SNI-9", valid_until=today() + timedelta(days=45),
                                document=pdf_bytes(), **links)
    for _run in range(2):
        with unit_of_work():
            reminders.remind_renewals()
    (note,) = db.session.scalars(db.select(Notification).where(Notification.kind == "service_request.renew_60")).all()
    assert note.link == f"/my/services/{request.id}"
