"""A cooperative's group request for several member producers (issue 18, a cluster application): the readiness
checklist per member, one request the institution accepts as a whole and decides per member (a certificate of their
own with its badge on their products, or a reason), closed when every member is decided; consent rules."""

from datetime import date

import pytest

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.businesses.models import BusinessKind, CooperativeKind, SizeClass
from marketplace.certifications.models import Certification, CertStatus, CertType
from marketplace.cooperatives import services as cooperatives
from marketplace.cooperatives.models import ConsentMethod, ConsentScope
from marketplace.domain import AlreadyDecided, OutsideRegion, ReasonRequired
from marketplace.extensions import db
from marketplace.institutions import group_requests, readiness
from marketplace.institutions import service_requests as services
from marketplace.institutions.models import ServiceKind
from marketplace.institutions.request_models import DocumentKind, MemberOutcome, RequestMember, RequestState, ServiceRequest
from marketplace.notifications.models import Notification
from marketplace.unit_of_work import unit_of_work
from tests.institutions_helpers import decide, institution, latest_request, pdf_bytes, service

SNI = ("bbspjikb", ServiceKind.SNI)
HALAL = ("pendamping-pph-kab-probolinggo", ServiceKind.HALAL_SELF_DECLARE)
LINKS = {"link": "/my/services/1", "inbox_url": "http://localhost/my/notifications"}


@pytest.fixture
def coop(make_business):
    return make_business(region="35.13", name="Koperasi Batik Tegalsiwalan", kind=BusinessKind.COOPERATIVE,
                         cooperative_kind=CooperativeKind.PRODUCER, legal_entity_number="AHU-0000002.AH.01.26.TAHUN 2024",
                         size_class=SizeClass.KECIL)


def add(business, name, scope=ConsentScope.NAME_AND_DESA, nib=None):
    with unit_of_work():
        return cooperatives.add_member(business.owner, business, name=name, desa="Desa Tegalsiwalan",
                                       kecamatan="Tegalsiwalan", commodities="batik tulis", nib=nib, consent_scope=scope,
                                       consent_method=ConsentMethod.MEMBER_CONFIRMATION, consent_note="Di rapat anggota.")


@pytest.fixture
def cluster(coop, make_product):
    """Three member producers, each with a batik of their own, and a product that names no member."""
    members = [add(coop, "Bu Siti", nib="9120000000001"), add(coop, "Pak Darto", ConsentScope.DESA_ONLY),
               add(coop, "Bu Ningsih", ConsentScope.NOTHING)]
    products = [make_product(business=coop, status="published", name=f"Batik Motif {motif}", member_id=m.id)
                for m, motif in zip(members, ("Mangrove", "Kopi", "Anggur"), strict=True)]
    loose = make_product(business=coop, status="published", name="Batik Koperasi")
    return members, products, loose


@pytest.fixture
def staff(make_user):
    return make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id,
                     email="staf.klaster@example.id")


def draft(coop, members, products, kind=SNI):
    with unit_of_work():
        request = services.start_request(coop.owner, coop, service(*kind), products=products, members=members)
        for document_kind in (DocumentKind.PROCESS, DocumentKind.SITE_PHOTO):
            services.add_document(coop.owner, request, document_kind, pdf_bytes(), "d.pdf")
    return db.session.get(ServiceRequest, request.id)


def sent_and_accepted(coop, staff, members, products):
    request = draft(coop, members, products)
    with unit_of_work():
        services.submit_request(coop.owner, request, **LINKS)
        services.decide(staff, request, "accept", visit_on=date(2026, 12, 10), **LINKS)
    return request


def test_the_checklist_is_per_member_and_every_product_needs_a_chosen_member(coop, cluster):
    (siti, darto, _ningsih), (batik_siti, _batik_darto, _), loose = cluster
    request = draft(coop, [siti, darto], [batik_siti, loose])
    missing = {item.code for item in readiness.missing(request)}
    assert missing == {readiness.MEMBERS_PRODUCTS, readiness.MEMBER_PRODUCTS}  # Batik Koperasi; Pak Darto's products
    darto_items = readiness.member_checklist(next(r for r in request.members if r.member_id == darto.id))
    assert [(i.code, i.done) for i in darto_items] == [(readiness.MEMBER_CONSENT, True), (readiness.MEMBER_PRODUCTS, False)]
    with pytest.raises(services.NotReady), unit_of_work():
        services.submit_request(coop.owner, request, **LINKS)
    with unit_of_work():
        services.update_request(coop.owner, request, products=[batik_siti, cluster[1][1]], ingredients="", note="",
                                members=[siti, darto])
    assert readiness.is_ready(request)


