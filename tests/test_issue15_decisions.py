"""Issue 15, moderation decisions and what owners are told: common reasons in the reader's language, each object's own
reasons and actions, the truth about products of unverified businesses, the reason where the owner fixes a product,
expired certificates, and one mail subject per kind."""

from datetime import timedelta
from io import BytesIO

import pytest
from flask_babel import force_locale

from marketplace.businesses.models import Business, Verification
from marketplace.catalog.models import Product, ProductStatus
from marketplace.certifications.models import Certification, CertStatus, CertType
from marketplace.extensions import db
from marketplace.notifications.messages import MESSAGES, SUBJECTS
from marketplace.notifications.models import Notification
from marketplace.notifications.reasons import REASONS, compose, render_reason
from marketplace.timeutil import today
from tests.test_certifications import form as claim_form


def translated(key: str, locale: str) -> str:
    with force_locale(locale):
        return str(REASONS[key])


def page(client, url: str) -> str:
    return client.get(url).get_data(as_text=True)


# --- 1. a common reason is stored as a key and shown in the reader's language -----------------------------

def test_stored_reasons_render_in_the_current_language_and_free_text_stays_as_written(app):
    stored = compose("photos_unclear", "Foto kedua buram.")
    assert stored.startswith("{reason:photos_unclear}")
    with app.test_request_context("/"):
        for locale in ("id", "en"):
            with force_locale(locale):
                assert render_reason(stored) == f"{translated('photos_unclear', locale)} Foto kedua buram."
        assert render_reason("Foto buram, kirim ulang.") == "Foto buram, kirim ulang."  # a reason from before: as is
        assert render_reason("{reason:gone_away} teks") == "{reason:gone_away} teks"  # an unknown key: as stored
        assert compose("not_a_reason", "") == "" and compose(None, " kata ") == "kata"


def test_a_common_reason_picked_in_english_reaches_an_indonesian_owner_in_indonesian(client, auth, as_moderator,
                                                                                   make_product, outbox):
    product = make_product(status="pending")
    owner = product.business.owner
    assert owner.locale in (None, "", "id")
    english, indonesian = translated("photos_unclear", "en"), translated("photos_unclear", "id")
    assert english != indonesian
    client.get("/moderation/?lang=en")  # the moderator works in English
    response = client.submit(f"/moderation/products/{product.id}?lang=en",
                             {"action": "request_changes", "reason_template": "photos_unclear", "reason": "Foto ke-2."})
    assert response.status_code == 302
    (mail,) = outbox()
    assert indonesian in mail.get_content() and english not in mail.get_content()
    db.session.expire_all()
    assert db.session.get(Product, product.id).review_reason == "{reason:photos_unclear} Foto ke-2."
    assert db.session.scalar(db.select(Notification)).params["reason"] == "{reason:photos_unclear} Foto ke-2."
    auth.logout()
    auth.login(owner.email)
    for url in ("/my/products?lang=id", "/my/notifications?lang=id", f"/my/products/{product.id}/edit?lang=id"):
        html = page(client, url)
        assert indonesian in html and english not in html and "{reason:" not in html and "Foto ke-2." in html, url
    assert english in page(client, "/my/notifications?lang=en")  # the same notification in the reader's language


def test_business_and_certificate_reasons_are_rendered_for_the_owner(client, auth, as_moderator, make_business):
    business = make_business()
    client.submit(f"/moderation/businesses/{business.id}?lang=en",
                  {"action": "suspend", "reason_template": "nib_unconfirmed", "reason": ""})
    cert = Certification(business=business, cert_type=CertType.HALAL, number="ID35110000123450724", issuer="BPJPH",
                         document="0" * 32 + ".pdf")
    db.session.add(cert)
    db.session.commit()
    client.submit(f"/moderation/certifications/{cert.id}?lang=en",
                  {"action": "reject", "reason_template": "number_mismatch", "reason": ""})
    auth.logout()
    auth.login(business.owner.email)
    assert translated("nib_unconfirmed", "id") in page(client, "/my/businesses?lang=id")
    assert translated("number_mismatch", "id") in page(client, "/my/certifications?lang=id")


# --- 2. each object gets its own reasons and only the actions its state allows -------------------------

def decision_page(client, url: str) -> str:
    return page(client, url + "?lang=en")


