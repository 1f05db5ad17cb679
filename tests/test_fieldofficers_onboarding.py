"""Assisted onboarding (issue 21): a field officer creates an owner, a business and a product with the owner's
recorded consent; the moderator sees "assisted by"; without consent nothing reaches review; the owner claims the
account with a one-time link and the officer's access ends; another region's officer gets 404."""

import re

import pytest

from marketplace.accounts.models import Role, User
from marketplace.audit.models import AuditEntry
from marketplace.businesses.models import Business
from marketplace.catalog.models import Category, Product, ProductStatus
from marketplace.extensions import db
from marketplace.fieldofficers import acting
from marketplace.fieldofficers.models import AssistedOwner, ConsentMethod
from marketplace.fieldofficers.services import ConsentMissing
from marketplace.unit_of_work import unit_of_work
from tests.conftest import PASSWORD
from tests.fieldofficers_helpers import assisted_business, make_officer, onboard, path_of_link, upload

BUSINESS_FORM = {"name": "Kerupuk Ikan Mayangan", "region": "35.74", "nib": "9120002234501", "size_class": "mikro",
                 "whatsapp": "0812-3450-0001", "address": "Jl. Mayangan 5", "description": "Kerupuk ikan laut.",
                 "kecamatan": "Mayangan"}


def product_form(**changes) -> dict:
    category = db.session.scalar(db.select(Category).where(Category.slug == "batik-tulis"))
    return {"category": str(category.id), "name": "Batik Tulis Mangga", "description": "Batik tulis katun, motif mangga.",
            "price_mode": "fixed", "price": "175.000", "price_max": "", "unit": "lembar", "min_order": "1",
            "availability": "ready", "staged": "", **changes}


@pytest.fixture
def officer(auth, make_user):
    user = make_officer(make_user, name="Rina Pendamping")
    auth.login(user.email)
    return user


def test_officer_creates_owner_business_and_product_with_consent_and_the_moderator_sees_assisted_by(
        app, client, auth, officer, moderator):
    response = client.submit("/field/owners/new", {"name": "Bu Sulastri", "email": "sulastri@example.id",
                                                   "phone": "0812-3450-0001", "locale": "id"})
    assert response.status_code == 302
    assisted = db.session.scalar(db.select(AssistedOwner))
    owner = assisted.owner
    assert owner.role is Role.OWNER and owner.invitation_pending and owner.region_code == "35.74"
    assert assisted.officer_id == officer.id and not assisted.has_consent
    page = f"/field/owners/{assisted.id}"
    response = client.submit(f"/field/owners/{assisted.id}/consent",
                             {"method": "signed_form", "consent_name": "Sulastri", "document": upload()},
                             page=page, content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    assisted = db.session.get(AssistedOwner, assisted.id)
    assert assisted.consent_method is ConsentMethod.SIGNED_FORM and assisted.consent_name == "Sulastri"
    assert assisted.consent_given_at is not None and assisted.consent_document.endswith(".jpg")
    assert client.get(f"/field/owners/{assisted.id}/consent-form").status_code == 200

    response = client.submit(f"/field/owners/{assisted.id}/businesses/new", BUSINESS_FORM)
    assert response.status_code == 302
    business = db.session.scalar(db.select(Business))
    assert business.owner_id == owner.id and business.region_code == "35.74"
    response = client.submit(f"/field/businesses/{business.id}/products/new", product_form(photos=upload()),
                             content_type="multipart/form-data")
    assert response.status_code == 302
    product = db.session.scalar(db.select(Product))
    assert product.business_id == business.id and product.status is ProductStatus.DRAFT
    assert [photo.owner_id for photo in product.photos] == [owner.id]  # the owner's photos, not the officer's
    assert client.submit(f"/field/products/{product.id}/submit", {}, page=f"/field/businesses/{business.id}").status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.PENDING
    actions = set(db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.actor_id == officer.id)))
    assert {"assisted.register", "assisted.consent_form", "assisted.business", "assisted.product_submit"} <= actions

    auth.logout()
    auth.login(moderator.email)
    queue = client.get("/moderation/?lang=en").get_data(as_text=True)
    assert queue.count("assisted by Rina Pendamping") == 2  # the product and the business in the queue
    for page in (f"/moderation/businesses/{business.id}?lang=en", f"/moderation/products/{product.id}?lang=en"):
        assert "assisted by Rina Pendamping" in client.get(page).get_data(as_text=True)


def test_an_owner_who_signed_up_alone_carries_no_mark(client, auth, moderator, make_product):
    product = make_product(status="pending")
    auth.login(moderator.email)
    assert "assisted by" not in client.get("/moderation/?lang=en").get_data(as_text=True)
    assert "assisted by" not in client.get(f"/moderation/products/{product.id}?lang=en").get_data(as_text=True)


