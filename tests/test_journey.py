"""The whole journey in Debian's Chromium, as the people who use the site go through it."""

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from marketplace.accounts.models import Role
from marketplace.unit_of_work import unit_of_work
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def phone_photo(path) -> str:
    """A JPEG as a phone writes it: taken sideways (EXIF orientation 6) with a GPS position."""
    image = Image.new("RGB", (1600, 1200), (200, 170, 60))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "S", 2: (7.0, 45.0, 0.0), 3: "E", 4: (113.0, 13.0, 0.0)}
    buffer = BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=88)
    path.write_bytes(buffer.getvalue())
    return str(path)


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login?lang=en")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()


def test_owner_to_buyer_journey(browser, live_server, make_user, tmp_path, app, outbox):
    from marketplace.regions.models import Agreement
    from marketplace.showcases import services as showcases

    regional = make_user(role=Role.MODERATOR, region="35.05", email="dkupp.blitar@example.id")
    host = make_user(role=Role.MODERATOR, region="35.74", email="dkupp.kota@example.id")
    with unit_of_work():  # committed: the live server's requests see it
        from marketplace.extensions import db

        mou = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-blitar-2025"))
        showcase = showcases.create_showcase(host, agreement=mou, host_region_code="35.74", title="Etalase Sekartaji",
                                             on=date.today(), published=True, starts_on=date.today() - timedelta(days=1))
    page = browser.new_page()
    # no internet here: wa.me answers from the test, for every tab of this browser context
    page.context.route("https://wa.me/**", lambda route: route.fulfill(status=200, body="WhatsApp", content_type="text/plain"))

    # 1. an owner from Kabupaten Blitar registers (in Indonesian, the default) and activates the account from the mail
    page.goto(f"{live_server}/auth/register")
    page.get_by_label("menjual produk UMKM saya").check()
    page.get_by_label("Nama lengkap").fill("Slamet Riyadi")
    page.get_by_label("Email").fill("slamet@example.id")
    page.get_by_label("Daerah asal").select_option("35.05")
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Daftar").click()
    expect(page).to_have_url(re.compile(r"/auth/register/sent$"))
    (mail,) = outbox()
    assert mail["To"] == "slamet@example.id"
    page.goto(re.search(r"http://\S+/auth/register/\S+", mail.get_content()).group(0))
    page.get_by_role("button", name="Aktifkan akun saya").click()
    expect(page).to_have_url(re.compile(r"/my/$"))

    # 2. creates a business and a product with a phone photo, and sends it for review
    page.goto(f"{live_server}/my/businesses/new?lang=en")
    page.get_by_label("Business name").fill("Peternakan Berkah Slamet")
    page.get_by_label("NIB (Nomor Induk Berusaha)").fill("9120003234502")
    page.get_by_label("WhatsApp number").fill("0813-3444-5566")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a product").click()
    page.get_by_label("Category").select_option(label="Eggs")
    page.get_by_label("Product name").fill("Telur Ayam Ras Segar")
    page.get_by_label("Description").fill("Telur ayam ras dipanen setiap pagi dari kandang sendiri.")
    page.get_by_label("Price (Rp)", exact=True).fill("26.500")
    page.locator("#photos").set_input_files([phone_photo(tmp_path / "IMG_0001.jpg")])
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Product saved as a draft")).to_be_visible()
    page.goto(f"{live_server}/my/products?lang=en")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("in review", exact=True)).to_be_visible()
    log_out(page)

    # 3. the region's moderator verifies the business and approves the product
    log_in(page, live_server, regional.email)
    page.get_by_role("link", name="Peternakan Berkah Slamet").click()
    page.get_by_label("Verify (NIB and region checked)").check()
    page.get_by_role("button", name="Save decision").click()
    page.goto(f"{live_server}/moderation/?lang=en")
    page.get_by_role("link", name="Telur Ayam Ras Segar").click()
    page.get_by_label("Approve and publish").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("heading", name="Products waiting for review (0)")).to_be_visible()
    log_out(page)

    # 4. the host region's moderator puts it into the showcase under the agreement
    log_in(page, live_server, host.email)
    page.goto(f"{live_server}/moderation/showcases/{showcase.id}?lang=en&region=35.05")
    page.get_by_role("button", name="Add Telur Ayam Ras Segar").click()
    expect(page.get_by_text("Product added.")).to_be_visible()
    log_out(page)

    # 5. a buyer from Kabupaten Pasuruan finds it by search in English, asks, follows WhatsApp
    page.goto(f"{live_server}/?lang=en")
    page.get_by_label("Search products").fill("telur ayam")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Telur Ayam Ras Segar").click()
    expect(page.get_by_text("In the showcases:")).to_be_visible()
    page.get_by_label("Your name").fill("Dewi Lestari")
    page.get_by_label("WhatsApp number or email").fill("0857-9000-1122")
    page.get_by_label("Quantity").fill("30")
    page.get_by_label("Your region").select_option("35.14")
    page.get_by_role("button", name="Send inquiry").click()
    link = page.get_by_role("link", name="Chat on WhatsApp")
    expect(link).to_have_attribute("href", re.compile(r"^https://wa\.me/6281334445566\?text="))
    with page.context.expect_page() as whatsapp:
        link.click()
    whatsapp.value.wait_for_load_state()
    assert whatsapp.value.url.startswith("https://wa.me/6281334445566?text=")
    assert "Telur%20Ayam%20Ras%20Segar" in whatsapp.value.url
    whatsapp.value.close()

    # 6. the owner sees the inquiry
    log_in(page, live_server, "slamet@example.id")
    page.get_by_role("link", name=re.compile("Inquiries")).click()
    expect(page.get_by_text("Dewi Lestari")).to_be_visible()
    expect(page.get_by_text("Kabupaten Pasuruan")).to_be_visible()
    page.close()