def test_business_pages_offer_business_reasons_and_only_the_move_its_state_allows(client, as_moderator, make_business):
    unverified = make_business(verified=False)
    html = decision_page(client, f"/moderation/businesses/{unverified.id}")
    assert 'value="verify"' in html and 'value="suspend"' not in html and 'value="reinstate"' not in html
    assert translated("photos_unclear", "en") not in html  # a verification takes no reason: no reason fields at all

    verified = make_business(name="Usaha Kedua")
    html = decision_page(client, f"/moderation/businesses/{verified.id}")
    assert 'value="suspend"' in html and 'value="verify"' not in html and 'value="reinstate"' not in html
    assert translated("nib_unconfirmed", "en") in html and translated("photos_unclear", "en") not in html
    client.submit(f"/moderation/businesses/{verified.id}", {"action": "suspend", "reason": "NIB palsu"})
    html = decision_page(client, f"/moderation/businesses/{verified.id}")
    assert 'value="reinstate"' in html and 'value="suspend"' not in html and 'value="verify"' not in html


def test_a_move_the_state_does_not_allow_changes_nothing(client, as_moderator, make_business, outbox):
    business = make_business(verified=False)
    html = client.submit(f"/moderation/businesses/{business.id}?lang=en",
                         {"action": "reinstate"}, follow_redirects=True).get_data(as_text=True)
    assert "already decided" in html
    html = client.submit(f"/moderation/businesses/{business.id}?lang=en", {"action": "bogus"}).get_data(as_text=True)
    assert "Choose a decision." in html
    db.session.expire_all()
    assert db.session.get(Business, business.id).verification is Verification.UNVERIFIED and outbox() == []


@pytest.mark.parametrize(("kind", "own", "foreign"), [
    ("product", "photos_unclear", "nib_unconfirmed"),
    ("certification", "number_mismatch", "photos_unclear"),
    ("business_revision", "logo_unclear", "photos_unclear"),
    ("report", "report_unfounded", "photos_unclear"),
])
def test_each_decision_offers_its_own_reasons(client, as_moderator, make_business, make_product, kind, own, foreign):
    from marketplace.businesses.services import update_business
    from marketplace.moderation.services import file_report
    from marketplace.unit_of_work import unit_of_work

    business = make_business()
    if kind == "product":
        url = f"/moderation/products/{make_product(business=business, status='pending').id}"
    elif kind == "certification":
        cert = Certification(business=business, cert_type=CertType.SNI, number="SNI 8302:2016", issuer="LSPro",
                             document="0" * 32 + ".pdf")
        db.session.add(cert)
        db.session.commit()
        url = f"/moderation/certifications/{cert.id}"
    elif kind == "business_revision":
        with unit_of_work():
            update_business(business, description="Profil baru.")
        url = f"/moderation/businesses/{business.id}/edit"
    else:
        from marketplace.moderation.models import ReportReason

        report = file_report(make_product(business=business, status="published"), None, ReportReason.MISLEADING, "")
        db.session.commit()
        url = f"/moderation/reports/{report.id}"
    html = decision_page(client, url)
    assert f'value="{own}"' in html and translated(own, "en") in html
    assert f'value="{foreign}"' not in html and translated(foreign, "en") not in html


# --- 3. approving a product of a business that is not verified -----------------------------------------

def test_approving_a_product_of_an_unverified_business_warns_and_tells_the_truth(client, auth, as_moderator,
                                                                                make_business, make_product, outbox):
    business = make_business(verified=False)
    business.owner.locale = "en"
    db.session.commit()
    product = make_product(business=business, status="pending")
    html = decision_page(client, f"/moderation/products/{product.id}")
    assert 'id="business-hidden"' in html and "stays hidden from buyers until the business is verified" in html
    assert client.submit(f"/moderation/products/{product.id}", {"action": "approve"}).status_code == 302
    notification = db.session.scalar(db.select(Notification))
    assert notification.kind == "product.approve_hidden"
    (mail,) = outbox()
    assert "once the DKUPP has verified your business" in mail.get_content()
    assert "now visible to buyers" not in mail.get_content()
    assert client.get(f"/products/{product.id}").status_code == 404
    auth.logout()
    auth.login(business.owner.email)
    html = page(client, "/my/products?lang=en")
    assert "Buyers will see it once the DKUPP has verified your business." in html and "Public. Keep" not in html


def test_approving_a_product_of_a_verified_business_needs_no_warning(client, as_moderator, make_product):
    product = make_product(status="pending")
    assert 'id="business-hidden"' not in decision_page(client, f"/moderation/products/{product.id}")
    client.submit(f"/moderation/products/{product.id}", {"action": "approve"})
    assert db.session.scalar(db.select(Notification)).kind == "product.approve"


# --- 4. the reason at the top of the pages where the owner fixes the product ---------------------------

