"""Who reaches which route of issue 18 (institutions, service requests, training): role x route, with 200 for the
people it is for, 403 for other roles, 404 outside one's own institution, region or business, and the login page for
visitors. Institution staff never reach moderation; moderators only read requests."""

from datetime import date
from io import BytesIO

import pytest

from marketplace.accounts.models import Role
from marketplace.businesses.models import BusinessKind, CooperativeKind
from marketplace.cooperatives import services as cooperatives
from marketplace.cooperatives.models import ConsentMethod, ConsentScope
from marketplace.extensions import db
from marketplace.institutions import group_requests, service_requests, training
from marketplace.institutions.models import ServiceKind
from marketplace.institutions.request_models import DocumentKind, RequestState, ServiceRequest
from marketplace.unit_of_work import unit_of_work
from tests.institutions_helpers import institution, pdf_bytes, service

LINKS = {"link": "/my/services/1", "inbox_url": "http://localhost/my/notifications"}
ROLES = ["visitor", "buyer", "owner", "other_owner", "moderator", "other_moderator", "admin", "staff", "other_staff"]


@pytest.fixture
def site(make_user, make_business, make_product):
    """An SNI request of a Kabupaten Probolinggo business sent to BBSPJIKB and issued, another one sent, a draft, a
    BBSPJIKB cohort with the owner's certificate of attendance, and one account per role."""
    users = {
        "buyer": make_user(role=Role.BUYER),
        "moderator": make_user(role=Role.MODERATOR, region="35.13", email="mod.kab@example.id"),
        "other_moderator": make_user(role=Role.MODERATOR, region="35.74", email="mod.kota@example.id"),
        "admin": make_user(role=Role.ADMIN),
        "staff": make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id),
        "other_staff": make_user(role=Role.INSTITUTION_STAFF, region=None,
                                 institution_id=institution("pendamping-pph-kab-probolinggo").id),
    }
    business = make_business(region="35.13", name="Batik Tegalsiwalan")
    users["owner"] = business.owner
    users["other_owner"] = make_business(region="35.74", name="Batik Kota").owner
    product = make_product(business=business, category="batik-tulis", status="published")
    owner, staff = business.owner, users["staff"]
    # the same owner's batik cooperative, with two member producers and a product of each
    coop = make_business(owner=owner, region="35.13", name="Koperasi Batik Uji", kind=BusinessKind.COOPERATIVE,
                         cooperative_kind=CooperativeKind.PRODUCER, legal_entity_number="AHU-0000003.AH.01.26.TAHUN 2024")
    with unit_of_work():
        members = [cooperatives.add_member(owner, coop, name=name, desa="Tegalsiwalan", kecamatan="Tegalsiwalan",
                                           consent_scope=ConsentScope.DESA_ONLY,
                                           consent_method=ConsentMethod.MEMBER_CONFIRMATION, consent_note="Rapat.")
                   for name in ("Bu Siti", "Pak Darto")]
    coop_products = [make_product(business=coop, name=f"Batik {m.name}", member_id=m.id, status="published")
                     for m in members]
    with unit_of_work():
        def sent():
            request = service_requests.start_request(owner, business, service("bbspjikb", ServiceKind.SNI), products=[product])
            for kind in (DocumentKind.PROCESS, DocumentKind.SITE_PHOTO):
                service_requests.add_document(owner, request, kind, pdf_bytes(), "dokumen.pdf")
            service_requests.submit_request(owner, request, **LINKS)
            return request
        issued, open_request = sent(), sent()
        service_requests.decide(staff, issued, "accept", visit_on=date(2026, 12, 10), **LINKS)
        service_requests.decide(staff, issued, "issue", number="SNI-1", valid_until=date(2030, 1, 1),
                                document=pdf_bytes(), **LINKS)
        draft = service_requests.start_request(owner, business, service("bbspjikb", ServiceKind.CONSULTATION))
        cohort = training.create_cohort(staff, institution("bbspjikb"), topic="Foto produk", starts_on=date.today(),
                                        ends_on=date.today(), region_code="35.13", capacity=5,
                                        enrol_by=date.today())
        enrolment = training.enrol(owner, cohort, business, on=date.today())
        enrolment.attended = True
        training.issue_certificates(staff, cohort, verify_url_for=lambda c: f"/verify/{c}", **LINKS)
        group = service_requests.start_request(owner, coop, service("bbspjikb", ServiceKind.SNI),
                                               products=coop_products, members=members)
        for kind in (DocumentKind.PROCESS, DocumentKind.SITE_PHOTO):
            service_requests.add_document(owner, group, kind, pdf_bytes(), "dokumen.pdf")
        service_requests.submit_request(owner, group, **LINKS)
        service_requests.decide(staff, group, "accept", visit_on=date(2026, 12, 10), **LINKS)
        certified, pending = group.members
        group_requests.decide_member(staff, certified, "issue", number="SNI-K-1", valid_until=date(2030, 1, 1),
                                     document=pdf_bytes(), **LINKS)
        group_draft = service_requests.start_request(owner, coop, service("bbspjikb", ServiceKind.BATIK_MARK),
                                                     products=coop_products[:1], members=members)
    ids = {"request": open_request.id, "issued": issued.id, "draft": draft.id, "doc": open_request.documents[0].id,
           "cohort": cohort.id, "enrolment": enrolment.id, "code": enrolment.certificate_code,
           "institution": institution("bbspjikb").id, "product": product.id, "group": group.id,
           "certified": certified.id, "pending": pending.id, "coop": coop.id, "group_draft": group_draft.id}
    return users, ids