def test_without_consent_nothing_can_be_submitted(app, make_user, make_product):
    officer = make_officer(make_user)
    assisted = onboard(app, officer, consent=False)
    with app.test_request_context(), unit_of_work(), pytest.raises(ConsentMissing):
        acting.create_business_for(officer, assisted, name="Tanpa Izin", region_code="35.74", whatsapp="6281234500001")
    assert db.session.scalar(db.select(Business)) is None
    # a business the owner's own service made (say before the rule): its draft still cannot go to review
    business = assisted_business(app, assisted)
    product = make_product(business=business)
    with app.test_request_context(), unit_of_work(), pytest.raises(ConsentMissing):
        acting.submit_product_for(officer, assisted, product)
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.DRAFT


def test_without_consent_the_business_form_refuses_and_keeps_what_was_typed(app, client, officer):
    assisted = onboard(app, officer, consent=False)
    html = client.submit(f"/field/owners/{assisted.id}/businesses/new?lang=en", BUSINESS_FORM).get_data(as_text=True)
    assert "consent is not recorded yet" in html
    assert 'value="Kerupuk Ikan Mayangan"' in html and "Kerupuk ikan laut." in html
    assert db.session.scalar(db.select(Business)) is None
    owner_page = client.get(f"/field/owners/{assisted.id}?lang=en").get_data(as_text=True)
    assert "consent is recorded" in owner_page and f"/field/owners/{assisted.id}/businesses/new" not in owner_page


def test_consent_by_email_link_is_confirmed_by_the_owner_once(app, client, officer, outbox):
    assisted = onboard(app, officer, consent=False)
    response = client.submit(f"/field/owners/{assisted.id}/consent", {"method": "email", "consent_name": "Sulastri"},
                             page=f"/field/owners/{assisted.id}")
    assert response.status_code == 302
    (message,) = outbox()
    assert message["To"] == assisted.owner.email
    link = path_of_link(message.get_content())
    other = app.test_client()  # the owner's phone
    assert "I agree" in other.get(link + "?lang=en").get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(AssistedOwner, assisted.id).has_consent  # opening the link (a preview) is no consent
    assert other.submit(link).status_code == 200
    db.session.expire_all()
    assisted = db.session.get(AssistedOwner, assisted.id)
    assert assisted.has_consent and assisted.consent_method is ConsentMethod.EMAIL
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "assisted.consent_given")).actor_id == \
        assisted.owner_id
    assert other.get(link).status_code == 404  # single use


def test_consent_by_whatsapp_gives_a_share_link_and_a_new_link_voids_the_old(app, client, officer):
    assisted = onboard(app, officer, consent=False)
    page = f"/field/owners/{assisted.id}"
    first = client.submit(f"{page}/consent", {"method": "whatsapp", "consent_name": "Sulastri"}, page=page)
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and "https://wa.me/6281234500001?text=" in html
    from urllib.parse import unquote
    old_link = path_of_link(unquote(html.split("https://wa.me/6281234500001?text=")[1].split('"')[0]))
    second = client.submit(f"{page}/consent", {"method": "whatsapp", "consent_name": "Sulastri"}, page=page)
    new_link = path_of_link(unquote(second.get_data(as_text=True).split("https://wa.me/6281234500001?text=")[1].split('"')[0]))
    owner_phone = app.test_client()
    assert owner_phone.get(old_link).status_code == 404
    assert owner_phone.submit(new_link).status_code == 200
    # the officer cannot confirm it themselves in their own session
    assert client.get(new_link).status_code == 403


