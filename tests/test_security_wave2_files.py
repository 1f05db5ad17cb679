"""Review of wave 2 (docs/SECURITY.md): how the new private documents are served (a download, never opened in a tab of
the site, never sniffed, never cached), and one inquiry budget per client across the product and booth forms."""

from datetime import date

import pytest

from marketplace.accounts.models import Role
from marketplace.businesses.models import BusinessKind, CooperativeKind
from marketplace.cooperatives import services as cooperatives
from marketplace.cooperatives.models import ConsentMethod, ConsentScope
from marketplace.events import booths
from marketplace.events.models import Application, Decision
from marketplace.extensions import db
from marketplace.institutions import service_requests, training
from marketplace.institutions.models import ServiceKind
from marketplace.institutions.request_models import DocumentKind
from marketplace.staples import deals
from marketplace.staples.models import DeliveryTerms, PostKind, Transport
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.conftest import jpeg_bytes
from tests.events_helpers import NOW, apply_for, decide_and_release, make_event
from tests.institutions_helpers import institution, pdf_bytes, service
from tests.staples_helpers import published

LINKS = {"link": "/my/services/1", "inbox_url": "http://localhost/my/notifications"}


@pytest.fixture
def documents(make_user, make_business, make_product):
    """One of each private document of wave 2, with the account that may download it."""
    owner = make_user(role=Role.OWNER, region="35.13")
    business = make_business(owner=owner, region="35.13", name="Batik Tegalsiwalan")
    product = make_product(business=business, category="batik-tulis", status="published")
    staff = make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id)
    coop = make_business(owner=owner, region="35.13", name="Koperasi Tengger", kind=BusinessKind.COOPERATIVE,
                         cooperative_kind=CooperativeKind.CONSUMER, legal_entity_number="AHU-0001234.AH.01.26.TAHUN 2021")
    seller = make_business(region="35.74", name="Kopi Siaga")
    need = published(make_user, make_business(region="35.05", name="Berkah Telur"), PostKind.NEED, quantity=10)
    offer = published(make_user, seller, PostKind.OFFER, quantity=20, unit="ton")
    with unit_of_work():
        request = service_requests.start_request(owner, business, service("bbspjikb", ServiceKind.SNI), products=[product])
        for kind in (DocumentKind.PROCESS, DocumentKind.SITE_PHOTO):
            service_requests.add_document(owner, request, kind, pdf_bytes(), "dokumen.pdf")
        service_requests.submit_request(owner, request, **LINKS)
        service_requests.decide(staff, request, "accept", visit_on=date(2026, 12, 10), **LINKS)
        service_requests.decide(staff, request, "issue", number="SNI-1", valid_until=date(2030, 1, 1),
                                document=pdf_bytes(), **LINKS)
        cohort = training.create_cohort(staff, institution("bbspjikb"), topic="Foto produk", starts_on=date.today(),
                                        ends_on=date.today(), region_code="35.13", capacity=5, enrol_by=date.today())
        enrolment = training.enrol(owner, cohort, business, on=date.today())
        enrolment.attended = True
        training.issue_certificates(staff, cohort, verify_url_for=lambda code: f"/verify/{code}", **LINKS)
        name = cooperatives.store_consent_document(pdf_bytes())
        member = cooperatives.add_member(owner, coop, name="Sholehuddin", desa="Ngadisari", kecamatan="Sukapura",
                                         commodities="kentang", consent_scope=ConsentScope.NAME_AND_DESA,
                                         consent_method=ConsentMethod.SIGNED_FORM, consent_note="", consent_document=name)
        deal = deals.propose_deal(seller.owner, {seller.id}, offer, need, volume=10_000, unit_price=4500,
                                  starts_on=today(), ends_on=today(), delivery_terms=DeliveryTerms.FRANCO,
                                  transport_by=Transport.SELLER, on=today())
        deals.confirm_deal(need.business.owner, {need.business_id}, deal)
        delivery = deals.log_delivery(seller.owner, {seller.id}, deal, delivered_on=today(), quantity=1_000,
                                      quality="baik", received_by="Pak Sutrisno", note_photo=jpeg_bytes())
    return [
        (owner, f"/my/services/{request.id}/documents/{request.documents[0].id}"),
        (staff, f"/institution/requests/{request.id}/documents/{request.documents[0].id}"),
        (owner, f"/my/services/{request.id}/certificate"),
        (owner, f"/my/services/enrolments/{enrolment.id}/certificate"),
        (owner, f"/my/businesses/{coop.id}/members/{member.id}/consent-form"),
        (seller.owner, f"/my/staples/deliveries/{delivery.id}/note"),
    ]


def test_every_private_document_is_a_download_never_sniffed_nor_cached(client, auth, documents):
    for user, url in documents:
        auth.login(user.email)
        response = client.get(url)
        assert response.status_code == 200, url
        headers = response.headers
        assert headers["Content-Disposition"].startswith("attachment"), url
        assert headers["Content-Type"] in ("application/pdf", "image/jpeg", "image/webp"), (url, headers["Content-Type"])
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert "no-store" in headers["Cache-Control"] and "public" not in headers["Cache-Control"], url
        body = response.get_data()
        assert body.startswith((b"%PDF-", b"\xff\xd8\xff", b"RIFF")), url
        auth.logout()


# --- finding: the booth pages' inquiry form had a budget of its own beside the product pages' --------------------

@pytest.fixture
def booth_and_product(make_user, make_business, make_product, monkeypatch):
    from marketplace.events import clock

    monkeypatch.setattr(clock, "now", lambda: NOW)
    event = make_event(make_user)
    booth = apply_for(event, make_business, make_product)
    decide_and_release(event, {booth: Decision.ACCEPT})
    with unit_of_work():
        booths.confirm(booth.owner, db.session.get(Application, booth.id), NOW)
    application = db.session.get(Application, booth.id)
    return event, application, application.products[0]


FORM = {"name": "Budi", "contact": "6281234567890", "quantity": "2", "region": "35.05", "message": "Masih ada?"}


def test_one_inquiry_budget_per_client_across_product_and_booth_pages(app, client, booth_and_product):
    event, application, product = booth_and_product
    limit = int(app.config["INQUIRY_RATE_LIMIT"].split()[0])
    product_page = f"/products/{product.id}-{product.slug}"
    for _ in range(limit):
        assert client.submit(f"/products/{product.id}/inquiry", FORM, page=product_page).status_code == 302
    booth = f"/events/{event.slug}/booths/{application.id}"
    response = client.submit(f"{booth}/inquiry", {**FORM, "product": str(product.id)}, page=booth)
    assert response.status_code == 429