def test_edit_and_photos_pages_show_the_moderators_reason_at_the_top(client, auth, as_moderator, make_product):
    product = make_product(status="pending")
    client.submit(f"/moderation/products/{product.id}",
                  {"action": "request_changes", "reason_template": "", "reason": "Tambahkan ukuran kain."})
    auth.logout()
    auth.login(product.business.owner.email)
    for url in (f"/my/products/{product.id}/edit?lang=en", f"/my/products/{product.id}/photos?lang=en"):
        html = page(client, url)
        assert 'class="note review-reason"' in html and "Tambahkan ukuran kain." in html, url
        assert html.index("<h1>") < html.index("review-reason") < html.index('enctype="multipart/form-data"'), url
    client.submit(f"/my/products/{product.id}/submit", page="/my/products")
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.PENDING
    assert "review-reason" not in page(client, f"/my/products/{product.id}/edit?lang=en")  # sent again: no reason


# --- 5. expired and soon-expiring certificates ---------------------------------------------------------

@pytest.mark.parametrize(("days", "flash", "badge"), [
    (-400, "This certificate expired on", "expired"),
    (10, "This certificate expires on", "expires soon"),
])
def test_owner_is_warned_when_claiming_and_on_the_list(client, auth, make_business, days, flash, badge):
    business = make_business()
    auth.login(business.owner.email)
    valid_until = (today() + timedelta(days=days)).isoformat()
    response = client.submit(f"/my/businesses/{business.id}/certifications/new?lang=en",
                             claim_form(cert_type="sni", number="SNI 8302:2016", issuer="LSPro", valid_until=valid_until,
                                        document=_pdf()),
                             content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert flash in html
    html = page(client, "/my/certifications?lang=en")
    assert f">{badge}<" in html and flash in html


def test_a_certificate_far_from_its_end_gets_no_warning(client, auth, make_business):
    business = make_business()
    auth.login(business.owner.email)
    client.submit(f"/my/businesses/{business.id}/certifications/new?lang=en",
                  claim_form(valid_until=(today() + timedelta(days=400)).isoformat(), document=_pdf()),
                  content_type="multipart/form-data")
    html = page(client, "/my/certifications?lang=en")
    assert "expiry-warning" not in html and "expires soon" not in html and ">expired<" not in html


def _pdf():
    from tests.test_certifications import pdf_bytes

    return (BytesIO(pdf_bytes()), "sertifikat.pdf")


def expired_claim(business, days: int = -400) -> Certification:
    cert = Certification(business=business, cert_type=CertType.SNI, number="SNI 8302:2016", issuer="LSPro",
                         valid_until=today() + timedelta(days=days), document="0" * 32 + ".pdf")
    db.session.add(cert)
    db.session.commit()
    return cert


def test_verifying_an_expired_certificate_needs_the_moderators_confirmation(client, as_moderator, make_business, outbox):
    cert = expired_claim(make_business())
    html = decision_page(client, f"/moderation/certifications/{cert.id}")
    assert "This certificate expired on" in html and 'name="confirm_expired"' in html
    for lang, message in (("en", "Tick the confirmation"), ("id", None)):
        response = client.submit(f"/moderation/certifications/{cert.id}?lang={lang}", {"action": "verify"})
        assert response.status_code == 422 or response.status_code == 200
        if message:
            assert message in response.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(Certification, cert.id).status is CertStatus.CLAIMED
    assert outbox() == []
    response = client.submit(f"/moderation/certifications/{cert.id}", {"action": "verify", "confirm_expired": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Certification, cert.id).status is CertStatus.VERIFIED


def test_the_moderator_is_told_about_a_certificate_that_expires_soon(client, as_moderator, make_business):
    cert = expired_claim(make_business(), days=10)
    html = decision_page(client, f"/moderation/certifications/{cert.id}")
    assert "This certificate expires on" in html and 'name="confirm_expired"' not in html
    assert client.submit(f"/moderation/certifications/{cert.id}", {"action": "verify"}).status_code == 302


# --- 6. one mail subject per kind, in the recipient's language ------------------------------------------

def test_every_kind_has_its_own_subject_in_the_recipients_language(client, as_moderator, make_product, outbox, app):
    assert set(SUBJECTS) == set(MESSAGES)
    first = make_product(status="pending")
    second = make_product(business=first.business, status="pending", name="Batik Kedua")
    first.business.owner.locale = "en"
    db.session.commit()
    client.submit(f"/moderation/products/{first.id}", {"action": "approve"})
    first.business.owner.locale = "id"
    db.session.commit()
    client.submit(f"/moderation/products/{second.id}", {"action": "reject", "reason": "Bukan produk UMKM."})
    approve, reject = outbox()
    assert approve["Subject"] == "Etalase UMKM: your product is approved"
    with app.test_request_context("/"), force_locale("id"):
        assert reject["Subject"] == str(SUBJECTS["product.reject"])
    assert approve["Subject"] != reject["Subject"]