def test_self_declare_halal_needs_each_members_own_nib(coop, cluster):
    (siti, darto, _), (batik_siti, batik_darto, _), _ = cluster
    request = draft(coop, [siti, darto], [batik_siti, batik_darto], kind=HALAL)
    items = {(row.member.name, i.code): i.done for row in request.members for i in readiness.member_checklist(row)}
    assert items[("Bu Siti", readiness.MEMBER_NIB)] and not items[("Pak Darto", readiness.MEMBER_NIB)]


def test_only_a_cooperatives_active_members_can_be_chosen(coop, cluster, make_business, make_product):
    (siti, darto, _), (batik_siti, batik_darto, _), _ = cluster
    other = make_business(region="35.13", name="Batik Biasa")
    with pytest.raises(services.NotAMemberOfThisCooperative), unit_of_work():
        services.start_request(other.owner, other, service(*SNI), members=[siti])
    with unit_of_work():
        cooperatives.withdraw_member(coop.owner, db.session.get(type(darto), darto.id), reason="Keluar dari koperasi")
    with pytest.raises(services.NotAMemberOfThisCooperative), unit_of_work():
        services.start_request(coop.owner, coop, service(*SNI), members=[db.session.get(type(darto), darto.id)])
    # chosen before the consent was withdrawn: the checklist says so and the request cannot be sent
    request = draft(coop, [siti], [batik_siti])
    with unit_of_work():
        db.session.add(RequestMember(request=request, member=db.session.get(type(darto), darto.id)))
    db.session.expire_all()
    request = db.session.get(ServiceRequest, request.id)
    assert readiness.MEMBER_CONSENT in {i.code for i in readiness.missing(request)}


def test_the_institution_decides_per_member_and_the_request_closes_when_all_are_decided(coop, cluster, staff, outbox):
    (siti, darto, ningsih), (batik_siti, batik_darto, batik_ningsih), _ = cluster
    request = sent_and_accepted(coop, staff, [siti, darto, ningsih], [batik_siti, batik_darto, batik_ningsih])
    rows = {row.member_id: row for row in request.members}
    with pytest.raises(services.DecidePerMember), unit_of_work():
        services.decide(staff, request, "issue", number="X", valid_until=date(2030, 1, 1), document=pdf_bytes(), **LINKS)
    version = request.version
    with unit_of_work():
        created = group_requests.decide_member(staff, rows[siti.id], "issue", number="SNI-KLS-001",
                                               valid_until=date(2030, 6, 30), document=pdf_bytes(), **LINKS)
    assert [c.product_id for c in created] == [batik_siti.id]  # her products only
    assert created[0].status is CertStatus.VERIFIED and created[0].cert_type is CertType.SNI
    assert created[0].institution_id == institution("bbspjikb").id and created[0].number == "SNI-KLS-001"
    db.session.expire_all()
    request = db.session.get(ServiceRequest, request.id)
    assert request.state is RequestState.ACCEPTED and request.version > version  # the request row is written too
    with pytest.raises(ReasonRequired), unit_of_work():
        group_requests.decide_member(staff, rows[darto.id], "decline", **LINKS)
    with unit_of_work():
        group_requests.decide_member(staff, db.session.get(RequestMember, rows[darto.id].id), "decline",
                                     note="Pewarna belum sesuai SNI 8302.", **LINKS)
        group_requests.decide_member(staff, db.session.get(RequestMember, rows[ningsih.id].id), "issue",
                                     number="SNI-KLS-002", valid_until=date(2029, 12, 31), document=pdf_bytes(), **LINKS)
    db.session.expire_all()
    request = db.session.get(ServiceRequest, request.id)
    assert request.state is RequestState.ISSUED and request.decided_at is not None
    assert request.certificate_valid_until == date(2029, 12, 31)  # the earliest: renewal reminders come in time
    assert {r.member_id: r.outcome for r in request.members} == {
        siti.id: MemberOutcome.ISSUED, darto.id: MemberOutcome.DECLINED, ningsih.id: MemberOutcome.ISSUED}
    badges = db.session.scalars(db.select(Certification.product_id).where(Certification.business_id == coop.id)).all()
    assert sorted(badges) == sorted([batik_siti.id, batik_ningsih.id])
    kinds = [n.kind for n in db.session.scalars(db.select(Notification).where(Notification.user_id == coop.owner_id))]
    assert kinds.count("service_request.member_issue") == 2 and "service_request.member_decline" in kinds
    assert "service_request.close" in kinds
    actions = set(db.session.scalars(db.select(AuditEntry.action)))
    assert {"service_request.member_issue", "service_request.member_decline", "service_request.close"} <= actions
    with pytest.raises(AlreadyDecided), unit_of_work():
        group_requests.decide_member(staff, db.session.get(RequestMember, rows[darto.id].id), "issue", number="Y",
                                     valid_until=date(2030, 1, 1), document=pdf_bytes(), **LINKS)


