"""The field officers' pages are valid HTML (Nu validator) in both languages, forms with errors included, and fit a
360 px phone without sideways scroll; the officer's whole flow works in Chromium on a phone."""

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.accounts.models import Role
from marketplace.businesses.models import Business
from marketplace.catalog.models import Category, Product, ProductStatus
from marketplace.extensions import db
from marketplace.fieldofficers.links import make_claim_token, make_consent_token
from marketplace.fieldofficers.models import AssistedOwner
from marketplace.unit_of_work import unit_of_work
from tests.conftest import PASSWORD, jpeg_bytes
from tests.fieldofficers_helpers import assisted_business, make_officer, onboard
from tests.test_html_validity import assert_valid_html, vnu_command, with_language
from tests.test_phone_layout import LANGUAGES, PHONE, sideways_and_header


@pytest.fixture
def field_site(app, make_user, make_product):
    officer = make_officer(make_user, email="petugas.pages@example.id", name="Dewi Anggraini Pendamping Kota Probolinggo")
    moderator = make_user(role=Role.MODERATOR, region="35.74", email="moderator.pages@example.id")
    waiting = onboard(app, officer, name="Hasan Basri", consent=False)
    assisted = onboard(app, officer, name="Aminah Wonoasih")
    business = assisted_business(app, assisted, name="Anyaman Pandan Bu Aminah Wonoasih Kota Probolinggo")
    product = make_product(business=business, status="pending", name="Tas Anyaman Pandan Motif Kawung Besar")
    with app.test_request_context(), unit_of_work():
        waiting.consent_nonce = "abc123"
        consent_token, claim_token = make_consent_token(waiting), make_claim_token(assisted)
    return {"officer": officer, "moderator": moderator, "waiting": waiting, "assisted": assisted, "business": business,
            "product": product, "consent": f"/assisted/consent/{consent_token}", "claim": f"/assisted/claim/{claim_token}"}


def officer_paths(site):
    business, assisted = site["business"], site["assisted"]
    return ["/field/", "/field/owners/new", f"/field/owners/{site['waiting'].id}", f"/field/owners/{assisted.id}",
            f"/field/owners/{assisted.id}/businesses/new", f"/field/businesses/{business.id}",
            f"/field/businesses/{business.id}/edit", f"/field/businesses/{business.id}/products/new",
            f"/field/products/{site['product'].id}/edit"]


def staff_paths(site):
    return ["/moderation/field-officers", "/moderation/field-officers/new", "/moderation/",
            f"/moderation/businesses/{site['business'].id}", f"/moderation/products/{site['product'].id}"]


def public_paths(site):
    return [site["consent"], site["claim"], "/assisted/claim/expired-or-forged"]


def test_the_field_officer_pages_are_valid_html(client, auth, field_site, tmp_path):
    vnu = vnu_command()
    pages = {}

    def render(paths, method="get", data=None, **kwargs):
        for path in paths:
            for lang in LANGUAGES:
                url = with_language(path, lang)
                response = client.submit(url, data, **kwargs) if method == "post" else client.get(url)
                assert response.status_code in (200, 404, 422), (url, response.status_code)
                pages[f"{method} {url}"] = response.get_data(as_text=True)

    render(public_paths(field_site))
    auth.login(field_site["officer"].email)
    render(officer_paths(field_site))
    waiting = f"/field/owners/{field_site['waiting'].id}"
    render(["/field/owners/new"], "post", {"name": "", "email": "x", "phone": "1"})
    render([f"{waiting}/consent"], "post", {"method": "signed_form", "consent_name": ""}, page=waiting)
    render([f"{waiting}/consent"], "post", {"method": "whatsapp", "consent_name": "Hasan"}, page=waiting)
    render([f"/field/owners/{field_site['assisted'].id}/businesses/new"], "post", {"name": "", "whatsapp": "1"})
    auth.logout()
    auth.login(field_site["moderator"].email)
    render(staff_paths(field_site))
    render(["/moderation/field-officers/new"], "post", {"email": "bukan", "name": ""})
    assert "didampingi Dewi Anggraini" in pages[f"get {with_language('/moderation/', 'id')}"]
    assert_valid_html(vnu, pages, tmp_path)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/(field|moderation)/$"))


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_field_officer_pages_fit_a_phone(phone: Page, live_server, field_site, lang):
    problems = []
    for path in public_paths(field_site):
        phone.goto(f"{live_server}{with_language(path, lang)}")
        problems += sideways_and_header(phone, path)
    log_in(phone, live_server, field_site["officer"].email)
    for path in officer_paths(field_site):
        phone.goto(f"{live_server}{with_language(path, lang)}")
        problems += sideways_and_header(phone, path)
    phone.context.clear_cookies()
    log_in(phone, live_server, field_site["moderator"].email)
    for path in staff_paths(field_site):
        phone.goto(f"{live_server}{with_language(path, lang)}")
        problems += sideways_and_header(phone, path)
    assert not problems, problems


@pytest.mark.browser
def test_the_officers_flow_on_a_phone(phone: Page, live_server, make_user, tmp_path):
    """Log in, onboard an owner, photograph the signed form, register the business, add a product with a photo and
    send it for review: all at 360 px, in English."""
    officer = make_officer(make_user, email="petugas.flow@example.id")
    photo = tmp_path / "form.jpg"
    photo.write_bytes(jpeg_bytes())
    log_in(phone, live_server, officer.email)
    phone.goto(f"{live_server}/field/owners/new?lang=en")
    phone.get_by_label("Owner's full name").fill("Bu Sulastri")
    phone.get_by_label("Owner's email").fill("sulastri.flow@example.id")
    phone.get_by_label("Owner's phone / WhatsApp").fill("0812-3450-0007")
    phone.get_by_role("button", name="Create the account").click()
    expect(phone.get_by_role("heading", name="Bu Sulastri")).to_be_visible()
    phone.get_by_label("Photo of the signed consent form").first.check()
    phone.locator("input[name=document]").set_input_files(str(photo))
    phone.get_by_role("button", name="Record consent").click()
    expect(phone.get_by_text("consent recorded").first).to_be_visible()
    phone.get_by_role("link", name="Register a business for the owner").click()
    phone.locator("#name").fill("Kerupuk Ikan Mayangan")
    phone.locator("#nib").fill("9120002234501")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_role("heading", name="Kerupuk Ikan Mayangan")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_role("link", name="Add a product").click()
    batik = db.session.scalar(db.select(Category.id).where(Category.slug == "batik-tulis"))
    phone.locator("#category").select_option(value=str(batik))
    phone.locator("#name").fill("Batik Tulis Mangga")
    phone.locator("#price").fill("175.000")
    phone.locator("input[name=photos]").set_input_files(str(photo))
    phone.get_by_role("button", name="Save").click()
    phone.get_by_role("button", name="Send for review").click()
    expect(phone.get_by_text("Sent for review").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    db.session.expire_all()
    product = db.session.scalar(db.select(Product))
    assert product.status is ProductStatus.PENDING
    assert db.session.scalar(db.select(Business)).owner_id == db.session.scalar(db.select(AssistedOwner)).owner_id