def as_role(client, auth, users, role) -> str:
    if role != "visitor":
        auth.login(users[role].email)
        return "/my/"
    return "/auth/login"


OWNER_ONLY = {"owner": 200, "other_owner": 404, "visitor": 302}
OWNER_PAGES = {"owner": 200, "other_owner": 200, "visitor": 302}
STAFF_ONLY = {"staff": 200, "other_staff": 404, "visitor": 302}
STAFF_PAGES = {"staff": 200, "other_staff": 200, "visitor": 302}
REGION_ONLY = {"moderator": 200, "other_moderator": 404, "visitor": 302}
ADMIN_ONLY = {"admin": 200, "visitor": 302}
EVERYONE = dict.fromkeys(ROLES, 200)

GETS = [
    ("/services", EVERYONE),
    ("/services/training/{cohort}", EVERYONE),
    ("/verify/{code}", EVERYONE),
    ("/my/services", OWNER_PAGES),
    ("/my/services/new", OWNER_PAGES),
    ("/my/services/{request}", OWNER_ONLY),
    ("/my/services/{draft}", OWNER_ONLY),
    ("/my/services/{request}/documents/{doc}", OWNER_ONLY),
    ("/my/services/{issued}/certificate", OWNER_ONLY),
    ("/my/services/enrolments/{enrolment}/certificate", OWNER_ONLY),
    ("/institution/", STAFF_PAGES),
    ("/institution/requests/{request}", STAFF_ONLY),
    ("/institution/requests/{draft}", {"staff": 404, "other_staff": 404, "visitor": 302}),  # a draft is the owner's
    ("/institution/requests/{request}/documents/{doc}", STAFF_ONLY),
    ("/institution/report", STAFF_PAGES),
    ("/institution/report?format=csv", STAFF_PAGES),
    ("/institution/cohorts", STAFF_PAGES),
    ("/institution/cohorts/new", STAFF_PAGES),
    ("/institution/cohorts/{cohort}", STAFF_ONLY),
    ("/institution/cohorts/{cohort}/edit", STAFF_ONLY),
    ("/institution/requests/{group}", STAFF_ONLY),
    ("/my/services/{group}", OWNER_ONLY),
    ("/my/services/{group_draft}", OWNER_ONLY),
    ("/my/services/{group}/members/{certified}/certificate", OWNER_ONLY),
    ("/my/services/{group}/members/{pending}/certificate", {"owner": 404, "other_owner": 404, "visitor": 302}),
    ("/moderation/service-requests/{group}", REGION_ONLY),
    ("/moderation/service-requests", {"moderator": 200, "other_moderator": 200, "visitor": 302}),
    ("/moderation/service-requests/{request}", REGION_ONLY),
    ("/admin/institutions", ADMIN_ONLY),
    ("/admin/institutions/new", ADMIN_ONLY),
    ("/admin/institutions/{institution}", ADMIN_ONLY),
    ("/moderation/", {"moderator": 200, "other_moderator": 200, "visitor": 302}),  # staff cannot reach moderation
]