def test_signed_form_that_is_not_an_image_is_refused_and_the_form_keeps_its_input(app, client, officer):
    assisted = onboard(app, officer, consent=False)
    response = client.submit(f"/field/owners/{assisted.id}/consent?lang=en",
                             {"method": "signed_form", "consent_name": "Sulastri Wati",
                              "document": upload(b"not an image", "form.jpg")},
                             page=f"/field/owners/{assisted.id}", content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "form.jpg:" in html and 'value="Sulastri Wati"' in html
    db.session.expire_all()
    assert not db.session.get(AssistedOwner, assisted.id).has_consent
    missing = client.submit(f"/field/owners/{assisted.id}/consent?lang=en", {"method": "signed_form", "consent_name": "X"},
                            page=f"/field/owners/{assisted.id}", content_type="multipart/form-data")
    assert "Attach a photo of the consent form" in missing.get_data(as_text=True)


def test_new_owner_form_keeps_input_on_error(client, officer, make_user):
    make_user(role=Role.BUYER, email="dipakai@example.id")
    html = client.submit("/field/owners/new?lang=en", {"name": "Pak Darto", "email": "dipakai@example.id",
                                                       "phone": "12", "locale": "id"}).get_data(as_text=True)
    assert 'value="Pak Darto"' in html and "Enter an Indonesian phone number" in html
    html = client.submit("/field/owners/new?lang=en", {"name": "Pak Darto", "email": "dipakai@example.id",
                                                       "phone": "0812-3450-0002", "locale": "id"}).get_data(as_text=True)
    assert "already exists" in html and 'value="Pak Darto"' in html
    assert db.session.scalar(db.select(AssistedOwner)) is None


def test_owner_claims_the_account_and_the_officer_can_no_longer_edit(app, client, officer, outbox):
    assisted = onboard(app, officer)
    business = assisted_business(app, assisted)
    assert client.get(f"/field/businesses/{business.id}/edit").status_code == 200
    page = f"/field/owners/{assisted.id}"
    assert client.submit(f"{page}/claim-link", {"by": "email"}, page=page).status_code == 302
    (message,) = outbox()
    link = path_of_link(message.get_content())
    owner_phone = app.test_client()
    response = owner_phone.submit(link, {"password": "kerupuk ikan laut segar", "confirm_password": "kerupuk ikan laut segar"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/my/businesses")
    assert owner_phone.get("/my/businesses").status_code == 200  # logged in as the owner
    db.session.expire_all()
    assisted = db.session.get(AssistedOwner, assisted.id)
    assert assisted.claimed and not assisted.owner.invitation_pending
    assert owner_phone.get(link).status_code == 404  # single use
    for url in (f"/field/businesses/{business.id}/edit", f"/field/businesses/{business.id}", page,
                f"/field/businesses/{business.id}/products/new"):
        assert client.get(url).status_code == 404
    assert client.submit(f"/field/businesses/{business.id}/edit", {**BUSINESS_FORM, "name": "Diubah"},
                         page="/field/").status_code == 404
    assert db.session.get(Business, business.id).name == "Kerupuk Ikan Mayangan"
    assert assisted.owner.email not in client.get("/field/").get_data(as_text=True)


def test_a_new_claim_link_voids_the_old_and_an_expired_one_fails(app, client, officer, outbox):
    assisted = onboard(app, officer)
    page = f"/field/owners/{assisted.id}"
    client.submit(f"{page}/claim-link", {"by": "email"}, page=page)
    response = client.submit(f"{page}/claim-link", {"by": "whatsapp"}, page=page)
    assert "https://wa.me/6281234500001?text=" in response.get_data(as_text=True)
    old = path_of_link(outbox()[0].get_content())
    assert app.test_client().get(old).status_code == 404
    from urllib.parse import unquote
    new = path_of_link(unquote(response.get_data(as_text=True).split("?text=")[1].split('"')[0]))
    assert app.test_client().get(new).status_code == 200
    app.config["ASSISTED_LINK_MAX_AGE"] = -1
    try:
        assert app.test_client().get(new).status_code == 404
    finally:
        app.config["ASSISTED_LINK_MAX_AGE"] = 7 * 24 * 3600


def test_a_password_set_another_way_ends_the_officers_access_too(app, client, officer):
    assisted = onboard(app, officer)
    business = assisted_business(app, assisted)
    from marketplace.accounts.services import hash_password
    with unit_of_work():
        db.session.get(User, assisted.owner_id).password_hash = hash_password(PASSWORD)  # e.g. a password reset
    assert client.get(f"/field/businesses/{business.id}").status_code == 404


def test_an_officer_of_another_region_gets_404(app, client, officer, make_user):
    other = make_officer(make_user, region="35.05", name="Petugas Blitar")
    assisted = onboard(app, other, name="Pak Slamet")
    business = assisted_business(app, assisted, name="Sambel Pecel Blitar")
    product_id = db.session.scalar(db.select(Product.id))  # none yet
    assert product_id is None
    for url in (f"/field/owners/{assisted.id}", f"/field/businesses/{business.id}", f"/field/businesses/{business.id}/edit",
                f"/field/businesses/{business.id}/products/new", f"/field/owners/{assisted.id}/businesses/new",
                f"/field/owners/{assisted.id}/consent-form"):
        assert client.get(url).status_code == 404, url
    # and of the same region, another officer's owner is no business of theirs either
    colleague = make_officer(make_user, name="Rekan")
    theirs = onboard(app, colleague, name="Bu Ani")
    assert client.get(f"/field/owners/{theirs.id}").status_code == 404


def test_field_officer_needs_a_region(app, make_user):
    from sqlalchemy.exc import IntegrityError

    from marketplace.accounts.services import AccountError
    with pytest.raises(AccountError):
        make_user(role=Role.FIELD_OFFICER, region=None)
    officer = make_officer(make_user)
    officer.region_code = None
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_product_form_keeps_input_and_a_good_photo_when_something_is_wrong(app, client, officer):
    assisted = onboard(app, officer)
    business = assisted_business(app, assisted)
    url = f"/field/businesses/{business.id}/products/new?lang=en"
    response = client.submit(url, product_form(name="", photos=upload()), content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert "Enter the product name." in html and "Batik tulis katun, motif mangga." in html and 'value="175.000"' in html
    assert "Photos already uploaded (kept)" in html  # the good photo is staged, not lost
    staged = re.search(r'name="staged" type="hidden" value="(\d+)"', html)
    assert staged and db.session.scalar(db.select(Product)) is None
    response = client.submit(url, product_form(staged=staged.group(1)))
    assert response.status_code == 302
    product = db.session.scalar(db.select(Product))
    assert [photo.owner_id for photo in product.photos] == [assisted.owner_id]
    edit = client.get(f"/field/products/{product.id}/edit").get_data(as_text=True)
    assert f"/my/products/{product.id}/photos" not in edit  # no link into the owner's own area
