"""End to end in Debian's Chromium: register an owner, log in, switch language, log out."""

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.accounts.models import Role

pytestmark = pytest.mark.browser


def test_owner_registers_logs_in_switches_language_and_logs_out(page: Page, live_server, outbox):
    page.goto(f"{live_server}/auth/register")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_label("menjual produk UMKM saya").check()
    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("Email").fill("siti.browser@example.id")
    page.get_by_label("Daerah asal").select_option("35.74")
    page.get_by_label("Kata sandi", exact=True).fill("batik-tulis-1")
    page.get_by_label("Ulangi kata sandi").fill("batik-tulis-2")
    page.get_by_role("button", name="Daftar").click()
    # the mismatch is reported and what was typed is still there
    expect(page.get_by_text("Kata sandi tidak cocok")).to_be_visible()
    expect(page.get_by_label("Nama lengkap")).to_have_value("Siti Aminah")
    page.get_by_label("Kata sandi", exact=True).fill("batik-tulis-1")
    page.get_by_label("Ulangi kata sandi").fill("batik-tulis-1")
    page.get_by_role("button", name="Daftar").click()
    expect(page.get_by_role("heading", name="Periksa email Anda")).to_be_visible()
    (mail,) = outbox()  # the account is made from the emailed link (issue 14: no account enumeration at sign-up)
    page.goto(re.search(r"http://\S+/auth/register/\S+", mail.get_content()).group(0))
    page.get_by_role("button", name="Aktifkan akun saya").click()
    expect(page).to_have_url(re.compile(r"/my/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Siti Aminah")

    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("link", name="Masuk")).to_be_visible()

    page.get_by_role("link", name="Masuk").click()
    page.get_by_label("Email").fill("siti.browser@example.id")
    page.get_by_label("Kata sandi").fill("batik-tulis-1")
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/my/$"))

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="My account")).to_be_visible()
    page.get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("link", name="Akun saya")).to_be_visible()

    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("link", name="Masuk")).to_be_visible()
    page.goto(f"{live_server}/my/")
    expect(page).to_have_url(re.compile(r"/auth/login"))


def test_owner_creates_business_and_product_with_two_photos_and_submits(page: Page, live_server, make_user, tmp_path):
    from tests.conftest import PASSWORD, jpeg_bytes

    owner = make_user(role=Role.OWNER, region="35.74", email="pemilik.browser@example.id")
    photos = []
    for i, color in enumerate([(120, 40, 20), (30, 60, 120)]):
        path = tmp_path / f"foto-{i}.jpg"
        path.write_bytes(jpeg_bytes((1600, 1200), color=color))
        photos.append(str(path))

    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email").fill(owner.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    page.goto(f"{live_server}/my/businesses/new")
    page.get_by_label("Nama usaha").fill("Batik Manggur Peramban")
    page.get_by_label("Daerah", exact=True).select_option("35.74")
    page.get_by_label("NIB (Nomor Induk Berusaha)").fill("9120001234567")
    page.get_by_label("Nomor WhatsApp").fill("0812-3456-7890")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Batik Manggur Peramban")).to_be_visible()
    expect(page.get_by_text("menunggu verifikasi")).to_be_visible()

    page.get_by_role("link", name="Tambah produk").click()
    page.get_by_label("Kategori").select_option(label="Batik tulis")
    page.get_by_label("Nama produk").fill("Batik Tulis Manggur Peramban")
    page.get_by_label("Deskripsi").fill("Kain katun primisima dengan pewarna alami.")
    page.get_by_label("Harga (Rp)").fill("650.000")
    page.locator("#photos").set_input_files(photos)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Produk disimpan sebagai draf", exact=False)).to_be_visible()

    page.goto(f"{live_server}/my/products")
    row = page.locator(".product-row", has_text="Batik Tulis Manggur Peramban")
    expect(row.get_by_text("2 foto")).to_be_visible()
    expect(row.locator("img")).to_have_count(1)
    row.get_by_role("button", name="Kirim untuk ditinjau").click()
    expect(page.locator(".product-row", has_text="Batik Tulis Manggur Peramban").get_by_text("sedang ditinjau")).to_be_visible()