def test_all_declined_declines_the_request_and_a_whole_decline_decides_every_member(coop, cluster, staff):
    (siti, darto, _), (batik_siti, batik_darto, _), _ = cluster
    request = sent_and_accepted(coop, staff, [siti, darto], [batik_siti, batik_darto])
    with unit_of_work():
        for row in request.members:
            group_requests.decide_member(staff, row, "decline", note="Belum siap.", **LINKS)
    assert db.session.get(ServiceRequest, request.id).state is RequestState.DECLINED
    second = sent_and_accepted(coop, staff, [siti, darto], [batik_siti, batik_darto])
    with unit_of_work():
        services.decide(staff, second, "decline", note="Kuota tahun ini habis.", **LINKS)
    assert {row.outcome for row in second.members} == {MemberOutcome.DECLINED}
    assert {row.decline_reason for row in second.members} == {"Kuota tahun ini habis."}


def test_a_stale_page_or_another_institution_changes_nothing(coop, cluster, staff, make_user):
    (siti, _d, _n), (batik_siti, _b, _), _ = cluster
    request = sent_and_accepted(coop, staff, [siti], [batik_siti])
    row = request.members[0]
    with pytest.raises(AlreadyDecided), unit_of_work():
        group_requests.decide_member(staff, row, "decline", row.version + 1, note="Lama.", **LINKS)
    halal_staff = make_user(role=Role.INSTITUTION_STAFF, region=None,
                            institution_id=institution("pendamping-pph-kab-probolinggo").id, email="staf.halal@example.id")
    with pytest.raises(OutsideRegion), unit_of_work():
        group_requests.decide_member(halal_staff, db.session.get(RequestMember, row.id), "decline", note="x", **LINKS)
    assert db.session.get(RequestMember, row.id).outcome is MemberOutcome.PENDING


def test_renewal_of_a_group_request_keeps_the_certified_members(coop, cluster, staff):
    (siti, darto, _), (batik_siti, batik_darto, _), _ = cluster
    request = sent_and_accepted(coop, staff, [siti, darto], [batik_siti, batik_darto])
    rows = {row.member_id: row for row in request.members}
    with unit_of_work():
        group_requests.decide_member(staff, rows[siti.id], "issue", number="SNI-1", valid_until=date(2030, 1, 1),
                                     document=pdf_bytes(), **LINKS)
        group_requests.decide_member(staff, rows[darto.id], "decline", note="Belum.", **LINKS)
    with unit_of_work():
        renewal = services.request_renewal(coop.owner, db.session.get(ServiceRequest, request.id),
                                           link_for=lambda i: f"/my/services/{i}", inbox_url=LINKS["inbox_url"])
    assert [row.member_id for row in renewal.members] == [siti.id]
    assert [p.id for p in renewal.products] == [batik_siti.id]
    assert renewal.state is RequestState.SUBMITTED


