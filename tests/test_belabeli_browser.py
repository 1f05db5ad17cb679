"""In Debian's Chromium at phone size (360 px): an office coordinator logs a purchase with a photo of the receipt,
the seller confirms it from their area, and the office's fulfilment goes up; the pages fit and have no serious axe
violation."""

import re

import pytest
from playwright.sync_api import expect

from tests.belabeli_helpers import make_site
from tests.conftest import PASSWORD, jpeg_bytes

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def log_in(page, live_server, email):
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).not_to_have_url(re.compile(r"/auth/login"))


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    return [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]


def test_coordinator_logs_a_purchase_the_seller_confirms_fulfilment_goes_up(browser, live_server, make_user,
                                                                            make_business, tmp_path):
    site = make_site(make_user, make_business)
    receipt = tmp_path / "struk.jpg"
    receipt.write_bytes(jpeg_bytes())

    coordinator = browser.new_context(viewport=PHONE).new_page()
    log_in(coordinator, live_server, site.coordinator.email)
    expect(coordinator).to_have_url(re.compile(rf"/bela-beli/offices/{site.office.id}$"))
    expect(coordinator.locator("#confirmed")).to_have_text("Rp 0")
    assert fits_the_phone(coordinator) and not serious_violations(coordinator)
    coordinator.get_by_role("link", name="Catat pembelian").click()
    coordinator.get_by_label("Penjual").select_option(label="Keripik Kentang Bromo")
    coordinator.get_by_label("Jumlah dalam Rupiah").fill("125000")
    coordinator.get_by_label("Golongan jabatan pembeli").select_option("staff")
    coordinator.get_by_label("Tanggal pembelian").fill(__import__("marketplace.timeutil", fromlist=["today"]).today().isoformat())
    coordinator.get_by_label("Foto struk").set_input_files(str(receipt))
    assert fits_the_phone(coordinator) and not serious_violations(coordinator)
    coordinator.get_by_role("button", name="Catat pembelian").click()
    expect(coordinator.get_by_text("Pembelian dicatat")).to_be_visible()
    expect(coordinator.get_by_text("menunggu penjual")).to_be_visible()
    expect(coordinator.locator("#confirmed")).to_have_text("Rp 0")

    seller = browser.new_context(viewport=PHONE).new_page()
    log_in(seller, live_server, site.seller.owner.email)
    seller.goto(f"{live_server}/my/bela-beli")
    expect(seller.get_by_text("Rp 125.000")).to_be_visible()
    assert fits_the_phone(seller) and not serious_violations(seller)
    seller.get_by_role("button", name="Konfirmasi pembelian").click()
    expect(seller.get_by_text("Pembelian dikonfirmasi")).to_be_visible()

    coordinator.reload()
    expect(coordinator.locator("#confirmed")).to_have_text("Rp 125.000")
    expect(coordinator.locator("#share")).to_have_text("15.6%")


def test_a_civil_servant_logs_a_purchase_the_seller_confirms_the_office_fulfilment_goes_up(
        browser, live_server, make_user, make_business, make_product, tmp_path):
    from tests.belabeli_helpers import make_servant

    site = make_site(make_user, make_business)
    make_product(status="published", business=site.seller, category="keripik", name="Keripik Kentang Balado")
    servant = make_servant(site, make_user, email="asn.uji@example.id")
    receipt = tmp_path / "struk.jpg"
    receipt.write_bytes(jpeg_bytes())

    page = browser.new_context(viewport=PHONE).new_page()
    log_in(page, live_server, servant.email)
    expect(page).to_have_url(re.compile(r"/bela-beli/me$"))
    expect(page.locator("#minimum")).to_have_text("Rp 75.000")
    expect(page.locator("#confirmed")).to_have_text("Rp 0")
    assert fits_the_phone(page) and not serious_violations(page)
    page.get_by_role("link", name="Catat pembelian").click()
    expect(page.get_by_label("Golongan jabatan pembeli")).to_have_count(0)  # the band comes from the account
    page.get_by_label("Penjual").select_option(label="Keripik Kentang Bromo")
    # the seller's products appear as soon as the seller is chosen (fetched by the form's script)
    page.get_by_label("Produk (opsional)").select_option(label="Keripik Kentang Balado")
    page.get_by_label("Jumlah dalam Rupiah").fill("80000")
    page.get_by_label("Tanggal pembelian").fill(__import__("marketplace.timeutil", fromlist=["today"]).today().isoformat())
    page.get_by_label("Foto struk").set_input_files(str(receipt))
    assert fits_the_phone(page) and not serious_violations(page)
    page.get_by_role("button", name="Catat pembelian").click()
    expect(page.get_by_text("Pembelian dicatat")).to_be_visible()
    expect(page.get_by_text("menunggu penjual")).to_be_visible()

    seller = browser.new_context(viewport=PHONE).new_page()
    log_in(seller, live_server, site.seller.owner.email)
    seller.goto(f"{live_server}/my/bela-beli")
    expect(seller.get_by_text("Rp 80.000")).to_be_visible()
    expect(seller.get_by_text("Keripik Kentang Balado")).to_be_visible()
    seller.get_by_role("button", name="Konfirmasi pembelian").click()
    expect(seller.get_by_text("Pembelian dikonfirmasi")).to_be_visible()

    page.reload()
    expect(page.locator("#confirmed")).to_have_text("Rp 80.000")
    expect(page.locator("#remaining")).to_have_text("Rp 0")
    coordinator = browser.new_context(viewport=PHONE).new_page()
    log_in(coordinator, live_server, site.coordinator.email)
    expect(coordinator.locator("#confirmed")).to_have_text("Rp 80.000")
