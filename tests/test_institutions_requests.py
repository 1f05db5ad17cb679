"""Service requests (issue 18): the readiness checklist, the states with the institution's decisions, issuing a
certificate that becomes a verified certification with its badge, renewal reminders, the DKUPP's read-only view."""

from datetime import date, timedelta
from io import BytesIO

import pytest

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.businesses.models import SizeClass
from marketplace.certifications.models import Certification, CertStatus, CertType
from marketplace.domain import AlreadyDecided, OutsideRegion
from marketplace.extensions import db
from marketplace.institutions import readiness, reminders
from marketplace.institutions import service_requests as services
from marketplace.institutions.models import ServiceKind
from marketplace.institutions.request_models import DocumentKind, RequestState, ServiceRequest
from marketplace.notifications.models import Notification
from marketplace.unit_of_work import unit_of_work
from tests.conftest import jpeg_bytes
from tests.institutions_helpers import decide, institution, latest_request, pdf_bytes, service, start, upload

HALAL = ("pendamping-pph-kab-probolinggo", ServiceKind.HALAL_SELF_DECLARE)
SNI = ("bbspjikb", ServiceKind.SNI)
LINKS = {"link": "/my/services/1", "inbox_url": "http://localhost/my/notifications"}


@pytest.fixture
def food(make_business, make_product, auth, client):
    """A micro food business of Kabupaten Probolinggo with a verified NIB and a published snack, its owner logged in
    (in English)."""
    business = make_business(region="35.13", name="Keripik Bu Sri", size_class=SizeClass.MIKRO)
    product = make_product(business=business, category="keripik", name="Keripik Pisang", status="published")
    auth.login(business.owner.email)
    client.get("/?lang=en")
    return business, product


@pytest.fixture
def staff_of(make_user):
    def make(slug: str):
        return make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution(slug).id,
                         email=f"staf.{slug}@example.id")
    return make


def complete_halal_request(client, business, product, *, ingredients="pisang\nminyak goreng (ID35110000123450724)"):
    start(client, business, service(*HALAL), [product], ingredients)
    request = latest_request()
    upload(client, request.id, "process", pdf_bytes(), "alur-proses.pdf")
    upload(client, request.id, "ingredients", pdf_bytes(), "daftar-bahan.pdf")
    upload(client, request.id, "site_photo", jpeg_bytes(), "dapur.jpg")
    return request


def test_a_ready_micro_food_business_sends_a_self_declare_halal_request(client, food, outbox):
    business, product = food
    request = complete_halal_request(client, business, product)
    page = client.get(f"/my/services/{request.id}").get_data(as_text=True)
    assert "missing" not in page and "Send the request" in page
    response = client.submit(f"/my/services/{request.id}/submit", page=f"/my/services/{request.id}")
    assert response.status_code == 302
    db.session.expire_all()
    request = db.session.get(ServiceRequest, request.id)
    assert request.state is RequestState.SUBMITTED and request.submitted_at is not None
    assert {d.kind for d in request.documents} == {DocumentKind.PROCESS, DocumentKind.INGREDIENTS, DocumentKind.SITE_PHOTO}
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "service_request.submit")) is not None
    assert db.session.scalar(db.select(Notification).where(Notification.kind == "service_request.submit")) is not None
    assert any(m["Subject"] == "Etalase UMKM: permohonan layanan Anda telah dikirim" for m in outbox())  # her language


def test_an_unverified_nib_is_said_plainly_and_the_request_cannot_be_sent(client, make_business, make_product, auth):
    business = make_business(region="35.13", verified=False, size_class=SizeClass.MIKRO)
    product = make_product(business=business, category="keripik", name="Keripik Tempe")
    auth.login(business.owner.email)
    client.get("/?lang=en")
    request = complete_halal_request(client, business, product)
    page = client.get(f"/my/services/{request.id}").get_data(as_text=True)
    assert "has not been verified by the DKUPP" in page and "Send the request" not in page
    client.submit(f"/my/services/{request.id}/submit", page=f"/my/services/{request.id}")
    db.session.expire_all()
    assert db.session.get(ServiceRequest, request.id).state is RequestState.DRAFT