def test_pages_owner_staff_and_the_dkupp(client, auth, coop, cluster, staff, make_user):
    (siti, darto, ningsih), (batik_siti, batik_darto, batik_ningsih), _ = cluster
    auth.login(coop.owner.email)
    client.get("/?lang=en")
    page = client.get(f"/my/services/new?business={coop.id}").get_data(as_text=True)
    assert "Member producers (a group request)" in page and "Bu Ningsih" in page
    response = client.submit("/my/services/new", {
        "business": str(coop.id), "service": str(service(*SNI).id), "products": [str(batik_siti.id), str(batik_darto.id)],
        "members": [str(siti.id), str(darto.id), "999999"], "ingredients": "", "note": ""},
        page=f"/my/services/new?business={coop.id}")
    assert response.status_code == 200 and "Choose members of this cooperative" in response.get_data(as_text=True)
    response = client.submit("/my/services/new", {
        "business": str(coop.id), "service": str(service(*SNI).id), "products": [str(batik_siti.id), str(batik_ningsih.id)],
        "members": [str(siti.id), str(ningsih.id)], "ingredients": "", "note": ""},
        page=f"/my/services/new?business={coop.id}")
    assert response.status_code == 302
    request = latest_request()
    assert sorted(r.member_id for r in request.members) == sorted([siti.id, ningsih.id])
    page = client.get(f"/my/services/{request.id}").get_data(as_text=True)
    assert "Checklist of Bu Siti" in page and "Checklist of Bu Ningsih" in page
    with unit_of_work():
        for kind in (DocumentKind.PROCESS, DocumentKind.SITE_PHOTO):
            services.add_document(coop.owner, db.session.get(ServiceRequest, request.id), kind, pdf_bytes(), "d.pdf")
        services.submit_request(coop.owner, db.session.get(ServiceRequest, request.id), **LINKS)
        services.decide(staff, db.session.get(ServiceRequest, request.id), "accept", visit_on=date(2026, 12, 10), **LINKS)
    auth.logout()
    auth.login(staff.email)
    page = client.get(f"/institution/requests/{request.id}?lang=en").get_data(as_text=True)
    assert "Decide for Bu Siti" in page and "Issue the certificate</button>" not in page
    row = next(r for r in latest_request().members if r.member_id == siti.id)
    token = client.csrf_token(f"/institution/requests/{request.id}")
    prefix = f"m{row.id}-issue"
    from io import BytesIO
    response = client.post(f"/institution/requests/{request.id}/members/{row.id}/issue", data={
        f"{prefix}-csrf_token": token, f"{prefix}-version": str(row.version), f"{prefix}-number": "",
        f"{prefix}-valid_until": "2030-01-01"}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Enter the certificate number" in response.get_data(as_text=True)
    response = client.post(f"/institution/requests/{request.id}/members/{row.id}/issue", data={
        f"{prefix}-csrf_token": token, f"{prefix}-version": str(row.version), f"{prefix}-number": "SNI-WEB-1",
        f"{prefix}-valid_until": "2030-01-01", f"{prefix}-document": (BytesIO(pdf_bytes()), "sertifikat.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(RequestMember, row.id).outcome is MemberOutcome.ISSUED
    # the region's DKUPP reads the group: a member whose consent shows nothing is not named
    moderator = make_user(role=Role.MODERATOR, region="35.13", email="dkupp.klaster@example.id")
    auth.logout()
    auth.login(moderator.email)
    page = client.get(f"/moderation/service-requests/{request.id}?lang=en").get_data(as_text=True)
    assert "Bu Siti" in page and "Bu Ningsih" not in page and "a member producer" in page
    # the owner downloads the member's certificate
    auth.logout()
    auth.login(coop.owner.email)
    assert client.get(f"/my/services/{request.id}/members/{row.id}/certificate").status_code == 200
    # the staff's decision routes are not the owner's
    assert decide(client, request.id, "issue", number="X").status_code in (403, 404)


def test_two_staff_deciding_the_last_two_members_at_once_cannot_leave_the_request_open(app, coop, cluster, staff,
                                                                                        make_user):
    """Each decision also writes the request row: of two at the same moment the second loses (AlreadyDecided) and
    retries on a fresh read, so the request is closed whatever the timing (PostgreSQL: the second UPDATE waits)."""
    import threading

    from sqlalchemy.exc import OperationalError

    from marketplace.accounts.models import User
    (siti, darto, _), (batik_siti, batik_darto, _), _ = cluster
    request = sent_and_accepted(coop, staff, [siti, darto], [batik_siti, batik_darto])
    colleague = make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id,
                          email="staf.kedua@example.id")
    db.session.commit()
    request_id, row_ids, staff_ids = request.id, [r.id for r in request.members], [staff.id, colleague.id]
    barrier, lost = threading.Barrier(2), []

    def decide_one(row_id, staff_id):
        with app.app_context():
            for tries in range(5):
                try:
                    with unit_of_work():
                        row = db.session.get(RequestMember, row_id)
                        if tries == 0:
                            barrier.wait(timeout=10)
                        group_requests.decide_member(db.session.get(User, staff_id), row, "decline",
                                                     note="Belum memenuhi syarat.", **LINKS)
                    return
                except (AlreadyDecided, OperationalError):
                    lost.append(row_id)
                    db.session.rollback()

    threads = [threading.Thread(target=decide_one, args=pair) for pair in zip(row_ids, staff_ids, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    db.session.expire_all()
    closed = db.session.get(ServiceRequest, request_id)
    assert {r.outcome for r in closed.members} == {MemberOutcome.DECLINED}
    assert closed.state is RequestState.DECLINED and closed.decided_at is not None