POSTS = [  # (path, data, status by role); a role not named gets 403, a visitor the login page
    ("/my/services/{request}", {"ingredients": "x"}, {"owner": 409, "other_owner": 404}),  # sent: no longer editable
    ("/my/services/{draft}/submit", {}, {"owner": 302, "other_owner": 404}),
    ("/my/services/{issued}/renew", {}, {"owner": 302, "other_owner": 404}),
    ("/my/services/enrolments/{enrolment}/withdraw", {}, {"owner": 409, "other_owner": 404}),  # attended already
    ("/my/services/enrolments/{enrolment}/choices", {}, {"owner": 302, "other_owner": 404}),
    ("/services/training/{cohort}/enrol", {}, {"owner": 422, "other_owner": 422}),  # no business chosen
    ("/institution/requests/{request}/accept", {}, {"staff": 422, "other_staff": 404}),  # no schedule
    ("/institution/requests/{request}/decline", {}, {"staff": 422, "other_staff": 404}),  # no reason
    ("/institution/cohorts/{cohort}/attendance", {}, {"staff": 302, "other_staff": 404}),
    ("/institution/cohorts/{cohort}/certificates", {}, {"staff": 302, "other_staff": 404}),
    ("/institution/cohorts/{cohort}/enrolments/{enrolment}/confirm", {}, {"staff": 302, "other_staff": 404}),
    ("/institution/cohorts/new", {}, {"staff": 200, "other_staff": 200}),
    ("/institution/cohorts/{cohort}/edit", {}, {"staff": 200, "other_staff": 404}),  # the form shows what is missing
    ("/institution/requests/{group}/members/{pending}/decline", {}, {"staff": 422, "other_staff": 404}),  # no reason
    ("/institution/requests/{group}/members/{certified}/issue", {}, {"staff": 302, "other_staff": 404}),  # decided
    ("/moderation/service-requests/{request}", {"recommendation": "Binaan DKUPP"},
     {"moderator": 302, "other_moderator": 404}),
    ("/admin/institutions/{institution}", {}, {"admin": 200}),
    ("/admin/institutions/{institution}/services", {}, {"admin": 422}),
    ("/moderation/products/{product}", {"action": "approve"}, {"moderator": 302, "other_moderator": 404}),
]


def _expected(table: dict, role: str) -> int:
    return table.get(role, 302 if role == "visitor" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_who_gets_each_page(client, auth, site, role):
    users, ids = site
    as_role(client, auth, users, role)
    got = {url: client.get(url.format(**ids)).status_code for url, _table in GETS}
    assert got == {url: _expected(table, role) for url, table in GETS}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_send_each_form(client, auth, site, role):
    users, ids = site
    page = as_role(client, auth, users, role)
    got, expected = {}, {}
    for url, data, table in POSTS:
        path = url.format(**ids)
        got[url] = client.post(path, data={**data, "csrf_token": client.csrf_token(page)}).status_code
        expected[url] = _expected(table, role) if role != "visitor" else 302
    assert got == expected


def test_a_moderator_cannot_act_on_a_request_and_institution_staff_cannot_moderate(client, auth, site):
    users, ids = site
    auth.login(users["moderator"].email)
    token = client.csrf_token("/my/")
    for action in ("return", "accept", "start", "issue", "decline"):
        response = client.post(f"/institution/requests/{ids['request']}/{action}",
                               data={f"{action}-csrf_token": token, f"{action}-note": "x"})
        assert response.status_code == 403
    assert db.session.get(ServiceRequest, ids["request"]).state is RequestState.SUBMITTED
    response = client.post(f"/institution/requests/{ids['group']}/members/{ids['pending']}/decline",
                           data={f"m{ids['pending']}-decline-csrf_token": token, f"m{ids['pending']}-decline-note": "x"})
    assert response.status_code == 403
    auth.logout()
    auth.login(users["staff"].email)
    assert client.get("/moderation/").status_code == 403
    assert client.get(f"/moderation/products/{ids['product']}").status_code == 403
    assert client.get(f"/moderation/service-requests/{ids['request']}").status_code == 403


def test_staff_of_another_institution_cannot_act_on_a_request(client, auth, site):
    users, ids = site
    auth.login(users["other_staff"].email)
    token = client.csrf_token("/my/")
    response = client.post(f"/institution/requests/{ids['request']}/issue",
                           data={"issue-csrf_token": token, "issue-number": "X", "issue-valid_until": "2030-01-01",
                                 "issue-document": (BytesIO(pdf_bytes()), "s.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 404
    assert db.session.get(ServiceRequest, ids["request"]).state is RequestState.SUBMITTED
    prefix = f"m{ids['pending']}-decline"
    response = client.post(f"/institution/requests/{ids['group']}/members/{ids['pending']}/decline",
                           data={f"{prefix}-csrf_token": token, f"{prefix}-note": "Bukan lembaga kami."})
    assert response.status_code == 404
    from marketplace.institutions.request_models import MemberOutcome, RequestMember
    assert db.session.get(RequestMember, ids["pending"]).outcome is MemberOutcome.PENDING