def test_a_missing_ingredient_list_is_said_and_blocks_sending(client, food):
    business, product = food
    start(client, business, service(*HALAL), [product], "")
    request = latest_request()
    upload(client, request.id, "process", pdf_bytes(), "alur-proses.pdf")
    upload(client, request.id, "site_photo", jpeg_bytes(), "dapur.jpg")
    page = client.get(f"/my/services/{request.id}").get_data(as_text=True)
    assert "Write the ingredients of the products" in page
    assert "Upload the document: Ingredient list" in page
    response = client.submit(f"/my/services/{request.id}/submit", page=f"/my/services/{request.id}", follow_redirects=True)
    assert "cannot be sent yet" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ServiceRequest, request.id).state is RequestState.DRAFT
    assert {item.code for item in readiness.missing(db.session.get(ServiceRequest, request.id))} == {"ingredients", "doc_ingredients"}


def test_halal_self_declare_is_for_micro_and_small_food_only(make_business, make_product):
    business = make_business(region="35.13", size_class=SizeClass.MENENGAH)
    batik = make_product(business=business, category="batik-tulis")
    with unit_of_work():
        request = services.start_request(business.owner, business, service(*HALAL), products=[batik], ingredients="x")
        assert {"size", "categories"} <= {item.code for item in readiness.missing(request)}


def test_a_returned_request_keeps_everything_and_shows_the_note(client, auth, food, staff_of):
    business, product = food
    request = complete_halal_request(client, business, product, ingredients="pisang\ngaram")
    client.submit(f"/my/services/{request.id}/submit", page=f"/my/services/{request.id}")
    staff = staff_of(HALAL[0])
    auth.logout()
    auth.login(staff.email)
    assert decide(client, request.id, "return", note="Foto dapur kurang jelas: kirim foto area produksi.").status_code == 302
    auth.logout()
    auth.login(business.owner.email)
    page = client.get(f"/my/services/{request.id}?lang=en").get_data(as_text=True)
    assert "Foto dapur kurang jelas" in page and "pisang\ngaram" in page
    assert "alur-proses.pdf" in page and "dapur.jpg" in page and "Keripik Pisang" in page
    first_sent = db.session.get(ServiceRequest, request.id).submitted_at
    upload(client, request.id, "site_photo", jpeg_bytes(color=(20, 200, 20)), "area-produksi.jpg")
    client.submit(f"/my/services/{request.id}/submit", page=f"/my/services/{request.id}")
    db.session.expire_all()
    request = db.session.get(ServiceRequest, request.id)
    assert request.state is RequestState.SUBMITTED and request.submitted_at == first_sent
    assert request.ingredients == "pisang\ngaram" and len(request.documents) == 4
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "service_request.resubmit")) is not None


def _sent_sni_request(owner, business, products):
    with unit_of_work():
        request = services.start_request(owner, business, service(*SNI), products=products)
        for kind in (DocumentKind.PROCESS, DocumentKind.SITE_PHOTO):
            services.add_document(owner, request, kind, pdf_bytes(), f"{kind.value}.pdf")
        services.submit_request(owner, request, **LINKS)
    return request


