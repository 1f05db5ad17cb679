"""Certifications: format checks, documents cleaned and kept private, badges only while verified and valid."""

from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from flask import current_app
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from marketplace.accounts.models import Role
from marketplace.certifications.models import Certification, CertStatus, CertType
from marketplace.certifications.queries import badge_worthy
from marketplace.extensions import db
from marketplace.media.documents import document_name
from marketplace.media.storage import storage
from tests.conftest import jpeg_bytes


def pdf_bytes(with_script: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": "Siti Aminah", "/Producer": "scanner"})
    if with_script:
        action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
        writer.root_object[NameObject("/OpenAction")] = action
        writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def form(**changes):
    return {"product": "", "cert_type": "halal", "number": "ID35110000123450724", "issuer": "BPJPH",
            "valid_until": "2029-07-24", "document": (BytesIO(pdf_bytes()), "sertifikat.pdf"), **changes}


@pytest.fixture
def business(auth, make_business):
    business = make_business()
    auth.login(business.owner.email)
    return business


def claim(client, business, lang="en", **changes):
    return client.submit(f"/my/businesses/{business.id}/certifications/new?lang={lang}", form(**changes),
                         content_type="multipart/form-data")


def test_claim_with_pdf_is_recorded_as_claimed_and_pdf_is_rewritten(client, business):
    assert claim(client, business, document=(BytesIO(pdf_bytes(with_script=True)), "halal.pdf")).status_code == 302
    cert = db.session.scalar(db.select(Certification))
    assert cert.status is CertStatus.CLAIMED and cert.number == "ID35110000123450724"
    stored = storage().get(document_name(cert.document))
    assert b"JavaScript" not in stored and b"app.alert" not in stored and b"Siti Aminah" not in stored
    assert len(PdfReader(BytesIO(stored)).pages) == 1


def test_claim_for_a_product_with_an_image_document(client, business, make_product):
    product = make_product(business=business, category="keripik")
    response = claim(client, business, product=str(product.id), cert_type="pirt", number="2113574010123-27",
                     document=(BytesIO(jpeg_bytes((1200, 900))), "pirt.jpg"))
    assert response.status_code == 302
    cert = db.session.scalar(db.select(Certification))
    assert cert.product_id == product.id and cert.number == "211357401012327" and cert.document.endswith(".jpg")


@pytest.mark.parametrize(("changes", "message"), [
    ({"number": "35110000123450724"}, "ID followed by 17 digits"),
    ({"cert_type": "pirt", "number": "12345"}, "15 digits"),
    ({"document": (BytesIO(b""), "")}, "Attach a scan or photo"),
    ({"document": (BytesIO(b"%PDF-1.7 rusak"), "rusak.pdf")}, "damaged"),
    ({"document": (BytesIO(b"<script>alert(1)</script>"), "x.pdf")}, "not a photo we can read"),
    ({"issuer": ""}, "Enter who issued it"),
])
def test_bad_claims_are_explained_and_typed_values_kept(client, business, changes, message):
    html = claim(client, business, **changes).get_data(as_text=True)
    assert message in html
    assert db.session.scalar(db.select(db.func.count(Certification.id))) == 0
    if "issuer" not in changes:
        assert 'value="BPJPH"' in html


def test_messages_in_indonesian(client, business):
    html = claim(client, business, lang="id", number="123").get_data(as_text=True)
    assert "ID diikuti 17 digit" in html or "diikuti 17 angka" in html


def test_a_product_of_another_business_cannot_be_named(client, business, make_product):
    other = make_product()
    html = claim(client, business, product=str(other.id)).get_data(as_text=True)
    assert "Choose a product from the list." in html
    assert db.session.scalar(db.select(db.func.count(Certification.id))) == 0


def test_document_is_private_to_its_owner(client, auth, business, make_user, app):
    claim(client, business)
    cert = db.session.scalar(db.select(Certification))
    url = f"/my/certifications/{cert.id}/document"
    response = client.get(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "no-store" in response.headers["Cache-Control"]
    assert client.get(f"/media/{cert.document}").status_code == 404
    auth.logout()
    auth.login(make_user(role=Role.OWNER).email)
    assert client.get(url).status_code == 404
    assert client.submit(f"/my/certifications/{cert.id}/delete", page="/my/").status_code == 404


def test_delete_removes_the_document(client, business):
    claim(client, business)
    cert = db.session.scalar(db.select(Certification))
    name = document_name(cert.document)
    assert storage().exists(name)
    assert storage().path(name) == Path(current_app.config["UPLOAD_DIR"]) / "documents" / cert.document
    client.submit(f"/my/certifications/{cert.id}/delete", page="/my/certifications")
    assert not storage().exists(name)


def test_badge_only_while_verified_and_not_expired():
    today = date(2026, 11, 24)
    cert = Certification(status=CertStatus.CLAIMED, valid_until=today + timedelta(days=1))
    assert not cert.shows_badge(today)
    cert.status = CertStatus.VERIFIED
    assert cert.shows_badge(today)
    assert cert.shows_badge(today + timedelta(days=1))
    assert not cert.shows_badge(today + timedelta(days=2))
    cert.valid_until = None
    assert cert.shows_badge(today + timedelta(days=3650))
    cert.status = CertStatus.REJECTED
    assert not cert.shows_badge(today)


def test_owner_list_shows_status(client, business):
    claim(client, business)
    html = client.get("/my/certifications?lang=en").get_data(as_text=True)
    assert "Halal (BPJPH)" in html and "awaiting verification" in html


def test_uploaded_documents_stay_out_of_the_public_folder(client, business, app):
    claim(client, business)
    cert = db.session.scalar(db.select(Certification))
    assert not (Path(app.config["UPLOAD_DIR"]) / cert.document).exists()


def test_the_loaded_badge_rule_is_the_query_rule(business):
    today = date(2026, 11, 24)
    for status in CertStatus:
        for valid_until in (None, today - timedelta(days=1), today, today + timedelta(days=1)):
            db.session.add(Certification(business=business, cert_type=CertType.SNI, number="1", issuer="BSN",
                                         document="x.pdf", status=status, valid_until=valid_until))
    db.session.flush()
    selected = set(db.session.scalars(db.select(Certification.id).where(badge_worthy(today))))
    assert selected == {c.id for c in db.session.scalars(db.select(Certification)) if c.shows_badge(today)}
    assert len(selected) == 3
