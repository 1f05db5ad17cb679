"""Inquiries: stored with both regions before the WhatsApp hand-off; the owner's inbox."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry, InquiryStatus

FORM = {"name": "Budi Santoso", "contact": "0813-3444-5566", "quantity": "20", "region": "35.05",
        "message": "Apakah bisa kirim ke Blitar?"}


@pytest.fixture
def product(make_business, make_product):
    business = make_business(region="35.74", name="Batik Manggur Kota", whatsapp="6281234567801")
    return make_product(business=business, status="published", name="Batik Tulis Manggur")


def page(product, lang="id"):
    return f"/products/{product.id}-{product.slug}?lang={lang}"


def send(client, product, lang="id", **changes):
    return client.submit(f"/products/{product.id}/inquiry?lang={lang}", {**FORM, **changes}, page=page(product, lang))


def test_anonymous_inquiry_is_stored_with_both_regions_and_offers_whatsapp(client, product, outbox):
    response = send(client, product)
    assert response.status_code == 302 and "/inquiries/sent/" in response.headers["Location"]
    inquiry = db.session.scalar(db.select(Inquiry))
    assert (inquiry.buyer_region_code, inquiry.seller_region_code) == ("35.05", "35.74")
    assert inquiry.contact == "6281334445566" and inquiry.quantity == 20 and inquiry.buyer_id is None
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    link = unescape(re.search(r'href="(https://wa\.me/[^"]+)"', html).group(1))
    parts = urlsplit(link)
    assert parts.path == "/6281234567801"
    text = parse_qs(parts.query)["text"][0]
    assert "Batik Tulis Manggur" in text and f"/products/{product.id}-{product.slug}" in text and "20 pcs" in text
    assert " " not in parts.query and "%20" in parts.query  # encoded
    (mail,) = outbox()
    assert mail["To"] == product.business.owner.email and "Budi Santoso" in mail.get_content()


def test_inquiry_appears_in_the_owners_inbox_and_can_be_answered(client, auth, product):
    send(client, product)
    auth.login(product.business.owner.email)
    html = client.get("/my/inquiries?lang=en").get_data(as_text=True)
    assert "Budi Santoso" in html and "Kabupaten Blitar" in html and 'class="count"' in html
    inquiry = db.session.scalar(db.select(Inquiry))
    show = client.get(f"/my/inquiries/{inquiry.id}").get_data(as_text=True)
    assert "Apakah bisa kirim ke Blitar?" in show and "https://wa.me/6281334445566" in show
    db.session.refresh(inquiry)
    assert inquiry.read_at is not None
    client.submit(f"/my/inquiries/{inquiry.id}", {"status": "replied"})
    db.session.refresh(inquiry)
    assert inquiry.status is InquiryStatus.REPLIED
    assert "Budi Santoso" not in client.get("/my/inquiries?status=new").get_data(as_text=True)


def test_other_owners_cannot_read_it(client, auth, product, make_user):
    send(client, product)
    inquiry = db.session.scalar(db.select(Inquiry))
    auth.login(make_user(role=Role.OWNER).email)
    assert client.get(f"/my/inquiries/{inquiry.id}").status_code == 404
    assert "Budi Santoso" not in client.get("/my/inquiries").get_data(as_text=True)


def test_logged_in_buyer_region_comes_from_the_account(client, auth, product, make_user):
    buyer = make_user(role=Role.BUYER, region="35.14", phone="6285790001122", name="Dewi")
    auth.login(buyer.email)
    html = client.get(page(product)).get_data(as_text=True)
    assert 'value="Dewi"' in html and 'value="6285790001122"' in html and '<option selected value="35.14">' in html
    send(client, product, name="Dewi", contact="6285790001122", region="35.14")
    inquiry = db.session.scalar(db.select(Inquiry))
    assert inquiry.buyer_id == buyer.id and inquiry.buyer_region_code == "35.14"


@pytest.mark.parametrize(("changes", "message"), [
    ({"contact": "bukan nomor"}, "Enter a WhatsApp number (e.g. 0812-3456-7890) or an email address."),
    ({"region": ""}, "Choose your region."),
    ({"quantity": "0"}, "At least 1."),
    ({"name": ""}, "Enter your name."),
])
def test_bad_inquiry_is_explained_and_kept(client, product, changes, message):
    response = send(client, product, lang="en", **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert "Apakah bisa kirim ke Blitar?" in html
    assert db.session.scalar(db.select(db.func.count(Inquiry.id))) == 0


def test_email_contact_is_accepted(client, product):
    send(client, product, contact="Budi@Contoh.ID")
    assert db.session.scalar(db.select(Inquiry)).contact == "budi@contoh.id"


def test_honeypot_stores_nothing(client, product, outbox):
    assert send(client, product, website="http://spam.example").status_code == 302
    assert db.session.scalar(db.select(db.func.count(Inquiry.id))) == 0 and outbox() == []


def test_inquiries_are_rate_limited_per_client(app, client, product):
    limit = int(app.config["INQUIRY_RATE_LIMIT"].split()[0])
    for _ in range(limit):
        assert send(client, product).status_code == 302
    assert send(client, product).status_code == 429


def test_confirmation_page_needs_the_signed_token(client, product):
    send(client, product)
    inquiry = db.session.scalar(db.select(Inquiry))
    assert client.get(f"/inquiries/sent/{inquiry.id}").status_code == 404


@pytest.mark.parametrize("payload", ["Budi' OR '1'='1", "Budi) AND (SELECT 2346 FROM (SELECT(SLEEP(3)))zXbO)",
                                     "Budi'); DROP TABLE inquiry; --"])
def test_sql_in_every_inquiry_field_is_stored_as_typed(client, product, payload):
    """What sqlmap's heuristic pointed at in the scan (docs/SECURITY.md): the form's text goes through bound
    parameters, so SQL is data: one inquiry, stored exactly as typed, and the table is still there."""
    response = send(client, product, name=payload, message=payload)
    assert response.status_code == 302
    (inquiry,) = db.session.scalars(db.select(Inquiry)).all()
    assert inquiry.name == payload and inquiry.message == payload
    assert send(client, product).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Inquiry.id))) == 2