def test_issuing_creates_a_verified_certification_with_its_badge_until_it_expires(client, auth, make_business,
                                                                                    make_product, staff_of, monkeypatch):
    business = make_business(region="35.13", name="Batik Tegalsiwalan")
    tulis = make_product(business=business, category="batik-tulis", name="Batik Tulis Tegalsiwalan", status="published")
    other = make_product(business=business, category="batik-cap", name="Batik Cap Bromo", status="published")
    request = _sent_sni_request(business.owner, business, [tulis])
    staff = staff_of("bbspjikb")
    auth.login(staff.email)
    assert decide(client, request.id, "accept", visit_on="2026-12-10", sample_on="2026-12-10", note="").status_code == 302
    assert decide(client, request.id, "start").status_code == 302
    valid_until = date.today() + timedelta(days=365)
    response = decide(client, request.id, "issue", number="SNI 8302:2016/LSPr-025-IDN/0042", scope="Batik tulis",
                      valid_until=valid_until.isoformat(), document=(BytesIO(pdf_bytes()), "sertifikat.pdf"))
    assert response.status_code == 302
    (cert,) = db.session.scalars(db.select(Certification)).all()
    assert (cert.status, cert.cert_type, cert.product_id) == (CertStatus.VERIFIED, CertType.SNI, tulis.id)
    assert cert.institution_id == institution("bbspjikb").id and cert.verified_by_id == staff.id
    assert "LSPr-025-IDN" in cert.issuer and cert.valid_until == valid_until
    auth.logout()
    product_page = f"/products/{tulis.id}-{tulis.slug}?lang=en"
    assert "SNI (Indonesian National Standard)" in client.get(product_page).get_data(as_text=True)
    assert "SNI (Indonesian National Standard)" not in client.get(f"/products/{other.id}-{other.slug}").get_data(as_text=True)
    facet = client.get("/products?cert=sni").get_data(as_text=True)
    assert tulis.name in facet and other.name not in facet
    from marketplace.catalog.views import public
    monkeypatch.setattr(public, "today", lambda: valid_until + timedelta(days=1))
    assert "SNI (Indonesian National Standard)" not in client.get(product_page).get_data(as_text=True)
    assert tulis.name not in client.get("/products?cert=sni").get_data(as_text=True)


def test_issuing_is_one_transaction_with_the_certification(make_business, make_product, staff_of, monkeypatch):
    business = make_business(region="35.13")
    tulis = make_product(business=business, category="batik-tulis", status="published")
    request = _sent_sni_request(business.owner, business, [tulis])
    staff = staff_of("bbspjikb")
    with unit_of_work():
        services.decide(staff, request, "accept", visit_on=date(2026, 12, 10), **LINKS)

    def broken(*args, **kwargs):
        raise RuntimeError("notification failed")
    monkeypatch.setattr(services, "notify", broken)
    with pytest.raises(RuntimeError), unit_of_work():
        services.decide(staff, request, "issue", number="SNI-1", valid_until=date(2027, 12, 1), document=pdf_bytes(),
                        **LINKS)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Certification.id))) == 0
    assert db.session.get(ServiceRequest, request.id).state is RequestState.ACCEPTED


def test_a_stale_decision_is_already_decided(make_business, make_product, staff_of):
    business = make_business(region="35.13")
    request = _sent_sni_request(business.owner, business, [make_product(business=business, status="published")])
    staff = staff_of("bbspjikb")
    seen = request.version
    with unit_of_work():
        services.decide(staff, request, "accept", seen, visit_on=date(2026, 12, 10), **LINKS)
    with pytest.raises(AlreadyDecided), unit_of_work():
        services.decide(staff, request, "decline", seen, note="kapasitas penuh", **LINKS)


def test_a_decline_needs_a_reason_and_the_owner_is_told(client, auth, make_business, make_product, staff_of):
    business = make_business(region="35.13")
    request = _sent_sni_request(business.owner, business, [make_product(business=business, status="published")])
    auth.login(staff_of("bbspjikb").email)
    decide(client, request.id, "decline", note="")
    db.session.expire_all()
    assert db.session.get(ServiceRequest, request.id).state is RequestState.SUBMITTED
    decide(client, request.id, "decline", note="Produk bukan batik.")
    db.session.expire_all()
    assert db.session.get(ServiceRequest, request.id).state is RequestState.DECLINED
    assert db.session.scalar(db.select(Notification).where(Notification.kind == "service_request.decline")) is not None