def test_moderator_rejects_one_product_with_a_reason_and_approves_another(page: Page, live_server, make_user, make_product):
    from marketplace.catalog.models import Product, ProductStatus
    from marketplace.extensions import db
    from tests.conftest import PASSWORD

    moderator = make_user(role=Role.MODERATOR, region="35.74", email="moderator.browser@example.id")
    to_reject = make_product(status="pending", name="Batik Foto Buram")
    to_approve = make_product(status="pending", name="Batik Tulis Siap Tayang")

    page.goto(f"{live_server}/auth/login?lang=en")
    page.get_by_label("Email").fill(moderator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/moderation/$"))
    expect(page.get_by_role("heading", name="Products waiting for review (2)")).to_be_visible()

    page.get_by_role("link", name="Batik Foto Buram").click()
    page.get_by_label("Reject").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Give a reason the owner can act on.")).to_be_visible()  # refused, nothing lost
    page.get_by_label("Common reason").select_option(index=1)
    page.get_by_label("Reason for the owner").fill("Please photograph the cloth in daylight.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("heading", name="Products waiting for review (1)")).to_be_visible()

    page.get_by_role("link", name="Batik Tulis Siap Tayang").click()
    page.get_by_label("Approve and publish").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("heading", name="Products waiting for review (0)")).to_be_visible()

    db.session.expire_all()
    rejected, approved = db.session.get(Product, to_reject.id), db.session.get(Product, to_approve.id)
    assert rejected.status is ProductStatus.REJECTED
    assert rejected.review_reason.endswith("Please photograph the cloth in daylight.")
    assert approved.status is ProductStatus.PUBLISHED


def test_buyer_searches_filters_opens_a_product_and_sends_an_inquiry_in_english(page: Page, live_server, make_business,
                                                                              make_product):
    from marketplace.extensions import db
    from marketplace.inquiries.models import Inquiry

    kota = make_business(region="35.74", name="Batik Manggur Kota", whatsapp="6281234567801")
    blitar = make_business(region="35.05", name="Batik Blitar")
    make_product(business=kota, status="published", name="Batik Tulis Manggur", description="Katun primisima, pewarna alami.")
    make_product(business=blitar, status="published", name="Batik Tulis Blitar")
    make_product(business=blitar, status="published", name="Telur Ayam Ras", category="telur", description="Telur segar.")

    page.goto(f"{live_server}/?lang=en")
    page.get_by_label("Search products").fill("membatik tulis")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="2 products")).to_be_visible()
    page.locator(".facets").get_by_role("link", name="Kota Probolinggo").click()
    expect(page.get_by_role("heading", name="1 product")).to_be_visible()
    page.get_by_role("link", name="Batik Tulis Manggur").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Batik Tulis Manggur")

    page.get_by_label("Your name").fill("Budi Santoso")
    page.get_by_label("WhatsApp number or email").fill("0813-3444-5566")
    page.get_by_label("Quantity").fill("12")
    page.get_by_label("Your region").select_option("35.05")
    page.get_by_label("Message").fill("Can you ship to Blitar?")
    page.get_by_role("button", name="Send inquiry").click()
    expect(page.get_by_role("heading", name="Inquiry sent")).to_be_visible()
    whatsapp = page.get_by_role("link", name="Chat on WhatsApp")
    expect(whatsapp).to_have_attribute("href", re.compile(r"^https://wa\.me/6281234567801\?text=.*Batik%20Tulis%20Manggur"))

    inquiry = db.session.scalar(db.select(Inquiry))
    assert (inquiry.buyer_region_code, inquiry.seller_region_code, inquiry.quantity) == ("35.05", "35.74", 12)


def test_moderator_builds_a_showcase_and_a_visitor_filters_it_and_opens_the_embed(page: Page, live_server, make_user,
                                                                                 make_business, make_product):
    from tests.conftest import PASSWORD

    moderator = make_user(role=Role.MODERATOR, region="35.74", email="host.browser@example.id")
    make_product(business=make_business(region="35.74", name="Batik Kota"), status="published", name="Batik Manggur Kota")
    make_product(business=make_business(region="35.05", name="Peternakan Blitar"), status="published",
                 name="Telur Ayam Blitar", category="telur")

    page.goto(f"{live_server}/auth/login?lang=en")
    page.get_by_label("Email").fill(moderator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Showcases").first.click()
    page.get_by_role("link", name="New showcase").click()
    page.get_by_label("Title").fill("Etalase Sekartaji")
    mou = "Kesepakatan Bersama Pemerintah Kota Probolinggo dan Pemerintah Kabupaten Blitar"
    page.get_by_label("Under the agreement").select_option(label=mou)
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Etalase Sekartaji")
    for name, region in (("Batik Manggur Kota", "35.74"), ("Telur Ayam Blitar", "35.05")):
        page.locator("#region").select_option(region)  # the agreement's party regions, by name
        page.locator("#q").fill("")
        page.get_by_role("button", name="Search").click()
        page.get_by_role("button", name=f"Add {name}").click()
        expect(page.get_by_text("Product added.")).to_be_visible()
    expect(page.get_by_role("heading", name="Products in the showcase (2)")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_server}/showcases?lang=en")
    page.get_by_role("link", name="Etalase Sekartaji").click()
    expect(page.get_by_role("link", name="Telur Ayam Blitar")).to_be_visible()
    page.get_by_role("navigation", name="Filter by region").get_by_role("link", name="Kabupaten Blitar").click()
    expect(page.get_by_role("link", name="Telur Ayam Blitar")).to_be_visible()
    expect(page.get_by_role("link", name="Batik Manggur Kota")).to_have_count(0)
    page.goto(f"{live_server}/showcases/etalase-sekartaji/embed")
    expect(page.get_by_role("link", name="Batik Manggur Kota")).to_have_attribute("target", "_blank")