def test_renewal_reminders_at_60_and_30_days_once_each(make_business, make_product, staff_of):
    business = make_business(region="35.13")
    request = _sent_sni_request(business.owner, business, [make_product(business=business, status="published")])
    staff = staff_of("bbspjikb")
    with unit_of_work():
        services.decide(staff, request, "accept", visit_on=date(2026, 1, 5), **LINKS)
        services.decide(staff, request, "issue", number="SNI-7", valid_until=date(2027, 3, 1), document=pdf_bytes(), **LINKS)

    def remind(on):
        with unit_of_work():
            return reminders.send_renewal_reminders(on, link_for=lambda i: f"/my/services/{i}", inbox_url="http://x/")
    assert remind(date(2026, 12, 1)) == 0  # 90 days before
    assert remind(date(2026, 12, 31)) == 1  # 60 days before
    assert remind(date(2027, 1, 2)) == 0
    assert remind(date(2027, 1, 30)) == 1  # 30 days before
    assert remind(date(2027, 2, 10)) == 0
    kinds = db.session.scalars(db.select(Notification.kind).where(Notification.kind.like("service_request.renew%"))).all()
    assert sorted(kinds) == ["service_request.renew_30", "service_request.renew_60"]


def test_renewal_is_one_step(client, auth, make_business, make_product, staff_of):
    business = make_business(region="35.13")
    request = _sent_sni_request(business.owner, business, [make_product(business=business, status="published")])
    staff = staff_of("bbspjikb")
    with unit_of_work():
        services.decide(staff, request, "accept", visit_on=date(2026, 1, 5), **LINKS)
        services.decide(staff, request, "issue", number="SNI-8", valid_until=date(2027, 1, 1), document=pdf_bytes(),
                        **LINKS)
    auth.login(business.owner.email)
    client.submit(f"/my/services/{request.id}/renew", page=f"/my/services/{request.id}")
    renewal = latest_request()
    assert renewal.renewal_of_id == request.id and renewal.state is RequestState.SUBMITTED
    assert [p.id for p in renewal.products] == [p.id for p in request.products] and len(renewal.documents) == 2


def test_the_dkupp_reads_its_regions_requests_and_recommends(client, auth, make_user, make_business, make_product,
                                                              staff_of):
    business = make_business(region="35.13")
    request = _sent_sni_request(business.owner, business, [make_product(business=business, status="published")])
    moderator = make_user(role=Role.MODERATOR, region="35.13", email="mod.kab@example.id")
    auth.login(moderator.email)
    assert business.name in client.get("/moderation/service-requests").get_data(as_text=True)
    client.submit(f"/moderation/service-requests/{request.id}", {"recommendation": "Usaha binaan DKUPP sejak 2023."})
    auth.logout()
    auth.login(staff_of("bbspjikb").email)
    assert "Usaha binaan DKUPP sejak 2023." in client.get(f"/institution/requests/{request.id}").get_data(as_text=True)


def test_a_file_that_is_not_a_pdf_or_image_is_refused_and_nothing_is_lost(client, food):
    business, product = food
    start(client, business, service(*HALAL), [product], "pisang\ngaram")
    request = latest_request()
    response = upload(client, request.id, "process", b"%PDF-1.7 this is no PDF at all", "proses.pdf")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "proses.pdf:" in page and "damaged" in page
    assert "pisang\ngaram" in page  # the request's fields are still there
    response = upload(client, request.id, "process", b"MZ\x90\x00 an executable", "proses.exe")
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(ServiceRequest, request.id).documents == []


def test_an_owner_cannot_put_another_business_product_on_a_request(make_business, make_product):
    mine, theirs = make_business(region="35.13", name="Milik Saya"), make_business(region="35.13", name="Milik Orang")
    foreign = make_product(business=theirs, category="keripik")
    with unit_of_work():
        request = services.start_request(mine.owner, mine, service(*HALAL), products=[foreign])
        assert request.products == []
    with pytest.raises(OutsideRegion), unit_of_work():
        services.start_request(mine.owner, theirs, service(*HALAL))


def test_an_owner_starts_a_request_from_the_services_page(client, food):
    svc = service(*HALAL)
    page = client.get("/services").get_data(as_text=True)
    assert f"/my/services/new?service={svc.id}" in page
    form = client.get(f"/my/services/new?service={svc.id}").get_data(as_text=True)
    assert f'<option selected value="{svc.id}">' in form
